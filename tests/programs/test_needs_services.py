"""Needs analysis and development orders through the services (000 §2.3-2.6)."""

import datetime

import pytest
from django.utils import timezone, translation

from programs import selectors
from programs.enums import CouncilDecision, FormOfStudy, Language, ProgramStatus, QuestionKind
from programs.models import (
    CouncilMinutes,
    DevelopmentOrder,
    LegislationReview,
    NeedsSurvey,
    Program,
    ProgramStatusChange,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
)
from programs.services import needs
from tests.factories import staff_user
from ziat.errors import DomainError

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- helpers (used by the other files)


def make_survey(by, *, open_=True):
    """A survey with a single-choice, a multiple-choice and an optional free-text question."""
    survey = needs.survey_create(by=by, title_kk="Педагогтердің қажеттіліктері", title_ru="Потребности педагогов")
    needs.survey_question_add(
        survey,
        by=by,
        kind=QuestionKind.SINGLE,
        text_kk="Сіздің педагогикалық өтіліңіз?",
        text_ru="Ваш педагогический стаж?",
        options=[("5 жылға дейін", "До 5 лет"), ("5 жылдан асады", "Более 5 лет")],
    )
    needs.survey_question_add(
        survey,
        by=by,
        kind=QuestionKind.MULTIPLE,
        text_kk="Қандай тақырыптар қажет?",
        text_ru="Какие темы нужны?",
        options=[("Бағалау", "Оценивание"), ("Цифрлық құралдар", "Цифровые инструменты"), ("Инклюзия", "Инклюзия")],
    )
    needs.survey_question_add(
        survey,
        by=by,
        kind=QuestionKind.TEXT,
        text_kk="Тағы не қажет?",
        text_ru="Что ещё нужно?",
        required=False,
    )
    if open_:
        needs.survey_open(survey, by=by)
    return survey


def parts(survey):
    """The survey's questions and their options, in order: (single, multiple, text), [[options]...]."""
    questions = list(survey.questions.order_by("position"))
    return questions, [list(q.options.order_by("position")) for q in questions]


def answer(survey, *, single, multiple, text="", language="ru"):
    """Answer the survey choosing options by their index."""
    (q1, q2, q3), (o1, o2, _o3) = parts(survey)
    return needs.survey_answer_submit(
        survey,
        answers={q1.pk: [o1[i].pk for i in single], q2.pk: [o2[i].pk for i in multiple], q3.pk: text},
        language=language,
    )


def make_minutes(by, *, surveys=(), reviews=(), decision=CouncilDecision.DEVELOP, number="3", held_on=None):
    return needs.council_minutes_create(
        by=by,
        number=number,
        held_on=held_on or datetime.date(2026, 2, 10),
        attendees="Мұратова С., Иванова А., Ахметов Б.",
        agenda="Результаты анкетирования педагогов",
        proposed_title="Цифровая грамотность педагога",
        decision=decision,
        recommendation="Разработать программу объёмом 72 часа",
        surveys=surveys,
        reviews=reviews,
    )


def order_kwargs(**overrides):
    kwargs = {
        "number": "15-П",
        "issued_on": datetime.date(2026, 2, 12),
        "title_kk": "Педагогтің цифрлық сауаттылығы",
        "title_ru": "Цифровая грамотность педагога",
        "hours": 72,
        "form_of_study": FormOfStudy.BLENDED,
        "language": Language.KK_RU,
        "authors": "Иванова А. А., Ахметов Б. Б.",
        "deadline": datetime.date(2026, 4, 30),
    }
    kwargs.update(overrides)
    return kwargs


def snapshot():
    """Row counts of everything these services write, to prove that bad input changes nothing."""
    models = [
        NeedsSurvey,
        SurveyQuestion,
        SurveyOption,
        SurveyResponse,
        SurveyAnswer,
        LegislationReview,
        CouncilMinutes,
        DevelopmentOrder,
        Program,
        ProgramStatusChange,
    ]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in the source language, whatever the catalogues hold."""
    with translation.override("en"):
        yield


@pytest.fixture
def methodist(db):
    return staff_user("methodist", last_name="Иванова", first_name="Алия")


# --------------------------------------------------------------------------- surveys (000 §2.3)


def test_survey_questions_keep_kazakh_and_russian_texts_000_2_3(methodist):
    survey = make_survey(methodist)
    (q1, q2, q3), (o1, o2, o3) = parts(survey)
    assert [q.position for q in (q1, q2, q3)] == [1, 2, 3]
    assert (q1.kind, q2.kind, q3.kind) == (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TEXT)
    assert (o2[1].text_kk, o2[1].text_ru) == ("Цифрлық құралдар", "Цифровые инструменты")
    assert o3 == []
    assert survey.is_open


def test_survey_needs_a_title_000_2_3(methodist):
    before = snapshot()
    with pytest.raises(DomainError, match="title"):
        needs.survey_create(by=methodist, title_kk=" ", title_ru="")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        (QuestionKind.SINGLE, [("Иә", "Да")], "at least two"),
        (QuestionKind.MULTIPLE, [("Иә", "Да"), ("", "")], "Every answer option"),
        (QuestionKind.TEXT, [("Иә", "Да"), ("Жоқ", "Нет")], "no answer options"),
    ],
)
def test_question_with_bad_options_is_refused_000_2_3(methodist, kind, options, message):
    survey = make_survey(methodist, open_=False)
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        needs.survey_question_add(survey, by=methodist, kind=kind, text_ru="Вопрос", options=options)
    assert snapshot() == before


def test_questions_are_fixed_once_answered_000_2_3(methodist):
    survey = make_survey(methodist)
    answer(survey, single=[0], multiple=[1])
    question = survey.questions.get(position=1)
    before = snapshot()
    with pytest.raises(DomainError, match="already has answers"):
        needs.survey_question_remove(question, by=methodist)
    with pytest.raises(DomainError, match="already has answers"):
        needs.survey_question_update(question, by=methodist, kind=QuestionKind.TEXT, text_ru="Другой")
    assert snapshot() == before


def test_question_remove_renumbers_the_rest_000_2_3(methodist):
    survey = make_survey(methodist, open_=False)
    needs.survey_question_remove(survey.questions.get(position=1), by=methodist)
    assert list(survey.questions.order_by("position").values_list("position", "text_ru")) == [
        (1, "Какие темы нужны?"),
        (2, "Что ещё нужно?"),
    ]


def test_question_update_replaces_options_000_2_3(methodist):
    survey = make_survey(methodist, open_=False)
    question = survey.questions.get(position=1)
    needs.survey_question_update(
        question,
        by=methodist,
        kind=QuestionKind.MULTIPLE,
        text_ru="Где вы работаете?",
        options=[("Қала", "Город"), ("Ауыл", "Село"), ("Аудан", "Район")],
        required=False,
    )
    question.refresh_from_db()
    assert (question.kind, question.required, question.text_ru) == (QuestionKind.MULTIPLE, False, "Где вы работаете?")
    assert list(question.options.values_list("position", "text_ru")) == [(1, "Город"), (2, "Село"), (3, "Район")]


def test_survey_without_questions_cannot_open_000_2_3(methodist):
    survey = needs.survey_create(by=methodist, title_ru="Пустая анкета")
    with pytest.raises(DomainError, match="at least one question"):
        needs.survey_open(survey, by=methodist)
    survey.refresh_from_db()
    assert not survey.is_open


def test_only_staff_with_the_permission_create_surveys_000_2_3(db):
    trainer = staff_user("trainer")
    with pytest.raises(DomainError):
        needs.survey_create(by=trainer, title_ru="Анкета")
    assert not NeedsSurvey.objects.exists()


def test_survey_answer_is_recorded_with_its_language_000_2_3(methodist):
    survey = make_survey(methodist)
    response = answer(survey, single=[1], multiple=[0, 2], text="  Больше практики  ", language="kk")
    assert response.language == "kk"
    answers = {a.question.position: a for a in response.answers.select_related("question")}
    assert [o.text_ru for o in answers[1].options.all()] == ["Более 5 лет"]
    assert sorted(o.text_ru for o in answers[2].options.all()) == ["Инклюзия", "Оценивание"]
    assert answers[3].text == "Больше практики"


def test_optional_question_may_be_skipped_000_2_3(methodist):
    survey = make_survey(methodist)
    response = answer(survey, single=[0], multiple=[0], text="")
    assert sorted(response.answers.values_list("question__position", flat=True)) == [1, 2]


def _bad_answers(survey, case):
    (q1, q2, q3), (o1, o2, _o3) = parts(survey)
    return {
        "missing_required": {q1.pk: [], q2.pk: [o2[0].pk], q3.pk: ""},
        "option_of_another_question": {q1.pk: [o2[0].pk], q2.pk: [o2[1].pk], q3.pk: ""},
        "several_on_single": {q1.pk: [o1[0].pk, o1[1].pk], q2.pk: [o2[1].pk], q3.pk: ""},
        "question_of_another_survey": {q1.pk: [o1[0].pk], q2.pk: [o2[1].pk], q3.pk: "", 999999: "x"},
        "text_for_choice": {q1.pk: "Да", q2.pk: [o2[1].pk], q3.pk: ""},
    }[case]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing_required", "Please answer question 1"),
        ("option_of_another_question", "option of another question"),
        ("several_on_single", "Only one option"),
        ("question_of_another_survey", "not in this survey"),
        ("text_for_choice", "Choose an option for question 1"),
    ],
)
def test_bad_survey_answer_changes_nothing_000_2_3(methodist, case, message):
    survey = make_survey(methodist)
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        needs.survey_answer_submit(survey, answers=_bad_answers(survey, case), language="ru")
    assert snapshot() == before


def test_closed_survey_accepts_no_answers_000_2_3(methodist):
    survey = make_survey(methodist)
    needs.survey_close(survey, by=methodist)
    before = snapshot()
    with pytest.raises(DomainError, match="closed"):
        answer(survey, single=[0], multiple=[0])
    assert snapshot() == before


def test_survey_results_count_answers_000_2_3(methodist):
    survey = make_survey(methodist)
    answer(survey, single=[0], multiple=[0, 1], text="Больше практики")
    answer(survey, single=[0], multiple=[1])
    answer(survey, single=[1], multiple=[1, 2], text="Наставничество")
    answer(survey, single=[0], multiple=[0])
    results = selectors.survey_results(survey)
    assert results.responses == 4
    single, multiple, text = results.questions
    assert [(r.count, r.percent) for r in single.options] == [(3, 75), (1, 25)]
    assert [(r.count, r.percent) for r in multiple.options] == [(2, 50), (3, 75), (1, 25)]
    assert single.answered == multiple.answered == 4
    assert text.is_text and text.answered == 2
    assert text.texts == ["Больше практики", "Наставничество"]


def test_results_of_several_surveys_take_a_fixed_number_of_queries_000_2_4(methodist, django_assert_num_queries):
    surveys = [make_survey(methodist) for _ in range(3)]
    for survey in surveys:
        answer(survey, single=[0], multiple=[1])
    with django_assert_num_queries(6):
        results = selectors.surveys_results(surveys)
    assert [results[s.pk].responses for s in surveys] == [1, 1, 1]


# --------------------------------------------------------------------------- legislation reviews (000 §2.3)


def test_legislation_review_is_recorded_000_2_3(methodist):
    review = needs.legislation_review_create(
        by=methodist,
        reviewed_on=datetime.date(2026, 1, 20),
        act="Приказ МОН РК № 95 (ред. 2023)",
        summary="Новые требования к посткурсовому сопровождению",
    )
    assert review.by == methodist
    needs.legislation_review_update(
        review, by=methodist, reviewed_on=datetime.date(2026, 1, 21), act="Приказ № 95", summary="Уточнено"
    )
    review.refresh_from_db()
    assert (review.reviewed_on, review.act, review.summary) == (datetime.date(2026, 1, 21), "Приказ № 95", "Уточнено")


def test_legislation_review_needs_an_act_000_2_3(methodist):
    with pytest.raises(DomainError, match="act"):
        needs.legislation_review_create(by=methodist, reviewed_on=datetime.date(2026, 1, 20), act=" ", summary="x")
    assert not LegislationReview.objects.exists()


# --------------------------------------------------------------------------- council minutes (000 §2.4-2.5)


def test_council_minutes_attach_survey_results_and_reviews_000_2_4(methodist):
    survey = make_survey(methodist)
    review = needs.legislation_review_create(
        by=methodist, reviewed_on=datetime.date(2026, 1, 20), act="Приказ № 95", summary="Изменения"
    )
    minutes = make_minutes(methodist, surveys=[survey], reviews=[review])
    assert list(minutes.surveys.all()) == [survey]
    assert list(minutes.reviews.all()) == [review]
    assert minutes.decision == CouncilDecision.DEVELOP
    assert minutes.created_by == methodist


def test_council_recommends_not_to_develop_000_2_5(methodist):
    minutes = make_minutes(methodist, decision=CouncilDecision.DO_NOT_DEVELOP)
    assert minutes.get_decision_display() == CouncilDecision.DO_NOT_DEVELOP.label


def test_duplicate_minutes_number_in_a_year_is_refused_000_2_4(methodist):
    make_minutes(methodist, number="3", held_on=datetime.date(2026, 2, 10))
    before = snapshot()
    with pytest.raises(DomainError, match="already exist"):
        make_minutes(methodist, number="3", held_on=datetime.date(2026, 3, 10))
    assert snapshot() == before
    make_minutes(methodist, number="3", held_on=datetime.date(2025, 3, 10))


def test_minutes_cannot_be_dated_in_the_future_000_2_4(methodist):
    with pytest.raises(DomainError, match="future"):
        make_minutes(methodist, held_on=timezone.localdate() + datetime.timedelta(days=1))
    assert not CouncilMinutes.objects.exists()


def test_minutes_update_changes_attachments_000_2_4(methodist):
    survey = make_survey(methodist)
    minutes = make_minutes(methodist, surveys=[survey])
    needs.council_minutes_update(
        minutes,
        by=methodist,
        number="4",
        held_on=datetime.date(2026, 2, 11),
        attendees="Мұратова С.",
        proposed_title="Новая тема",
        decision=CouncilDecision.DO_NOT_DEVELOP,
        surveys=[],
    )
    minutes.refresh_from_db()
    assert (minutes.number, minutes.decision, minutes.surveys.count()) == ("4", CouncilDecision.DO_NOT_DEVELOP, 0)


# --------------------------------------------------------------------------- development order (000 §2.6)


def test_development_order_creates_the_program_draft_000_2_6(director, methodist):
    minutes = make_minutes(methodist)
    order = needs.development_order_create(by=director, minutes=minutes, **order_kwargs())
    program = order.program
    assert (program.title_kk, program.title_ru) == ("Педагогтің цифрлық сауаттылығы", "Цифровая грамотность педагога")
    assert (program.form_of_study, program.language) == (FormOfStudy.BLENDED, Language.KK_RU)
    assert program.authors == "Иванова А. А., Ахметов Б. Б."
    assert program.status == ProgramStatus.DRAFT
    assert program.current_version.number == 1 and not program.current_version.frozen
    change = ProgramStatusChange.objects.get(program=program)
    assert change.by == director and "15-П" in change.note
    assert (order.hours, order.deadline, order.minutes, order.created_by) == (
        72,
        datetime.date(2026, 4, 30),
        minutes,
        director,
    )


def test_only_the_director_issues_development_orders_000_2_6(methodist):
    before = snapshot()
    with pytest.raises(DomainError, match="director"):
        needs.development_order_create(by=methodist, **order_kwargs())
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deadline": datetime.date(2026, 2, 11)}, "earlier than the order's date"),
        ({"title_kk": "", "title_ru": " "}, "title"),
        ({"hours": 0}, "positive"),
        ({"authors": ""}, "authors"),
        ({"number": " "}, "number"),
        ({"form_of_study": "evening"}, "form of study"),
    ],
)
def test_bad_development_order_changes_nothing_000_2_6(director, overrides, message):
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        needs.development_order_create(by=director, **order_kwargs(**overrides))
    assert snapshot() == before


def test_duplicate_order_number_in_a_year_is_refused_000_2_6(director):
    needs.development_order_create(by=director, **order_kwargs())
    before = snapshot()
    with pytest.raises(DomainError, match="already issued"):
        needs.development_order_create(by=director, **order_kwargs(issued_on=datetime.date(2026, 3, 1)))
    assert snapshot() == before


def test_order_cannot_rest_on_a_do_not_develop_recommendation_000_2_5(director, methodist):
    minutes = make_minutes(methodist, decision=CouncilDecision.DO_NOT_DEVELOP)
    before = snapshot()
    with pytest.raises(DomainError, match="recommended not to develop"):
        needs.development_order_create(by=director, minutes=minutes, **order_kwargs())
    assert snapshot() == before


def test_minutes_behind_an_order_keep_their_decision_000_2_5(director, methodist):
    minutes = make_minutes(methodist)
    needs.development_order_create(by=director, minutes=minutes, **order_kwargs())
    with pytest.raises(DomainError, match="decision stays"):
        needs.council_minutes_update(
            minutes,
            by=methodist,
            number=minutes.number,
            held_on=minutes.held_on,
            attendees=minutes.attendees,
            proposed_title=minutes.proposed_title,
            decision=CouncilDecision.DO_NOT_DEVELOP,
        )
    minutes.refresh_from_db()
    assert minutes.decision == CouncilDecision.DEVELOP


def _overdue(order, today):
    return selectors.development_orders(today).get(pk=order.pk).is_overdue


def test_draft_past_its_deadline_is_overdue_000_2_6(director):
    order = needs.development_order_create(by=director, **order_kwargs())
    assert not _overdue(order, datetime.date(2026, 4, 30))
    assert _overdue(order, datetime.date(2026, 5, 1))


def test_draft_sent_to_discussion_is_not_overdue_000_2_6(director):
    order = needs.development_order_create(by=director, **order_kwargs())
    version = order.program.current_version
    version.frozen, version.frozen_at = True, timezone.now()
    version.save(update_fields=["frozen", "frozen_at"])
    Program.objects.filter(pk=order.program_id).update(status=ProgramStatus.DISCUSSION)
    assert not _overdue(order, datetime.date(2026, 5, 1))
    # Back to drafting after the discussion: a draft was sent out, so the order's deadline was kept.
    Program.objects.filter(pk=order.program_id).update(status=ProgramStatus.DRAFT)
    assert not _overdue(order, datetime.date(2026, 5, 1))
