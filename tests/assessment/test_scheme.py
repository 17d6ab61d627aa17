"""The program's assessment rules and the project rubric, saved at once (004 §8, 001 §28, SPEC 4.1)."""

import datetime

import pytest
from django.utils import timezone

from assessment.models import AssessmentScheme, CriterionScore, ProjectWork, RubricCriterion
from assessment.selectors import rubric_total, scheme_for
from assessment.services.scheme import SchemeError, scheme_errors, scheme_save
from monitoring.demo.assessment import demo_scheme
from tests.factories import enrolment, listener, page_queries, program, staff_user
from ziat.errors import DomainError


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


@pytest.fixture
def prog(db):
    return program()


def criterion(name_ru="Критерий", max_points=2, **kwargs):
    return {"name_ru": name_ru, "name_kk": kwargs.pop("name_kk", ""), "max_points": max_points, **kwargs}


def rubric_004():
    return [criterion(f"Критерий {n}", name_kk=f"{n}-өлшемшарт") for n in range(1, 6)]


def save(prog, by, *, criteria=None, **changes):
    fields = {
        "has_project": True,
        "excellent_from": 9,
        "good_from": 7,
        "pass_from": 5,
        "module_grade_rule": "test_share",
        "criteria": rubric_004() if criteria is None else criteria,
    }
    fields.update(changes)
    return scheme_save(program=prog, by=by, **fields)


def saved_criteria(prog):
    return list(
        RubricCriterion.objects.filter(scheme__program=prog)
        .order_by("position")
        .values_list("position", "name_ru", "max_points")
    )


def test_unsaved_rules_have_the_defaults_of_004_8(prog):
    scheme = scheme_for(prog)
    assert scheme.pk is None
    assert (scheme.has_project, scheme.project_excellent_from, scheme.project_good_from, scheme.project_pass_from) == (
        True,
        9,
        7,
        5,
    )
    assert scheme.module_grade_rule == "test_share"
    assert rubric_total(scheme) == 0
    assert not AssessmentScheme.objects.exists()


def test_the_rules_and_the_rubric_of_004_8_are_saved_at_once(prog, methodist):
    scheme = save(prog, methodist)
    assert scheme_for(prog) == scheme
    assert rubric_total(scheme_for(prog)) == 10
    assert saved_criteria(prog) == [(n, f"Критерий {n}", 2) for n in range(1, 6)]
    assert RubricCriterion.objects.get(scheme=scheme, position=1).name_kk == "1-өлшемшарт"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"excellent_from": 7, "good_from": 9}, "The grade scale must rise"),
        ({"good_from": 5}, "The grade scale must rise"),
        ({"pass_from": 0, "good_from": 1, "excellent_from": 2}, "The grade scale must rise"),
        ({"excellent_from": 11}, "cannot be reached: the rubric gives at most 10"),
        ({"pass_from": 4}, "below half of the rubric's 10 points (5)"),
        ({"criteria": []}, "add at least one criterion"),
        ({"criteria": [*rubric_004()[:4], criterion("", max_points=2, description_ru="без названия")]}, "Criterion 5:"),
        ({"criteria": [*rubric_004()[:4], criterion(max_points=0)]}, "the maximum points must be a whole number"),
        ({"criteria": [*rubric_004()[:4], criterion(max_points="два")]}, "the maximum points must be a whole number"),
        ({"module_grade_rule": "by_mood"}, "Choose how the module grades are set"),
        ({"pass_from": "пять"}, "whole points"),
    ],
    ids=[
        "good above excellent",
        "good equals satisfactory",
        "satisfactory from zero",
        "excellent above the rubric",
        "satisfactory below half",
        "no criteria",
        "criterion without a name",
        "criterion of zero points",
        "criterion points not a number",
        "unknown module grade rule",
        "scale not a number",
    ],
)
def test_bad_rules_are_refused_and_nothing_is_saved_004_8(prog, methodist, changes, message):
    with pytest.raises(SchemeError) as failure:
        save(prog, methodist, **changes)
    assert any(message in error for error in failure.value.errors), failure.value.errors
    assert not AssessmentScheme.objects.exists() and not RubricCriterion.objects.exists()


def test_a_refused_change_keeps_the_saved_rules_004_8(prog, methodist):
    save(prog, methodist)
    with pytest.raises(SchemeError):
        save(prog, methodist, excellent_from=6, criteria=[criterion("Новый")])
    scheme = AssessmentScheme.objects.get(program=prog)
    assert scheme.project_excellent_from == 9
    assert saved_criteria(prog) == [(n, f"Критерий {n}", 2) for n in range(1, 6)]


def test_without_a_project_the_rubric_may_be_empty_004_8(prog, methodist):
    scheme = save(prog, methodist, has_project=False, criteria=[], module_grade_rule="credit")
    assert (scheme.has_project, scheme.module_grade_rule, rubric_total(scheme)) == (False, "credit", 0)


def test_criteria_are_changed_reordered_and_removed_in_one_save_004_8(prog, methodist):
    scheme = save(prog, methodist)
    c1, c2, c3, c4, c5 = scheme.criteria.order_by("position")
    rows = [
        {"pk": c3.pk, "name_ru": "Третий — теперь первый", "max_points": 4},
        {"pk": c1.pk, "name_ru": c1.name_ru, "max_points": 2},
        criterion("Новый", max_points=3),
        {"pk": c5.pk, "name_ru": c5.name_ru, "name_kk": "", "max_points": 2},
        {"name_ru": "", "name_kk": "", "max_points": None},  # an empty row is ignored
    ]
    save(prog, methodist, criteria=rows, excellent_from=10, good_from=8, pass_from=6)
    assert saved_criteria(prog) == [
        (1, "Третий — теперь первый", 4),
        (2, "Критерий 1", 2),
        (3, "Новый", 3),
        (4, "Критерий 5", 2),
    ]
    assert set(RubricCriterion.objects.values_list("pk", flat=True)) >= {c1.pk, c3.pk, c5.pk}
    assert not RubricCriterion.objects.filter(pk__in=[c2.pk, c4.pk]).exists()
    assert rubric_total(scheme_for(prog)) == 11


def test_a_criterion_of_another_program_is_not_taken_004_8(prog, methodist):
    other = save(program(), methodist)
    foreign = other.criteria.first()
    save(prog, methodist)
    with pytest.raises(SchemeError):
        save(prog, methodist, criteria=[*rubric_004(), {"pk": foreign.pk, "name_ru": "Чужой", "max_points": 2}])
    assert RubricCriterion.objects.get(pk=foreign.pk).name_ru == "Критерий 1"


def _scored(scheme, points):
    work = ProjectWork.objects.create(
        enrolment=enrolment(listener_=listener()),
        title="Проект",
        file="projects/2026/project.pdf",
        submitted_at=timezone.now() - datetime.timedelta(days=1),
    )
    first = scheme.criteria.order_by("position").first()
    CriterionScore.objects.create(work=work, criterion=first, points=points)
    return first


def test_a_criterion_that_scored_works_is_kept_004_8(org, prog, methodist):
    scheme = save(prog, methodist)
    first = _scored(scheme, 2)
    with pytest.raises(SchemeError) as failure:
        save(prog, methodist, criteria=rubric_004()[1:] + [criterion("Замена")])
    assert "has scored project works" in failure.value.message
    rows = [{"pk": c.pk, "name_ru": c.name_ru, "max_points": 2} for c in scheme.criteria.order_by("position")]
    rows[0]["max_points"] = 1
    with pytest.raises(SchemeError) as failure:
        save(prog, methodist, criteria=rows)
    assert "already gave 2 points" in failure.value.message
    assert RubricCriterion.objects.get(pk=first.pk).max_points == 2


def test_a_trainer_may_not_change_the_rules_004_8(prog, trainer):
    with pytest.raises(DomainError):
        save(prog, trainer)
    assert not AssessmentScheme.objects.exists()


def test_the_demo_rules_are_those_of_004_8(org, prog):
    scheme = demo_scheme(prog)
    criteria = list(scheme.criteria.order_by("position"))
    assert [c.name_ru for c in criteria] == [
        "Усвоение содержания учебной программы",
        "Применение теоретических знаний на практике",
        "Практическая значимость представленного материала",
        "Обоснованность, полнота и четкость изложения",
        "Соответствие оформления установленным требованиям",
    ]
    assert all(c.name_kk and c.description_ru and c.description_kk and c.max_points == 2 for c in criteria)
    assert (scheme.project_excellent_from, scheme.project_good_from, scheme.project_pass_from) == (9, 7, 5)
    assert rubric_total(scheme) == 10
    assert demo_scheme(prog) == scheme and RubricCriterion.objects.count() == 5
    rows = [{key: getattr(c, key) for key in ("pk", "name_kk", "name_ru", "max_points")} for c in criteria]
    assert (
        scheme_errors(
            has_project=True,
            excellent_from=9,
            good_from=7,
            pass_from=5,
            module_grade_rule="test_share",
            criteria=rows,
            scheme=scheme,
        )
        == []
    )


# --------------------------------------------------------------------------- the page


def _url(p):
    return f"/staff/assessment/programs/{p.pk}/rules/"


def _post(prog, rows, **changes):
    data = {
        "has_project": "on",
        "pass_from": "5",
        "good_from": "7",
        "excellent_from": "9",
        "module_grade_rule": "test_share",
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "30",
    }
    for i, r in enumerate(rows):
        for key, value in r.items():
            data[f"criteria-{i}-{key}"] = value
    data.update(changes)
    return data


def _rows_004():
    return [{"name_ru": f"Критерий {n}", "name_kk": "", "max_points": "2"} for n in range(1, 6)] + [{}]


def test_the_rules_page_saves_the_rubric_004_8(client, prog, methodist):
    client.force_login(methodist)
    page = client.get(_url(prog)).content.decode()
    assert 'name="criteria-TOTAL_FORMS" value="5"' in page  # five empty rows for a new rubric
    response = client.post(_url(prog), _post(prog, _rows_004(), save=""))
    assert response.status_code == 302
    assert saved_criteria(prog) == [(n, f"Критерий {n}", 2) for n in range(1, 6)]
    html = client.get(_url(prog)).content.decode()
    assert 'value="Критерий 5"' in html and "at most 10 points" in html


def test_a_bad_scale_on_the_page_is_shown_with_status_400_and_nothing_saved_004_8(client, prog, methodist):
    client.force_login(methodist)
    response = client.post(_url(prog), _post(prog, _rows_004(), good_from="9", excellent_from="7"))
    assert response.status_code == 400
    assert "The grade scale must rise" in response.content.decode()
    assert not AssessmentScheme.objects.exists()


def test_add_a_row_saves_nothing_and_shows_one_more_row_004_8(client, prog, methodist):
    client.force_login(methodist)
    response = client.post(_url(prog), _post(prog, _rows_004()[:2], add=""))
    html = response.content.decode()
    assert 'name="criteria-TOTAL_FORMS" value="3"' in html and 'value="Критерий 2"' in html
    assert not AssessmentScheme.objects.exists()


def test_a_trainer_reads_the_rules_but_may_not_change_them_004_8(client, prog, methodist, trainer):
    save(prog, methodist)
    client.force_login(trainer)
    html = client.get(_url(prog)).content.decode()
    assert "Критерий 3" in html and 'id="scheme-form"' not in html
    assert client.post(_url(prog), _post(prog, _rows_004())).status_code == 403
    client.force_login(listener().user)
    assert client.get(_url(prog)).status_code == 403


def test_the_rules_page_queries_do_not_grow_with_criteria_004_8(client, methodist):
    small, large = program(), program()
    save(small, methodist, criteria=[criterion(max_points=10)])
    rubric = [criterion(f"К{n}", max_points=1) for n in range(20)]
    save(large, methodist, criteria=rubric, excellent_from=18, good_from=14, pass_from=10)
    client.force_login(methodist)
    assert page_queries(client, _url(small)) == page_queries(client, _url(large))
    trainer = staff_user("trainer")
    client.force_login(trainer)
    assert page_queries(client, _url(small)) == page_queries(client, _url(large))
