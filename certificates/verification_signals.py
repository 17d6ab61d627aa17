"""Keep the prepared verification pages in step with what they show (see ``certificates.verification``):
a duplicate issued, or a certificate's file made (its SHA-256 appears on the page)."""

from django.db.models.signals import post_save

from ziat.models import StoredDocument

from .models import CertificateDuplicate
from .verification import verification_changed

DOCUMENT_KINDS = {
    "certificates.certificate": "certificate",
    "certificates.appendix": "certificate",
    "certificates.duplicate.certificate": "duplicate",
    "certificates.duplicate.appendix": "duplicate",
}


def _duplicate_saved(sender, instance, **kwargs):
    verification_changed(instance)


def _document_saved(sender, instance, **kwargs):
    owner = DOCUMENT_KINDS.get(instance.kind)
    if owner is None or instance.status != StoredDocument.Status.READY or not instance.key.isdigit():
        return
    if owner == "certificate":
        verification_changed(int(instance.key))
    else:
        certificate_pk = CertificateDuplicate.objects.filter(pk=instance.key).values_list("certificate_id", flat=True)
        if certificate_pk:
            verification_changed(certificate_pk[0])


def connect():
    post_save.connect(_duplicate_saved, sender=CertificateDuplicate, dispatch_uid="verification_duplicate")
    post_save.connect(_document_saved, sender=StoredDocument, dispatch_uid="verification_document")
