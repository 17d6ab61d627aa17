"""Helpers for certificate tests: listeners brought to an outcome through the real services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessment.services.results import final_result_record
from certificates.services import certificate_issue
from enrolment.services.core import attendance_save
from tests.factories import cohort, enrolment, listener, program, sessions, staff_user

# Default factory plan: two modules of 4 and 6 academic hours, 10 hours in all.
DEFAULT_SESSION_HOURS = (2, 2, 2, 2, 2)


def plan_with_modules(n):
    """A program plan of ``n`` modules, each one topic of 2 lecture hours and 1 self-study hour (3 hours)."""
    return tuple(((f"{i}.1", 2, 1, 0, 0, 0),) for i in range(1, n + 1))


def course(*, modules=None, final=None, session_hours=None, **cohort_kwargs):
    """An approved program and a cohort whose timetable covers all the plan's hours."""
    kwargs = {}
    if modules is not None:
        kwargs["modules"] = modules
    if final is not None:
        kwargs["final"] = final
    prog = program(**kwargs)
    c = cohort(prog, **cohort_kwargs)
    sessions(c, session_hours or DEFAULT_SESSION_HOURS)
    return c


def attend(enrolment_, *, hours=None, by=None):
    """Mark the listener present at sessions until ``hours`` are reached (all sessions when None)."""
    by = by or staff_user("director")
    marks, total, last = {}, Decimal("0"), None
    for s in enrolment_.cohort.sessions.order_by("date", "starts_at"):
        present = hours is None or total + s.hours <= Decimal(hours)
        if present:
            total += s.hours
        marks[(s.pk, enrolment_.pk)] = present
        last = s
    # Marked as at the end of the course, which may lie in the future (sessions are marked once started).
    now = timezone.make_aware(datetime.datetime.combine(last.date, last.ends_at)) if last else None
    attendance_save(cohort=enrolment_.cohort, marks=marks, by=by, now=now)
    return total


def score(enrolment_, value, *, by=None):
    return final_result_record(enrolment=enrolment_, score=str(value), by=by or staff_user("director"))


def enrol(cohort_, *, hours=None, test=20, listener_=None, **listener_kwargs):
    """An enrolment with attendance (``hours`` attended; all when None) and a final test score (None: no test)."""
    middle_name = listener_kwargs.pop("middle_name", "")
    if listener_ is None:
        listener_ = listener(**listener_kwargs)
        if middle_name:
            listener_.user.middle_name = middle_name
            listener_.user.save(update_fields=["middle_name"])
    e = enrolment(cohort_, listener_)
    attend(e, hours=hours)
    if test is not None:
        score(e, test)
    return e


def issued(director, *, cohort_=None, on=None, **enrol_kwargs):
    """A certificate issued by the director to a new eligible listener."""
    e = enrol(cohort_ or course(), **enrol_kwargs)
    return certificate_issue(e, by=director, on=on or datetime.date(2026, 3, 10))


def assert_in_order(text, phrases):
    """Each phrase is in the text after the one before it. Spaces are ignored: pdfium reads a letter-spaced
    title and a line break as spaces."""
    squeezed = "".join(text.split())
    at = 0
    for phrase in phrases:
        wanted = "".join(phrase.split())
        found = squeezed.find(wanted, at)
        assert found >= 0, f"{phrase!r} is not after {squeezed[max(0, at - 60) : at]!r}"
        at = found + len(wanted)
