"""Final test scores typed by staff: bad input gets a clear message and nothing changes (the sheet's page is
tested in test_final_results_page)."""

import datetime

import pytest

from assessment.models import FinalResult
from assessment.services.results import final_result_record, final_results_record
from enrolment.models import Session
from tests.factories import cohort, enrolment, program, staff_user, teach
from ziat.errors import DomainError, PermissionDeniedError


@pytest.fixture
def course(db, org, trainer):
    c = cohort(program(), test_max_score=25, test_pass_score=17)
    teach(c, trainer)
    return c, enrolment(c), enrolment(c)


@pytest.mark.parametrize("raw", ["abc", "26", "-1", "12.55", "nan", "inf", ""])
def test_bad_scores_are_refused(course, trainer, raw):
    _c, e, _e2 = course
    with pytest.raises(DomainError):
        final_result_record(enrolment=e, score=raw, by=trainer)
    assert not FinalResult.objects.exists()


def test_a_comma_is_a_decimal_separator(course, trainer):
    _c, e, _e2 = course
    assert final_result_record(enrolment=e, score="17,5", by=trainer).score == 17.5


def test_one_bad_score_in_a_sheet_saves_nothing(course, director):
    c, e1, e2 = course
    errors = final_results_record(cohort=c, scores={e1.pk: "20", e2.pk: "30"}, by=director)
    assert set(errors) == {e2.pk}
    assert not FinalResult.objects.exists()


def test_the_sheet_is_refused_to_a_trainer_who_does_not_teach_the_cohort(course):
    c, e1, _e2 = course
    newcomer = staff_user("trainer")
    with pytest.raises(PermissionDeniedError):
        final_results_record(cohort=c, scores={e1.pk: "20"}, by=newcomer)
    Session.objects.create(
        cohort=c, date=c.starts_on, starts_at=datetime.time(9), ends_at=datetime.time(10), hours=1, trainer=newcomer
    )
    assert final_results_record(cohort=c, scores={e1.pk: "20"}, by=newcomer) == {}
    assert FinalResult.objects.get(enrolment=e1).recorded_by == newcomer


def test_an_unchanged_score_keeps_who_recorded_it(course, director, trainer):
    c, e1, _e2 = course
    final_result_record(enrolment=e1, score="20", by=trainer)
    assert final_results_record(cohort=c, scores={e1.pk: "20.0"}, by=director) == {}
    assert FinalResult.objects.get(enrolment=e1).recorded_by == trainer


def test_a_score_typed_over_an_online_result_no_longer_claims_its_attempt(db, org, trainer):
    """A typed score is a person's (recorded_by), not the server's scoring of an attempt (SPEC 4.2)."""
    from assessment.services.testing import attempt_start, attempt_submit
    from tests.assessment import taking_factories as tf

    group, version = tf.course()
    teach(group, trainer)
    test = tf.cohort_test(group, version)
    e = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=e)
    tf.answer(attempt, 10)
    attempt_submit(attempt=attempt)
    assert FinalResult.objects.get(enrolment=e).attempt_id == attempt.pk
    final_result_record(enrolment=e, score="18", by=trainer)
    result = FinalResult.objects.get(enrolment=e)
    assert (result.score, result.attempt_id, result.recorded_by) == (18, None, trainer)
