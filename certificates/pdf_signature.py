"""The organisation's PAdES signature on the issued PDF files of certificates and their appendices.

When the background task freezes an issued file (``ziat.stored_documents.document_render``), the PDF gets an
invisible PAdES signature (baseline B-B: CMS ``ETSI.CAdES.detached``, SHA-256) of the organisation, so that a PDF
reader shows who signed the file and that it was not changed since. The stored SHA-256 is that of the signed file.

The key and the certificate come from the settings ``PDF_SIGNING_KEY`` and ``PDF_SIGNING_CERTIFICATE`` (PEM; a
certificate issued to the organisation by a certification authority). When they are empty, an ECDSA P-256 key
and a self-signed certificate in the organisation's name are made on first use and kept in the database
(``SignatureCertificate``), as the QR codes' Ed25519 key is (``certificates.signing``): the row is inserted with
``ON CONFLICT DO NOTHING`` and read back, so processes starting together all sign with the same key. When the
organisation's name changes, the certificate is made again for the same key, so a reader always shows the
name of the day the file was signed.
"""

import asyncio
import datetime
import io
import warnings
from concurrent.futures import ThreadPoolExecutor

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from ziat.models import Organisation

IDENTITY_NAME = "organisation-pdf"
FIELD_NAME = "OrganisationSignature"
VALID_YEARS = 30
COMMON_NAME_BYTES = 64
_shared = {}


def sign_pdf(pdf):
    """The PDF bytes with the organisation's signature added as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signers, fields = _pyhanko()
    key, certificate = _identity()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        # The signer's name in the signature itself too (/Name), in full where the certificate's common name is cut.
        name=_attribute(certificate, NameOID.ORGANIZATION_NAME) or _attribute(certificate, NameOID.COMMON_NAME),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    signer = _signer(signers, key, certificate)
    return _outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=signer).getvalue())


def _outside_event_loop(work):
    """pyHanko signs through ``asyncio.run``, which a thread that already runs an event loop cannot call (a
    page rendered inside an asynchronous server, a browser driven from the same thread): there the signing runs
    in a thread of its own, which touches no database."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def signer_certificate():
    """The certificate the files are signed with now (``cryptography``'s ``x509.Certificate``)."""
    return _identity()[1]


def subject(org=None):
    """The subject of the organisation's self-signed certificate: its official name (Kazakh, else Russian) as the
    organisation, and as the common name a PDF reader shows as the signer when it fits the 64 bytes a common
    name may take; otherwise the short name, or the official name cut at a word."""
    org = org or Organisation.current()
    name = org.name_kk or org.name_ru
    common = next((n for n in (name, org.short_name) if n and len(n.encode()) <= COMMON_NAME_BYTES), None)
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, common or _cut(name, COMMON_NAME_BYTES)),
        ]
    )


def forget():
    """Read the key and the certificate again on next use (after the settings or the stored row changed)."""
    _shared.clear()


def _attribute(certificate, oid):
    values = certificate.subject.get_attributes_for_oid(oid)
    return values[0].value if values else ""


def _cut(text, limit):
    """``text`` cut at a word (or a character) to at most ``limit`` UTF-8 bytes, with an ellipsis."""
    cut = text.encode()[: limit - len("…".encode())].decode(errors="ignore").rstrip()
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0].rstrip()
    return cut + "…"


def _pyhanko():
    with warnings.catch_warnings():
        # pyHanko imports cryptography's DSA key class, which cryptography marks as deprecated; no DSA key is used.
        warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)
        from pyhanko.sign import fields, signers
    return signers, fields


def _signer(signers, key, certificate):
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signing_cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    signing_key = keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs([signing_cert]),
    )


def _identity():
    """``(private key, certificate)``: from the settings, or the kept pair in the organisation's current name."""
    key_pem = getattr(settings, "PDF_SIGNING_KEY", "")
    certificate_pem = getattr(settings, "PDF_SIGNING_CERTIFICATE", "")
    if key_pem or certificate_pem:
        if not (key_pem and certificate_pem):
            raise ImproperlyConfigured("PDF_SIGNING_KEY and PDF_SIGNING_CERTIFICATE are set together.")
        configured = (key_pem, certificate_pem)
        if _shared.get("configured") != configured:
            _shared.update(configured=configured, pair=_parse(key_pem, certificate_pem))
        return _shared["pair"]
    name = subject()
    kept = _shared.get("stored")
    if kept is not None and kept[1].subject == name:
        return kept
    pair = _stored_pair(name)
    if connection.in_atomic_block:
        # Kept for the process only once the row is committed: a rolled-back row must not outlive its transaction.
        transaction.on_commit(lambda: _shared.__setitem__("stored", pair))
    else:
        _shared["stored"] = pair
    return pair


def _parse(key_pem, certificate_pem):
    key = serialization.load_pem_private_key(key_pem.replace("\\n", "\n").encode(), password=None)
    certificate = x509.load_pem_x509_certificate(certificate_pem.replace("\\n", "\n").encode())
    if certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo):
        raise ImproperlyConfigured("PDF_SIGNING_CERTIFICATE is not the certificate of PDF_SIGNING_KEY.")
    return key, certificate


def _stored_pair(name):
    from .models import SignatureCertificate

    row = SignatureCertificate.objects.filter(name=IDENTITY_NAME).first()
    if row is None:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        # Two processes may get here at once: one row wins, and both read it back.
        SignatureCertificate.objects.bulk_create(
            [SignatureCertificate(name=IDENTITY_NAME, private_key=pem, certificate=_self_signed(key, name))],
            ignore_conflicts=True,
        )
        row = SignatureCertificate.objects.get(name=IDENTITY_NAME)
    key, certificate = _parse(row.private_key, row.certificate)
    if certificate.subject != name:
        row.certificate = _self_signed(key, name)
        row.save(update_fields=["certificate", "updated_at"])
        certificate = x509.load_pem_x509_certificate(row.certificate.encode())
    return key, certificate


def _self_signed(key, name):
    """A self-signed certificate of ``key`` with the subject ``name``, for signing documents (PEM)."""
    now = datetime.datetime.now(datetime.UTC)
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")]),  # id-kp-documentSigning
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()
