"""Issued records made before their printed fields and files were kept at issue, prepared once ahead.

A certificate recorded before snapshots were kept has none; it, a duplicate, a reference of attendance or an
internship certificate may also have no stored file yet (or one whose making failed). ``legacy_documents_prepare``
gives each certificate its snapshot (its row, its lines and the organisation as they are when it runs) and asks
for every missing file, so that the pages that serve them only read. It is idempotent: run it after a release
(``manage.py prepare_legacy_documents``); a record already prepared is left as it is.
"""

import logging

from django.db import transaction
from django.db.models import Q

from ziat.models import StoredDocument

from .documents import stored_document
from .internships import internship_certificate_document
from .models import Certificate, CertificateDuplicate, InternshipCertificate, Reference
from .references import reference_document

logger = logging.getLogger(__name__)

FAILED = StoredDocument.Status.FAILED


def _missing(*fields):
    """Rows with any of the stored-document ``fields`` never made or failed."""
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__status": FAILED})
    return condition


def _each(queryset, prepare):
    count = 0
    for pk in queryset.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            item = queryset.model.objects.select_for_update(of=("self",)).get(pk=pk)
            prepare(item)
        count += 1
    return count


def _certificate(certificate):
    for part in ("certificate", "appendix"):
        stored_document(certificate, part)  # takes the snapshot first when there is none


def _duplicate(duplicate):
    for part in ("certificate", "appendix"):
        stored_document(duplicate.certificate, part, duplicate=duplicate)


def legacy_documents_prepare():
    """Snapshots and files of every issued record that lacks them; returns {kind: records prepared}."""
    documents = ("certificate_document", "appendix_document")
    counts = {
        "certificates": _each(Certificate.objects.filter(Q(snapshot={}) | _missing(*documents)), _certificate),
        "duplicates": _each(CertificateDuplicate.objects.filter(_missing(*documents)), _duplicate),
        "references": _each(Reference.objects.filter(_missing("document")), reference_document),
        "internship_certificates": _each(
            InternshipCertificate.objects.filter(_missing("document")), internship_certificate_document
        ),
    }
    logger.info("Legacy documents prepared: %s", counts)
    return counts
