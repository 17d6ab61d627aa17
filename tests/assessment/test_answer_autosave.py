"""The autosave of an answer in one statement (SPEC 4.2, 000 §3.6): every rule of the full path holds in it.

An answer is saved only on the listener's own attempt, before its deadline and while it is not submitted, with
options shown for that question (one on a single-choice question); the server scores at the end. With the
answer token of the attempt's page a saved answer is one UPDATE; with the login alone, the session, the user and
the UPDATE: no transaction of its own, no session write, no message.
"""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.enums import QuestionKind, SubmittedBy
from assessment.models import Attempt, AttemptItem
from assessment.services.testing import AttemptClosedError, answer_record, attempt_start, attempt_submit
from tests import factories
from tests.assessment import taking_factories as tf
from ziat.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(org):
    group, version = tf.course()
    return group, version, tf.cohort_test(group, version)


def _chosen(attempt):
    return list(AttemptItem.objects.filter(attempt=attempt).order_by("position").values_list("chosen", flat=True))


def _user(attempt):
    return attempt.enrolment.listener.user


def test_an_answer_is_saved_in_one_statement_and_returns_the_choice_and_the_deadline_spec_4_2(course):
    group, version, test = course
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    item, user = attempt.items.get(position=5), _user(attempt)
    with CaptureQueriesContext(connection) as queries:
        saved = answer_record(attempt_pk=attempt.pk, by=user, item_position=5, option_ids=[str(item.option_order[2])])
    assert len(queries) == 1 and queries[0]["sql"].lstrip().startswith("WITH")
    assert saved.chosen == [item.option_order[2]] and saved.deadline == attempt.deadline
    item.refresh_from_db()
    assert item.chosen == [item.option_order[2]] and item.answered_at is not None
    assert item.is_correct is None  # scored at the end only


def test_a_multiple_choice_answer_is_kept_in_the_order_shown_and_may_be_cleared(org):
    group, _version = tf.course()
    version = tf.bank(group.program, modules={1: 3}, kind=QuestionKind.MULTIPLE)
    test = tf.cohort_test(group, version, draw={"1": 3})
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    item = attempt.items.get(position=1)
    shown = item.option_order
    saved = answer_record(
        attempt_pk=attempt.pk, by=_user(attempt), item_position=1, option_ids=[shown[3], shown[0], shown[3]]
    )
    assert saved.chosen == [shown[0], shown[3]] == AttemptItem.objects.get(pk=item.pk).chosen
    assert answer_record(attempt_pk=attempt.pk, by=_user(attempt), item_position=1, option_ids=[]).chosen == []


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_such_question", "not part of your test"),
        ("foreign_option", "option of another question"),
        ("two_on_single", "takes one answer only"),
        ("not_a_number", "does not exist"),
        ("unknown_option", "option of another question"),
    ],
)
def test_a_wrong_answer_is_refused_with_its_reason_and_changes_nothing_spec_4_2(course, case, message):
    group, version, test = course
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    item, other = attempt.items.get(position=1), attempt.items.get(position=2)
    answer_record(attempt_pk=attempt.pk, by=_user(attempt), item_position=1, option_ids=[item.option_order[0]])
    before = _chosen(attempt)
    position, ids = {
        "no_such_question": (26, [item.option_order[1]]),
        "foreign_option": (1, [other.option_order[0]]),
        "two_on_single": (1, item.option_order[:2]),
        "not_a_number": (1, ["x"]),
        "unknown_option": (1, [10**9]),
    }[case]
    with pytest.raises(DomainError, match=message):
        answer_record(attempt_pk=attempt.pk, by=_user(attempt), item_position=position, option_ids=ids)
    assert _chosen(attempt) == before


def test_only_the_owner_saves_on_an_attempt(course):
    group, version, test = course
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    intruder = tf.admitted(group).listener.user
    item = attempt.items.get(position=1)
    with pytest.raises(Attempt.DoesNotExist):
        answer_record(attempt_pk=attempt.pk, by=intruder, item_position=1, option_ids=[item.option_order[0]])
    assert all(c == [] for c in _chosen(attempt))


def test_an_answer_at_the_deadline_is_refused_and_the_attempt_submitted_spec_4_2(course):
    group, version, test = course
    start = timezone.now()
    attempt = attempt_start(test=test, enrolment=tf.admitted(group), now=start)
    item = attempt.items.get(position=1)
    last = attempt.deadline - datetime.timedelta(microseconds=1)
    answer_record(
        attempt_pk=attempt.pk, by=_user(attempt), item_position=1, option_ids=[item.option_order[0]], now=last
    )
    with pytest.raises(AttemptClosedError, match="time for this test is over"):
        answer_record(
            attempt_pk=attempt.pk,
            by=_user(attempt),
            item_position=1,
            option_ids=[item.option_order[1]],
            now=attempt.deadline,
        )
    attempt.refresh_from_db()
    assert attempt.submitted_by == SubmittedBy.DEADLINE
    assert _chosen(attempt)[0] == [item.option_order[0]]


def test_a_submitted_attempt_takes_no_more_answers_spec_4_2(course):
    group, version, test = course
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    item = attempt.items.get(position=1)
    attempt_submit(attempt=attempt)
    with pytest.raises(AttemptClosedError, match="submitted"):
        answer_record(attempt_pk=attempt.pk, by=_user(attempt), item_position=1, option_ids=[item.option_order[0]])
    assert _chosen(attempt)[0] == []


@pytest.mark.django_db(transaction=True)
def test_an_answer_waits_for_a_submit_under_way_and_is_then_refused():
    """A submit locks the attempt; an answer sent meanwhile is not saved after the attempt was scored."""
    factories.organisation()
    group, version = tf.course()
    test = tf.cohort_test(group, version)
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    user, item = _user(attempt), attempt.items.get(position=1)
    outcome = []

    def answer():
        try:
            answer_record(attempt_pk=attempt.pk, by=user, item_position=1, option_ids=[item.option_order[0]])
            outcome.append("saved")
        except AttemptClosedError:
            outcome.append("refused")
        finally:
            connections.close_all()

    with transaction.atomic():
        Attempt.objects.select_for_update().get(pk=attempt.pk)  # as attempt_submit does
        thread = threading.Thread(target=answer)
        thread.start()
        thread.join(1)
        assert thread.is_alive() and outcome == []  # waiting for the submit
        attempt_submit(attempt=attempt)
    thread.join(30)
    assert outcome == ["refused"]
    assert _chosen(attempt)[0] == []


def test_one_saved_answer_makes_three_queries_session_user_and_the_update(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    item = attempt.items.get(position=3)
    client.force_login(enrolment.listener.user)
    url = reverse("assessment:attempt_answer", args=[attempt.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"item": 3, "option": [item.option_order[1]]})
    assert response.status_code == 200 and response.json()["saved"] is True
    statements = [q["sql"] for q in queries]
    assert len(statements) == 3, statements
    assert "django_session" in statements[0] and "ziat_user" in statements[1]
    assert statements[2].lstrip().startswith("WITH")
    assert "Set-Cookie" not in response.headers  # the session is not written


def test_with_the_pages_token_a_saved_answer_is_one_statement_and_no_session_spec_4_2(client, course):
    group, version, test = course
    enrolment = tf.admitted(group)
    attempt = attempt_start(test=test, enrolment=enrolment)
    item = attempt.items.get(position=4)
    client.force_login(enrolment.listener.user)
    page = client.get(reverse("assessment:attempt", args=[attempt.pk]))
    token = page.context["answer_token"]
    assert f'data-answer-token="{token}"' in page.content.decode()
    client.logout()  # the token alone names the owner: no session is read
    url = reverse("assessment:attempt_answer", args=[attempt.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"item": 4, "option": [item.option_order[0]], "token": token})
    assert response.status_code == 200 and response.json()["saved"] is True
    statements = [q["sql"] for q in queries]
    assert len(statements) == 1 and statements[0].lstrip().startswith("WITH"), statements
    item.refresh_from_db()
    assert item.chosen == [item.option_order[0]]


def test_a_forged_or_borrowed_answer_token_saves_nothing_spec_4_2(client, course):
    group, version, test = course
    mine = attempt_start(test=test, enrolment=tf.admitted(group))
    theirs = attempt_start(test=test, enrolment=tf.admitted(group))
    from assessment.services.testing import answer_token

    my_token = answer_token(mine.pk, _user(mine).pk)
    item = theirs.items.get(position=1)
    url = reverse("assessment:attempt_answer", args=[theirs.pk])
    for token in (my_token, my_token[:-2] + "xx", answer_token(theirs.pk, _user(mine).pk) + "0"):
        response = client.post(url, {"item": 1, "option": [item.option_order[0]], "token": token})
        assert response.status_code == 403 and response.json()["saved"] is False
    # A token that names the other attempt but not its owner finds no attempt of that owner.
    response = client.post(
        url, {"item": 1, "option": [item.option_order[0]], "token": answer_token(theirs.pk, _user(mine).pk)}
    )
    assert response.status_code == 404
    assert all(chosen == [] for chosen in _chosen(theirs))


def test_without_a_token_or_a_login_the_autosave_sends_to_the_login_page(client, course):
    group, version, test = course
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    response = client.post(reverse("assessment:attempt_answer", args=[attempt.pk]), {"item": 1, "option": ["1"]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
