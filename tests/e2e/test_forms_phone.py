"""The Kazakh application form on a 390-px phone: a wrong e-mail and a too-long name show Kazakh messages beside
their own fields, the IIN fills the date of birth and the sex as it is typed (SPEC 2.3), and a second click on the
button sends nothing more."""

import datetime

import pytest
from playwright.sync_api import expect

from enrolment.iin import make_iin
from enrolment.models import Listener
from tests.e2e.browser import PHONE, fits
from tests.enrolment.test_requests_services import open_cohort

BORN = datetime.date(1986, 9, 14)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_kazakh_application_form_on_a_phone_2_3(live_server, new_context, org, tmp_path):
    cohort = open_cohort()
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"/apply/{cohort.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    iin = make_iin(BORN, 4321, female=True)
    # Typed as a person types: the date of birth and the sex appear from the IIN.
    page.locator("#id_iin").press_sequentially(iin)
    expect(page.locator("#id_birth_date")).to_have_value("1986-09-14")
    expect(page.locator("#id_sex_0")).to_be_checked()  # Әйел
    # The browser stops at maxlength; a longer value (sent by an older browser or a script) is refused by the server.
    page.locator("#id_last_name").evaluate("input => input.removeAttribute('maxlength')")
    page.locator("#id_last_name").fill("Ә" * 151)
    page.locator("#id_first_name").fill("Әйгерім")
    page.locator("#id_email").fill("x@y")
    page.locator("#id_password1").fill("Kurs-2026-secret")
    page.locator("#id_password2").fill("Kurs-2026-secret")
    page.locator("form:has(#id_iin) button[type=submit]").click()
    page.wait_for_load_state()

    email = page.locator(".field:has(#id_email)")
    expect(email.locator(".errorlist")).to_have_text("Дұрыс электрондық пошта мекенжайын енгізіңіз.")
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    last_name = page.locator(".field:has(#id_last_name)")
    expect(last_name.locator(".errorlist")).to_have_text("Бұл мәнде ең көбі 150 таңба болуы тиіс (қазір 151).")
    # Each message stands under its own input, above the next field's label.
    email_box = page.locator("#id_email").bounding_box()
    error_box = email.locator(".errorlist").bounding_box()
    next_label = page.locator("label[for=id_password1]").bounding_box()
    assert email_box["y"] < error_box["y"] < next_label["y"]
    # The fields without errors carry none; the summary above the form links to the e-mail.
    expect(page.locator(".field:has(#id_first_name) .errorlist")).to_have_count(0)
    expect(page.locator(".error-summary a[href='#id_email']")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Enter a valid")
    expect(page.locator("body")).not_to_contain_text("Ensure this value")
    fits(page)
    page.screenshot(path=str(tmp_path / "apply-errors-kk-390.png"), full_page=True)

    # Corrected and sent with a double click: one account.
    page.locator("#id_last_name").fill("Сәрсенова")
    page.locator("#id_email").fill("aigerim@example.kz")
    page.locator("#id_password1").fill("Kurs-2026-secret")
    page.locator("#id_password2").fill("Kurs-2026-secret")
    page.locator("form:has(#id_iin) button[type=submit]").dblclick()
    page.wait_for_url("**/cabinet/applications/**")
    listener = Listener.objects.get()
    assert (listener.birth_date, listener.sex) == (BORN, "f")
