"""One attendance figure everywhere (SPEC 3.3, 000 §3.6, 001 §24): the grid, the listener's cabinet, the
trainer's day, the outcome (the 80% gate), the reference of attendance and the warnings show the same hours and
percentages for the same listener at the same moment, in the cases where separate computations used to differ.

The clock stands still at 12:00 on 5 March 2026 (Asia/Almaty).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment.outcomes import outcome_for
from enrolment import attendance
from enrolment.enums import AttendanceStatus
from enrolment.models import Attendance, Session, Trainer
from enrolment.selectors import listeners_at_risk
from enrolment.services.attendance_warnings import AT_RISK, UNREACHABLE, attendance_warn
from tests.factories import cohort, enrolment, listener, program, staff_user

NOW = datetime.datetime(2026, 3, 5, 12)
TODAY = NOW.date()
P, L, A, E = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    now = timezone.make_aware(NOW)
    monkeypatch.setattr(timezone, "now", lambda: now)
    with translation.override("en"):
        yield now


@dataclass
class Case:
    """Sessions as (days from today, starting hour, academic hours) and the listener's marks, by position."""

    sessions: list
    marks: dict
    percent: str
    so_far: str
    reachable: str
    admitted: bool
    at_risk_listed: bool


CASES = {
    # Three days held (present, late, absent), one session later today and one tomorrow: not held yet.
    "a_session_later_today": Case(
        [(-3, 9, "2"), (-2, 9, "2"), (-1, 9, "2"), (0, 14, "2"), (1, 9, "2")],
        {0: P, 1: L, 2: A},
        "40.00",
        "66.66",
        "80.00",
        False,
        True,
    ),
    # This morning's session has started: it is held, and not marked yet it is not attended "so far"; it is not
    # taken as lost in "still reachable" either.
    "a_session_earlier_today_not_marked": Case(
        [(-3, 9, "2"), (-2, 9, "2"), (-1, 9, "2"), (0, 9, "2"), (1, 9, "2")],
        {0: P, 1: P, 2: P},
        "60.00",
        "75.00",
        "100.00",
        False,
        True,
    ),
    # A late mark is attended.
    "late_marks": Case(
        [(-5, 9, "2"), (-4, 9, "2"), (-3, 9, "2"), (-2, 9, "2"), (-1, 9, "2")],
        {0: P, 1: L, 2: L, 3: P, 4: A},
        "80.00",
        "80.00",
        "80.00",
        True,
        False,
    ),
    # An excused absence is an absence.
    "an_excused_absence": Case(
        [(-5, 9, "2"), (-4, 9, "2"), (-3, 9, "2"), (-2, 9, "2"), (-1, 9, "2")],
        {0: P, 1: P, 2: P, 3: E, 4: P},
        "80.00",
        "80.00",
        "80.00",
        True,
        False,
    ),
    # 1000 scheduled hours: 799.9 attended is 79.99% (not admitted), 800.0 is 80.00% (admitted).
    "79_99": Case(
        [(-12 + i, 9, h) for i, h in enumerate(["99.9"] * 8 + ["0.7", "0.8", "99.9", "99.4"])],
        {**{i: P for i in range(9)}, 9: A, 10: A, 11: A},
        "79.99",
        "79.99",
        "79.99",
        False,
        True,
    ),
    "80_00": Case(
        [(-12 + i, 9, h) for i, h in enumerate(["99.9"] * 8 + ["0.7", "0.8", "99.9", "99.4"])],
        {**{i: P for i in range(8)}, 8: A, 9: P, 10: A, 11: A},
        "80.00",
        "80.00",
        "80.00",
        True,
        False,
    ),
    # No timetable: nothing can be attended, 0% and not admitted; nobody is warned.
    "a_cohort_without_sessions": Case([], {}, "0.00", "0.00", "0.00", False, False),
}


def _course(case, trainer):
    c = cohort(program(), starts_on=TODAY - datetime.timedelta(days=12), ends_on=TODAY + datetime.timedelta(days=1))
    sessions = [
        Session.objects.create(
            cohort=c,
            date=TODAY + datetime.timedelta(days=days),
            starts_at=datetime.time(hour),
            ends_at=datetime.time(hour + 2),
            hours=Decimal(hours),
            trainer=trainer,
        )
        for days, hour, hours in case.sessions
    ]
    e = enrolment(c, listener(last_name="Сәрсенова"))
    Attendance.objects.bulk_create(
        Attendance(session=sessions[i], enrolment=e, status=status, marked_by=trainer)
        for i, status in case.marks.items()
    )
    return c, e


def kk(figure):
    """A figure as a Kazakh page writes it: a comma before the decimals."""
    return figure.replace(".", ",")


def _figures(summary):
    return (str(summary.percent_display), str(summary.so_far_display), str(summary.reachable_display))


@pytest.mark.parametrize("name", list(CASES))
def test_grid_cabinet_trainers_day_and_outcome_show_the_same_attendance_000_3_6_spec_3_3(client, org, name):
    case = CASES[name]
    trainer = staff_user("trainer")
    Trainer.objects.create(user=trainer)
    c, e = _course(case, trainer)

    # The outcome: the 80% gate of the final assessment (000 §3.6).
    outcome = outcome_for(e)
    summary = outcome.attendance
    assert _figures(summary) == (case.percent, case.so_far, case.reachable)
    assert outcome.attendance_ok is summary.admitted is case.admitted
    assert str(outcome.attendance_display) == case.percent

    # The grid of the cohort (SPEC 3.3).
    client.force_login(staff_user("registrar"))
    response = client.get(reverse("enrolment:attendance_grid", args=[c.pk]))
    (row,) = response.context["sheet"].rows
    assert row.summary == summary
    if case.sessions:
        html = response.content.decode()
        assert f"{kk(case.so_far)}%" in html and f"{kk(case.reachable)}%" in html

    # The listener's cabinet.
    client.force_login(e.listener.user)
    response = client.get(reverse("enrolment:cabinet"))
    (mine,) = response.context["courses"]
    results = {panel.key: data for panel, data in mine.panels}["results"]
    assert results["outcome"].attendance == summary
    assert f"{kk(case.percent)}%" in response.content.decode()

    # The trainer's day lists the listener exactly when below 80% so far or out of reach, with the same figures.
    if case.sessions:
        client.force_login(trainer)
        response = client.get(reverse("enrolment:trainer_home"))
        risks = {r.enrolment.pk: r for r in response.context["at_risk"]}
        assert (e.pk in risks) is case.at_risk_listed
        if case.at_risk_listed:
            assert risks[e.pk].summary == summary
            assert f"{kk(case.so_far)}%" in response.content.decode()
    assert {r.enrolment.pk for r in listeners_at_risk([c])} == ({e.pk} if case.at_risk_listed else set())

    # The warnings read the same "still reachable".
    warned = dict(attendance_warn(c, today=timezone.now()))
    expected = UNREACHABLE if summary.unreachable else AT_RISK if summary.at_risk else None
    assert {k.pk: v for k, v in warned.items()}.get(e.pk) == expected


def _pdf_text(content):
    pdf = pdfium.PdfDocument(content)
    return re.sub(r"\s+", " ", " ".join(page.get_textpage().get_text_range() for page in pdf))


def test_the_reference_of_attendance_shows_the_outcomes_figure_79_99_000_3_6(client, org):
    trainer = staff_user("trainer")
    case = CASES["79_99"]
    c, e = _course(case, trainer)
    c.ends_on = TODAY - datetime.timedelta(days=1)
    c.save(update_fields=["ends_on"])
    client.force_login(e.listener.user)
    response = client.post(reverse("assessment:reference_request", args=[e.pk]), follow=True)
    assert response.status_code == 200
    assert "799.9" in _pdf_text(response.content) and "(79.99%)" in _pdf_text(response.content)


def test_marks_of_sessions_not_yet_held_do_not_count_anywhere_spec_3_3(org):
    # A session moved to a later day after it was marked: its mark waits until the session is held again.
    trainer = staff_user("trainer")
    c, e = _course(Case([(-1, 9, "2"), (1, 9, "2")], {0: P, 1: P}, "", "", "", False, False), trainer)
    summary = attendance.attendance_summary(e)
    assert (summary.held_hours, summary.attended_hours) == (2, 2)
    assert outcome_for(e).attended_hours == 2
    (row,) = attendance.cohort_attendance(c).rows
    assert row.summary == summary


def test_summaries_take_two_queries_whatever_the_number_of_listeners(org, django_assert_num_queries):
    trainer = staff_user("trainer")
    first, e = _course(CASES["late_marks"], trainer)
    _second, other = _course(CASES["an_excused_absence"], trainer)
    more = [enrolment(first) for _ in range(5)]
    with django_assert_num_queries(2):
        summaries = attendance.attendance_summaries([e, other, *more])
    assert str(summaries[e.pk].percent_display) == "80.00" and summaries[more[0].pk].attended_hours == 0
