"""The outcome figures of finished cohorts kept for the monitoring dashboard (``CohortFigures``, 000 §4.5 3)).

The dashboard only reads them (``monitoring.selectors``): a finished cohort's kept row is used while its
watermark (the latest activity-log entries of the cohort and of its program, and the pass mark floor) is the
current one, and its figures are computed live otherwise. ``cohort_figures_refresh``, run every few minutes by the
scheduler (``monitoring.tasks.cohort_figures``), computes and keeps the figures of every finished cohort whose row
is missing or behind its watermark, so that a change made through any service is kept within minutes.
"""

from django.utils import timezone

from enrolment.models import Cohort

from .models import CohortFigures
from .selectors import RESULTS, finished_results, watermarks

# Cohorts computed and kept in one transaction.
BATCH = 50


def cohort_figures_refresh(*, today=None):
    """Keep the outcome figures of the finished cohorts whose kept row is missing or stale; returns how many."""
    today = today or timezone.localdate()
    finished = list(Cohort.objects.filter(ends_on__lt=today).only("pk", "program_id").order_by("pk"))
    if not finished:
        return 0
    marks = watermarks(finished)
    kept = dict(CohortFigures.objects.values_list("cohort_id", "watermark"))
    stale = [pk for pk, mark in sorted(marks.items()) if kept.get(pk) != mark]
    for start in range(0, len(stale), BATCH):
        ids = stale[start : start + BATCH]
        figures = finished_results(ids)
        # An upsert on the cohort (in order of the cohort: two refreshes lock rows alike); a change logged while
        # the figures were computed moves the watermark on, so the row is computed again on the next run.
        rows = [
            CohortFigures(cohort_id=pk, watermark=marks[pk], **{n: getattr(figures[pk], n) for n in RESULTS})
            for pk in ids
        ]
        CohortFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["cohort"],
            update_fields=[*RESULTS, "watermark", "updated_at"],
        )
    return len(stale)
