"""The cohort's messages page in a browser, in Kazakh, on a phone and a desktop: the registrar writes to the
cohort's listeners, the sending is listed, the page never scrolls sideways; the listener reads it in the cabinet."""

import os

import pytest
from playwright.sync_api import Page, expect

from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment
from tests import factories
from tests.e2e.browser import log_in

SHOTS = os.environ.get("ZIAT_SCREENS_DIR")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_registrar_writes_to_the_cohort_and_the_listener_reads_it(live_server, page: Page, new_context, width):
    factories.organisation()
    factories.staff_user("registrar", username="registrar", last_name="Жанова", first_name="Ләззат")
    cohort = factories.cohort()
    reader = factories.enrolment(cohort, factories.listener(last_name="Әбенова")).listener
    for name in ("Бекова", "Ғалиева", "Дәулетова"):
        factories.enrolment(cohort, factories.listener(last_name=name))
    Enrolment.objects.filter(listener__user__last_name="Ғалиева").update(status=EnrolmentStatus.EXPELLED)

    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "registrar")
    page.goto(f"/staff/enrolment/cohorts/{cohort.pk}/messages/")
    expect(page.locator("h1")).to_contain_text(cohort.code)
    form = page.locator("form#write")
    expect(form.locator("input[name=listeners]")).to_have_count(3)  # the expelled listener is not offered
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, f"cohort-messages-empty-{width}")
    form.locator("input[name=subject]").fill("Ертеңгі сабақ")
    form.locator("textarea[name=body]").fill("Сабақ 10:00-де 204 аудиторияда басталады.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("#mailings tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".recipients")).to_have_text("3")
    expect(row.locator(".readers")).to_have_text("0")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, f"cohort-messages-sent-{width}")

    listener_page = new_context().new_page()
    listener_page.set_viewport_size({"width": width, "height": 900})
    log_in(listener_page, reader.user.username)
    listener_page.goto("/cabinet/messages/")
    expect(listener_page.locator("body")).to_contain_text("Ертеңгі сабақ")
    page.reload()
    expect(page.locator("#mailings tbody tr .readers")).to_have_text("1")
