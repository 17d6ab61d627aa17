"""The director, on a phone in Kazakh, issues a duplicate of a lost certificate and then a corrected reissue, and
finds both in the register (SPEC 5.6, 000 §3.8, 003 §7.6); no page scrolls sideways at 390 px."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate, CertificateDuplicate
from tests import factories
from tests.certificates.helpers import issued
from tests.e2e.browser import PHONE, fits, log_in
from ziat.models import StoredDocument


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_director_issues_a_duplicate_and_a_corrected_reissue_on_a_phone_5_6(live_server, new_context):
    factories.organisation()
    director = factories.staff_user("director", username="director", last_name="Мұратова", first_name="Сәуле")
    certificate = issued(director, on=datetime.date(2026, 3, 10), last_name="Сәрсенова")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, "director", base=live_server.url)

    # ---- The certificate's page: what it prints, its files, and the forms -----------------------------------
    page.goto(f"{live_server.url}/staff/certificates/{certificate.pk}/")
    expect(page.locator("#printed")).to_contain_text(certificate.registration_number)
    sha256 = StoredDocument.objects.get(pk=certificate.certificate_document_id).sha256
    assert sha256
    expect(page.locator("#files")).to_contain_text(sha256)
    fits(page)

    # ---- A duplicate of the lost original --------------------------------------------------------------------
    page.locator("#duplicate-form input[value=lost]").check()
    page.locator("#duplicate-form textarea[name=note]").fill("Өтініш бойынша")
    page.locator("#duplicate-form button[type=submit]").click()
    page.wait_for_load_state()
    duplicate = CertificateDuplicate.objects.get()
    expect(page.locator(f"#duplicate-{duplicate.pk}")).to_be_visible()
    fits(page)

    # ---- A corrected reissue: a new number, the old one says "replaced by" -----------------------------------
    page.locator("#reissue-form textarea[name=note]").fill("Тегі түзетілді")
    page.locator("#reissue-form button[type=submit]").click()
    page.wait_for_load_state()
    new = Certificate.objects.get(replaces=certificate)
    expect(page).to_have_url(re.compile(rf"/staff/certificates/{new.pk}/$"))
    expect(page.locator("#replaces")).to_contain_text(certificate.registration_number)
    fits(page)

    # ---- The register, filtered by state ------------------------------------------------------------------
    page.goto(f"{live_server.url}/staff/certificates/")
    expect(page.locator("#register")).to_contain_text(new.registration_number)
    fits(page)
    page.locator("#filters select[name=state]").select_option("replaced")
    page.locator("#filters button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    rows = page.locator("#register tbody tr[data-certificate]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(certificate.registration_number)
    fits(page)
