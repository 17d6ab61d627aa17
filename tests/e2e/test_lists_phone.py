"""Lists that grow, on a 390-px phone and in Kazakh: the public schedule of many cohorts is filtered by a form
whose values go into the address, paged with the filters kept, and never wider than the phone; the registrar's
list of listeners finds a listener by IIN (001 §15, 003 §4.4)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enrolment.models import Cohort
from programs.enums import Language
from tests import factories
from tests.e2e.browser import PHONE, fits, log_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_public_schedule_of_many_cohorts_is_filtered_and_paged_on_a_phone_001_15(live_server, new_context):
    factories.organisation()
    today = timezone.localdate()
    later = {"starts_on": today + datetime.timedelta(days=10), "ends_on": today + datetime.timedelta(days=14)}
    prog = factories.program(title_kk="Педагогтің кәсіби өсуі: зерттеушілік және цифрлық құзыреттіліктерді дамыту")
    factories.many_cohorts(prog, 40, enrolled=False, is_published=True, language=Language.RU, **later)
    factories.many_cohorts(prog, 12, enrolled=False, is_published=True, language=Language.KK, **later)
    page = new_context(viewport=PHONE).new_page()

    page.goto("/schedule/")
    fits(page)
    expect(page.locator("#pages")).to_be_visible()
    page.select_option("select[name=language]", Language.RU)
    page.locator("#filters button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert "language=ru" in page.url
    expect(page.locator("#found")).to_contain_text("40")
    fits(page)
    page.locator("#pages a[rel=next]").click()
    page.wait_for_load_state()
    assert "language=ru" in page.url and "page=2" in page.url
    expect(page.locator("select[name=language]")).to_have_value(Language.RU)
    rows = page.locator("#public-schedule tbody tr")
    assert rows.count() == 40 - 25
    assert Cohort.objects.filter(language=Language.KK).count() == 12
    fits(page)

    page.goto("/schedule/?starts_from=31.02.2026")
    expect(page.locator("#filters-invalid")).to_be_visible()
    fits(page)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_registrar_finds_a_listener_by_iin_on_a_phone(live_server, new_context):
    factories.organisation()
    factories.many_cohorts(factories.program(), 30)
    wanted = factories.listener(last_name="Іздестірілетін", first_name="Әлия")
    factories.enrolment(factories.cohort(code="FIND-1"), wanted)
    factories.staff_user("registrar", username="registrar")
    page = new_context(viewport=PHONE).new_page()
    log_in(page, "registrar")

    page.goto("/staff/enrolment/listeners/")
    fits(page)
    page.fill("#filters input[name=q]", wanted.iin)
    page.locator("#filters button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    expect(page.locator("#listeners tbody tr")).to_have_count(1)
    expect(page.locator("#listeners")).to_contain_text("Іздестірілетін")
    expect(page.locator("#listeners")).to_contain_text("FIND-1")
    fits(page)
