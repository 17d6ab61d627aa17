"""A school's teacher applies, the head accepts and sends the school's plan, the department consolidates it and
the region distributes the teacher over a course, each on a phone in Kazakh (001 §§10-13); no page scrolls
sideways at 390 px."""

import re

import pytest
from playwright.sync_api import expect

from enrolment.enums import PlanStatus
from enrolment.models import Plan
from enrolment.services import planning as chain
from enrolment.views import planning as pages
from tests import factories
from tests.e2e.browser import PHONE, fits, log_in
from tests.enrolment.planning_helpers import TODAY, hierarchy, state_course, teacher_values


def _login(new_context, live_server, user):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, user.username, base=live_server.url)
    return page


def _send_own_plan(page, live_server):
    page.goto(f"{live_server.url}/partner/planning/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    fits(page)
    page.locator("#start-plan").click()
    page.wait_for_load_state()
    page.locator("#build-plan").click()
    page.wait_for_load_state()
    expect(page.locator("#plan-lines")).to_contain_text("Мұғалімова")
    fits(page)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_schools_application_goes_up_the_chain_on_a_phone_in_kazakh_001_10_001_13(
    live_server, new_context, monkeypatch
):
    monkeypatch.setattr(chain, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "_today", lambda: TODAY)
    factories.organisation()
    w = hierarchy()
    course = state_course()
    teacher = factories.UserFactory(username="mugalim")

    # 001 §10, App. 1: the teacher applies to the school.
    page = _login(new_context, live_server, teacher)
    page.goto(f"{live_server.url}/planning/apply/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    values = teacher_values()
    form = page.locator("#plan-apply")
    form.locator("select[name=organisation]").select_option(str(w["school"].pk))
    for name in ("last_name", "first_name", "iin", "position", "subject", "topic"):
        form.locator(f"input[name={name}]").fill(str(values[name]))
    form.locator("input[name=birth_date]").fill(values["birth_date"].isoformat())
    form.locator("select[name=language]").select_option("kk")
    fits(page)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#my-plan-applications")).to_contain_text(w["school"].name)
    fits(page)

    # The head accepts and sends the school's plan by 1 June (001 §11).
    page = _login(new_context, live_server, w["school_rep"])
    page.goto(f"{live_server.url}/partner/planning/")
    expect(page.locator("#applications")).to_contain_text("Мұғалімова")
    fits(page)
    page.locator("#applications button[name=accept][value='1']").click()
    page.wait_for_load_state()
    _send_own_plan(page, live_server)
    page.locator("#submit-plan").click()
    page.wait_for_load_state()
    assert Plan.objects.get(partner=w["school"]).status == PlanStatus.SUBMITTED

    # The department consolidates its schools' plans by 1 July (001 §12).
    page = _login(new_context, live_server, w["north_rep"])
    page.goto(f"{live_server.url}/partner/planning/")
    expect(page.locator("#below")).to_contain_text(w["school"].name)
    _send_own_plan(page, live_server)
    page.locator("#submit-plan").click()
    page.wait_for_load_state()
    assert Plan.objects.get(partner=w["north"]).status == PlanStatus.SUBMITTED

    # The region distributes its teachers over the centre's courses by 1 September (001 §13).
    page = _login(new_context, live_server, w["region_rep"])
    _send_own_plan(page, live_server)
    page.locator("#plan-lines select").first.select_option(str(course.pk))
    page.locator("#save-courses").click()
    page.wait_for_load_state()
    fits(page)
    page.locator("#submit-plan").click()
    page.wait_for_load_state()
    expect(page.locator("#plan-status")).to_have_class(re.compile("badge-submitted"))
    plan = Plan.objects.get(partner=w["region"])
    assert plan.status == PlanStatus.SUBMITTED and plan.lines.get().cohort == course
    page.goto(f"{live_server.url}/partner/planning/")
    expect(page.locator("#figures-course")).to_contain_text(course.code)
    fits(page)
