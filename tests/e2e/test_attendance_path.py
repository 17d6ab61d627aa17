"""Attendance in a real browser (001 §24): the trainer marks the grid; a listener checks in with the QR code.

Selectors rely on URLs, field names and ids, not on translated text: the browser asks for Kazakh.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from enrolment.enums import AttendanceStatus
from enrolment.models import Attendance, CheckIn, Session, Trainer
from enrolment.services.checkin import checkin_code
from tests import factories
from tests.e2e.browser import log_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_trainer_marks_the_grid_and_a_listener_checks_in_by_qr_001_24(live_server, page: Page, new_context):
    factories.organisation()
    trainer = factories.staff_user("trainer", username="trainer")
    Trainer.objects.create(user=trainer, kind="staff")
    now = timezone.localtime()
    today = now.date()
    group = factories.cohort(starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=3))
    yesterday = Session.objects.create(
        cohort=group,
        date=today - datetime.timedelta(days=1),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        hours=Decimal(4),
        trainer=trainer,
        place="Аудитория 204",
    )
    # A session running now, for the check-in.
    running = Session.objects.create(
        cohort=group,
        date=today,
        starts_at=max(now - datetime.timedelta(minutes=10), now.replace(hour=0, minute=0))
        .time()
        .replace(second=0, microsecond=0),
        ends_at=min(now + datetime.timedelta(hours=1), now.replace(hour=23, minute=59, second=59)).time(),
        hours=Decimal("0.5"),
        trainer=trainer,
        place="Аудитория 204",
    )
    first, second = factories.enrolment(group), factories.enrolment(group)

    # ---- The trainer marks yesterday's session on the grid -----------------------------------------------
    log_in(page, "trainer")
    # The trainer lands on the work waiting: yesterday's session with nobody marked leads to the grid.
    expect(page).to_have_url(re.compile(r"/staff/$"))
    page.locator("#work-enrolment-attendance-to-mark a.work-what").click()
    expect(page).to_have_url(re.compile(rf"/staff/enrolment/cohorts/{group.pk}/attendance/$"))
    page.locator(f"select[name=m-{yesterday.pk}-{first.pk}]").select_option("present")
    page.locator(f"select[name=m-{yesterday.pk}-{second.pk}]").select_option("excused")
    page.locator("#attendance-grid button[type=submit]").click()
    page.wait_for_load_state()
    marks = dict(Attendance.objects.filter(session=yesterday).values_list("enrolment_id", "status"))
    assert marks == {first.pk: AttendanceStatus.PRESENT, second.pk: AttendanceStatus.EXCUSED}

    # ---- The QR page shows a code; a listener opens it on a phone ----------------------------------------
    page.goto(f"/staff/enrolment/sessions/{running.pk}/checkin/")
    expect(page.locator("main img")).to_have_count(1)
    # On the full screen (a projector): the code fills the screen's height, beside the session and a countdown.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.locator("#checkin-full-screen").click()
    qr = page.locator("#checkin-qr")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["height"] >= 768 * 0.6
    expect(page.locator("main h1")).not_to_be_empty()
    expect(page.locator("main header")).to_contain_text(group.code)
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^0:[0-3]\d$"))
    assert page.evaluate("document.documentElement.scrollHeight") <= 768
    code = checkin_code(running)
    phone = new_context(viewport={"width": 390, "height": 844})
    listener_page = phone.new_page()
    log_in(listener_page, first.listener.user.username, base=live_server.url)
    listener_page.goto(f"{live_server.url}/checkin/{running.pk}/{code}/")
    assert CheckIn.objects.filter(session=running, enrolment=first).exists()
    assert Attendance.objects.get(session=running, enrolment=first).status == AttendanceStatus.PRESENT
    # The same code again is refused and changes nothing.
    listener_page.goto(f"{live_server.url}/checkin/{running.pk}/{code}/")
    assert CheckIn.objects.filter(session=running).count() == 1
    phone.close()
