"""A listener in their support year asks a question from the cabinet on a phone, the cohort's trainer answers on
the staff's pages, and the listener reads the answer (000 §4.3 1), 001 §37); no page scrolls sideways at 390 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from postcourse.enums import SupportForm
from postcourse.support import support_activity_plan
from tests import factories
from tests.e2e.browser import PHONE, fits, log_in
from tests.postcourse.helpers import RESULTS_RU, certified_cohort


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_question_in_the_support_year_is_answered_on_phones_000_4_3(live_server, new_context):
    factories.organisation()
    director = factories.staff_user("director")
    trainer = factories.staff_user("trainer", username="trainer", last_name="Есенов", first_name="Бақыт")
    methodist = factories.staff_user("methodist", username="methodist")
    cohort, (e,) = certified_cohort(director, trainer=trainer)
    support_activity_plan(
        cohort,
        by=methodist,
        form=SupportForm.CONSULTING,
        title="Онлайн-консультация по формативному оцениванию для выпускников курса",
        expected_result=RESULTS_RU[1],
        planned_on=timezone.localdate() + datetime.timedelta(days=9),
        responsible=trainer,
    )

    listener = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(listener, e.listener.user.username, base=live_server.url)
    listener.goto(f"{live_server.url}/cabinet/")
    listener.locator("[data-panel=support_year] a").first.click()
    expect(listener.locator("#plan")).to_contain_text("Онлайн-консультация")
    fits(listener)
    listener.goto(f"{live_server.url}/support/{e.pk}/consultations/")
    listener.locator("#ask select[name=kind]").select_option("question")
    listener.locator("#ask input[name=subject]").fill("Дескрипторы для группового проекта")
    listener.locator("#ask textarea[name=text]").fill("Как оценить вклад каждого ученика в групповой проект?")
    listener.locator("#ask button[type=submit]").click()
    expect(listener.locator("#thread")).to_contain_text("вклад каждого ученика")
    fits(listener)

    staff = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(staff, "trainer", base=live_server.url)
    staff.goto(f"{live_server.url}/staff/support/consultations/")
    fits(staff)
    staff.locator("#consultations a", has_text="Дескрипторы").click()
    staff.locator("#answer textarea[name=text]").fill("Добавьте лист самооценки и взаимооценки в группе.")
    staff.locator("#answer button[type=submit]").click()
    expect(staff.locator("#thread")).to_contain_text("лист самооценки")
    fits(staff)
    staff.goto(f"{live_server.url}/staff/support/cohort/{cohort.pk}/")
    expect(staff.locator("#plan")).to_contain_text("Онлайн-консультация")
    fits(staff)

    listener.reload()
    expect(listener.locator("#thread")).to_contain_text("лист самооценки")
    fits(listener)
