"""Drafts never sent and that can no longer be, deleted by the daily pruning (``ziat.pruning``).

A listener's application and an organisation's request for places are drafts until they are sent; once the
course has started neither can be sent any more (``applications.cohort_closed_reason``). Those whose course
started ``RETENTION_DRAFTS_DAYS`` ago are deleted with their uploaded documents and teachers' lists, and the
deletion is logged. A request that carries anything beyond its own list (a referral order, an invoice, the
centre's decision on a late list) is kept. Nothing sent is ever deleted: a submitted, returned, admitted or
withdrawn application and every request sent to the centre stay.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from ziat.activity import log_actions
from ziat.pruning import delete_files_on_commit, in_batches

from ..enums import ApplicationStatus, RequestStatus
from ..models import Application, ApplicationDocument, TeacherRequest


def _started_before(now):
    return timezone.localdate(now) - datetime.timedelta(days=settings.RETENTION_DRAFTS_DAYS)


def _scope(item):
    return {"program_id": item.cohort.program_id, "cohort_id": item.cohort_id, "listener_id": None}


def _delete_applications(applications):
    ids = [a.pk for a in applications]
    delete_files_on_commit(ApplicationDocument.objects.filter(application_id__in=ids).values_list("file", flat=True))
    log_actions(
        "enrolment.application.draft_deleted",
        [(a, {"status": a.status}, None) for a in applications],
        by=None,
        scope=lambda a: {**_scope(a), "listener_id": a.listener_id},
        label=lambda a: f"{a.cohort.code}",
    )
    Application.objects.filter(pk__in=ids).delete()


def _delete_requests(requests):
    log_actions(
        "enrolment.request.draft_deleted",
        [(r, {"status": r.status}, None) for r in requests],
        by=None,
        scope=_scope,
        label=lambda r: f"{r.cohort.code}",
    )
    TeacherRequest.objects.filter(pk__in=[r.pk for r in requests]).delete()


def drafts_prune(*, now):
    """Delete the draft applications and requests of courses started before the retention; returns the count."""
    started_before = _started_before(now)
    applications = Application.objects.filter(
        status=ApplicationStatus.DRAFT, cohort__starts_on__lt=started_before
    ).select_related("cohort")
    requests = TeacherRequest.objects.filter(
        status=RequestStatus.DRAFT,
        cohort__starts_on__lt=started_before,
        referrals__isnull=True,
        invoice__isnull=True,
        late_decision__isnull=True,
    ).select_related("cohort")
    return in_batches(applications, _delete_applications) + in_batches(requests, _delete_requests)
