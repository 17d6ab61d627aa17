"""The attendance sheet of a cohort as an Excel workbook (SPEC 3.3, 001 §24), written by a background job.

The listeners are read a batch at a time (``cohort_attendance`` of the batch: three queries), and their rows
are streamed into the workbook as they come, so a cohort of any size is written in about the same memory.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.excel import workbook_to

from ..attendance import cohort_attendance, hours_text, moment, session_start
from ..models import Enrolment, Session

# The listeners read at once.
BATCH = 200


def attendance_readable(user, cohort):
    """Whether ``user`` may read the cohort's attendance (the trainers who mark it, the staff who read it)."""
    return access.may(user, "enrolment.view_attendance", cohort) or access.may(
        user, "enrolment.mark_attendance", cohort
    )


def _remark(row):
    if not row.markable:
        return str(row.enrolment.get_status_display())
    if row.badge == "not_admitted":
        return _("below 80% — not admitted")
    if row.badge == "at_risk":
        return _("at risk")
    return ""


def _row(number, row):
    s = row.summary
    return [
        number,
        row.enrolment.listener.full_name,
        *[str(cell.label) for cell in row.cells],
        s.attended_hours,
        s.so_far_display,
        s.reachable_display,
        _remark(row),
    ]


def _listener_rows(cohort, enrolment_ids, *, now, progress):
    total = len(enrolment_ids)
    number = 0
    for start in range(0, total, BATCH):
        batch = Enrolment.objects.filter(pk__in=enrolment_ids[start : start + BATCH])
        for row in cohort_attendance(cohort, now=now, enrolments=batch).rows:
            number += 1
            yield _row(number, row)
        if progress is not None:
            progress(number, total, _("Listeners written: %(done)s of %(total)s") % {"done": number, "total": total})


def attendance_workbook(cohort, out, *, progress=None, now=None):
    """Write the cohort's attendance sheet into the binary file ``out``: the listeners × sessions with their
    marks, hours and percentages, and the sessions on a second sheet."""
    now = moment(now)
    sessions = list(
        Session.objects.filter(cohort=cohort).select_related("trainer", "topic").order_by("date", "starts_at", "pk")
    )
    enrolment_ids = list(
        Enrolment.objects.filter(cohort=cohort)
        .order_by("listener__user__last_name", "listener__user__first_name", "pk")
        .values_list("pk", flat=True)
    )
    header = [
        "№",
        _("Listener"),
        *[f"{timezone.localtime(session_start(s)):%d.%m.%Y %H:%M} ({hours_text(s.hours)} {_('h')})" for s in sessions],
        _("Attended hours"),
        _("So far, %"),
        _("Maximum reachable, %"),
        _("Remark"),
    ]
    session_rows = (
        [
            f"{s.date:%d.%m.%Y}",
            f"{s.starts_at:%H:%M}–{s.ends_at:%H:%M}",
            s.hours,
            str(s.topic or ""),
            s.get_kind_display(),
            s.trainer.full_name if s.trainer else "",
            s.place,
        ]
        for s in sessions
    )
    workbook_to(
        out,
        [
            (_("Attendance"), header, _listener_rows(cohort, enrolment_ids, now=now, progress=progress)),
            (
                _("Sessions"),
                [_("Date"), _("Time"), _("Academic hours"), _("Topic"), _("Activity"), _("Trainer"), _("Place")],
                session_rows,
            ),
        ],
    )
