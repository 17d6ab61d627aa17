"""The organisation's PAdES signature on the issued certificate and appendix files, read back with pyHanko's
validation (SPEC 5.1, 5.6: the issued file is kept for good; a PDF reader shows who signed it and that nothing
changed since)."""

import datetime
import hashlib
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from certificates import pdf_signature
from certificates.documents import issue_duplicate_documents
from certificates.enums import DuplicateReason
from certificates.models import CertificateDuplicate, SignatureCertificate
from certificates.services import new_token
from tests.certificates.helpers import course, enrol, issued
from ziat.models import Organisation


@pytest.fixture(autouse=True)
def _forget_signature():
    pdf_signature.forget()
    yield
    pdf_signature.forget()


def _file(document):
    assert document.status == document.Status.READY
    with document.file.open("rb") as handle:
        return handle.read()


def _signature(pdf):
    """The file's one signature, validated against the organisation's certificate as the trusted root."""
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    root = asn1_x509.Certificate.load(pdf_signature.signer_certificate().public_bytes(serialization.Encoding.DER))
    return signature, validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))


def _public_key(certificate):
    return certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_issued_certificate_and_appendix_files_carry_the_organisations_intact_pades_signature_5_1(org, director):
    certificate = issued(director)
    for document in (certificate.certificate_document, certificate.appendix_document):
        document.refresh_from_db()
        pdf = _file(document)
        assert document.sha256 == hashlib.sha256(pdf).hexdigest()  # the stored checksum is the signed file's
        signature, status = _signature(pdf)
        assert status.intact and status.valid and status.trusted and status.bottom_line
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE  # nothing added after the signature
        assert signature.sig_object["/SubFilter"] == SigSeedSubFilter.PADES.value
        assert signature.sig_object["/Name"] == org.name_kk
        subject = status.signing_cert.subject.native
        assert subject["organization_name"] == org.name_kk
        assert subject["common_name"] == org.name_kk  # what a PDF reader shows as the signer
        assert subject["country_name"] == "KZ"
    assert SignatureCertificate.objects.count() == 1


def test_the_file_downloaded_is_the_signed_one_with_its_checksum_as_etag_5_1(client, org, director):
    certificate = issued(director)
    client.force_login(certificate.enrolment.listener.user)
    response = client.get(reverse("certificates:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    _signature_object, status = _signature(response.content)
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'


def test_a_changed_byte_breaks_the_signature(org, director):
    certificate = issued(director)
    pdf = bytearray(_file(certificate.certificate_document))
    # A digit of the content inside the signed byte range (the first page's stream), changed.
    at = pdf.index(b"stream") + 20
    pdf[at] = pdf[at] ^ 0x01
    _signature_object, status = _signature(bytes(pdf))
    assert not status.intact and not status.bottom_line


def test_duplicate_documents_are_signed_too_5_6(org, director):
    certificate = issued(director)
    duplicate = CertificateDuplicate.objects.create(
        certificate=certificate,
        issued_on=datetime.date(2026, 9, 1),
        reason=DuplicateReason.LOST,
        token=new_token(),
        issued_by=director,
    )
    issue_duplicate_documents(duplicate)
    duplicate.refresh_from_db()
    for document in (duplicate.certificate_document, duplicate.appendix_document):
        _signature_object, status = _signature(_file(document))
        assert status.bottom_line and status.signing_cert.subject.native["organization_name"] == org.name_kk


def test_the_key_is_made_once_and_every_file_is_signed_with_it(org, director):
    first, second = issued(director), issued(director)
    certificates = [_signature(_file(c.certificate_document))[1].signing_cert.dump() for c in (first, second)]
    assert certificates[0] == certificates[1]
    pdf_signature.forget()  # another process reads the same row
    assert pdf_signature.signer_certificate().public_bytes(serialization.Encoding.DER) == certificates[0]
    assert SignatureCertificate.objects.count() == 1


def test_a_renamed_organisation_signs_in_its_new_name_with_the_same_key(org, director):
    before = issued(director)
    old = _signature(_file(before.certificate_document))[1].signing_cert
    Organisation.objects.filter(pk=1).update(name_kk="Жаңа орталық", name_ru="Новый центр")
    after = issued(director)
    status = _signature(_file(after.certificate_document))[1]
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Жаңа орталық"
    assert status.signing_cert.public_key.dump() == old.public_key.dump()
    assert SignatureCertificate.objects.count() == 1
    # The file issued before keeps the signature it was issued with.
    (signature,) = PdfFileReader(io.BytesIO(_file(before.certificate_document))).embedded_signatures
    assert signature.signer_cert.subject.native["common_name"] == org.name_kk


def test_a_key_and_certificate_from_the_settings_sign_instead_of_a_kept_one(settings, org, director):
    key = ec.generate_private_key(ec.SECP256R1())
    name = pdf_signature.subject(Organisation(name_kk="Удостоверяющий центр", name_ru="Удостоверяющий центр"))
    certificate_pem = pdf_signature._self_signed(key, name)
    settings.PDF_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.PDF_SIGNING_CERTIFICATE = certificate_pem.replace("\n", "\\n")  # as an environment variable holds it
    certificate = issued(director)
    status = _signature(_file(certificate.certificate_document))[1]
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Удостоверяющий центр"
    assert not SignatureCertificate.objects.exists()


def test_a_certificate_of_another_key_in_the_settings_is_refused(settings, org):
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    settings.PDF_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.PDF_SIGNING_CERTIFICATE = pdf_signature._self_signed(other, pdf_signature.subject())
    with pytest.raises(ImproperlyConfigured):
        pdf_signature.signer_certificate()
    settings.PDF_SIGNING_CERTIFICATE = ""
    with pytest.raises(ImproperlyConfigured):
        pdf_signature.signer_certificate()


def test_a_long_name_is_the_organisation_in_full_and_a_common_name_that_fits(db):
    long_kk = "«ZIAT» ғылыми-әдістемелік орталығы» жауапкершілігі шектеулі серіктестігі"
    with_short = pdf_signature.subject(Organisation(name_kk=long_kk, name_ru="ТОО", short_name="ZIAT"))
    assert with_short.get_attributes_for_oid(pdf_signature.NameOID.ORGANIZATION_NAME)[0].value == long_kk
    assert with_short.get_attributes_for_oid(pdf_signature.NameOID.COMMON_NAME)[0].value == "ZIAT"
    without = pdf_signature.subject(Organisation(name_kk=long_kk, name_ru="ТОО"))
    common = without.get_attributes_for_oid(pdf_signature.NameOID.COMMON_NAME)[0].value
    assert len(common.encode()) <= 64 and common.endswith("…") and long_kk.startswith(common[:-1])


def test_other_documents_are_not_signed(client, org):
    """Only the issued certificates' files are signed: a reference of attendance is kept as it is printed."""
    e = enrol(course(), hours=6, test=None)
    client.force_login(e.listener.user)
    assert client.post(f"/cabinet/references/{e.pk}/request/").status_code == 302  # registered by a POST
    response = client.get(f"/cabinet/references/{e.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert PdfFileReader(io.BytesIO(response.content)).embedded_signatures == []
    assert not SignatureCertificate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_file_is_signed_also_from_a_thread_that_runs_an_event_loop(org):
    """A thread driving an event loop (an asynchronous server, a browser driven from the same thread) signs
    too: pyHanko's own event loop then runs in a thread of its own."""
    import asyncio
    import threading

    from django.db import connection

    from certificates.pdf_signature import sign_pdf, signer_certificate
    from ziat.documents import html_to_pdf

    signer_certificate()  # the key is made and committed outside the loop, as the issuing task does
    pdf = html_to_pdf("<p>Сертификат</p>")

    async def inside():
        return sign_pdf(pdf)

    found = {}

    def thread():  # a thread of its own: the test process may run an event loop in its main thread already
        try:
            found["signed"] = asyncio.run(inside())
        finally:
            connection.close()

    worker = threading.Thread(target=thread)
    worker.start()
    worker.join(60)
    signed = found["signed"]
    assert len(PdfFileReader(io.BytesIO(signed)).embedded_signatures) == 1
