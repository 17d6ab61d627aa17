"""Every write of the program's way from needs to approval refuses, in the service itself, anyone whose role
does not develop programs, and changes nothing (000 §§2.3-2.14; SPEC "People"; ``ziat.access``).

A program and the records of its development are the centre's own: no cohort or organisation owns them, so the
permission decides (``ziat.access.register_centre``), and every service still names the record it acts on.
The outsiders: a trainer (who teaches a cohort of the program), a representative of an organisation and a
listener.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model

from enrolment.models import Partner, Representative
from programs.enums import ComplexPart, CouncilDecision, QuestionKind
from programs.models import (
    ComplexItem,
    CouncilMinutes,
    DevelopmentOrder,
    Discussion,
    DiscussionComment,
    LegislationReview,
    Module,
    NeedsSurvey,
    Program,
    ProgramStatusChange,
    ProgramVersion,
    StateRemark,
    Submission,
    SurveyOption,
    SurveyQuestion,
    Topic,
    VersionText,
)
from programs.services import content, discussion, needs, workflow
from tests.factories import UserFactory, cohort, draft_program, enrolment, staff_user, teach
from ziat.access import AccessDenied
from ziat.models import ActivityLog

DAY = datetime.date(2026, 2, 2)
WATCHED = [
    Program,
    ProgramVersion,
    VersionText,
    Module,
    Topic,
    ProgramStatusChange,
    Discussion,
    DiscussionComment,
    Submission,
    StateRemark,
    ComplexItem,
    NeedsSurvey,
    SurveyQuestion,
    SurveyOption,
    LegislationReview,
    CouncilMinutes,
    DevelopmentOrder,
    ActivityLog,
]


def everything():
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in WATCHED}


@pytest.fixture
def w(db, org):
    methodist = staff_user("methodist")
    program = draft_program(by=methodist)
    version = program.current_version
    disc = Discussion.objects.create(
        version=version, published_on=DAY, ends_on=DAY + datetime.timedelta(days=14), published_by=methodist
    )
    submission = Submission.objects.create(version=version, submitted_on=DAY, letter_number="1", submitted_by=methodist)
    survey = NeedsSurvey.objects.create(title_ru="Потребности", created_by=methodist)
    representative = UserFactory()
    Representative.objects.create(user=representative, partner=Partner.objects.create(name="№ 1 мектеп", kind="school"))
    return {
        "program": program,
        "version": version,
        "discussion": disc,
        "comment": DiscussionComment.objects.create(discussion=disc, name="Мұғалім", text="Пікір", client_hash="x"),
        "submission": submission,
        "remark": StateRemark.objects.create(submission=submission, position=1, text="Ескерту"),
        "item": ComplexItem.objects.create(
            program=program,
            part=ComplexPart.TEXTBOOKS,
            title="Оқулық",
            url="https://kurs.example.kz",
            added_by=methodist,
        ),
        "survey": survey,
        "question": SurveyQuestion.objects.create(survey=survey, position=1, kind=QuestionKind.TEXT, text_ru="?"),
        "review": LegislationReview.objects.create(reviewed_on=DAY, act="Заң", summary="Өзгеріс", by=methodist),
        "minutes": CouncilMinutes.objects.create(
            number="1",
            held_on=DAY,
            attendees="Кеңес",
            proposed_title="Бағдарлама",
            decision=CouncilDecision.DEVELOP,
            created_by=methodist,
        ),
        "outsiders": {
            "trainer": teach(cohort(), staff_user("trainer")),
            "representative": representative,
            "listener": enrolment().listener.user,
        },
    }


CASES = {
    # the program's way (000 §§2.8-2.14)
    "program_create": lambda w, by: workflow.program_create(by=by, title_ru="Жаңа бағдарлама"),
    "program_update": lambda w, by: workflow.program_update(
        w["program"],
        by=by,
        title_ru="Өзгертілген",
        form_of_study=w["program"].form_of_study,
        language=w["program"].language,
    ),
    "program_publish_for_discussion": lambda w, by: workflow.program_publish_for_discussion(w["program"], by=by),
    "discussion_summarise": lambda w, by: workflow.discussion_summarise(w["discussion"], by=by, summary="Қорытынды"),
    "program_revise_after_discussion": lambda w, by: workflow.program_revise_after_discussion(w["program"], by=by),
    "program_submit": lambda w, by: workflow.program_submit(w["program"], by=by, letter_number="2"),
    "submission_conclude": lambda w, by: workflow.submission_conclude(
        w["submission"], by=by, conclusion="agreed", on=DAY
    ),
    "remark_answer": lambda w, by: workflow.remark_answer(w["remark"], by=by, answer="Түзетілді"),
    "program_approve": lambda w, by: workflow.program_approve(w["program"], by=by, order_number="1-П"),
    "program_start_revision": lambda w, by: workflow.program_start_revision(w["program"], by=by),
    "program_archive": lambda w, by: workflow.program_archive(w["program"], by=by),
    "complex_item_add": lambda w, by: workflow.complex_item_add(
        w["program"], by=by, part=ComplexPart.DIDACTIC, title="Материал", url="https://kurs.example.kz/d"
    ),
    "complex_item_remove": lambda w, by: workflow.complex_item_remove(w["item"], by=by),
    # the program's content (000 §2.7)
    "version_text_save": lambda w, by: content.version_text_save(
        w["version"], by=by, language="ru", data={"goal": "Жаңа мақсат"}
    ),
    "version_plan_save": lambda w, by: content.version_plan_save(w["version"], by=by, modules=[]),
    # the public discussion (000 §2.9)
    "comment_decide": lambda w, by: discussion.comment_decide(w["comment"], by=by, status="accepted", reason="Иә"),
    # the needs analysis (000 §§2.3-2.6)
    "survey_create": lambda w, by: needs.survey_create(by=by, title_ru="Анкета"),
    "survey_update": lambda w, by: needs.survey_update(w["survey"], by=by, title_ru="Өзгертілген"),
    "survey_question_add": lambda w, by: needs.survey_question_add(
        w["survey"], by=by, kind=QuestionKind.TEXT, text_ru="Тағы?"
    ),
    "survey_question_update": lambda w, by: needs.survey_question_update(
        w["question"], by=by, kind=QuestionKind.TEXT, text_ru="Басқа?"
    ),
    "survey_question_remove": lambda w, by: needs.survey_question_remove(w["question"], by=by),
    "survey_open": lambda w, by: needs.survey_open(w["survey"], by=by),
    "survey_close": lambda w, by: needs.survey_close(w["survey"], by=by),
    "legislation_review_create": lambda w, by: needs.legislation_review_create(
        by=by, reviewed_on=DAY, act="Бұйрық", summary="Өзгеріс"
    ),
    "legislation_review_update": lambda w, by: needs.legislation_review_update(
        w["review"], by=by, reviewed_on=DAY, act="Бұйрық", summary="Өзгеріс"
    ),
    "council_minutes_create": lambda w, by: needs.council_minutes_create(
        by=by, number="2", held_on=DAY, attendees="Кеңес", proposed_title="Бағдарлама", decision="develop"
    ),
    "council_minutes_update": lambda w, by: needs.council_minutes_update(
        w["minutes"], by=by, number="3", held_on=DAY, attendees="Кеңес", proposed_title="Бағдарлама", decision="develop"
    ),
    "development_order_create": lambda w, by: needs.development_order_create(
        by=by,
        number="7",
        issued_on=DAY,
        hours=36,
        form_of_study="without_leaving_work",
        language="ru",
        authors="Авторлар",
        deadline=DAY + datetime.timedelta(days=60),
        title_ru="Бағдарлама",
        minutes=w["minutes"],
    ),
}


@pytest.mark.parametrize("who", ["trainer", "representative", "listener"])
@pytest.mark.parametrize("service", list(CASES))
def test_the_service_refuses_an_outsider_and_changes_nothing(w, service, who):
    """000 §§2.3-2.14: the methodists develop programs, the director approves them; no one else changes them."""
    before = everything()
    with pytest.raises(AccessDenied):
        CASES[service](w, w["outsiders"][who])
    assert everything() == before


def test_a_program_is_the_centres_own_the_methodist_changes_any(w):
    """No cohort or organisation owns a program: a methodist changes one they did not create."""
    other = get_user_model().objects.get(pk=staff_user("methodist").pk)
    workflow.discussion_summarise(w["discussion"], by=other, summary="Қорытынды")
    assert Discussion.objects.get(pk=w["discussion"].pk).summary == "Қорытынды"
