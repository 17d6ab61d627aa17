"""Final test scores typed by staff: bad input gets a clear message and nothing changes."""

import pytest

from assessment.models import FinalResult
from assessment.services import final_result_record, final_results_record
from tests.factories import cohort, enrolment, page_queries, program, teach
from ziat.errors import DomainError


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


def test_one_bad_score_in_a_sheet_saves_nothing(course, trainer):
    c, e1, e2 = course
    errors = final_results_record(cohort=c, scores={e1.pk: "20", e2.pk: "30"}, by=trainer)
    assert set(errors) == {e2.pk}
    assert not FinalResult.objects.exists()


def test_results_page_shows_the_error_and_keeps_what_was_typed(course, trainer, client):
    c, e1, e2 = course
    client.force_login(trainer)
    url = f"/admin/assessment/finalresult/cohort/{c.pk}/"
    response = client.post(url, {f"score-{e1.pk}": "20", f"score-{e2.pk}": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a number" in html
    assert 'value="20"' in html and 'value="abc"' in html
    assert not FinalResult.objects.exists()
    response = client.post(url, {f"score-{e1.pk}": "20", f"score-{e2.pk}": "16"})
    assert response.status_code == 302
    assert dict(FinalResult.objects.values_list("enrolment_id", "score")) == {e1.pk: 20, e2.pk: 16}


def test_results_page_query_count_does_not_grow_with_listeners(db, org, trainer, client):
    counts = []
    for size in (1, 6):
        c = cohort(program())
        teach(c, trainer)
        for _ in range(size):
            enrolment(c)
        client.force_login(trainer)
        counts.append(page_queries(client, f"/admin/assessment/finalresult/cohort/{c.pk}/"))
    assert counts[0] == counts[1]


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
