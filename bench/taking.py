"""The online test scenario of the benchmark: many listeners saving answers at once.

``prepare()`` makes (once) a cohort of LISTENERS admitted listeners with a 25-question final test, and for
every run starts a fresh attempt for each of them, creates a logged-in session for each one on the server
(SessionStore, as a login would) and returns what a client needs to post answers as that listener.
``answer_queries()`` counts the SQL of one saved answer. bench/run.py drives the load; see bench/README.md.
"""

import datetime
import urllib.parse

LISTENERS = 100
QUESTIONS_PER_MODULE = {1: 13, 2: 12}  # 25 questions, as 004 §8
OPTIONS = 4
COHORT_CODE = "BENCH-TEST"
IIN_BASE = 900_000_000_000
SAVED_MARKER = b'"saved": true'


def _course():
    """The bench's test cohort: a program, one session everybody attended, a bank and the final test."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from assessment.enums import TestKind
    from assessment.models import BankVersion, CohortTest, Option, Question
    from bench.cohorts import attended_cohort
    from enrolment.models import Cohort

    cohort = Cohort.objects.filter(code=COHORT_CODE).first()
    if cohort is not None and cohort.enrolments.count() == LISTENERS:
        return cohort, CohortTest.objects.get(cohort=cohort, kind=TestKind.FINAL)
    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        author, _created = User.objects.get_or_create(
            username="bench-methodist", defaults={"last_name": "Әдіскер", "first_name": "Бенч"}
        )
        prog, cohort, _enrolments = attended_cohort(
            code=COHORT_CODE,
            titles=("Бенчмарк: тест", "Бенчмарк: тестирование"),
            modules=tuple(QUESTIONS_PER_MODULE),
            starts_on=today - datetime.timedelta(days=5),
            ends_on=today,
            listeners=LISTENERS,
            people=("bench-test", "Тестова", "Слушатель"),
            iin_base=IIN_BASE,
            marked_by=author,
        )
        bank = BankVersion.objects.create(program=prog, number=1, created_by=author)
        position = 0
        for module, count in QUESTIONS_PER_MODULE.items():
            for _n in range(count):
                position += 1
                question = Question.objects.create(
                    bank=bank, module_number=module, position=position, text_kk=f"{position}-сұрақ"
                )
                Option.objects.bulk_create(
                    Option(question=question, position=p, text_kk=f"{p}-жауап", is_correct=p == 1)
                    for p in range(1, OPTIONS + 1)
                )
        now = timezone.now()
        test = CohortTest.objects.create(
            cohort=cohort,
            bank=bank,
            draw={str(m): c for m, c in QUESTIONS_PER_MODULE.items()},
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(days=1),
            created_by=author,
        )
    return cohort, test


def _session_cookie(user):
    """A logged-in session for ``user``, stored on the server exactly as a login stores it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that signs users in (the first ones only watch logins, e.g. the login throttle).
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def prepare():
    """Fresh attempts for the bench's listeners; returns one client description per listener:
    {"path": answer URL, "headers": cookies and CSRF header, "items": [(position, [option ids])]}."""
    from django.conf import settings
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from assessment.models import Attempt, AttemptItem, CohortTest, FinalResult
    from assessment.services.testing import answer_token, attempt_start

    cohort, test = _course()
    now = timezone.now()
    with transaction.atomic():
        FinalResult.objects.filter(enrolment__cohort=cohort).delete()
        AttemptItem.objects.filter(attempt__test=test).delete()
        Attempt.objects.filter(test=test).delete()
        CohortTest.objects.filter(pk=test.pk).update(
            opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1)
        )
    test.refresh_from_db()
    clients = []
    for enrolment in cohort.enrolments.select_related("listener__user").order_by("pk"):
        attempt = attempt_start(test=test, enrolment=enrolment, now=now)
        csrf = get_random_string(32)  # a CSRF secret: 32 letters and digits, as Django makes it
        cookie = f"{settings.SESSION_COOKIE_NAME}={_session_cookie(enrolment.listener.user)}; "
        cookie += f"{settings.CSRF_COOKIE_NAME}={csrf}"
        clients.append(
            {
                "path": reverse("assessment:attempt_answer", args=[attempt.pk]),
                "headers": {
                    "Cookie": cookie,
                    "X-CSRFToken": csrf,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                "items": list(attempt.items.order_by("position").values_list("position", "option_order")),
                # the answer token that the attempt's page gives its owner
                "token": answer_token(attempt.pk, enrolment.listener.user.pk),
            }
        )
    return clients


def answer_request(client, rng):
    """One autosave as the page's script sends it: a question's position and the option chosen."""
    position, options = rng.choice(client["items"])
    body = urllib.parse.urlencode({"item": position, "option": rng.choice(options), "token": client["token"]}).encode()
    return "POST", client["path"], body, client["headers"]


def answer_queries(host):
    """SQL queries of one saved answer (besides BEGIN and COMMIT, if any): through the whole request (Django
    test client, logged in) and inside the service alone."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assessment.models import Attempt
    from assessment.services.testing import answer_record, answer_token

    cohort, test = _course()
    attempt = Attempt.objects.filter(test=test).select_related("enrolment__listener__user").order_by("pk").first()
    item = attempt.items.order_by("position").first()
    client = Client(HTTP_HOST=host)
    client.force_login(attempt.enrolment.listener.user)
    path = f"/cabinet/tests/attempts/{attempt.pk}/answer/"
    token = answer_token(attempt.pk, attempt.enrolment.listener.user.pk)
    client.post(path, {"item": item.position, "option": item.option_order[0], "token": token})  # warm-up
    with CaptureQueriesContext(connection) as request_queries:
        response = client.post(path, {"item": item.position, "option": item.option_order[1], "token": token})
    if response.status_code != 200 or SAVED_MARKER not in response.content:
        raise SystemExit(f"bench: {path} did not save an answer (status {response.status_code})")
    user = attempt.enrolment.listener.user
    with CaptureQueriesContext(connection) as service_queries:
        answer_record(attempt_pk=attempt.pk, by=user, item_position=item.position, option_ids=[item.option_order[2]])
    return _statements(request_queries), _statements(service_queries)


def _statements(queries):
    """The SQL statements captured, without the transaction's BEGIN and COMMIT."""
    return [q["sql"] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
