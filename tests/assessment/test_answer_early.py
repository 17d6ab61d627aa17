"""The autosave of an answer answered early, before the session's middleware (SPEC 4.2, 000 §3.6): with the
page's answer token and a valid CSRF token it is answered as the whole middleware chain would answer it, without
reading the session; anything else goes down the whole chain."""

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client
from django.urls import reverse

from assessment.services.testing import answer_token, attempt_start
from tests.assessment import taking_factories as tf

pytestmark = pytest.mark.django_db

EARLY = "assessment.middleware.AnswerSaveMiddleware"
# Set for each response at the moment it is made.
MOMENTARY_HEADERS = {"Date", "Expires"}


@pytest.fixture
def sitting(org):
    group, version = tf.course()
    test = tf.cohort_test(group, version)
    attempt = attempt_start(test=test, enrolment=tf.admitted(group))
    return attempt, answer_token(attempt.pk, attempt.enrolment.listener.user.pk)


def _browser(attempt):
    """A client that checks CSRF as a browser's requests are checked, holding the test page's CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(attempt.enrolment.listener.user)
    assert client.get(reverse("assessment:attempt", args=[attempt.pk])).status_code == 200
    return client


def _post(client, attempt, data, *, csrf=True, **extra):
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value} if csrf else {}
    return client.post(reverse("assessment:attempt_answer", args=[attempt.pk]), data, **headers, **extra)


def _no_session(monkeypatch):
    def refuse(self, request):
        raise AssertionError("the session's middleware was reached")

    monkeypatch.setattr(SessionMiddleware, "process_request", refuse)


def test_an_answer_with_the_pages_tokens_is_saved_without_reaching_the_sessions_middleware_spec_4_2(
    sitting, monkeypatch
):
    attempt, token = sitting
    client = _browser(attempt)
    item = attempt.items.get(position=3)
    _no_session(monkeypatch)
    response = _post(client, attempt, {"item": 3, "option": [item.option_order[1]], "token": token})
    assert response.status_code == 200 and response.json()["saved"] is True
    item.refresh_from_db()
    assert item.chosen == [item.option_order[1]]


def test_the_early_answer_is_the_one_the_whole_chain_gives_spec_4_2(sitting, settings):
    attempt, token = sitting
    client = _browser(attempt)
    item = attempt.items.get(position=2)
    cases = [
        {"item": 2, "option": [item.option_order[0]], "token": token},  # saved
        {"item": 99, "option": [item.option_order[0]], "token": token},  # not a question of the test
        {"item": 2, "option": [item.option_order[0]], "token": token[:-2] + "xx"},  # forged
    ]
    for data in cases:
        early = _post(client, attempt, data, HTTP_ACCEPT_LANGUAGE="ru")
        with _without(settings):
            whole = _post(client, attempt, data, HTTP_ACCEPT_LANGUAGE="ru")
        assert early.status_code == whole.status_code, data
        if early.json().get("saved"):
            early_json, whole_json = early.json(), whole.json()
            assert abs(early_json.pop("remaining_seconds") - whole_json.pop("remaining_seconds")) <= 1
            assert early_json == whole_json
        else:
            assert early.content == whole.content, data
        headers = {k: v for k, v in early.headers.items() if k not in MOMENTARY_HEADERS}
        assert headers == {k: v for k, v in whole.headers.items() if k not in MOMENTARY_HEADERS}, data


class _without:
    """The settings' middleware without the early answer, for the duration of a block."""

    def __init__(self, settings):
        self.settings = settings

    def __enter__(self):
        self.kept = self.settings.MIDDLEWARE
        self.settings.MIDDLEWARE = [m for m in self.kept if m != EARLY]

    def __exit__(self, *exc):
        self.settings.MIDDLEWARE = self.kept


def test_the_csrf_check_still_refuses_an_answer_without_its_token_and_nothing_is_saved_spec_4_2(sitting):
    attempt, token = sitting
    client = _browser(attempt)
    item = attempt.items.get(position=1)
    response = _post(client, attempt, {"item": 1, "option": [item.option_order[0]], "token": token}, csrf=False)
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.chosen == []


def test_another_listeners_attempt_is_not_found_in_the_base_layout(sitting, org):
    attempt, _token = sitting
    group = attempt.enrolment.cohort
    theirs = attempt_start(test=attempt.test, enrolment=tf.admitted(group))
    # A genuine token of my attempt, posted to theirs: refused by the token; theirs named with my id: not found.
    client = _browser(attempt)
    forged = answer_token(theirs.pk, attempt.enrolment.listener.user.pk)
    response = _post(client, theirs, {"item": 1, "option": ["1"], "token": forged})
    assert response.status_code == 404
    assert "<html" in response.content.decode()
    assert all(chosen == [] for chosen in theirs.items.values_list("chosen", flat=True))


def test_an_answer_without_the_answer_token_goes_down_the_whole_chain(sitting, monkeypatch):
    attempt, _token = sitting
    client = _browser(attempt)
    item = attempt.items.get(position=1)
    calls = []
    original = SessionMiddleware.process_request
    monkeypatch.setattr(SessionMiddleware, "process_request", lambda self, r: calls.append(1) or original(self, r))
    response = _post(client, attempt, {"item": 1, "option": [item.option_order[0]]})
    assert response.status_code == 200 and response.json()["saved"] is True
    assert calls == [1]
