"""Reads that the enrolment pages need. A listener's attendance (hours, so far, still reachable, the 80% gate)
is read through ``enrolment.attendance.attendance_summaries``, the one computation every page uses."""

from .models import Enrolment


def cabinet_enrolments(listener):
    """The listener's enrolments for the cabinet, the latest course first, with what every panel reads."""
    return list(
        Enrolment.objects.filter(listener=listener)
        .select_related("cohort__program", "group", "contract")
        .order_by("-cohort__starts_on", "-pk")
    )
