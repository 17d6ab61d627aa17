"""The logged actions of enrolment, and the log of an attendance grid in constant queries."""

from django.utils.translation import gettext_lazy as _

from ziat.activity import log_actions, register_actions

from .enums import (
    ApplicationStatus,
    AttendanceStatus,
    EnrolmentStatus,
    Funding,
    PlanApplicationStatus,
    PlanStatus,
    RequestStatus,
)

STATUS = {"status": _("status")}

register_actions(
    ("enrolment.listener.created", _("Listener registered")),
    ("enrolment.listener.updated", _("Listener's contacts and place of work corrected")),
    ("enrolment.listener.nobd_updated", _("Personal data updated from the NOBD")),
    ("enrolment.enrolment.created", _("Enrolled"), {"choices": {"status": EnrolmentStatus, "funding": Funding}}),
    ("enrolment.enrolment.admitted", _("Admitted"), {"choices": {"status": EnrolmentStatus, "funding": Funding}}),
    ("enrolment.enrolment.enrolled", _("Enrolled by the admission order"), {"choices": {"status": EnrolmentStatus}}),
    ("enrolment.enrolment.transferred", _("Transferred"), {"choices": {"status": EnrolmentStatus}}),
    ("enrolment.enrolment.interrupted", _("Course interrupted"), {"choices": {"status": EnrolmentStatus}}),
    ("enrolment.enrolment.resumed", _("Course resumed"), {"choices": {"status": EnrolmentStatus}}),
    ("enrolment.enrolment.expelled", _("Expelled"), {"choices": {"status": EnrolmentStatus}}),
    ("enrolment.attendance.marked", _("Attendance marked"), {"choices": {"status": AttendanceStatus}}),
    ("enrolment.attendance.checked_in", _("Checked in by QR code"), {"choices": {"status": AttendanceStatus}}),
    ("enrolment.contract.drawn_up", _("Contract drawn up")),
    ("enrolment.contract.accepted", _("Contract accepted")),
    ("enrolment.admission_order.created", _("Admission order prepared")),
    ("enrolment.admission_order.changed", _("Admission order changed")),
    ("enrolment.admission_order.signed", _("Admission order signed")),
    ("enrolment.invoice.created", _("Invoice issued"), {"fields": {"amount": _("amount")}}),
    (
        "enrolment.payment.recorded",
        _("Payment recorded"),
        {"fields": {"balance": _("balance"), "amount": _("amount"), "paid_on": _("paid on"), "payer": _("payer")}},
    ),
    ("enrolment.application.started", _("Application started"), {"choices": {"status": ApplicationStatus}}),
    ("enrolment.application.submitted", _("Application submitted"), {"choices": {"status": ApplicationStatus}}),
    ("enrolment.application.withdrawn", _("Application withdrawn"), {"choices": {"status": ApplicationStatus}}),
    ("enrolment.application.returned", _("Application returned"), {"choices": {"status": ApplicationStatus}}),
    ("enrolment.application.admitted", _("Application admitted"), {"choices": {"status": ApplicationStatus}}),
    (
        "enrolment.application.draft_deleted",
        _("Draft application deleted: never sent, its course has started"),
        {"choices": {"status": ApplicationStatus}},
    ),
    ("enrolment.request.created", _("Request created")),
    ("enrolment.request.changed", _("Request changed")),
    ("enrolment.request.submitted", _("Request submitted"), {"choices": {"status": RequestStatus}}),
    ("enrolment.request.accepted", _("Request accepted"), {"choices": {"status": RequestStatus}}),
    ("enrolment.request.returned", _("Request returned"), {"choices": {"status": RequestStatus}}),
    (
        "enrolment.request.draft_deleted",
        _("Draft request deleted: never sent, its course has started"),
        {"choices": {"status": RequestStatus}},
    ),
    ("enrolment.request.teachers_imported", _("Teachers imported into the request")),
    ("enrolment.request.teacher_added", _("Teacher added to the request")),
    ("enrolment.request.teacher_removed", _("Teacher removed from the request")),
    ("enrolment.request.referral_attached", _("Referral order attached to the list (001 §16)")),
    ("enrolment.request.letter_admitted", _("Admission order prepared on the region's letter (001 §18)")),
    (
        "enrolment.plan_application.submitted",
        _("Teacher's application to the organisation filed (001 §10)"),
    ),
    (
        "enrolment.plan_application.decided",
        _("Head's decision on the teacher's application"),
        {"choices": {"status": PlanApplicationStatus}},
    ),
    ("enrolment.plan.created", _("Plan opened")),
    ("enrolment.plan.changed", _("Plan changed")),
    ("enrolment.plan.built", _("Plan built from the level below")),
    ("enrolment.plan.imported", _("Plan imported from Excel")),
    ("enrolment.plan.courses_assigned", _("Teachers distributed over the courses (001 §13)")),
    ("enrolment.plan.submitted", _("Plan sent"), {"choices": {"status": PlanStatus}}),
    ("enrolment.plan.returned", _("Plan returned"), {"choices": {"status": PlanStatus}}),
    ("enrolment.plan.late_allowed", _("Accepted after the deadline by the centre's decision")),
    ("enrolment.schedule.agreed", _("Course of the schedule agreed (001 §15)")),
    ("enrolment.representative.created", _("Representative registered")),
    ("enrolment.cohort.created", _("Cohort created")),
    ("enrolment.cohort.changed", _("Cohort's terms changed"), {"choices": {"funding": Funding}}),
    ("enrolment.cohort.published", _("Opened for applications")),
    ("enrolment.cohort.unpublished", _("Closed for applications")),
    ("enrolment.group.created", _("Group created")),
    ("enrolment.group.deleted", _("Group deleted")),
    ("enrolment.group.assigned", _("Group assigned")),
    ("enrolment.session.created", _("Session added to the timetable")),
    ("enrolment.session.changed", _("Session changed")),
    ("enrolment.session.deleted", _("Session deleted")),
    ("enrolment.trainer.created", _("Trainer added to the registry")),
    ("enrolment.trainer.changed", _("Trainer's record changed")),
    ("enrolment.calendar_feed.created", _("Calendar address made")),
    ("enrolment.calendar_feed.renewed", _("Calendar address renewed (the old one revoked)")),
    (
        "enrolment.message.sent",
        _("Message written to the cohort's listeners"),
        {"fields": {"subject": _("subject"), "recipients": _("recipients")}},
    ),
)


def log_attendance(cohort, changes, *, by, action="enrolment.attendance.marked"):
    """Log the changed marks of a cohort's grid, one entry per mark, in three queries whatever their number.

    ``changes`` is a list of (attendance, status before or None, status after).
    """
    if not changes:
        return []
    from .models import Session

    people = {
        pk: (listener_id, " ".join(p for p in (last, first) if p))
        for pk, listener_id, last, first in cohort.enrolments.values_list(
            "pk", "listener_id", "listener__user__last_name", "listener__user__first_name"
        )
    }
    sessions = {s.pk: str(s) for s in Session.objects.filter(cohort=cohort).only("pk", "date", "starts_at")}
    return log_actions(
        action,
        [(row, {"status": before} if before else None, {"status": after}) for row, before, after in changes],
        by=by,
        scope=lambda row: {
            "program_id": cohort.program_id,
            "cohort_id": cohort.pk,
            "listener_id": people[row.enrolment_id][0],
        },
        label=lambda row: f"{people[row.enrolment_id][1]} — {sessions.get(row.session_id, '')}",
    )


def session_values(session):
    """What the history keeps of a session of the timetable."""
    if session is None or session.pk is None:
        return None
    return {
        "date": session.date,
        "starts_at": session.starts_at.strftime("%H:%M") if session.starts_at else None,
        "ends_at": session.ends_at.strftime("%H:%M") if session.ends_at else None,
        "topic": str(session.topic) if session.topic_id else None,
        "kind": session.kind,
        "hours": session.hours,
        "trainer": str(session.trainer) if session.trainer_id else None,
        "place": session.place,
    }
