"""Certificates recorded before their printed fields were kept (000 App. 1-2): ``prepare_legacy_documents`` takes
their snapshot and asks for their files once, so that downloading a certificate only reads."""

import io
import re

import pypdfium2 as pdfium
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.lifecycle import duplicate_issue
from certificates.models import Certificate, CertificateDuplicate, Reference
from certificates.references import reference_register
from tests.certificates.helpers import course, enrol, issued
from tests.factories import write_statements
from ziat.models import Organisation, StoredDocument


def _text(content):
    return re.sub(r"\s+", " ", " ".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(content)))


def _legacy(certificate):
    """The certificate as it was recorded before snapshots and stored files: its row and its lines only."""
    Certificate.objects.filter(pk=certificate.pk).update(snapshot={}, certificate_document=None, appendix_document=None)
    StoredDocument.objects.filter(kind__startswith="certificates.").delete()


def _prepare():
    out = io.StringIO()
    call_command("prepare_legacy_documents", stdout=out)
    return dict(line.split(": ") for line in out.getvalue().splitlines())


@pytest.fixture
def legacy(db, org, director, client):
    certificate = issued(director, last_name="Ескіжазба", first_name="Айгүл")
    _legacy(certificate)
    client.force_login(certificate.enrolment.listener.user)
    return certificate


def test_a_legacy_certificates_download_takes_no_snapshot_and_writes_nothing(legacy, client):
    url = f"/cabinet/certificates/{legacy.pk}/certificate.pdf"
    with CaptureQueriesContext(connection) as downloading:
        response = client.get(url)
    assert response.status_code == 503
    assert write_statements(downloading) == []
    legacy.refresh_from_db()
    assert legacy.snapshot == {} and not StoredDocument.objects.exists()


def test_the_command_prepares_the_legacy_certificate_once_then_its_download_only_reads(legacy, client, org):
    assert _prepare()["certificates"] == "1"
    legacy.refresh_from_db()
    assert legacy.snapshot["holder"] == "Ескіжазба Айгүл"
    assert legacy.snapshot["organisation"]["name"]["ru"] == org.name_ru
    assert legacy.certificate_document.status == legacy.appendix_document.status == StoredDocument.Status.READY
    # A second run finds nothing left to prepare.
    assert _prepare() == {"certificates": "0", "duplicates": "0", "references": "0", "internship_certificates": "0"}
    for part in ("certificate", "appendix"):
        with CaptureQueriesContext(connection) as downloading:
            response = client.get(f"/cabinet/certificates/{legacy.pk}/{part}.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert write_statements(downloading) == []
    assert "Ескіжазба Айгүл" in _text(client.get(f"/cabinet/certificates/{legacy.pk}/certificate.pdf").content)


def test_the_printed_fields_are_those_of_the_preparation_not_of_a_later_download(legacy, client, org):
    _prepare()
    before = client.get(f"/cabinet/certificates/{legacy.pk}/certificate.pdf").content
    Organisation.objects.filter(pk=org.pk).update(name_ru="Переименованный центр", name_kk="Жаңа атау")
    legacy.refresh_from_db()
    assert legacy.snapshot["organisation"]["name"]["ru"] == org.name_ru
    assert client.get(f"/cabinet/certificates/{legacy.pk}/certificate.pdf").content == before


def test_the_command_asks_for_the_missing_files_of_duplicates_and_references(db, org, director, client):
    certificate = issued(director)
    duplicate = duplicate_issue(certificate, by=director, reason="lost")
    reference = reference_register(enrol(course(), hours=6, test=None), by=director)
    CertificateDuplicate.objects.filter(pk=duplicate.pk).update(certificate_document=None, appendix_document=None)
    Reference.objects.filter(pk=reference.pk).update(document=None)
    counts = _prepare()
    assert (counts["certificates"], counts["duplicates"], counts["references"]) == ("0", "1", "1")
    duplicate.refresh_from_db()
    reference.refresh_from_db()
    assert duplicate.certificate_document_id and duplicate.appendix_document_id and reference.document_id
    client.force_login(certificate.enrolment.listener.user)
    with CaptureQueriesContext(connection) as downloading:
        response = client.get(f"/cabinet/certificates/duplicates/{duplicate.pk}/certificate.pdf")
    assert response.status_code == 200 and write_statements(downloading) == []
