"""The thematic plan: totals computed from the topics (SPEC 1.4; 004 thematic plan)."""

import re
from decimal import Decimal

import pytest

from monitoring.demo import programs as demo
from programs.selectors import plan_totals, version_with_plan
from programs.services.workflow import program_create
from tests.factories import program, staff_user
from ziat.errors import DomainError


@pytest.fixture
def plan_004(db, director):
    prog = demo.program_004(by_methodist=staff_user("methodist"), by_director=director)
    return version_with_plan(prog.approved_version_id)


def test_004_plan_has_6_modules_19_topics_and_final_assessment(plan_004):
    modules = list(plan_004.modules.all())
    teaching = [m for m in modules if not m.is_final_assessment]
    assert len(teaching) == 6
    assert sum(len(m.topics.all()) for m in teaching) == 19
    assert [m.is_final_assessment for m in modules][-1] is True


def test_004_plan_totals_per_column_and_overall_spec_1_4(plan_004):
    totals = plan_totals(plan_004)
    assert totals.columns == {
        "lecture": Decimal(18),
        "self_study": Decimal(5),
        "question_answer": Decimal(6),
        "case": Decimal(2),
        "independent": Decimal(9),
    }
    assert totals.total == Decimal(40)


def test_004_plan_totals_per_module(plan_004):
    totals = plan_totals(plan_004)
    assert [totals.modules[m.pk] for m in plan_004.modules.all()] == [8, 6, 6, 6, 5, 6, 3]
    assert [m.hours for m in plan_004.modules.all()] == [8, 6, 6, 6, 5, 6, 3]


def test_totals_follow_the_topics_never_typed(db, director):
    prog = program(modules=((("1.1", 1, 0, 0, 0, 0),),), approved=False)
    version = version_with_plan(prog.current_version_id)
    assert plan_totals(version).total == 1
    topic = version.modules.all()[0].topics.all()[0]
    topic.case = Decimal("2.5")
    topic.save()
    assert plan_totals(version_with_plan(prog.current_version_id)).total == Decimal("3.5")


def test_a_program_needs_a_title(db, director):
    with pytest.raises(DomainError):
        program_create(by=director, title_kk=" ", title_ru="")


def test_the_admin_changes_no_hours_of_the_plan(db, client, director):
    prog = program(modules=((("1.1", 2, 0, 0, 0, 0),),), approved=False)
    module = prog.current_version.modules.get()
    client.force_login(director)
    url = f"/admin/programs/module/{module.pk}/change/"
    topic = module.topics.get()
    data = {
        "position": "1",
        "title_kk": "1-модуль",
        "title_ru": "Модуль 1",
        "topics-TOTAL_FORMS": "1",
        "topics-INITIAL_FORMS": "1",
        "topics-MIN_NUM_FORMS": "0",
        "topics-MAX_NUM_FORMS": "1000",
        "topics-0-id": str(topic.pk),
        "topics-0-module": str(module.pk),
        "topics-0-position": "1",
        "topics-0-code": "1.1",
        "topics-0-title_ru": "Тема",
        "topics-0-lecture": "-2",
        "topics-0-self_study": "abc",
        "topics-0-question_answer": "0",
        "topics-0-case": "0",
        "topics-0-independent": "0",
    }
    data["topics-0-lecture"] = "6"
    response = client.post(url, data)
    assert response.status_code == 403  # the plan is edited on the program's plan page, by its rules
    topic.refresh_from_db()
    assert topic.lecture == 2


def test_version_page_shows_the_computed_totals(db, client, director):
    prog = program(modules=((("1.1", 2, 1, 0, 0, 0), ("1.2", 0, 0, 1, 1, 0)), (("2.1", 4, 0, 0, 0, 2),)))
    client.force_login(director)
    response = client.get(f"/admin/programs/programversion/{prog.current_version_id}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<th id=.plan-total.>11(\.0)?<", html)
    assert re.search(r"<td>5(\.0)?</td></tr>", html) and re.search(r"<td>6(\.0)?</td></tr>", html)
