"""Feedback after the course on a phone, 390 px wide with no sideways scrolling: the listener answers the
follow-up questionnaire (001 §34) and the satisfaction questionnaire (000 §4.5 4)); the school reads its
teachers and adds an observation (001 §35); the registrar confirms a cohort's NOBD data (001 §19)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enrolment.models import Partner, Representative, RequestedTeacher, TeacherRequest
from monitoring.models import NobdDeadline, SatisfactionReceipt
from monitoring.nobd import nobd_deadlines_ensure
from postcourse.models import FollowUp, SchoolObservation
from postcourse.services import support_period_open
from programs.models import VersionText
from tests import factories
from tests.e2e.browser import PHONE, fits, log_in

LONG = "Оқушылардың функционалдық сауаттылығын дамытуға бағытталған критериалды бағалау тапсырмаларын құрастырады"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_feedback_pages_fit_a_phone_001_34_001_35_000_4_5_001_19(live_server, new_context):
    factories.organisation()
    today = timezone.localdate()
    prog = factories.program(title_kk="Педагогтің кәсіби өсуі: зерттеушілік және цифрлық құзыреттіліктерді дамыту")
    ended = factories.cohort(
        prog, starts_on=today - datetime.timedelta(days=104), ends_on=today - datetime.timedelta(days=100)
    )
    VersionText.objects.create(version=ended.version, language="kk", expected_results=[LONG, "Сабақ жоспарлайды."])
    e = factories.enrolment(ended)
    support_period_open(e)
    running = factories.cohort(
        prog, starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=2)
    )
    factories.enrolment(running, e.listener)
    school = Partner.objects.create(name="№ 45 мектеп-гимназиясы", kind="school")
    rep = factories.UserFactory(username="school")
    Representative.objects.create(user=rep, partner=school)
    request = TeacherRequest.objects.create(partner=school, cohort=ended, created_by=rep, status="accepted")
    u = e.listener.user
    RequestedTeacher.objects.create(
        request=request,
        row=1,
        iin=e.listener.iin,
        last_name=u.last_name,
        first_name=u.first_name,
        birth_date=e.listener.birth_date,
        listener=e.listener,
    )
    factories.staff_user("registrar", username="registrar")
    nobd_deadlines_ensure()  # as the scheduler's task does every few minutes; the page itself only reads

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, u.username)
    page.goto("/cabinet/")
    fits(page)
    three = FollowUp.objects.get(enrolment=e, months=3)
    page.locator(f"a[href='/cabinet/follow-up/{three.pk}/']").click()
    page.wait_for_load_state()
    fits(page)
    page.locator("input[name=applying][value=regularly]").check()
    page.locator("input[name=results_applied]").first.check()
    page.locator("textarea[name=example]").fill("7-сыныпта рубрика қолданамын.")
    page.locator("#follow-up-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#answered")).to_be_visible()
    three.refresh_from_db()
    assert three.results_applied == [LONG]

    page.goto(f"/monitoring/satisfaction/{running.pk}/answer/")
    fits(page)
    for name in ("content", "organisation", "teaching"):
        page.locator(f"input[name={name}][value='5']").check()
    page.locator("#satisfaction-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#answered")).to_be_visible()
    assert SatisfactionReceipt.objects.count() == 1
    page.context.clear_cookies()

    log_in(page, "school")
    page.goto("/partner/")
    page.locator("#school-teachers-link").click()
    page.wait_for_load_state()
    fits(page)
    page.locator(f"a[href='/partner/teachers/{e.pk}/observation/']").click()
    page.wait_for_load_state()
    fits(page)
    page.locator("input[name=applying][value=sometimes]").check()
    page.locator("textarea[name=text]").fill("Ашық сабақта топтық жұмыс болды.")
    page.locator("#observation-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#observations")).to_contain_text("Ашық сабақта топтық жұмыс болды.")
    assert SchoolObservation.objects.count() == 1
    page.context.clear_cookies()

    log_in(page, "registrar")
    page.goto("/monitoring/nobd/")
    fits(page)
    page.locator("#nobd button[type=submit]").first.click()
    page.wait_for_load_state()
    fits(page)
    assert NobdDeadline.objects.filter(confirmed_at__isnull=False).count() == 1
