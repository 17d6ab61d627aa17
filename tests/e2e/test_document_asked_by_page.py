"""A document not asked for yet, opened in a browser (SPEC 5.1): reading its address changes nothing; the page
asks for it by a POST that its script sends at once, and the browser ends on the PDF itself."""

import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError

from certificates.models import Certificate
from tests import factories
from tests.certificates.helpers import issued
from tests.e2e.browser import log_in
from tests.factories import PASSWORD
from ziat.models import StoredDocument


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_page_of_a_document_not_asked_for_asks_for_it_and_opens_the_pdf_5_1(live_server, new_context):
    factories.organisation()
    director = factories.staff_user("director", username="director")
    certificate = issued(director, last_name="Браузерова", first_name="Айша")
    Certificate.objects.filter(pk=certificate.pk).update(certificate_document=None)
    StoredDocument.objects.filter(kind="certificates.certificate").delete()
    user = certificate.enrolment.listener.user
    user.set_password(PASSWORD)
    user.save()

    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, user.username)

    seen = []
    url = f"/cabinet/certificates/{certificate.pk}/certificate.pdf"
    page.on("response", lambda r: r.url.endswith(url) and seen.append((r.request.method, r.status)))
    # A PDF may open as a download, which ends the navigation with an error.
    with (
        page.expect_response(lambda r: r.url.endswith(url) and r.status == 200, timeout=60_000) as answer,
        contextlib.suppress(PlaywrightError),
    ):
        page.goto(url)
    assert answer.value.headers["content-type"] == "application/pdf"
    # First the page that asks (202), then its POST (302), then the file.
    assert seen[:3] == [("GET", 202), ("POST", 302), ("GET", 200)], seen
    certificate.refresh_from_db()
    assert certificate.certificate_document.status == StoredDocument.Status.READY
