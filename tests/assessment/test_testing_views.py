"""The online test pages of the cabinet and the staff's review of attempts (000 §3.6, 001 §24, SPEC 4.2)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.enums import SubmittedBy
from assessment.models import Attempt, AttemptItem, FinalResult, Question
from assessment.services.testing import answer_save, attempt_start, attempt_submit
from tests import factories
from tests.assessment import taking_factories as tf

pytestmark = pytest.mark.django_db
PASSWORD = "pass-12345"


@pytest.fixture
def course(org):
    group, version = tf.course()
    return group, version, tf.cohort_test(group, version)


def _login(client, enrolment):
    client.force_login(enrolment.listener.user)
    return client


def _chosen(attempt):
    return list(AttemptItem.objects.filter(attempt=attempt).order_by("position").values_list("chosen", flat=True))


def test_the_listener_starts_the_final_test_from_the_tests_page_spec_4_2(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    _login(client, enrolment)
    page = client.get(reverse("assessment:my_tests", args=[enrolment.pk]))
    assert page.status_code == 200
    assert f'id="test-{test.pk}" data-state="open"' in page.content.decode()
    start = reverse("assessment:attempt_start", args=[enrolment.pk, test.pk])
    assert client.get(start).status_code == 405  # a start is a POST
    response = client.post(start)
    attempt = Attempt.objects.get(enrolment=enrolment)
    assert response.status_code == 302 and response.url == reverse("assessment:attempt", args=[attempt.pk])
    # A second press resumes the same attempt.
    assert client.post(start).url == response.url
    assert Attempt.objects.filter(enrolment=enrolment).count() == 1
    page = client.get(reverse("assessment:my_tests", args=[enrolment.pk])).content.decode()
    assert 'data-state="in_progress"' in page


def test_the_test_page_shows_every_question_with_its_options_in_the_attempts_order(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    _login(client, enrolment)
    html = client.get(reverse("assessment:attempt", args=[attempt.pk])).content.decode()
    assert html.count('<fieldset class="card question"') == 25
    assert 'id="countdown" data-remaining="' in html
    for item in attempt.items.all():
        fieldset = html.split(f'id="q-{item.position}"')[1].split("</fieldset>")[0]
        shown = [int(v.split('"')[0]) for v in fieldset.split('value="')[1:]]
        assert shown == item.option_order
        assert 'type="radio"' in fieldset


def test_question_text_falls_back_to_the_other_language(client, course):
    group, version, test = course
    Question.objects.filter(bank=version).update(text_ru="")
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    _login(client, enrolment)
    html = client.get(reverse("assessment:attempt", args=[attempt.pk])).content.decode()
    assert "-сұрақ" in html and "Вопрос" not in html
    assert "Ответ " in html  # options still have their Russian text (English shows Russian first)


def test_an_answer_is_autosaved_and_shown_again_after_a_reload_spec_4_2(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    item = attempt.items.get(position=2)
    _login(client, enrolment)
    url = reverse("assessment:attempt_answer", args=[attempt.pk])
    response = client.post(url, {"item": 2, "option": [item.option_order[1]]})
    assert response.status_code == 200
    data = response.json()
    assert data["saved"] is True and 0 < data["remaining_seconds"] <= 40 * 60
    assert AttemptItem.objects.get(pk=item.pk).chosen == [item.option_order[1]]
    html = client.get(reverse("assessment:attempt", args=[attempt.pk])).content.decode()
    assert f'name="q-2" value="{item.option_order[1]}" checked' in html
    assert f'name="q-2" value="{item.option_order[0]}">' in html


@pytest.mark.parametrize("case", ["two_options", "foreign_option", "no_question", "bad_item"])
def test_a_wrong_answer_gets_a_400_with_a_translated_error_and_changes_nothing(client, course, case):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    first, second = attempt.items.get(position=1), attempt.items.get(position=2)
    data = {
        "two_options": {"item": 1, "option": first.option_order[:2]},
        "foreign_option": {"item": 1, "option": [second.option_order[0]]},
        "no_question": {"item": 99, "option": [first.option_order[0]]},
        "bad_item": {"item": "x", "option": [first.option_order[0]]},
    }[case]
    _login(client, enrolment)
    response = client.post(reverse("assessment:attempt_answer", args=[attempt.pk]), data)
    assert response.status_code == 400
    assert response.json()["saved"] is False and response.json()["error"]
    assert all(c == [] for c in _chosen(attempt))


def test_an_answer_after_the_deadline_gets_409_and_the_test_is_submitted_spec_4_2(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment, now=timezone.now() - datetime.timedelta(minutes=41))
    item = attempt.items.get(position=1)
    _login(client, enrolment)
    response = client.post(
        reverse("assessment:attempt_answer", args=[attempt.pk]), {"item": 1, "option": [item.option_order[0]]}
    )
    assert response.status_code == 409
    assert "time for this test is over" in response.json()["error"]
    attempt.refresh_from_db()
    assert attempt.submitted_by == SubmittedBy.DEADLINE
    assert _chosen(attempt)[0] == []


def test_opening_the_page_after_the_deadline_shows_the_submitted_result_spec_4_2(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment, now=timezone.now() - datetime.timedelta(hours=1))
    tf.answer(attempt, 20, now=attempt.started_at)
    _login(client, enrolment)
    html = client.get(reverse("assessment:attempt", args=[attempt.pk])).content.decode()
    assert 'id="result" data-state="submitted"' in html
    assert '<span id="score">20</span>' in html
    assert 'data-grade="good"' in html
    assert FinalResult.objects.get(enrolment=enrolment).score == 20


def test_the_submit_form_saves_its_answers_without_scripts_and_scores_004_8(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    data = {"answers": "1"}
    for item in attempt.items.all():
        data[f"q-{item.position}"] = tf.correct_ids(item) if item.position <= 17 else [tf.wrong_id(item)]
    _login(client, enrolment)
    response = client.post(reverse("assessment:attempt_submit", args=[attempt.pk]), data)
    assert response.status_code == 302 and response.url == reverse("assessment:attempt", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_by == SubmittedBy.LISTENER and attempt.score == 17
    assert FinalResult.objects.get(enrolment=enrolment).score == 17
    html = client.get(response.url).content.decode()
    assert '<span id="score">17</span>' in html and 'data-grade="satisfactory"' in html
    # The test's window is still open: which questions were right is not shown yet.
    assert 'id="item-1"' not in html


def test_a_bad_answer_in_the_submit_form_submits_nothing(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    first = attempt.items.get(position=1)
    _login(client, enrolment)
    response = client.post(
        reverse("assessment:attempt_submit", args=[attempt.pk]), {"answers": "1", "q-1": first.option_order[:2]}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and all(c == [] for c in _chosen(attempt))
    html = client.get(response.url).content.decode()
    assert "takes one answer only" in html


def test_the_answers_are_shown_right_or_wrong_after_the_window_closes(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    now = timezone.now()
    attempt = attempt_start(test=test, enrolment=enrolment, now=now)
    tf.answer(attempt, 1, now=now)
    attempt_submit(attempt=attempt, now=now)
    test.closes_at = now
    test.opens_at = now - datetime.timedelta(hours=2)
    test.save(update_fields=["opens_at", "closes_at"])
    _login(client, enrolment)
    html = client.get(reverse("assessment:attempt", args=[attempt.pk])).content.decode()
    assert 'id="item-1" data-correct="1"' in html and 'id="item-2" data-correct="0"' in html


def test_the_tests_page_says_why_a_listener_is_not_admitted_001_24(client, course):
    group, version, test = course
    enrolment = factories.enrolment(group)
    tf.attend(enrolment, 3)
    _login(client, enrolment)
    html = client.get(reverse("assessment:my_tests", args=[enrolment.pk])).content.decode()
    assert 'data-state="not_admitted"' in html and "below 80%" in html
    assert f'id="start-{test.pk}"' not in html
    response = client.post(reverse("assessment:attempt_start", args=[enrolment.pk, test.pk]), follow=True)
    assert "not admitted to the final test" in response.content.decode()
    assert not Attempt.objects.exists()


def test_the_tests_page_shows_the_result_and_grade(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    tf.answer(attempt, 23)
    attempt_submit(attempt=attempt)
    _login(client, enrolment)
    html = client.get(reverse("assessment:my_tests", args=[enrolment.pk])).content.decode()
    assert 'data-state="submitted"' in html
    assert '<strong class="score">23</strong> / 25' in html and "excellent" in html


# --------------------------------------------------------------------------- only one's own
def test_another_listeners_enrolment_and_attempt_are_not_found_on_every_url(client, course):
    group, version, test = course
    owner, intruder = tf.admitted(group), tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=owner)
    item = attempt.items.get(position=1)
    _login(client, intruder)
    assert client.get(reverse("assessment:my_tests", args=[owner.pk])).status_code == 404
    assert client.post(reverse("assessment:attempt_start", args=[owner.pk, test.pk])).status_code == 404
    assert client.get(reverse("assessment:attempt", args=[attempt.pk])).status_code == 404
    answer = {"item": 1, "option": [item.option_order[0]]}
    assert client.post(reverse("assessment:attempt_answer", args=[attempt.pk]), answer).status_code == 404
    submit = {"answers": "1", "q-1": [item.option_order[0]]}
    assert client.post(reverse("assessment:attempt_submit", args=[attempt.pk]), submit).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and all(c == [] for c in _chosen(attempt))
    assert Attempt.objects.filter(enrolment=intruder).count() == 0


def test_a_test_of_another_cohort_cannot_be_started_from_ones_own_enrolment(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    other_group, other_version = tf.course()
    other_test = tf.cohort_test(other_group, other_version)
    _login(client, enrolment)
    assert client.post(reverse("assessment:attempt_start", args=[enrolment.pk, other_test.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    for url in (
        reverse("assessment:my_tests", args=[enrolment.pk]),
        reverse("assessment:attempt", args=[attempt.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    response = client.post(reverse("assessment:attempt_answer", args=[attempt.pk]), {"item": 1})
    assert response.status_code == 302


# --------------------------------------------------------------------------- query counts
def _started(org_course_size):
    group, version = tf.course(modules={1: org_course_size})
    test = tf.cohort_test(group, version, draw={"1": org_course_size})
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    for item in attempt.items.filter(position__lte=10):
        answer_save(attempt=attempt, item_position=item.position, option_ids=[item.option_order[0]])
    return enrolment, attempt


@pytest.mark.parametrize("size", [25, 40])
def test_the_test_page_makes_the_same_number_of_queries_for_25_and_40_questions(client, org, size):
    enrolment, attempt = _started(size)
    _login(client, enrolment)
    queries = factories.page_queries(client, reverse("assessment:attempt", args=[attempt.pk]))
    # Session, user, attempt, items with their questions, options and the menu's listener (the organisation is
    # read from the cache).
    assert queries == 6


def test_an_autosaved_answer_makes_a_constant_handful_of_queries(client, org):
    counts = []
    for size in (25, 40):
        enrolment, attempt = _started(size)
        client.force_login(enrolment.listener.user)
        item = attempt.items.get(position=size)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                reverse("assessment:attempt_answer", args=[attempt.pk]), {"item": size, "option": item.option_order[1]}
            )
        assert response.status_code == 200
        counts.append(len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]))
    assert counts[0] == counts[1] <= 5
