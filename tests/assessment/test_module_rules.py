"""Module grades of the appendix filled by the program's rule (SPEC 4.6, 001 App. 4): from the share of each
module's questions answered correctly in the final test, "credited", or entered by the trainer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment.enums import Grade, GradeSource, ModuleGradeRule
from assessment.models import (
    AssessmentScheme,
    Attempt,
    AttemptItem,
    BankVersion,
    CohortTest,
    FinalResult,
    ModuleGrade,
    Question,
)
from assessment.services.module_rules import grade_text, module_grades_fill, share_grade
from programs.models import Module
from tests.certificates.helpers import course, enrol, plan_with_modules
from tests.factories import page_queries, staff_user, teach
from ziat.errors import DomainError


def three_modules(rule, **cohort_kwargs):
    """A course of three 3-hour modules whose program's rule for module grades is ``rule``."""
    c = course(modules=plan_with_modules(3), session_hours=(3, 3, 3), **cohort_kwargs)
    AssessmentScheme.objects.create(program=c.program, has_project=False, module_grade_rule=rule)
    return c, list(Module.objects.filter(version=c.version, is_final_assessment=False).order_by("position"))


def final_attempt(e, answers, *, by):
    """The listener's final attempt: ``answers`` maps a module's number to its items' correctness, and the
    final result read from it, as the test engine records them."""
    bank, _created = BankVersion.objects.get_or_create(program=e.cohort.program, number=1, defaults={"created_by": by})
    now = timezone.now()
    test, _created = CohortTest.objects.get_or_create(
        cohort=e.cohort,
        kind="final",
        defaults={
            "bank": bank,
            "opens_at": now - datetime.timedelta(hours=2),
            "closes_at": now + datetime.timedelta(hours=2),
            "created_by": by,
        },
    )
    attempt = Attempt.objects.create(
        test=test,
        enrolment=e,
        started_at=now - datetime.timedelta(hours=1),
        deadline=now,
        submitted_at=now - datetime.timedelta(minutes=30),
    )
    position = 0
    for number, results in answers.items():
        for correct in results:
            position += 1
            question, _created = Question.objects.get_or_create(
                bank=bank, position=position, defaults={"module_number": number, "text_ru": f"Вопрос {position}"}
            )
            AttemptItem.objects.create(attempt=attempt, question=question, position=position, is_correct=correct)
    FinalResult.objects.filter(enrolment=e).update(attempt=attempt)
    return attempt


def grades_of(e):
    return {
        g.module.position: (g.grade, g.source) for g in ModuleGrade.objects.filter(enrolment=e).select_related("module")
    }


def label(grade, language="ru"):
    with translation.override(language):
        return str(grade.label)


# --- the scale ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "total", "grade"),
    [
        (10, 10, Grade.EXCELLENT),
        (9, 10, Grade.EXCELLENT),
        (89, 100, Grade.GOOD),
        (3, 4, Grade.GOOD),
        (74, 100, Grade.SATISFACTORY),
        (1, 2, Grade.SATISFACTORY),
        (49, 100, Grade.UNSATISFACTORY),
        (0, 3, Grade.UNSATISFACTORY),
    ],
)
def test_the_share_of_a_modules_questions_answered_correctly_maps_to_a_grade_spec_4_6(correct, total, grade):
    assert share_grade(correct, total) == grade


def test_a_kazakh_russian_cohort_gets_both_languages_once(db):
    with translation.override("kk"):
        kk = str(Grade.GOOD.label)
    with translation.override("ru"):
        ru = str(Grade.GOOD.label)
    expected = kk if kk == ru else f"{kk} / {ru}"
    assert grade_text(Grade.GOOD.label, "kk_ru") == expected
    assert grade_text(Grade.GOOD.label, "ru") == ru


# --- TEST_SHARE -----------------------------------------------------------------------------------------


def test_test_share_grades_each_module_from_the_final_attempt_spec_4_6(db, org, trainer):
    c, (m1, m2, m3) = three_modules(ModuleGradeRule.TEST_SHARE, language="ru")
    teach(c, trainer)
    e = enrol(c, test=20)
    # Module 1: 4 of 4 right; module 2: 1 of 2 (an unanswered item counts as not right); module 3: not asked.
    final_attempt(e, {1: [True, True, True, True], 2: [True, None]}, by=trainer)
    report = module_grades_fill(cohort=c, by=trainer)
    assert report.filled == 3 and report.kept == 0 and report.listeners == 1
    with translation.override("ru"):
        credited = str(translation.gettext("credited"))
    assert grades_of(e) == {
        1: (label(Grade.EXCELLENT), GradeSource.RULE),
        2: (label(Grade.SATISFACTORY), GradeSource.RULE),
        3: (credited, GradeSource.RULE),
    }


def test_a_result_typed_in_without_an_attempt_falls_back_to_credited_spec_4_6(db, org, trainer):
    c, _modules = three_modules(ModuleGradeRule.TEST_SHARE)
    teach(c, trainer)
    e = enrol(c, test=20)  # typed in by a person: no attempt
    module_grades_fill(cohort=c, by=trainer)
    assert {g for g, _s in grades_of(e).values()} == {grade_text(translation.gettext_lazy("credited"), c.language)}


def test_listeners_who_did_not_pass_get_no_grades_spec_4_6(db, org, trainer):
    c, _modules = three_modules(ModuleGradeRule.TEST_SHARE)
    teach(c, trainer)
    failed = enrol(c, test=10)
    absent = enrol(c, hours=3, test=25)
    report = module_grades_fill(cohort=c, by=trainer)
    assert report.listeners == 0 and report.not_passed == 2
    assert not ModuleGrade.objects.filter(enrolment__in=[failed, absent]).exists()


# --- CREDIT ---------------------------------------------------------------------------------------------


def test_credit_rule_credits_every_module_of_a_listener_who_passed_spec_4_6(db, org, trainer):
    c, modules = three_modules(ModuleGradeRule.CREDIT, language="kk")
    teach(c, trainer)
    passed = enrol(c, test=17)
    failed = enrol(c, test=5)
    final_attempt(passed, {1: [False, False]}, by=trainer)  # the test's shares do not matter here
    report = module_grades_fill(cohort=c, by=trainer)
    with translation.override("kk"):
        credited = str(translation.gettext("credited"))
    assert report.filled == len(modules)
    assert grades_of(passed) == {m.position: (credited, GradeSource.RULE) for m in modules}
    assert grades_of(failed) == {}


# --- TRAINER --------------------------------------------------------------------------------------------


def test_trainer_rule_fills_nothing_and_says_so_spec_4_6(db, org, trainer):
    c, _modules = three_modules(ModuleGradeRule.TRAINER)
    teach(c, trainer)
    enrol(c, test=20)
    with pytest.raises(DomainError, match="entered by the trainer"):
        module_grades_fill(cohort=c, by=trainer)
    assert not ModuleGrade.objects.exists()


def test_a_program_without_assessment_rules_is_graded_by_the_trainer_spec_4_6(db, org, trainer):
    c = course()
    teach(c, trainer)
    enrol(c, test=20)
    with pytest.raises(DomainError, match="entered by the trainer"):
        module_grades_fill(cohort=c, by=trainer)
    assert not ModuleGrade.objects.exists()


# --- never over a trainer's grade -----------------------------------------------------------------------


def test_filling_never_overwrites_a_trainers_grade_but_refreshes_its_own_spec_4_6(db, org, trainer):
    c, (m1, m2, m3) = three_modules(ModuleGradeRule.TEST_SHARE)
    teach(c, trainer)
    e = enrol(c, test=20)
    ModuleGrade.objects.create(enrolment=e, module=m1, grade="отлично (устно)", source=GradeSource.TRAINER)
    ModuleGrade.objects.create(enrolment=e, module=m2, grade="старое", source=GradeSource.RULE)
    final_attempt(e, {1: [False], 2: [True, True], 3: [False, False]}, by=trainer)
    report = module_grades_fill(cohort=c, by=trainer)
    assert report.kept == 1 and report.filled == 2
    grades = grades_of(e)
    assert grades[1] == ("отлично (устно)", GradeSource.TRAINER)
    assert grades[2] == (grade_text(Grade.EXCELLENT.label, c.language), GradeSource.RULE)
    assert grades[3] == (grade_text(Grade.UNSATISFACTORY.label, c.language), GradeSource.RULE)
    # Filling again changes nothing.
    module_grades_fill(cohort=c, by=trainer)
    assert grades_of(e) == grades


def test_a_trainer_editing_a_rule_grade_in_the_sheet_makes_it_theirs_and_the_next_fill_keeps_it_spec_4_6(
    db, org, trainer
):
    from assessment.services.results import module_grades_save

    c, (m1, m2, _m3) = three_modules(ModuleGradeRule.TEST_SHARE)
    teach(c, trainer)
    e = enrol(c, test=20)
    final_attempt(e, {1: [True], 2: [True], 3: [True]}, by=trainer)
    module_grades_fill(cohort=c, by=trainer)
    ruled = grades_of(e)
    # The sheet comes back with m1 changed and m2 as it was.
    module_grades_save(cohort=c, grades={(e.pk, m1.pk): "отлично (проект)", (e.pk, m2.pk): ruled[2][0]}, by=trainer)
    assert grades_of(e)[1] == ("отлично (проект)", GradeSource.TRAINER)
    assert grades_of(e)[2] == ruled[2]
    module_grades_fill(cohort=c, by=trainer)
    assert grades_of(e)[1] == ("отлично (проект)", GradeSource.TRAINER)


def test_staff_without_the_permission_may_not_fill(db, org):
    c, _modules = three_modules(ModuleGradeRule.CREDIT)
    enrol(c, test=20)
    with pytest.raises(DomainError, match="may not record module grades"):
        module_grades_fill(cohort=c, by=staff_user("registrar"))
    assert not ModuleGrade.objects.exists()


# --- the page -------------------------------------------------------------------------------------------


def _url(c):
    return reverse("assessment:module_grades", args=[c.pk])


def test_the_button_fills_by_the_rule_and_the_grid_marks_those_grades_spec_4_6(client, org, trainer):
    c, (m1, m2, _m3) = three_modules(ModuleGradeRule.CREDIT)
    teach(c, trainer)
    e = enrol(c, test=20)
    ModuleGrade.objects.create(enrolment=e, module=m1, grade="5", source=GradeSource.TRAINER)
    client.force_login(trainer)
    page = client.get(_url(c)).content.decode()
    assert 'name="fill"' in page and str(ModuleGradeRule.CREDIT.label) in page
    response = client.post(_url(c), {"fill": "1"})
    assert response.status_code == 302
    assert ModuleGrade.objects.filter(source=GradeSource.RULE).count() == 2
    page = client.get(_url(c)).content.decode()
    assert "Grades filled by the program&#x27;s rule: 2." in page
    assert page.count('class="by-rule"') == 2
    assert f'<td><input type="text" name="grade-{e.pk}-{m1.pk}" value="5"' in page  # the trainer's, unmarked


def test_the_page_of_a_trainer_rule_program_has_no_button_and_refuses_a_fill(client, org, trainer):
    c, _modules = three_modules(ModuleGradeRule.TRAINER)
    teach(c, trainer)
    enrol(c, test=20)
    client.force_login(trainer)
    assert 'name="fill"' not in client.get(_url(c)).content.decode()
    response = client.post(_url(c), {"fill": "1"})
    assert response.status_code == 400
    assert "entered by the trainer" in response.content.decode()
    assert not ModuleGrade.objects.exists()


@pytest.mark.parametrize("n", [1, 5])
def test_the_grades_page_query_count_does_not_grow_with_rule_grades(client, org, trainer, n):
    def queries(count):
        c, _modules = three_modules(ModuleGradeRule.CREDIT)
        teach(c, trainer)
        for _ in range(count):
            enrol(c, test=20)
        module_grades_fill(cohort=c, by=trainer)
        client.force_login(trainer)
        return page_queries(client, _url(c))

    assert queries(n) == queries(2)
