"""Exports on a 390-px phone in Kazakh: the registrar's export of the filtered schedule is a button that posts
and leads to its job's page; an old link to the export's address shows the button that starts it and starts
nothing by itself; a trainer's attendance page keeps its two sheets' buttons side by side within the phone
(001 §15, 001 §24)."""

import re

import pytest
from playwright.sync_api import expect

from enrolment.models import Session
from programs.enums import Language
from tests import factories
from tests.e2e.browser import PHONE, fits, log_in
from ziat.models import Job


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_schedules_export_is_started_by_its_button_and_an_old_link_starts_nothing_001_15(live_server, new_context):
    factories.organisation()
    factories.staff_user("registrar", username="registrar")
    prog = factories.program()
    factories.cohort(prog, language=Language.RU)
    factories.cohort(prog, language=Language.KK)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "registrar")

    page.goto("/staff/enrolment/schedule/?year=2026&language=ru")
    expect(page.locator("#export")).to_be_visible()
    fits(page)
    page.locator("#export").click()
    page.wait_for_load_state()
    job = Job.objects.get()
    expect(page).to_have_url(re.compile(rf"/jobs/{job.pk}/$"))
    assert "2026" in job.title and job.owner.username == "registrar"
    fits(page)

    # A bookmarked address of the export: a page with the button, nothing started until it is pressed.
    page.goto("/staff/enrolment/schedule/export.xlsx?year=2026&language=ru")
    expect(page.locator("#export-start button")).to_be_visible()
    fits(page)
    assert Job.objects.count() == 1
    page.locator("#export-start button").click()
    page.wait_for_load_state()
    assert Job.objects.count() == 2
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_attendance_sheets_buttons_fit_a_phone_and_the_excel_one_starts_its_job_001_24(live_server, new_context):
    factories.organisation()
    trainer = factories.staff_user("trainer", username="trainer")
    c = factories.cohort(factories.program())
    Session.objects.filter(pk__in=[s.pk for s in factories.sessions(c, ["4", "4"])]).update(trainer=trainer)
    factories.enrolment(c)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "trainer")

    page.goto(f"/staff/enrolment/cohorts/{c.pk}/attendance/")
    expect(page.locator("#sheets #export")).to_be_visible()
    fits(page)
    page.locator("#sheets #export").click()
    page.wait_for_load_state()
    job = Job.objects.get()
    assert job.owner_id == trainer.pk
    expect(page).to_have_url(re.compile(rf"/jobs/{job.pk}/$"))
