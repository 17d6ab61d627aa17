"""The cohort's final results sheet (001 §28, SPEC 4.2): the scores typed by staff where the listener has no
online result, beside each listener's attendance and outcome; the director and the trainers of the cohort
type them, other staff with the permission read them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enrolment.models import Cohort
from ziat import access
from ziat.errors import DomainError, PermissionDeniedError
from ziat.refusals import refused, staff_required

from ..outcomes import cohort_outcomes, reference_available
from ..services.results import final_results_record, may_record_results, typed_by_hand

FIELD_PREFIX = "score-"


def _typed_scores(post):
    """The typed scores of the sheet, {enrolment id: text}; None when a field's name is not the sheet's."""
    scores = {}
    for key, value in post.items():
        if not key.startswith(FIELD_PREFIX):
            continue
        number = key.removeprefix(FIELD_PREFIX)
        if not number.isdigit():
            return None
        scores[int(number)] = value
    return scores


def _score_text(score):
    return "" if score is None else format(score.normalize(), "f")


@require_http_methods(["GET", "POST"])
@staff_required("assessment.view_finalresult")
def final_results(request, cohort_pk):
    cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=cohort_pk)
    if not access.reaches(request.user, cohort):
        return refused(request, _("You teach no session of this cohort; its results are not shown to you."))
    can_record = may_record_results(request.user, cohort)
    typed, errors, error = {}, {}, None
    if request.method == "POST":
        if not can_record:
            return refused(request, _("You may not record the final results of this cohort."))
        typed = _typed_scores(request.POST)
        if typed is None:
            typed, error = {}, _("The result sheet does not match this cohort; nothing was saved.")
        else:
            try:
                errors = final_results_record(cohort=cohort, scores=typed, by=request.user)
            except PermissionDeniedError as e:
                return refused(request, e.message)
            except DomainError as e:
                error = e.message
            else:
                if not errors:
                    messages.success(request, _("Results saved."))
                    return redirect("assessment:final_results", cohort_pk=cohort.pk)
                error = _("Nothing was saved: correct the marked scores.")
    today = timezone.localdate()
    rows = [
        {
            "outcome": o,
            "editable": can_record and typed_by_hand(o.enrolment),
            "online": getattr(o.enrolment, "final_result", None) is not None
            and o.enrolment.final_result.attempt_id is not None,
            "value": typed.get(o.enrolment.pk, _score_text(o.score)),
            "error": errors.get(o.enrolment.pk),
            # A listener who did not pass is handed their reference of attendance from here (001 §31).
            "reference": reference_available(o, today),
        }
        for o in cohort_outcomes(cohort)
    ]
    context = {
        "cohort": cohort,
        "rows": rows,
        "can_record": can_record,
        "editable": any(row["editable"] for row in rows),
        "error": error,
        # Before the first day nobody has attended anything yet: no outcome is shown, only that it has not begun.
        "not_started": today < cohort.starts_on,
    }
    return render(request, "assessment/cohort/results.html", context, status=400 if error else 200)


urlpatterns = [
    path("staff/assessment/cohorts/<int:cohort_pk>/results/", final_results, name="final_results"),
]
