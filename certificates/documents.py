"""The issued PDF files of a certificate and its appendix (000 App. 1-2, 001 App. 3-4).

Their HTML is made from the certificate's snapshot when it is issued, and a background task turns it into
the file kept for good: the file served is always the one issued, whatever is edited later.
"""

import base64
import datetime
import mimetypes
from decimal import Decimal

from django.core.files.storage import default_storage

from ziat.documents import qr_png_data_uri
from ziat.models import Organisation
from ziat.stored_documents import document_request, kept_document, kept_document_view

from .signing import signed_qr_text
from .snapshot import certificate_snapshot

TEMPLATES = {
    "certificate": "certificates/documents/certificate.html",
    "appendix": "certificates/documents/appendix.html",
}
# The stored documents' kinds of the issued files, each signed by the organisation when it is made
# (``certificates.pdf_signature``, registered in ``CertificatesConfig.ready``).
SIGNED_KINDS = tuple(f"certificates.{prefix}{part}" for prefix in ("", "duplicate.") for part in TEMPLATES)


def logo_data_uri(name):
    """The organisation's logo, as kept in the snapshot, embedded in the document (any file storage)."""
    if not name or not default_storage.exists(name):
        return ""
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    kind = mimetypes.guess_type(name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def document_context(document, *, duplicate=None):
    """The context the templates print: only the snapshot, the registration data and the QR.

    ``issued_on`` is the date printed as the date of issue (a duplicate's own date), ``valid_until`` the
    certificate's, and ``total`` the appendix's hours added up from its lines.
    """
    shown = duplicate or document
    doc = document.snapshot
    return {
        "doc": doc,
        "logo": logo_data_uri(doc.get("organisation", {}).get("logo")),
        "certificate": document,
        "duplicate": duplicate,
        "issued_on": duplicate.issued_on if duplicate else _date(doc.get("issued_on")) or document.issued_on,
        "valid_until": _date(doc.get("valid_until")) or document.valid_until,
        "total": _hours(sum((Decimal(str(line["hours"])) for line in doc.get("modules", [])), Decimal(0))),
        "qr": qr_png_data_uri(signed_qr_text(shown)),
    }


def ensure_snapshot(certificate):
    """A certificate recorded before snapshots were kept gets one from its row, its lines and the
    organisation as it is now; every later document prints that."""
    if certificate.snapshot:
        return
    lines = list(certificate.lines.order_by("position"))
    for line in lines:
        if not (line.grade_kk or line.grade_ru):
            line.grade_kk = line.grade_ru = line.grade
    certificate.snapshot = certificate_snapshot(certificate, lines, Organisation.current())
    certificate.save(update_fields=["snapshot"])


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def _hours(value):
    """Hours as the snapshot prints them: 40, 1.5."""
    return format(value.normalize(), "f")


def _request(certificate, part, *, duplicate=None):
    ensure_snapshot(certificate)
    number = certificate.registration_number
    kind = f"certificates.{part}" if duplicate is None else f"certificates.duplicate.{part}"
    key = str(certificate.pk if duplicate is None else duplicate.pk)
    return document_request(
        kind=kind,
        key=key,
        filename=f"{part}-{number}{'-duplicate' if duplicate else ''}.pdf",
        template=TEMPLATES[part],
        context=lambda: document_context(certificate, duplicate=duplicate),
        language="kk",
        final=True,
    )


def issue_documents(certificate):
    """Take the HTML of the certificate and its appendix now and have their files made in the background."""
    certificate.certificate_document = _request(certificate, "certificate")
    certificate.appendix_document = _request(certificate, "appendix")
    certificate.save(update_fields=["certificate_document", "appendix_document"])


def issue_duplicate_documents(duplicate):
    certificate = duplicate.certificate
    duplicate.certificate_document = _request(certificate, "certificate", duplicate=duplicate)
    duplicate.appendix_document = _request(certificate, "appendix", duplicate=duplicate)
    duplicate.save(update_fields=["certificate_document", "appendix_document"])


def stored_document(certificate, part, *, duplicate=None):
    """The stored file of a part ("certificate" or "appendix"), requested now if it was never made."""
    return kept_document(
        duplicate or certificate, f"{part}_document", lambda: _request(certificate, part, duplicate=duplicate)
    )


def document_page(request, certificate, part, *, duplicate=None):
    """The download of a part, for a user who may see the certificate: a GET only reads (see
    ``kept_document_view``); a POST asks again for a file never made or whose making failed."""
    return kept_document_view(
        request, duplicate or certificate, f"{part}_document", lambda: _request(certificate, part, duplicate=duplicate)
    )
