"""The cohort's final results sheet, a staff page (SPEC 4.2, 001 §28): typed scores where a listener has no
online result; the director and the cohort's trainers type them, bad input changes nothing, other roles and
trainers of other cohorts are refused with a page in the site's layout."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessment.models import FinalResult
from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment, Session
from tests.certificates.helpers import course
from tests.factories import enrolment, listener, page_queries, staff_user

# The sheet's queries, whatever the number of listeners (session, user, cohort, outcomes, messages ...).
SHEET_QUERIES = 13


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read the new English messages
    with translation.override("en"):
        yield


@pytest.fixture
def taught(db, org, trainer):
    """A cohort (pass mark 17 of 25) with two listeners, taught by ``trainer``."""
    c = course(test_max_score=25, test_pass_score=17)
    Session.objects.filter(cohort=c).update(trainer=trainer)
    return c, enrolment(c), enrolment(c)


def _url(c):
    return reverse("assessment:final_results", args=[c.pk])


def _refused(response):
    html = response.content.decode()
    return response.status_code == 403 and 'id="refusal"' in html and 'class="site-header"' in html


def test_the_cohorts_trainer_types_the_results_4_2(client, taught, trainer):
    c, e1, e2 = taught
    client.force_login(trainer)
    page = client.get(_url(c))
    assert page.status_code == 200
    assert f'name="score-{e1.pk}"' in page.content.decode()
    response = client.post(_url(c), {f"score-{e1.pk}": "21", f"score-{e2.pk}": "16,5"})
    assert response.status_code == 302
    assert dict(FinalResult.objects.values_list("enrolment_id", "score")) == {e1.pk: 21, e2.pk: 16.5}
    assert set(FinalResult.objects.values_list("recorded_by", flat=True)) == {trainer.pk}


def test_the_director_types_the_results_of_any_cohort_4_2(client, taught, director):
    c, e1, _e2 = taught
    client.force_login(director)
    assert client.post(_url(c), {f"score-{e1.pk}": "20"}).status_code == 302
    assert FinalResult.objects.get(enrolment=e1).score == 20


@pytest.mark.parametrize(("raw", "message"), [("abc", "is not a number"), ("26", "above the maximum"), ("-1", "")])
def test_a_bad_score_is_shown_beside_its_field_and_nothing_is_saved_4_2(client, taught, trainer, raw, message):
    c, e1, e2 = taught
    client.force_login(trainer)
    response = client.post(_url(c), {f"score-{e1.pk}": "20", f"score-{e2.pk}": raw})
    assert response.status_code == 400
    rows = {row["outcome"].enrolment.pk: row for row in response.context["rows"]}
    assert rows[e1.pk]["error"] is None and rows[e2.pk]["error"]
    assert message in rows[e2.pk]["error"]
    html = response.content.decode()
    assert 'value="20"' in html and f'value="{raw}"' in html  # what was typed is kept
    assert not FinalResult.objects.exists()


def test_a_field_that_is_not_the_sheets_refuses_the_sheet(client, taught, trainer):
    c, e1, _e2 = taught
    client.force_login(trainer)
    response = client.post(_url(c), {f"score-{e1.pk}": "20", "score-x1": "20"})
    assert response.status_code == 400
    assert "does not match" in response.context["error"]
    assert not FinalResult.objects.exists()


def test_a_listener_of_another_cohort_refuses_the_sheet(client, taught, trainer):
    c, e1, _e2 = taught
    stranger = enrolment(course())
    client.force_login(trainer)
    response = client.post(_url(c), {f"score-{e1.pk}": "20", f"score-{stranger.pk}": "20"})
    assert response.status_code == 400
    assert not FinalResult.objects.exists()


def test_an_expelled_listener_gets_no_typed_result_001_32(client, taught, trainer):
    c, e1, e2 = taught
    Enrolment.objects.filter(pk=e2.pk).update(status=EnrolmentStatus.EXPELLED)
    client.force_login(trainer)
    assert f'name="score-{e2.pk}"' not in client.get(_url(c)).content.decode()
    response = client.post(_url(c), {f"score-{e1.pk}": "20", f"score-{e2.pk}": "20"})
    assert response.status_code == 400
    assert not FinalResult.objects.exists()


def test_an_online_result_is_shown_and_not_typed_over_on_the_sheet_4_2(client, db, org, director):
    from assessment.services.testing import attempt_start, attempt_submit
    from tests.assessment import taking_factories as tf

    group, version = tf.course()
    test = tf.cohort_test(group, version)
    e = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=e)
    tf.answer(attempt, 10)
    attempt_submit(attempt=attempt)
    online = FinalResult.objects.get(enrolment=e)
    client.force_login(director)
    page = client.get(_url(group))
    assert f'name="score-{e.pk}"' not in page.content.decode()
    response = client.post(_url(group), {f"score-{e.pk}": "1"})
    assert response.status_code == 400
    assert FinalResult.objects.get(enrolment=e) == online
    assert FinalResult.objects.get(enrolment=e).attempt_id == attempt.pk


def test_a_trainer_of_another_cohort_may_neither_read_nor_type_the_results(client, taught):
    c, e1, _e2 = taught
    client.force_login(staff_user("trainer"))
    assert _refused(client.get(_url(c)))
    assert _refused(client.post(_url(c), {f"score-{e1.pk}": "21"}))
    assert not FinalResult.objects.exists()


def test_the_registrar_reads_the_sheet_and_may_not_type(client, taught, registrar):
    c, e1, _e2 = taught
    client.force_login(registrar)
    page = client.get(_url(c))
    assert page.status_code == 200
    assert 'name="score-' not in page.content.decode()
    assert _refused(client.post(_url(c), {f"score-{e1.pk}": "21"}))
    assert not FinalResult.objects.exists()


@pytest.mark.parametrize("role", ["accountant", "methodist"])
def test_roles_without_the_results_are_refused_with_a_page(client, taught, role):
    c, e1, _e2 = taught
    client.force_login(staff_user(role))
    assert _refused(client.get(_url(c)))
    assert _refused(client.post(_url(c), {f"score-{e1.pk}": "21"}))
    assert not FinalResult.objects.exists()


def test_a_listener_is_refused_and_an_anonymous_visitor_sent_to_log_in(client, taught):
    c, _e1, _e2 = taught
    client.force_login(listener().user)
    assert _refused(client.get(_url(c)))
    client.logout()
    response = client.get(_url(c))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_cohorts_page_links_the_results_sheet(client, taught, director):
    c, _e1, _e2 = taught
    client.force_login(director)
    assert _url(c) in client.get(reverse("enrolment:cohort_detail", args=[c.pk])).content.decode()


@pytest.mark.parametrize("size", [1, 12])
def test_the_sheets_query_count_does_not_grow_with_its_rows(client, db, org, director, size):
    c = course()
    for _ in range(size):
        enrolment(c)
    client.force_login(director)
    assert page_queries(client, _url(c)) == SHEET_QUERIES
