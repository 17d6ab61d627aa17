"""The enrolment's panels of the cabinet: the contract and the timetable of each course."""

from collections import defaultdict

from .cabinet import Panel, register
from .enums import EnrolmentStatus
from .models import Session


def _contracts(enrolments, *, today):
    return {e.pk: {"contract": e.contract} for e in enrolments if getattr(e, "contract", None)}


def _timetables(enrolments, *, today):
    by_cohort = defaultdict(list)
    sessions = Session.objects.filter(cohort_id__in={e.cohort_id for e in enrolments}).select_related("topic")
    for session in sessions.order_by("date", "starts_at", "pk"):
        by_cohort[session.cohort_id].append(session)
    return {
        e.pk: {"sessions": by_cohort[e.cohort_id], "open": e.status == EnrolmentStatus.ENROLLED}
        for e in enrolments
        if by_cohort[e.cohort_id]
    }


register(Panel("contract", "enrolment/cabinet/panels/contract.html", 10, _contracts))
register(Panel("timetable", "enrolment/cabinet/panels/timetable.html", 40, _timetables))
