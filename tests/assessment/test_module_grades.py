"""Module grades of a cohort, entered in one grid and printed in the appendix (001 App. 4)."""

import pytest

from assessment.models import ModuleGrade
from assessment.services.results import module_grades_save
from programs.models import Module
from tests.certificates.helpers import course
from tests.factories import enrolment, listener, page_queries, staff_user, teach
from ziat.errors import DomainError

FINAL = (("F.1", 0, 0, 2, 0, 0),)


def _url(c):
    return f"/staff/assessment/cohorts/{c.pk}/module-grades/"


def _modules(c):
    return list(Module.objects.filter(version=c.version, is_final_assessment=False).order_by("position"))


def test_grid_shows_listeners_and_modules_but_not_the_final_assessment_001_app_4(client, org, trainer):
    c = course(final=FINAL)
    teach(c, trainer)
    e = enrolment(c, listener(last_name="Омарова", first_name="Дана"))
    final = Module.objects.get(version=c.version, is_final_assessment=True)
    client.force_login(trainer)
    html = client.get(_url(c)).content.decode()
    assert "Омарова Дана" in html
    for m in _modules(c):
        assert f'name="grade-{e.pk}-{m.pk}"' in html
    assert f"grade-{e.pk}-{final.pk}" not in html
    assert 'placeholder="зачтено"' in html


def test_grades_of_the_whole_cohort_are_saved_in_one_request_001_app_4(client, org, trainer):
    c = course()
    teach(c, trainer)
    first, second = enrolment(c), enrolment(c)
    m1, m2 = _modules(c)
    client.force_login(trainer)
    response = client.post(
        _url(c),
        {
            f"grade-{first.pk}-{m1.pk}": "зачтено",
            f"grade-{first.pk}-{m2.pk}": " отлично ",
            f"grade-{second.pk}-{m1.pk}": "зачтено",
            f"grade-{second.pk}-{m2.pk}": "",
        },
    )
    assert response.status_code == 302
    saved = {(g.enrolment_id, g.module_id): g.grade for g in ModuleGrade.objects.all()}
    assert saved == {(first.pk, m1.pk): "зачтено", (first.pk, m2.pk): "отлично", (second.pk, m1.pk): "зачтено"}
    html = client.get(_url(c)).content.decode()
    assert 'value="отлично"' in html


def test_a_blank_cell_removes_a_saved_grade_001_app_4(org, trainer):
    c = course()
    teach(c, trainer)
    e = enrolment(c)
    m1, _m2 = _modules(c)
    module_grades_save(cohort=c, grades={(e.pk, m1.pk): "зачтено"}, by=trainer)
    module_grades_save(cohort=c, grades={(e.pk, m1.pk): "  "}, by=trainer)
    assert not ModuleGrade.objects.exists()


def test_a_module_of_another_version_refuses_the_whole_sheet_001_app_4(org, trainer):
    c, other = course(), course()
    e = enrolment(c)
    m1, _m2 = _modules(c)
    foreign = _modules(other)[0]
    with pytest.raises(DomainError):
        module_grades_save(cohort=c, grades={(e.pk, m1.pk): "зачтено", (e.pk, foreign.pk): "зачтено"}, by=trainer)
    assert not ModuleGrade.objects.exists()


def test_the_final_assessment_row_cannot_be_graded_001_app_4(org, trainer):
    c = course(final=FINAL)
    teach(c, trainer)
    e = enrolment(c)
    final = Module.objects.get(version=c.version, is_final_assessment=True)
    with pytest.raises(DomainError):
        module_grades_save(cohort=c, grades={(e.pk, final.pk): "зачтено"}, by=trainer)
    assert not ModuleGrade.objects.exists()


def test_an_enrolment_of_another_cohort_refuses_the_whole_sheet(client, org, trainer):
    c = course()
    teach(c, trainer)
    mine, stranger = enrolment(c), enrolment(course())
    m1, _m2 = _modules(c)
    client.force_login(trainer)
    response = client.post(_url(c), {f"grade-{mine.pk}-{m1.pk}": "зачтено", f"grade-{stranger.pk}-{m1.pk}": "зачтено"})
    assert response.status_code == 400
    assert not ModuleGrade.objects.exists()


def test_a_too_long_grade_saves_nothing(org, trainer):
    c = course()
    teach(c, trainer)
    e = enrolment(c)
    m1, m2 = _modules(c)
    with pytest.raises(DomainError):
        module_grades_save(cohort=c, grades={(e.pk, m1.pk): "зачтено", (e.pk, m2.pk): "x" * 51}, by=trainer)
    assert not ModuleGrade.objects.exists()


def test_staff_without_the_permission_may_not_grade(client, org):
    c = course()
    e = enrolment(c)
    registrar = staff_user("registrar")
    client.force_login(registrar)
    assert client.get(_url(c)).status_code == 403
    with pytest.raises(DomainError):
        module_grades_save(cohort=c, grades={(e.pk, _modules(c)[0].pk): "зачтено"}, by=registrar)


def test_the_grades_page_needs_a_login(client, org):
    assert client.get(_url(course())).status_code == 302


@pytest.mark.parametrize("n", [1, 5])
def test_grades_page_query_count_does_not_grow_with_listeners(client, org, trainer, n):
    def queries(count):
        c = course()
        teach(c, trainer)
        for e in [enrolment(c) for _ in range(count)]:
            module_grades_save(cohort=c, grades={(e.pk, m.pk): "зачтено" for m in _modules(c)}, by=trainer)
        client.force_login(trainer)
        return page_queries(client, _url(c))

    assert queries(n) == queries(2)


def test_a_trainer_who_teaches_nothing_in_the_cohort_may_neither_read_nor_save_its_module_grades(client, org):
    c = course()
    e = enrolment(c, listener(last_name="Омарова", first_name="Дана"))
    m1, _m2 = _modules(c)
    stranger = teach(course(), staff_user("trainer"))
    client.force_login(stranger)
    response = client.get(_url(c))
    assert response.status_code == 403
    assert "Омарова" not in response.content.decode()
    assert client.post(_url(c), {f"grade-{e.pk}-{m1.pk}": "зачтено"}).status_code == 403
    with pytest.raises(DomainError):
        module_grades_save(cohort=c, grades={(e.pk, m1.pk): "зачтено"}, by=stranger)
    assert not ModuleGrade.objects.exists()
