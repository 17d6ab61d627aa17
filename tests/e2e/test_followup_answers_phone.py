"""A listener asks for more support in the follow-up questionnaire on a phone; the methodist finds the request on
the staff home, reads the answer and marks it handled, on a phone too (001 §34); no page scrolls sideways at
390 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from postcourse.models import FollowUp
from tests import factories
from tests.e2e.browser import PHONE, fits, log_in
from tests.postcourse.helpers import certified_cohort

EXAMPLE = (
    "На уроке математики в 7 классе ввела листы самооценки с дескрипторами и "
    "критериальнооцениваемымиматематическимизаданиями для групповой работы."
)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_request_for_more_support_is_read_and_handled_on_phones_001_34(live_server, new_context):
    factories.organisation()
    director = factories.staff_user("director")
    trainer = factories.staff_user("trainer", username="trainer")
    factories.staff_user("methodist", username="methodist", last_name="Әдіскерова", first_name="Сәуле")
    cohort, (e,) = certified_cohort(director, trainer=trainer, ended=120)
    three = FollowUp.objects.get(enrolment=e, months=3)
    assert three.due_on <= timezone.localdate() < three.due_on + datetime.timedelta(days=60)

    listener = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(listener, e.listener.user.username, base=live_server.url)
    listener.goto(f"{live_server.url}/cabinet/follow-up/{three.pk}/")
    listener.locator("#follow-up-form input[name=applying]").first.check()
    listener.locator("#follow-up-form textarea[name=example]").fill(EXAMPLE)
    listener.locator("#follow-up-form textarea[name=obstacles]").fill("Не хватает времени на подготовку.")
    listener.locator("#follow-up-form input[name=wants_support]").check()
    listener.locator("#follow-up-form button[type=submit]").click()
    expect(listener.locator("#support-request")).to_be_visible()
    fits(listener)

    staff = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(staff, "methodist", base=live_server.url)
    staff.goto(f"{live_server.url}/staff/")
    item = staff.locator("#work-postcourse-support-requests")
    expect(item.locator(".work-count")).to_have_text("1")
    item.locator("a").click()
    row = staff.locator(f"#follow-up-{three.pk}")
    expect(row).to_contain_text("критериальнооцениваемымиматематическимизаданиями")
    expect(row).to_contain_text("Не хватает времени")
    fits(staff)
    row.locator("summary").click()
    row.locator("textarea[name=note]").fill("Позвонили, записали на консультацию.")
    fits(staff)
    row.locator("button[type=submit]").click()
    expect(staff.locator("#empty")).to_be_visible()  # the list of those waiting is empty now
    fits(staff)
    staff.goto(f"{live_server.url}/staff/support/cohort/{cohort.pk}/follow-ups/")
    expect(staff.locator(f"#follow-up-{three.pk} .support")).to_contain_text("Әдіскерова")
    fits(staff)
    staff.goto(f"{live_server.url}/staff/")
    expect(staff.locator("#work-postcourse-support-requests")).to_have_count(0)

    listener.reload()
    expect(listener.locator("#support-request")).to_be_visible()
    fits(listener)
