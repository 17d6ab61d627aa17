"""The two gates: attendance >= 80% of the course's hours and final test >= the pass mark (000 §3.6, 001 §24)."""

from decimal import Decimal

import pytest

from assessment import rules
from assessment.outcomes import outcome_for
from assessment.services.results import final_result_record
from enrolment import attendance
from enrolment.services.core import attendance_save
from tests.factories import cohort, enrolment, program, sessions, staff_user, teach
from ziat.pass_marks import effective_pass_score


@pytest.mark.parametrize(
    ("percent", "admitted"),
    [("79.9", False), ("79.99", False), ("80", True), ("80.0", True), ("100", True), ("0", False)],
)
def test_attendance_gate_at_80_percent_000_3_6(percent, admitted):
    assert attendance.admits(Decimal(percent)) is admitted


@pytest.mark.parametrize(
    ("score", "max_score", "passes"),
    [("49.9", 100, False), ("50", 100, True), ("12", 25, False), ("12.5", 25, True)],
)
def test_score_floor_is_half_the_maximum_001_24(score, max_score, passes):
    # A pass mark typed below the floor is raised to 50% of the maximum.
    assert rules.score_passes(Decimal(score), pass_score=1, max_score=max_score) is passes


def test_program_pass_mark_above_the_floor_applies_004_8():
    assert not rules.score_passes(16, pass_score=17, max_score=25)
    assert rules.score_passes(17, pass_score=17, max_score=25)


def test_organisation_may_raise_the_floor_but_never_lower_it():
    assert effective_pass_score(10, 20, floor_percent=60) == 12
    assert effective_pass_score(10, 20, floor_percent=30) == 10


def test_minimum_whole_pass_mark():
    assert rules.minimum_pass_score(25) == 13
    assert rules.minimum_pass_score(20) == 10


@pytest.fixture
def ten_hour_course(db, org, trainer):
    """A 10-hour program taught in five 2-hour sessions by ``trainer``."""
    c = cohort(program(), test_max_score=25, test_pass_score=17)
    ss = sessions(c, ["2"] * 5)
    teach(c, trainer)
    return c, ss


def _attend(c, e, ss, present_count, trainer):
    attendance_save(cohort=c, marks={(s.pk, e.pk): i < present_count for i, s in enumerate(ss)}, by=trainer)


def test_attendance_is_the_share_of_the_course_hours_attended_spec_3_3(ten_hour_course, trainer):
    c, ss = ten_hour_course
    e = enrolment(c)
    _attend(c, e, ss, 4, trainer)  # 8 of 10 hours
    final_result_record(enrolment=e, score="17", by=trainer)
    outcome = outcome_for(e)
    assert outcome.course_hours == 10
    assert outcome.attended_hours == 8
    assert outcome.attendance_percent == 80
    assert outcome.eligible


def test_below_80_percent_is_not_eligible_and_says_why(ten_hour_course, trainer):
    c, ss = ten_hour_course
    e = enrolment(c)
    _attend(c, e, ss, 3, trainer)  # 6 of 10 hours
    final_result_record(enrolment=e, score="25", by=trainer)
    outcome = outcome_for(e)
    assert outcome.attendance_percent == 60
    assert not outcome.eligible
    assert any("80" in r for r in outcome.reasons)


def test_score_below_the_pass_mark_is_not_eligible(ten_hour_course, trainer):
    c, ss = ten_hour_course
    e = enrolment(c)
    _attend(c, e, ss, 5, trainer)
    final_result_record(enrolment=e, score="16.9", by=trainer)
    outcome = outcome_for(e)
    assert outcome.attendance_ok and not outcome.final_test_ok and not outcome.eligible


def test_sessions_not_yet_held_count_in_the_base(ten_hour_course, trainer):
    # The base is the course's hours, not only the sessions marked so far.
    c, ss = ten_hour_course
    e = enrolment(c)
    attendance_save(cohort=c, marks={(ss[0].pk, e.pk): True}, by=trainer)
    assert outcome_for(e).attendance_percent == 20


def test_no_result_yet_is_not_eligible(ten_hour_course, trainer):
    c, ss = ten_hour_course
    e = enrolment(c)
    _attend(c, e, ss, 5, trainer)
    assert not outcome_for(e).eligible


def test_cohort_pass_mark_below_half_is_refused_by_the_database(db, org):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        cohort(program(), test_max_score=25, test_pass_score=12)


def test_attendance_outside_the_cohort_is_refused_and_nothing_saved(ten_hour_course, trainer):
    from enrolment.models import Attendance
    from ziat.errors import DomainError

    c, ss = ten_hour_course
    e = enrolment(c)
    stranger = enrolment()
    with pytest.raises(DomainError):
        attendance_save(cohort=c, marks={(ss[0].pk, e.pk): True, (ss[1].pk, stranger.pk): True}, by=trainer)
    assert not Attendance.objects.exists()


def test_only_staff_with_the_permission_mark_attendance(ten_hour_course):
    from ziat.errors import DomainError

    c, ss = ten_hour_course
    e = enrolment(c)
    with pytest.raises(DomainError):
        attendance_save(cohort=c, marks={(ss[0].pk, e.pk): True}, by=staff_user("accountant"))
