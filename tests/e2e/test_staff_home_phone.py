"""The registrar and a trainer log in on a phone in Kazakh and find their next step on their home page: the
work waiting with its count and link; the menu by duty folds on the phone; no page scrolls sideways at 390 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import ProjectWork
from enrolment.enums import ApplicationStatus
from enrolment.models import Application, Session, Trainer
from tests import factories
from tests.e2e.browser import PHONE, fits, log_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_registrar_and_a_trainer_find_their_next_step_on_a_phone_in_kazakh(live_server, new_context):
    factories.organisation()
    factories.staff_user("registrar", username="registrar")
    trainer = factories.staff_user("trainer", username="trainer")
    Trainer.objects.create(user=trainer, kind="staff")
    today = timezone.localdate()
    upcoming = factories.cohort(
        starts_on=today + datetime.timedelta(days=5), ends_on=today + datetime.timedelta(days=9)
    )
    Application.objects.create(
        listener=factories.listener(),
        cohort=upcoming,
        language="kk",
        funding=upcoming.funding,
        status=ApplicationStatus.SUBMITTED,
    )
    running = factories.cohort(starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=3))
    e = factories.enrolment(running)
    Session.objects.create(
        cohort=running, date=today, starts_at=datetime.time(23), ends_at=datetime.time(23, 45), hours=1, trainer=trainer
    )
    ProjectWork.objects.create(enrolment=e, title="Жоба", original_name="w.pdf", submitted_at=timezone.now())
    base = live_server.url

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "registrar", base=base)
    expect(page).to_have_url(f"{base}/staff/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    item = page.locator("#work-enrolment-applications")
    expect(item.locator(".work-count")).to_have_text("1")
    expect(item.locator(".work-deadline")).to_contain_text(upcoming.starts_on.strftime("%d.%m.%Y"))
    fits(page)
    # The menu is folded on the phone and opens by its summary, still within the screen.
    menu = page.locator("details.staff-menu-fold")
    expect(menu).not_to_have_attribute("open", "")
    menu.locator("summary").click()
    expect(page.locator(".staff-menu a[aria-current=page]")).to_be_visible()
    fits(page)
    item.locator("a.work-what").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/staff/enrolment/applications/?status=submitted")
    expect(page.locator("main")).to_contain_text(upcoming.code)

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "trainer", base=base)
    expect(page).to_have_url(f"{base}/staff/")
    first = page.locator("#waiting > li").first
    expect(first).to_have_attribute("id", "work-enrolment-today-sessions")
    expect(page.locator("#work-assessment-works-to-score .work-count")).to_have_text("1")
    fits(page)
    first.locator("a.work-what").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/staff/enrolment/my-day/")
