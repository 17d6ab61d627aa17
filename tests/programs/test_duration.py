"""Duration classes and the course's length (001 §23, 000 §3.5, 003 §4.9.4); totals of the 004 plan."""

from decimal import Decimal

import pytest

from programs.enums import DurationClass, FormOfStudy
from programs.rules import check_duration, duration_class
from programs.selectors import plan_totals, version_with_plan
from tests.factories import organisation, program, staff_user
from ziat.errors import DomainError

HOME = FormOfStudy.WITHOUT_LEAVING_WORK
ABROAD = FormOfStudy.ABROAD

# The thematic plan of seed 004 (40 hours): (code, lecture, self-study, question-answer, case, independent work).
PLAN_004 = (
    (("1.1", 1, 1, 0, 0, 0), ("1.2", 1, 0, 1, 0, 0), ("1.3", 2, 1, 1, 0, 0)),
    (("2.1", 1, 0, 0, 1, 0), ("2.2", 1, 0, 1, 0, 0), ("2.3", 1, 1, 0, 0, 0)),
    (("3.1", 1, 0, 0, 0, 0), ("3.2", 1, 0, 1, 0, 0), ("3.3", 2, 0, 1, 0, 0)),
    (("4.1", 1, 0, 0, 0, 0), ("4.2", 1, 0, 0, 0, 0), ("4.3", 1, 1, 0, 0, 0), ("СРС № 1", 0, 0, 0, 0, 2)),
    (("5.1", 1, 0, 0, 0, 0), ("5.2", 1, 0, 1, 0, 0), ("СРС № 2", 0, 0, 0, 0, 2)),
    (("6.1", 1, 1, 0, 0, 0), ("6.2", 1, 0, 0, 1, 0), ("СРС № 3", 0, 0, 0, 0, 2)),
)
FINAL_004 = (("", 0, 0, 0, 0, 2), ("", 0, 0, 0, 0, 1))


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (35, None),
        (Decimal("35.5"), None),
        (36, DurationClass.SHORT),
        (108, DurationClass.SHORT),
        (Decimal("108.5"), DurationClass.LONG),
        (109, DurationClass.LONG),
        (500, DurationClass.LONG),
    ],
)
def test_duration_class_at_36_108_109_001_23(hours, expected):
    assert duration_class(hours, form_of_study=HOME) == expected


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(35, None), (36, DurationClass.ABROAD_SHORT), (80, DurationClass.ABROAD_SHORT), (81, DurationClass.ABROAD_LONG)],
)
def test_abroad_short_up_to_80_hours_then_long_001_23(hours, expected):
    assert duration_class(hours, form_of_study=ABROAD) == expected


@pytest.mark.parametrize(
    ("hours", "expected"), [(35, None), (36, DurationClass.INTERNSHIP), (200, DurationClass.INTERNSHIP)]
)
def test_tvet_internship_from_36_hours_001_23(hours, expected):
    assert duration_class(hours, form_of_study=HOME, is_internship=True) == expected


def test_a_plan_under_36_hours_fits_no_class_000_3_5():
    with pytest.raises(DomainError):
        check_duration(35, form_of_study=HOME)
    assert check_duration(36, form_of_study=HOME) == DurationClass.SHORT


def test_an_internship_is_not_held_abroad_001_23():
    with pytest.raises(DomainError):
        check_duration(40, form_of_study=ABROAD, is_internship=True)


@pytest.fixture
def plan_004(db):
    prog = program(modules=PLAN_004, final=FINAL_004, approved=False)
    return prog, version_with_plan(prog.current_version_id)


def test_004_totals_per_column_are_18_5_6_2_9_and_40_overall_spec_1_4(plan_004):
    _prog, version = plan_004
    totals = plan_totals(version)
    assert totals.columns == {
        "lecture": 18,
        "self_study": 5,
        "question_answer": 6,
        "case": 2,
        "independent": 9,
    }
    assert totals.total == 40


def test_004_totals_per_module_are_8_6_6_6_5_6_and_3_final_spec_1_4(plan_004):
    _prog, version = plan_004
    totals = plan_totals(version)
    assert [totals.modules[m.pk] for m in version.modules.all()] == [8, 6, 6, 6, 5, 6, 3]
    assert [m.is_final_assessment for m in version.modules.all()] == [False] * 6 + [True]


def test_004_is_a_short_course_000_3_5(plan_004):
    _prog, version = plan_004
    assert duration_class(plan_totals(version).total, form_of_study=HOME) == DurationClass.SHORT


@pytest.mark.parametrize(("minutes", "length"), [(45, "1800"), (50, "2000")])
def test_version_page_shows_class_and_minutes_by_the_academic_hour_000_3_5_003_4_9_4(plan_004, client, minutes, length):
    organisation(academic_hour_minutes=minutes)
    prog, version = plan_004
    client.force_login(staff_user("methodist"))
    response = client.get(f"/staff/programs/{prog.pk}/versions/{version.number}/")
    assert response.status_code == 200
    context = response.context
    assert context["duration"] == DurationClass.SHORT.label
    assert context["length"]["minutes"] == int(length)
    assert context["total"] == 40
    html = response.content.decode()
    assert f"{length} " in html
    assert str(DurationClass.SHORT.label) in html


def test_version_page_warns_when_the_plan_fits_no_class_001_23(db, client):
    prog = program(approved=False)  # 10 hours
    client.force_login(staff_user("methodist"))
    response = client.get(f"/staff/programs/{prog.pk}/versions/1/")
    assert response.status_code == 200
    assert response.context["duration"] is None
    assert response.context["duration_problem"]
