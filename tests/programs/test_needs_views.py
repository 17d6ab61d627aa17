"""The needs-analysis screens and the public survey page over HTTP (000 §2.3-2.6)."""

import datetime
import itertools

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.enums import CouncilDecision, FormOfStudy, Language, ProgramStatus, QuestionKind
from programs.models import CouncilMinutes, DevelopmentOrder, LegislationReview, NeedsSurvey, SurveyResponse
from programs.services import needs
from tests.factories import UserFactory, page_queries, staff_user
from tests.programs.test_needs_services import answer, make_minutes, make_survey, order_kwargs, parts, snapshot

pytestmark = pytest.mark.django_db


def _client(user=None, language="en"):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def methodist(db):
    return staff_user("methodist", last_name="Иванова", first_name="Алия")


@pytest.fixture
def as_methodist(methodist):
    return _client(methodist)


@pytest.fixture
def as_director(director):
    return _client(director)


def _text(response):
    return response.content.decode()


# --------------------------------------------------------------------------- who may open what


STAFF_PAGES = [
    ("programs:needs_home", False),
    ("programs:survey_list", False),
    ("programs:survey_create", False),
    ("programs:survey_detail", True),
    ("programs:survey_results", True),
    ("programs:survey_export", True),
    ("programs:review_list", False),
    ("programs:review_create", False),
    ("programs:minutes_list", False),
    ("programs:minutes_create", False),
    ("programs:order_list", False),
    ("programs:order_create", False),
]


def _url(name, with_pk, survey):
    return reverse(name, kwargs={"pk": survey.pk}) if with_pk else reverse(name)


@pytest.mark.parametrize(("name", "with_pk"), STAFF_PAGES)
def test_anonymous_is_sent_to_login_000_2_3(client, methodist, name, with_pk):
    url = _url(name, with_pk, make_survey(methodist))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "with_pk"), STAFF_PAGES)
@pytest.mark.parametrize("who", ["trainer", "listener"])
def test_trainer_and_listener_are_refused_000_2_3(methodist, name, with_pk, who):
    user = staff_user("trainer") if who == "trainer" else UserFactory()
    url = _url(name, with_pk, make_survey(methodist))
    assert _client(user).get(url).status_code == 403


@pytest.mark.parametrize(("name", "with_pk"), STAFF_PAGES)
def test_director_opens_every_page_000_2_3(as_director, methodist, name, with_pk):
    # The Excel export's address shows the button that starts its background job.
    assert as_director.get(_url(name, with_pk, make_survey(methodist)), follow=True).status_code == 200


def test_methodist_sees_orders_but_cannot_issue_them_000_2_6(as_methodist):
    assert as_methodist.get(reverse("programs:order_list")).status_code == 200
    assert as_methodist.get(reverse("programs:order_create")).status_code == 403
    response = as_methodist.post(reverse("programs:order_create"), _order_post())
    assert response.status_code == 403
    assert not DevelopmentOrder.objects.exists()


def test_monitoring_officer_reads_surveys_but_not_orders_000_2_3(methodist):
    client = _client(staff_user("monitoring"))
    survey = make_survey(methodist)
    assert client.get(reverse("programs:needs_home")).status_code == 200
    assert client.get(reverse("programs:survey_results", kwargs={"pk": survey.pk})).status_code == 200
    assert client.get(reverse("programs:order_list")).status_code == 403
    assert client.post(reverse("programs:survey_close", kwargs={"pk": survey.pk})).status_code == 403
    survey.refresh_from_db()
    assert survey.is_open


# --------------------------------------------------------------------------- building a survey


def test_methodist_builds_and_opens_a_survey_000_2_3(as_methodist):
    response = as_methodist.post(
        reverse("programs:survey_create"),
        {"title_kk": "Қажеттіліктер", "title_ru": "Потребности", "intro_kk": "", "intro_ru": "Анкета анонимная"},
    )
    survey = NeedsSurvey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("programs:survey_detail", args=[survey.pk])
    response = as_methodist.post(
        reverse("programs:question_add", args=[survey.pk]),
        {
            "kind": QuestionKind.SINGLE,
            "text_kk": "Өтіліңіз?",
            "text_ru": "Ваш стаж?",
            "required": "on",
            "options_kk": "5 жылға дейін\n5 жылдан асады\n",
            "options_ru": "До 5 лет\nБолее 5 лет",
        },
    )
    assert response.status_code == 302
    question = survey.questions.get()
    assert question.required
    assert list(question.options.values_list("text_kk", "text_ru")) == [
        ("5 жылға дейін", "До 5 лет"),
        ("5 жылдан асады", "Более 5 лет"),
    ]
    as_methodist.post(reverse("programs:survey_open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.is_open
    page = _text(as_methodist.get(reverse("programs:survey_detail", args=[survey.pk])))
    assert reverse("programs:survey_answer", kwargs={"token": survey.token}) in page
    assert "Более 5 лет" in page


def test_question_with_unpaired_options_is_refused_000_2_3(as_methodist, methodist):
    survey = make_survey(methodist, open_=False)
    before = snapshot()
    response = as_methodist.post(
        reverse("programs:question_add", args=[survey.pk]),
        {"kind": QuestionKind.SINGLE, "text_ru": "Вопрос", "options_kk": "Иә\nЖоқ", "options_ru": "Да"},
    )
    assert response.status_code == 400
    assert "same number of options" in _text(response)
    assert snapshot() == before


def test_question_with_one_option_shows_the_service_message_000_2_3(as_methodist, methodist):
    survey = make_survey(methodist, open_=False)
    before = snapshot()
    response = as_methodist.post(
        reverse("programs:question_add", args=[survey.pk]),
        {"kind": QuestionKind.MULTIPLE, "text_ru": "Вопрос", "options_ru": "Единственный"},
    )
    assert response.status_code == 400
    assert "at least two answer options" in _text(response)
    assert snapshot() == before


def test_opening_an_empty_survey_shows_why_not_000_2_3(as_methodist, methodist):
    survey = needs.survey_create(by=methodist, title_ru="Пустая")
    response = as_methodist.post(reverse("programs:survey_open", args=[survey.pk]), follow=True)
    assert "Add at least one question" in _text(response)
    survey.refresh_from_db()
    assert not survey.is_open


def test_question_edit_and_remove_000_2_3(as_methodist, methodist):
    survey = make_survey(methodist, open_=False)
    (q1, q2, q3), _options = parts(survey)
    response = as_methodist.post(
        reverse("programs:question_edit", args=[survey.pk, q3.pk]),
        {"kind": QuestionKind.TEXT, "text_kk": "Ұсыныстар", "text_ru": "Предложения"},
    )
    assert response.status_code == 302
    q3.refresh_from_db()
    assert (q3.text_ru, q3.required) == ("Предложения", False)
    as_methodist.post(reverse("programs:question_remove", args=[survey.pk, q1.pk]))
    assert list(survey.questions.values_list("position", "text_ru")) == [(1, "Какие темы нужны?"), (2, "Предложения")]


# --------------------------------------------------------------------------- the public survey page


def _post(survey, client, values):
    return client.post(reverse("programs:survey_answer", kwargs={"token": survey.token}), values)


def _fields(survey, *, single, multiple, text=""):
    (q1, q2, q3), (o1, o2, _o3) = parts(survey)
    return {f"q{q1.pk}": [o1[i].pk for i in single], f"q{q2.pk}": [o2[i].pk for i in multiple], f"q{q3.pk}": text}


def test_anyone_with_the_link_answers_in_their_language_000_2_3(methodist):
    survey = make_survey(methodist)
    client = _client(language="ru")
    page = client.get(reverse("programs:survey_answer", kwargs={"token": survey.token}))
    assert page.status_code == 200
    assert "Ваш педагогический стаж?" in _text(page) and "Цифровые инструменты" in _text(page)
    response = _post(survey, client, _fields(survey, single=[1], multiple=[0, 2], text="Больше практики"))
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:survey_thanks", kwargs={"token": survey.token})
    assert client.get(response["Location"]).status_code == 200
    saved = SurveyResponse.objects.get()
    assert saved.language == "ru"
    assert saved.answers.count() == 3


def test_kazakh_visitor_sees_kazakh_questions_000_2_3(methodist):
    survey = make_survey(methodist)
    page = _client(language="kk").get(reverse("programs:survey_answer", kwargs={"token": survey.token}))
    assert "Сіздің педагогикалық өтіліңіз?" in _text(page)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing_required", "Please answer question 1"),
        ("option_of_another_question", "option of another question"),
        ("several_on_single", "Only one option"),
    ],
)
def test_bad_public_answer_shows_a_message_and_saves_nothing_000_2_3(methodist, case, message):
    survey = make_survey(methodist)
    (q1, q2, q3), (o1, o2, _o3) = parts(survey)
    values = {
        "missing_required": {f"q{q2.pk}": [o2[0].pk]},
        "option_of_another_question": {f"q{q1.pk}": [o2[0].pk], f"q{q2.pk}": [o2[0].pk]},
        "several_on_single": {f"q{q1.pk}": [o1[0].pk, o1[1].pk], f"q{q2.pk}": [o2[0].pk]},
    }[case]
    before = snapshot()
    response = _post(survey, _client(), values)
    assert response.status_code == 400
    assert message in _text(response)
    assert snapshot() == before


def test_empty_public_answer_is_refused_000_2_3(methodist):
    survey = make_survey(methodist)
    response = _post(survey, _client(), {})
    assert response.status_code == 400
    assert "Please answer question 1" in _text(response)
    assert not SurveyResponse.objects.exists()


def test_closed_survey_page_says_so_and_saves_nothing_000_2_3(methodist):
    survey = make_survey(methodist)
    needs.survey_close(survey, by=methodist)
    client = _client()
    page = client.get(reverse("programs:survey_answer", kwargs={"token": survey.token}))
    assert "closed" in _text(page) and '<form method="post" class="card">' not in _text(page)
    response = _post(survey, client, _fields(survey, single=[0], multiple=[0]))
    assert "closed" in _text(response)
    assert not SurveyResponse.objects.exists()


def test_unknown_survey_link_is_not_found_000_2_3(db):
    assert _client().get(reverse("programs:survey_answer", kwargs={"token": "no-such-link"})).status_code == 404


# --------------------------------------------------------------------------- results


def test_survey_results_page_shows_counts_percentages_and_bars_000_2_3(as_methodist, methodist):
    survey = make_survey(methodist)
    answer(survey, single=[0], multiple=[0, 1], text="Больше практики")
    answer(survey, single=[0], multiple=[1])
    answer(survey, single=[1], multiple=[1], text="Наставничество")
    answer(survey, single=[0], multiple=[2])
    page = _text(as_methodist.get(reverse("programs:survey_results", args=[survey.pk])))
    assert "4 responses" in page
    assert '<span class="bar" data-percent="75"' in page
    assert '<span class="bar" data-percent="25"' in page
    assert "Больше практики" in page and "Наставничество" in page
    assert reverse("programs:survey_export", args=[survey.pk]) in page


# --------------------------------------------------------------------------- legislation reviews and minutes


def test_legislation_review_form_000_2_3(as_methodist, methodist):
    response = as_methodist.post(
        reverse("programs:review_create"),
        {"reviewed_on": "2026-01-20", "act": "Приказ МОН РК № 95", "summary": "Новые требования"},
    )
    assert response.status_code == 302
    review = LegislationReview.objects.get()
    assert (review.act, review.by) == ("Приказ МОН РК № 95", methodist)
    response = as_methodist.post(
        reverse("programs:review_edit", args=[review.pk]),
        {"reviewed_on": "2026-01-21", "act": " ", "summary": "x"},
    )
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.act == "Приказ МОН РК № 95"
    assert "Приказ МОН РК № 95" in _text(as_methodist.get(reverse("programs:review_list")))


def test_council_minutes_form_attaches_surveys_and_shows_their_results_000_2_4(as_methodist, methodist):
    survey = make_survey(methodist)
    answer(survey, single=[0], multiple=[1], text="Больше практики")
    review = needs.legislation_review_create(
        by=methodist, reviewed_on=datetime.date(2026, 1, 20), act="Приказ № 95", summary="Изменения"
    )
    response = as_methodist.post(
        reverse("programs:minutes_create"),
        {
            "number": "3",
            "held_on": "2026-02-10",
            "attendees": "Мұратова С., Иванова А.",
            "agenda": "",
            "proposed_title": "Цифровая грамотность педагога",
            "decision": CouncilDecision.DEVELOP,
            "recommendation": "Разработать программу",
            "surveys": [survey.pk],
            "reviews": [review.pk],
        },
    )
    minutes = CouncilMinutes.objects.get()
    assert response.status_code == 302
    assert list(minutes.surveys.all()) == [survey] and list(minutes.reviews.all()) == [review]
    page = _text(as_methodist.get(reverse("programs:minutes_detail", args=[minutes.pk])))
    assert "Цифровая грамотность педагога" in page
    assert "Приказ № 95" in page
    assert survey.title in page and "Больше практики" in page
    assert '<span class="bar" data-percent="100"' in page


def test_duplicate_minutes_over_http_change_nothing_000_2_4(as_methodist, methodist):
    make_minutes(methodist, number="3", held_on=datetime.date(2026, 2, 10))
    before = snapshot()
    response = as_methodist.post(
        reverse("programs:minutes_create"),
        {
            "number": "3",
            "held_on": "2026-02-11",
            "attendees": "Иванова А.",
            "proposed_title": "Другая программа",
            "decision": CouncilDecision.DO_NOT_DEVELOP,
        },
    )
    assert response.status_code == 400
    assert "already exist" in _text(response)
    assert snapshot() == before


# --------------------------------------------------------------------------- development orders


def _order_post(**overrides):
    data = {
        "number": "15-П",
        "issued_on": "2026-02-12",
        "minutes": "",
        "title_kk": "Педагогтің цифрлық сауаттылығы",
        "title_ru": "Цифровая грамотность педагога",
        "hours": "72",
        "form_of_study": FormOfStudy.BLENDED,
        "language": Language.KK_RU,
        "authors": "Иванова А. А.",
        "deadline": "2026-04-30",
    }
    data.update(overrides)
    return data


def test_director_issues_an_order_from_the_minutes_000_2_6(as_director, methodist):
    minutes = make_minutes(methodist)
    form = as_director.get(reverse("programs:order_create") + f"?minutes={minutes.pk}")
    assert "Цифровая грамотность педагога" in _text(form)
    response = as_director.post(reverse("programs:order_create"), _order_post(minutes=minutes.pk))
    assert response.status_code == 302
    order = DevelopmentOrder.objects.select_related("program").get()
    assert (order.minutes, order.hours, order.program.status) == (minutes, 72, ProgramStatus.DRAFT)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deadline": "2026-02-01"}, "cannot be earlier than the order"),
        ({"title_kk": "", "title_ru": ""}, "title in Kazakh or Russian"),
    ],
)
def test_bad_order_shows_the_message_and_changes_nothing_000_2_6(as_director, overrides, message):
    before = snapshot()
    response = as_director.post(reverse("programs:order_create"), _order_post(**overrides))
    assert response.status_code == 400
    assert message in _text(response)
    assert snapshot() == before


def test_duplicate_order_number_over_http_changes_nothing_000_2_6(as_director, director):
    needs.development_order_create(by=director, **order_kwargs())
    before = snapshot()
    response = as_director.post(reverse("programs:order_create"), _order_post(issued_on="2026-03-02"))
    assert response.status_code == 400
    assert "already issued" in _text(response)
    assert snapshot() == before


def test_order_list_flags_overdue_drafts_000_2_6(as_methodist, director):
    today = timezone.localdate()
    late = needs.development_order_create(
        by=director,
        **order_kwargs(
            number="1", issued_on=today - datetime.timedelta(days=60), deadline=today - datetime.timedelta(days=1)
        ),
    )
    needs.development_order_create(
        by=director,
        **order_kwargs(number="2", title_ru="Вовремя", issued_on=today, deadline=today + datetime.timedelta(days=30)),
    )
    page = _text(as_methodist.get(reverse("programs:order_list")))
    assert page.count('class="overdue"') == 1
    assert "Overdue: no draft sent out" in page
    assert f"{late.deadline:%d.%m.%Y}" in page
    home = _text(as_methodist.get(reverse("programs:needs_home")))
    assert "Overdue drafts" in home and late.title in home


# --------------------------------------------------------------------------- query counts of list pages


_serial = itertools.count(1)


def _rows(n, methodist, director):
    today = timezone.localdate()
    for _ in range(n):
        i = next(_serial)
        survey = make_survey(methodist)
        answer(survey, single=[0], multiple=[1])
        review = needs.legislation_review_create(
            by=methodist, reviewed_on=datetime.date(2026, 1, 20), act=f"Акт {i}", summary="Изменения"
        )
        minutes = make_minutes(methodist, number=f"M{i}", surveys=[survey], reviews=[review])
        needs.development_order_create(
            by=director,
            minutes=minutes,
            **order_kwargs(
                number=f"O{i}",
                issued_on=today - datetime.timedelta(days=30),
                deadline=today - datetime.timedelta(days=i % 2),
            ),
        )


@pytest.mark.parametrize(
    "name",
    [
        "programs:needs_home",
        "programs:survey_list",
        "programs:review_list",
        "programs:minutes_list",
        "programs:order_list",
    ],
)
def test_list_page_queries_do_not_grow_with_rows_000_2_3(director, methodist, name):
    client = _client(director)
    _rows(1, methodist, director)
    few = page_queries(client, reverse(name))
    _rows(3, methodist, director)
    assert page_queries(client, reverse(name)) == few
