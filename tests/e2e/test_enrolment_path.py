"""An organisation's request to an enrolled teacher with an accepted contract, in a real browser.

A school's representative downloads the template, fills it in and uploads the list; the registrar accepts
the request; the registrar prepares the admission order and the director signs it; a teacher from the
list sets a password by e-mail, logs in, accepts the training contract and sees the timetable.

Selectors rely on URLs, field names and ids, not on translated text: the browser asks for Kazakh.
"""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from enrolment.enums import EnrolmentStatus, RequestStatus
from enrolment.iin import make_iin
from enrolment.models import Cohort, Enrolment, Partner, Representative, Session, TeacherRequest
from tests import factories
from tests.e2e.browser import log_in

TEACHERS = [
    ("Дүйсенова", "Ләззат", datetime.date(1988, 3, 14), True, "ldyusenova@example.kz"),
    ("Ахметов", "Серік", datetime.date(1979, 11, 2), False, "sakhmetov@example.kz"),
]


def click(page: Page, selector: str) -> None:
    page.locator(selector).click()
    page.wait_for_load_state()


@pytest.fixture
def world(db):
    factories.organisation()
    factories.staff_user("registrar", username="registrar")
    factories.staff_user("director", username="director", last_name="Мұратова", first_name="Сәуле")
    school = Partner.objects.create(name="№ 45 мектеп", kind="school", region="astana")
    user = factories.UserFactory(username="school", last_name="Омарова", first_name="Айнұр")
    Representative.objects.create(user=user, partner=school)
    starts = timezone.localdate() + datetime.timedelta(days=21)
    cohort = factories.cohort(code="E2E-004", starts_on=starts, ends_on=starts + datetime.timedelta(days=4))
    Cohort.objects.filter(pk=cohort.pk).update(is_published=True, capacity=10)
    Session.objects.create(
        cohort=cohort,
        date=starts,
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        hours=Decimal(4),
        place="Аудитория 305",
    )
    return cohort


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_schools_list_becomes_enrolled_teachers_with_accepted_contracts_001_18_000_3_6(
    live_server, page: Page, world
):
    cohort = world

    # ---- The school's representative ----------------------------------------------------------------------
    log_in(page, "school")
    page.goto("/partner/requests/new/")
    page.locator("main select[name=cohort]").select_option(str(cohort.pk))
    page.locator("main [name=letter_number]").fill("45-02/118")
    click(page, "main form.card button[type=submit]")
    request = TeacherRequest.objects.get()
    expect(page).to_have_url(re.compile(rf"/partner/requests/{request.pk}/"))

    # The template, filled in like a secretary would, and uploaded.
    page.goto(f"/partner/requests/{request.pk}/upload/")
    with page.expect_download() as download:
        page.evaluate("url => { window.location.href = url }", "/partner/requests/template.xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.active
    for i, (last, first, born, female, email) in enumerate(TEACHERS):
        sheet.append([make_iin(born, 4500 + i * 3, female), last, first, "", born, "Мұғалім", "Математика", email])
    filled = io.BytesIO()
    book.save(filled)
    page.goto(f"/partner/requests/{request.pk}/upload/")
    page.locator("main input[type=file]").set_input_files(
        files=[{"name": "teachers.xlsx", "mimeType": "application/octet-stream", "buffer": filled.getvalue()}]
    )
    click(page, "main form.card button[type=submit]")
    # The per-row report, then the list is saved.
    expect(page.locator("main table")).to_contain_text(TEACHERS[0][0])
    click(page, f"main form[action$='/partner/requests/{request.pk}/upload/confirm/'] button[type=submit]")
    assert request.teachers.count() == 2
    click(page, f"main form[action$='/partner/requests/{request.pk}/submit/'] button[type=submit]")
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    page.context.clear_cookies()

    # ---- The registrar accepts it and prepares the order --------------------------------------------------
    log_in(page, "registrar")
    page.goto(f"/staff/enrolment/requests/{request.pk}/")
    click(page, "#accept button[type=submit]")
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    enrolments = Enrolment.objects.filter(cohort=cohort)
    assert {e.status for e in enrolments} == {EnrolmentStatus.ADMITTED}

    page.goto(f"/staff/enrolment/cohorts/{cohort.pk}/orders/new/")
    page.locator("main [name=number]").fill("34-Қ")
    page.locator("main [name=responsible]").fill("Ли М. — регистратор")
    click(page, "main form.card button[type=submit]")
    order_url = page.url
    expect(page.locator("main")).to_contain_text(TEACHERS[1][0])
    page.context.clear_cookies()

    # ---- The director signs ------------------------------------------------------------------------------
    log_in(page, "director")
    page.goto(order_url)
    click(page, "main form[action$='/sign/'] button[type=submit]")
    assert {e.status for e in Enrolment.objects.filter(cohort=cohort)} == {EnrolmentStatus.ENROLLED}
    page.context.clear_cookies()

    # ---- A teacher sets a password by e-mail, accepts the contract, sees the timetable -------------------
    email = TEACHERS[0][4]
    mail.outbox.clear()
    page.goto("/accounts/password-reset/")
    page.locator("main [name=email]").fill(email)
    click(page, "main form button[type=submit]")
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    page.locator("[name=new_password1]").fill("Mektep-2026!")
    page.locator("[name=new_password2]").fill("Mektep-2026!")
    click(page, "main form button[type=submit]")

    teacher = Enrolment.objects.get(cohort=cohort, listener__user__email=email)
    log_in(page, teacher.listener.iin, password="Mektep-2026!")
    page.goto("/cabinet/")
    click(page, f"a[href='/cabinet/contracts/{teacher.contract.pk}/']")
    expect(page.locator("main")).to_contain_text("80%")
    page.locator("main form.card [name=agree]").check()
    click(page, "main form.card button[type=submit]")
    teacher.contract.refresh_from_db()
    assert teacher.contract.accepted_at is not None
    page.goto("/cabinet/")
    timetable = page.locator(f"#course-{teacher.pk} details.timetable")
    expect(timetable).to_be_visible()
    expect(timetable).to_contain_text("Аудитория 305")
