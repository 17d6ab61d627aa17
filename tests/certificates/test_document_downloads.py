"""Downloading an issued document only reads (SPEC 5.1, 000 §3.8): its file is asked for when the record is
issued; a download that comes before the file is made, or after its making failed, says so and changes nothing,
and the page's "Try again" (a POST) asks for the file again."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate
from tests.certificates.helpers import issued
from tests.factories import write_statements
from ziat.models import StoredDocument


@pytest.fixture
def certificate(db, org, director, client):
    certificate = issued(director, last_name="Жүктеуова", first_name="Дана")
    client.force_login(certificate.enrolment.listener.user)
    return certificate


def _url(certificate, part="certificate"):
    return f"/cabinet/certificates/{certificate.pk}/{part}.pdf"


def _get_writing_nothing(client, url):
    with CaptureQueriesContext(connection) as downloading:
        response = client.get(url)
    assert write_statements(downloading) == []
    return response


def _retry_form(response, url):
    return re.search(rf'<form method="post" action="{re.escape(url)}"', response.content.decode())


def test_a_download_before_the_file_is_asked_for_says_it_is_being_prepared_and_writes_nothing_5_1(client, certificate):
    # As between the certificate's commit and the request of its files by the issuing task.
    Certificate.objects.filter(pk=certificate.pk).update(certificate_document=None)
    url = _url(certificate)
    response = _get_writing_nothing(client, url)
    assert response.status_code == 202
    # The page's form asks for the file (its script sends it at once).
    assert "data-auto-submit" in response.content.decode() and "ziat/js/auto-submit.js" in response.content.decode()
    assert _retry_form(response, url)
    certificate.refresh_from_db()
    assert certificate.certificate_document is None

    # "Prepare it again": the file is asked for, and the page opens it.
    answer = client.post(url)
    assert answer.status_code == 302 and answer["Location"] == url
    certificate.refresh_from_db()
    assert certificate.certificate_document.status == StoredDocument.Status.READY
    served = _get_writing_nothing(client, url)
    assert served.status_code == 200 and served.content.startswith(b"%PDF")


def test_a_file_whose_making_failed_is_asked_for_again_only_by_the_pages_button_5_1(client, certificate):
    document = certificate.appendix_document
    StoredDocument.objects.filter(pk=document.pk).update(status=StoredDocument.Status.FAILED, error="Boom")
    url = _url(certificate, "appendix")
    response = _get_writing_nothing(client, url)
    assert response.status_code == 500
    assert document.filename in response.content.decode()
    assert _retry_form(response, url)
    assert StoredDocument.objects.get(pk=document.pk).status == StoredDocument.Status.FAILED

    assert client.post(url).status_code == 302
    document.refresh_from_db()
    assert document.status == StoredDocument.Status.READY
    served = _get_writing_nothing(client, url)
    assert served.status_code == 200 and served.content.startswith(b"%PDF")


def test_another_listener_cannot_ask_for_someone_elses_file_5_1(client, certificate, director):
    Certificate.objects.filter(pk=certificate.pk).update(certificate_document=None)
    other = issued(director, last_name="Бөтенова", first_name="Әсел")
    client.force_login(other.enrolment.listener.user)
    assert client.post(_url(certificate)).status_code == 404
    certificate.refresh_from_db()
    assert certificate.certificate_document is None
