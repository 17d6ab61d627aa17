"""The attendance rule (SPEC 3.3, 001 §24, 000 §3.6): a listener's attendance is the share of the course's
scheduled academic hours attended; below 80% the listener is not admitted to the final assessment.

The base is the sum of the hours of *all* the cohort's sessions, held or not. Two views of it:

- **so far**: attended hours / hours of the sessions held so far (how the listener is doing);
- **maximum still reachable**: (attended hours + hours of the sessions not yet held) / all scheduled hours
  (the best the listener can still finish with). Under 85% the listener is warned; under 80% the 80% can no
  longer be reached.

A session is *held* once it has started (Asia/Almaty, ``settings.TIME_ZONE``): from then on it can be marked.
A held session not marked yet counts as not attended in "so far" and in the final share, but it is not taken
as lost in "maximum still reachable" (which is ``(scheduled - hours marked absent or excused) / scheduled``, the
same as the formula above once the held sessions are marked): a trainer who marks a day late does not set off
warnings that cannot be taken back. Arithmetic is in ``Decimal``; the boundaries are exact
(79.99% fails, 80.00% passes) and percentages are shown with two decimals, rounded down so that a value that
fails never shows as 80.00.

This module is the one place where these figures are computed. Every page that shows a listener's
attendance (the grid and its sheets, the listener's cabinet, the trainer's day, the outcome with its 80% gate,
the reference of attendance) and the warnings read a ``Summary`` made by ``summarise``: for a cohort's grid
through ``cohort_attendance``, for any other set of enrolments through ``attendance_summaries`` (two queries
whatever their number). A cohort without sessions has no base: 0% attended, not admitted, no warning.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .enums import ATTENDED, AttendanceStatus, EnrolmentStatus
from .models import Attendance, Enrolment, Session

ADMISSION_PERCENT = Decimal("80")
WARNING_PERCENT = Decimal("85")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
ZERO = Decimal("0")

# Enrolments whose marks may still be changed on the grid; the others are shown as they were left.
MARKABLE_STATES = (EnrolmentStatus.ADMITTED, EnrolmentStatus.ENROLLED)


# ------------------------------------------------------------------------------------------ pure rules


def percent(part, whole):
    """``part`` of ``whole`` in percent, exact (not rounded); 0 when there is nothing to share."""
    whole = Decimal(whole)
    if not whole:
        return ZERO
    return Decimal(part) * HUNDRED / whole


def display(value):
    """A percentage with two decimals, rounded down (79.999 shows as 79.99, never as 80.00)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def admits(value):
    """Whether an attendance of ``value`` percent admits to the final assessment: 80.00 yes, 79.99 no."""
    return Decimal(value) >= ADMISSION_PERCENT


def at_risk(value):
    """Whether a maximum still reachable of ``value`` percent calls for a warning (under 85%)."""
    return Decimal(value) < WARNING_PERCENT


def hours_text(hours):
    """Academic hours without trailing zeros: 2, 1.5, 10."""
    text = f"{Decimal(hours):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def session_start(session):
    """The moment a session starts, in the organisation's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(session.date, session.starts_at), timezone.get_default_timezone()
    )


def session_end(session):
    return timezone.make_aware(
        datetime.datetime.combine(session.date, session.ends_at), timezone.get_default_timezone()
    )


def moment(when):
    """``when`` as an aware datetime: a date stands for the start of that day (its sessions not yet held)."""
    if when is None:
        return timezone.now()
    if isinstance(when, datetime.datetime):
        return when if timezone.is_aware(when) else timezone.make_aware(when, timezone.get_default_timezone())
    return timezone.make_aware(datetime.datetime.combine(when, datetime.time.min), timezone.get_default_timezone())


def session_started(session, now):
    """A session is held once it has started: from then on it counts in "so far" and may be marked."""
    return session_start(session) <= moment(now)


def session_running(session, now):
    now = moment(now)
    return session_start(session) <= now < session_end(session)


@dataclass(frozen=True)
class Summary:
    """One listener's attendance against the course's scheduled hours."""

    scheduled_hours: Decimal
    held_hours: Decimal
    attended_hours: Decimal
    missed_hours: Decimal = ZERO  # held sessions marked absent or excused

    @property
    def remaining_hours(self):
        return self.scheduled_hours - self.held_hours

    @property
    def percent(self):
        """The share of all the scheduled hours attended (the final figure once every session is held)."""
        return percent(self.attended_hours, self.scheduled_hours)

    @property
    def so_far(self):
        return percent(self.attended_hours, self.held_hours)

    @property
    def reachable(self):
        """The most that can still be attended: everything but the hours already marked as missed."""
        return percent(self.scheduled_hours - self.missed_hours, self.scheduled_hours)

    @property
    def percent_display(self):
        return display(self.percent)

    @property
    def so_far_display(self):
        return display(self.so_far)

    @property
    def reachable_display(self):
        return display(self.reachable)

    @property
    def admitted(self):
        """Admitted to the final assessment: at least 80% of all the scheduled hours attended."""
        return admits(self.percent)

    @property
    def unreachable(self):
        """80% can no longer be reached: the listener will not be admitted to the final assessment."""
        return bool(self.scheduled_hours) and not admits(self.reachable)

    @property
    def complete(self):
        return self.held_hours == self.scheduled_hours

    @property
    def not_admitted(self):
        """Not admitted to the final assessment: 80% is out of reach, or the course is over below 80%."""
        return self.unreachable or (bool(self.scheduled_hours) and self.complete and not self.admitted)

    @property
    def at_risk(self):
        """Still able to reach 80%, but with less than 85% reachable."""
        return bool(self.scheduled_hours) and not self.not_admitted and at_risk(self.reachable)

    @property
    def below_so_far(self):
        """Under 80% of the hours held so far (nothing is held yet: not below)."""
        return bool(self.held_hours) and not admits(self.so_far)

    @property
    def needed_hours(self):
        """The hours still to attend to reach 80% of the scheduled hours (0 once reached)."""
        return max(self.scheduled_hours * ADMISSION_PERCENT / HUNDRED - self.attended_hours, ZERO)


def summarise(sessions, marks, *, now):
    """The summary of one listener: ``sessions`` of the cohort, ``marks`` {session_id: status}.

    Marks of sessions not held yet, or not of these sessions, do not count.
    """
    now = moment(now)
    scheduled = held = attended = missed = ZERO
    for s in sessions:
        hours = Decimal(s.hours)
        scheduled += hours
        if session_started(s, now):
            held += hours
            mark = marks.get(s.pk)
            if mark in ATTENDED:
                attended += hours
            elif mark:
                missed += hours
    return Summary(scheduled_hours=scheduled, held_hours=held, attended_hours=attended, missed_hours=missed)


# ---------------------------------------------------------------------------------------------- reads


def attendance_summaries(enrolments, *, now=None):
    """{enrolment pk: Summary} of ``enrolments`` (enrolment objects or a queryset), in two queries whatever
    their number: the sessions of their cohorts and their marks."""
    now = moment(now)
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    by_cohort = {}
    for s in (
        Session.objects.filter(cohort_id__in={e.cohort_id for e in enrolments})
        .only("pk", "cohort_id", "date", "starts_at", "hours")
        .order_by()
    ):
        by_cohort.setdefault(s.cohort_id, []).append(s)
    marks = {}
    for enrolment_id, session_id, status in (
        Attendance.objects.filter(enrolment_id__in=[e.pk for e in enrolments])
        .order_by()
        .values_list("enrolment_id", "session_id", "status")
    ):
        marks.setdefault(enrolment_id, {})[session_id] = status
    return {e.pk: summarise(by_cohort.get(e.cohort_id, ()), marks.get(e.pk, {}), now=now) for e in enrolments}


def attendance_summary(enrolment, *, now=None):
    """The Summary of one enrolment (two queries)."""
    return attendance_summaries([enrolment], now=now)[enrolment.pk]


@dataclass
class Cell:
    session: Session
    status: str  # "" when not marked yet
    editable: bool

    @property
    def short(self):
        return short_mark(self.status)

    @property
    def label(self):
        return AttendanceStatus(self.status).label if self.status else ""


@dataclass
class Row:
    enrolment: Enrolment
    cells: list
    summary: Summary
    markable: bool

    @property
    def badge(self):
        """ "not_admitted" when 80% is out of reach, "at_risk" under 85% reachable, else ""."""
        if self.summary.not_admitted:
            return "not_admitted"
        if self.summary.at_risk:
            return "at_risk"
        return ""


@dataclass
class Sheet:
    cohort: object
    sessions: list
    rows: list
    now: datetime.datetime
    started: dict = field(default_factory=dict)  # session pk -> started

    @property
    def scheduled_hours(self):
        return sum((Decimal(s.hours) for s in self.sessions), ZERO)

    @property
    def trainers(self):
        seen, result = set(), []
        for s in self.sessions:
            if s.trainer_id and s.trainer_id not in seen:
                seen.add(s.trainer_id)
                result.append(s.trainer)
        return result


def cohort_attendance(cohort, *, now=None, enrolments=None):
    """The attendance sheet of a cohort (listeners × sessions with marks and summaries) in three queries.

    ``enrolments`` narrows the rows (a queryset of the cohort's enrolments); all of them by default.
    """
    now = moment(now)
    sessions = list(
        Session.objects.filter(cohort=cohort).select_related("trainer", "topic").order_by("date", "starts_at", "pk")
    )
    qs = enrolments if enrolments is not None else Enrolment.objects.filter(cohort=cohort)
    rows_of = list(
        qs.select_related("listener__user").order_by("listener__user__last_name", "listener__user__first_name", "pk")
    )
    marks = {}
    for session_id, enrolment_id, status in Attendance.objects.filter(
        session__cohort=cohort, enrolment__in=[e.pk for e in rows_of]
    ).values_list("session_id", "enrolment_id", "status"):
        marks.setdefault(enrolment_id, {})[session_id] = status
    started = {s.pk: session_started(s, now) for s in sessions}
    rows = []
    for e in rows_of:
        own = marks.get(e.pk, {})
        markable = e.status in MARKABLE_STATES
        cells = [Cell(session=s, status=own.get(s.pk, ""), editable=markable and started[s.pk]) for s in sessions]
        rows.append(Row(enrolment=e, cells=cells, summary=summarise(sessions, own, now=now), markable=markable))
    return Sheet(cohort=cohort, sessions=sessions, rows=rows, now=now, started=started)


# Marks as printed on the sheets, with a legend beside them.
SHORT = {
    AttendanceStatus.PRESENT: pgettext_lazy("attendance mark", "+"),
    AttendanceStatus.LATE: pgettext_lazy("attendance mark", "L"),
    AttendanceStatus.ABSENT: pgettext_lazy("attendance mark", "A"),
    AttendanceStatus.EXCUSED: pgettext_lazy("attendance mark", "E"),
}


def short_mark(status):
    return SHORT.get(status, "")
