"""The walking skeleton through a real browser: approved program → cohort → attendance → result → certificate → QR.

Act 1: with an approved program, the director registers a listener in the back-office, then on the staff
pages opens a cohort, plans its timetable, marks attendance, records the final test and issues the
certificate.
Act 2: the listener sees the outcome in the cabinet, downloads the PDF and switches the language.
Act 3: a stranger opens the QR code's page on a phone.

Selectors rely on URLs, field names, ids and data attributes, not on translated text: the UI speaks Kazakh
by default and the catalogues change.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessment.models import FinalResult
from certificates.models import Certificate
from enrolment.iin import make_iin
from enrolment.models import Attendance, Cohort, Listener, Trainer
from programs.enums import ProgramStatus
from programs.models import Topic
from tests import factories
from tests.e2e.browser import log_in

LISTENER_PASSWORD = "Kursant-2026!"
LAST_NAME, FIRST_NAME, MIDDLE_NAME = "Сәрсенова", "Әйгерім", "Қайратқызы"
PROGRAM_KK = "Педагогтің цифрлық құзыреттілігі"
PROGRAM_RU = "Цифровая компетентность педагога"


def admin_save(page: Page, button: str = "_save") -> None:
    """Press one of the admin's submit buttons (_save, _continue) and expect no form errors."""
    page.locator(f"#content-main input[name={button}]").click()
    page.wait_for_load_state()
    expect(page.locator(".errornote, .errorlist")).to_have_count(0)


def staff_save(page: Page, form: str) -> None:
    """Submit a staff page's form and expect no form errors."""
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".errorlist")).to_have_count(0)


def fill(page: Page, values: dict) -> None:
    for name, value in values.items():
        page.locator(f"[name='{name}']").fill(str(value))


@pytest.fixture
def people(db):
    factories.organisation()
    director = factories.staff_user("director", username="director", last_name="Мұратова", first_name="Сәуле")
    trainer = factories.staff_user("trainer", username="trainer", last_name="Есенов", first_name="Бақыт")
    Trainer.objects.create(user=trainer, kind="staff")
    return director, trainer


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_walking_skeleton(live_server, page: Page, new_context, people):
    base = live_server.url
    _director, trainer = people
    today = timezone.localdate()
    starts_on = today - datetime.timedelta(days=14)
    iin = make_iin(datetime.date(1986, 5, 17), 4321, female=True)

    # ---- Act 1: the director, from the work waiting for them ---------------------------------------------
    log_in(page, "director")
    expect(page).to_have_url(f"{base}/staff/")

    # The approved program (its own path, from draft to approval, is the programs journey's test).
    program = factories.program(
        modules=((("1.1", 2, 2, 0, 0, 0), ("1.2", 2, 0, 2, 0, 0)),), title_kk=PROGRAM_KK, title_ru=PROGRAM_RU
    )
    assert program.status == ProgramStatus.APPROVED

    # A listener with an IIN and a cabinet password.
    page.goto("/admin/enrolment/listener/add/")
    fill(
        page,
        {
            "last_name": LAST_NAME,
            "first_name": FIRST_NAME,
            "middle_name": MIDDLE_NAME,
            "iin": iin,
            "email": "aigerim@example.kz",
            "workplace": "№ 7 мектеп-гимназиясы",
            "position": "Мұғалім",
            "password": LISTENER_PASSWORD,
        },
    )
    admin_save(page)
    listener = Listener.objects.get(iin=iin)

    # A cohort of the program, on the schedule's staff page.
    page.goto("/staff/enrolment/schedule/new/")
    page.locator("select[name=program]").select_option(str(program.pk))
    fill(
        page,
        {
            "code": "E2E-01",
            "starts_on": starts_on.isoformat(),
            "ends_on": (starts_on + datetime.timedelta(days=1)).isoformat(),
            "test_max_score": 25,
            "test_pass_score": 17,
        },
    )
    staff_save(page, "main form.card")
    cohort = Cohort.objects.get(code="E2E-01")
    expect(page).to_have_url(f"{base}/staff/enrolment/schedule/{cohort.pk}/")

    # Its timetable: two sessions of 4 hours, one per topic, with the trainer (trainer clashes are checked).
    page.locator(f"a[href='/staff/enrolment/cohorts/{cohort.pk}/timetable/']").click()
    topics = list(Topic.objects.filter(module__version=cohort.version).order_by("module__position", "position"))
    for i, topic in enumerate(topics):
        fill(
            page,
            {
                "date": (starts_on + datetime.timedelta(days=i)).isoformat(),
                "starts_at": "09:00",
                "ends_at": "12:00",
                "hours": 4,
            },
        )
        page.locator("#session-form select[name=topic]").select_option(str(topic.pk))
        page.locator("#session-form select[name=trainer]").select_option(str(trainer.pk))
        staff_save(page, "#session-form")
    assert cohort.sessions.count() == 2

    # The listener is admitted (the admission path is the enrolment journey's test).
    factories.enrolment(cohort, listener)

    # Attendance: the grid is linked from the cohort's page; both sessions marked.
    page.goto(f"/staff/enrolment/schedule/{cohort.pk}/")
    page.locator(f"a[href='/staff/enrolment/cohorts/{cohort.pk}/attendance/']").click()
    marks = page.locator("#attendance-grid select[name^=m-]")
    expect(marks).to_have_count(2)
    marks.nth(0).select_option("present")
    marks.nth(1).select_option("late")
    page.locator("#attendance-grid button[type=submit]").click()
    page.wait_for_load_state()
    assert set(Attendance.objects.filter(session__cohort=cohort).values_list("status", flat=True)) == {
        "present",
        "late",
    }

    # Results, linked from the cohort's page: a score above the maximum is refused beside its field and
    # nothing is saved ...
    page.goto(f"/staff/enrolment/schedule/{cohort.pk}/")
    page.locator("#final-results-link").click()
    score = page.locator("#results input[name^=score-]")
    score.fill("30")
    page.locator("#results button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    expect(page.locator("#results .errorlist li")).to_contain_text("25")
    assert not FinalResult.objects.filter(enrolment__cohort=cohort).exists()
    # ... a passing score is saved.
    score.fill("21")
    page.locator("#results button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    expect(page.locator("#results .errorlist")).to_have_count(0)
    assert FinalResult.objects.get(enrolment__cohort=cohort).score == 21

    # Certificates, linked from the cohort's page: issue.
    page.goto(f"/staff/enrolment/schedule/{cohort.pk}/")
    page.locator("#certificates-link").click()
    page.locator("#issue-form button[name=issue]").click()
    page.wait_for_load_state()
    certificate = Certificate.objects.get(enrolment__cohort=cohort)
    expect(page.locator("#certificates")).to_contain_text(certificate.registration_number)

    page.locator("header form[action='/accounts/logout/'] button").click()
    expect(page).to_have_url(f"{base}/")  # logged out, back on the public home page

    # ---- Act 2: the listener, in the cabinet -------------------------------------------------------------
    log_in(page, iin, password=LISTENER_PASSWORD)
    expect(page).to_have_url(f"{base}/cabinet/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    course = page.locator("section.course")
    expect(course).to_contain_text(re.compile(r"100([.,]0+)?\s*%"))
    expect(course.locator(".ok")).to_be_visible()  # passed
    expect(course).to_contain_text(certificate.registration_number)

    pdf_href = course.locator(f"a[href$='/cabinet/certificates/{certificate.pk}/certificate.pdf']").get_attribute(
        "href"
    )
    response = page.request.get(pdf_href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The language switcher: each button reloads the page in its language.
    for code, passed in (("en", "Passed"), ("ru", None), ("kk", None)):
        page.locator(f"header .lang-switcher button[value={code}]").click()
        page.wait_for_load_state()
        expect(page).to_have_url(f"{base}/cabinet/")
        expect(page.locator("html")).to_have_attribute("lang", code)
        if passed:
            expect(course.locator(".ok")).to_have_text(passed)

    # ---- Act 3: a stranger scans the QR code with a phone -------------------------------------------------
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    stranger = phone.new_page()
    stranger.goto(certificate.verification_path)
    expect(stranger.locator("[data-state=valid]")).to_be_visible()
    expect(stranger.locator(".holder")).to_have_text(f"{LAST_NAME} {FIRST_NAME} {MIDDLE_NAME}")
    expect(stranger.locator("main")).to_contain_text(certificate.registration_number)
    assert iin not in stranger.content()
    # The page fits the phone's width: no sideways scrolling.
    assert stranger.evaluate("document.documentElement.scrollWidth") <= 390
