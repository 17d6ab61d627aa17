"""The attendance rule (SPEC 3.3, 001 §24, 000 §3.6): the share of the course's scheduled academic hours
attended, so far and at most still reachable; the warnings before 80% is lost; marks only for started sessions."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from assessment.outcomes import outcome_for
from enrolment import attendance as rules
from enrolment.models import Attendance, Message
from enrolment.services.attendance_warnings import attendance_warn
from enrolment.services.core import attendance_save
from tests.factories import cohort, enrolment, listener, program, sessions, staff_user, teach
from ziat.errors import DomainError


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def at(day, hour=0, minute=0):
    """An aware moment in the organisation's time zone (Asia/Almaty)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# ----------------------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(("attended", "admitted"), [("7999", False), ("8000", True), ("7999.9", False)])
def test_attendance_boundary_is_exact_001_24(attended, admitted):
    whole, attended = Decimal("10000"), Decimal(attended)
    summary = rules.Summary(
        scheduled_hours=whole, held_hours=whole, attended_hours=attended, missed_hours=whole - attended
    )
    assert summary.admitted is admitted
    assert summary.unreachable is not admitted
    assert summary.not_admitted is not admitted
    assert rules.admits(summary.percent_display) is admitted


def test_percentages_are_shown_with_two_decimals_rounded_down():
    assert rules.display(Decimal("79.999")) == Decimal("79.99")
    assert str(rules.display(Decimal("80"))) == "80.00"
    assert str(rules.display(rules.percent(2, 3))) == "66.66"
    assert rules.percent(1, 0) == 0


# ------------------------------------------------------------------------------------ with the database


# 1000.0 scheduled hours of mixed lengths: 8 × 99.9 + 0.7 = 799.9 (79.99%), 8 × 99.9 + 0.8 = 800.0 (80.00%).
MIXED = ["99.9"] * 8 + ["0.7", "0.8", "99.9", "99.4"]


@pytest.fixture
def mixed(db, org, trainer):
    c = cohort(program())  # the program's plan has 10 hours; the timetable 1000
    ss = sessions(c, MIXED)
    teach(c, trainer)
    return c, ss


def _mark(c, e, ss, present, by):
    attendance_save(
        cohort=c, marks={(s.pk, e.pk): "present" if i in present else "absent" for i, s in enumerate(ss)}, by=by
    )


def test_attendance_boundary_79_99_fails_80_00_passes_001_24(mixed, trainer):
    c, ss = mixed
    fails, passes = enrolment(c), enrolment(c)
    _mark(c, fails, ss, set(range(8)) | {8}, trainer)
    _mark(c, passes, ss, set(range(8)) | {9}, trainer)
    sheet = rules.cohort_attendance(c)
    by_pk = {row.enrolment.pk: row for row in sheet.rows}
    low, high = by_pk[fails.pk].summary, by_pk[passes.pk].summary
    assert low.scheduled_hours == Decimal("1000.0")
    assert (low.attended_hours, str(low.percent_display), low.admitted) == (Decimal("799.9"), "79.99", False)
    assert (high.attended_hours, str(high.percent_display), high.admitted) == (Decimal("800.0"), "80.00", True)
    assert by_pk[fails.pk].badge == "not_admitted"
    # The final assessment's gate uses the same base: the scheduled hours, not the program's 10.
    assert not outcome_for(fails).attendance_ok
    assert outcome_for(passes).attendance_ok
    assert outcome_for(passes).attendance_base_hours == Decimal("1000.0")


def test_the_base_is_all_scheduled_sessions_not_only_those_held_spec_3_3(db, org, trainer):
    c = cohort(program())
    ss = sessions(c, ["2", "2", "2", "4"])  # 10 scheduled hours, the last two not held on the 3rd day
    teach(c, trainer)
    e = enrolment(c)
    now = at(ss[1].date, 14)
    attendance_save(cohort=c, marks={(ss[0].pk, e.pk): "present", (ss[1].pk, e.pk): "late"}, by=trainer, now=now)
    (row,) = rules.cohort_attendance(c, now=now).rows
    s = row.summary
    assert (s.scheduled_hours, s.held_hours, s.attended_hours) == (10, 4, 4)
    assert s.percent == 40  # of all the scheduled hours
    assert s.so_far == 100
    assert s.reachable == 100
    assert [cell.editable for cell in row.cells] == [True, True, False, False]


def test_so_far_and_maximum_still_reachable(db, org, trainer):
    c = cohort(program())
    ss = sessions(c, ["2", "2", "2", "2", "2"])
    teach(c, trainer)
    e = enrolment(c)
    now = at(ss[2].date, 12)  # three sessions started (9:00 each day)
    marks = {(ss[0].pk, e.pk): "present", (ss[1].pk, e.pk): "excused", (ss[2].pk, e.pk): "late"}
    attendance_save(cohort=c, marks=marks, by=trainer, now=now, warn=False)
    (row,) = rules.cohort_attendance(c, now=now).rows
    assert str(row.summary.so_far_display) == "66.66"  # 4 of 6 held hours; an excused absence is an absence
    assert str(row.summary.reachable_display) == "80.00"  # (4 + 4) of 10
    assert row.summary.at_risk and not row.summary.unreachable
    assert row.badge == "at_risk"


def test_outcome_falls_back_to_the_programs_hours_without_a_timetable(db, org):
    e = enrolment(cohort(program()))
    assert outcome_for(e).attendance_base_hours == 10


def test_a_mark_for_a_session_not_yet_started_is_refused_and_nothing_saved(db, org, trainer):
    c = cohort(program())
    teach(c, trainer)
    ss = sessions(c, ["2", "2"])
    e = enrolment(c)
    before_second = at(ss[1].date, 8, 59)
    with pytest.raises(DomainError, match="has not started yet"):
        attendance_save(
            cohort=c, marks={(ss[0].pk, e.pk): "present", (ss[1].pk, e.pk): "present"}, by=trainer, now=before_second
        )
    assert not Attendance.objects.exists()
    # At its start it may be marked.
    attendance_save(cohort=c, marks={(ss[1].pk, e.pk): "present"}, by=trainer, now=at(ss[1].date, 9))
    assert Attendance.objects.get().status == "present"


# -------------------------------------------------------------------------------------------- warnings


@pytest.fixture
def ten_sessions(db, org, trainer):
    c = cohort(program(), ends_on=datetime.date(2026, 3, 11))
    ss = sessions(c, ["2"] * 10)  # 20 scheduled hours on 2-11 March
    teach(c, trainer)
    return c, ss


def test_warning_under_85_percent_reachable_is_sent_once_to_listener_and_registrar_001_24(
    ten_sessions, trainer, django_capture_on_commit_callbacks
):
    c, ss = ten_sessions
    registrar = staff_user("registrar", email="registrar@example.kz")
    e = enrolment(c, listener(email="listener@example.kz"))
    other = enrolment(c, listener(email="other@example.kz"))
    now = at(ss[3].date, 14)
    one_absence = {(ss[0].pk, e.pk): "absent", (ss[1].pk, e.pk): "present", (ss[0].pk, other.pk): "present"}
    with django_capture_on_commit_callbacks(execute=True):
        attendance_save(cohort=c, marks=one_absence, by=trainer, now=now)
    # 18 of 20 still reachable (90%): no warning yet.
    assert not Message.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        attendance_save(cohort=c, marks={(ss[2].pk, e.pk): "excused"}, by=trainer, now=now)
    # 16 of 20 (80%): at risk, still able to reach 80%.
    (message,) = Message.objects.all()
    assert (message.listener_id, message.kind) == (e.listener_id, "attendance_at_risk")
    e.refresh_from_db()
    assert e.warned_at_risk_at is not None and e.warned_unreachable_at is None
    assert sorted(m.to[0] for m in mail.outbox) == ["listener@example.kz", registrar.email]
    registrar_mail = next(m for m in mail.outbox if m.to == [registrar.email])
    assert e.listener.full_name in registrar_mail.body and "80.00" in registrar_mail.body
    # Once: running again, or another save, sends nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert attendance_warn(c, today=now) == []
        attendance_save(cohort=c, marks={(ss[3].pk, other.pk): "present"}, by=trainer, now=now)
    assert Message.objects.count() == 1 and not mail.outbox


def test_listener_is_told_plainly_when_80_percent_can_no_longer_be_reached_001_24(
    ten_sessions, trainer, django_capture_on_commit_callbacks
):
    c, ss = ten_sessions
    e = enrolment(c, listener(email="listener@example.kz"))
    now = at(ss[4].date, 14)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_save(cohort=c, marks={(ss[0].pk, e.pk): "absent", (ss[1].pk, e.pk): "absent"}, by=trainer, now=now)
        attendance_save(cohort=c, marks={(ss[2].pk, e.pk): "absent"}, by=trainer, now=now)
    assert list(Message.objects.order_by("pk").values_list("kind", flat=True)) == [
        "attendance_at_risk",
        "attendance_unreachable",
    ]
    unreachable = Message.objects.get(kind="attendance_unreachable")
    assert "70,00" in unreachable.body  # at most 14 of 20 hours, in Kazakh figures
    e.refresh_from_db()
    assert e.warned_unreachable_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        attendance_save(cohort=c, marks={(ss[3].pk, e.pk): "absent"}, by=trainer, now=now)
    assert Message.objects.count() == 2


def test_a_straight_drop_below_80_sends_only_the_second_warning(ten_sessions, trainer):
    c, ss = ten_sessions
    e = enrolment(c)
    marks = {(s.pk, e.pk): "absent" for s in ss[:5]}
    attendance_save(cohort=c, marks=marks, by=trainer, now=at(ss[4].date, 14))
    assert list(Message.objects.values_list("kind", flat=True)) == ["attendance_unreachable"]


def test_only_enrolled_listeners_are_warned(ten_sessions, trainer):
    c, ss = ten_sessions
    e = enrolment(c)
    e.status = "interrupted"
    e.save(update_fields=["status"])
    attendance_save(cohort=c, marks={(s.pk, e.pk): "absent" for s in ss[:5]}, by=trainer, now=at(ss[4].date, 14))
    assert not Message.objects.exists()


def test_warnings_command_counts_sessions_before_the_given_day(ten_sessions, trainer):
    c, ss = ten_sessions
    e = enrolment(c)
    attendance_save(
        cohort=c,
        marks={(ss[0].pk, e.pk): "absent", (ss[1].pk, e.pk): "absent"},
        by=trainer,
        now=at(ss[1].date, 14),
        warn=False,
    )
    call_command("attendance_warnings", "--date", "2026-03-03")  # only the 2 March session held: 18 of 20
    assert not Message.objects.exists()
    call_command("attendance_warnings", "--date", "2026-03-04")  # both held: 16 of 20
    call_command("attendance_warnings", "--date", "2026-03-04")
    assert list(Message.objects.values_list("listener", "kind")) == [(e.listener_id, "attendance_at_risk")]


def test_a_held_session_not_marked_yet_does_not_set_off_a_warning(ten_sessions, trainer):
    c, ss = ten_sessions
    e = enrolment(c)
    attendance_save(cohort=c, marks={(ss[0].pk, e.pk): "present"}, by=trainer, now=at(ss[5].date, 14))
    (row,) = rules.cohort_attendance(c, now=at(ss[5].date, 14)).rows
    assert str(row.summary.so_far_display) == "16.66" and row.summary.reachable == 100
    assert not Message.objects.exists()
