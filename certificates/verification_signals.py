"""Keep the prepared verification pages in step with what they show (see ``certificates.verification``):
a duplicate issued, a certificate's file made (its SHA-256 appears on the page), the organisation's names
changed (every page shows them)."""

from django.db.models.signals import post_save, pre_save

from ziat.models import Organisation, StoredDocument

from .models import CertificateDuplicate
from .verification import verification_changed, verification_pages_outdated

DOCUMENT_KINDS = {
    "certificates.certificate": "certificate",
    "certificates.appendix": "certificate",
    "certificates.duplicate.certificate": "duplicate",
    "certificates.duplicate.appendix": "duplicate",
}
# What the pages print of the organisation: its short name or its name in the header and the footer, and its
# names as the issuer of a certificate whose printed fields lack them.
ORGANISATION_FIELDS = ("name_kk", "name_ru", "short_name")


def _duplicate_saved(sender, instance, **kwargs):
    verification_changed(instance)


def _document_saved(sender, instance, **kwargs):
    owner = DOCUMENT_KINDS.get(instance.kind)
    # The key is the owner's pk and the document's language ("17:kk", see ``ziat.stored_documents``).
    pk = instance.key.partition(":")[0]
    if owner is None or instance.status != StoredDocument.Status.READY or not pk.isdigit():
        return
    if owner == "certificate":
        verification_changed(int(pk))
    else:
        certificate_pk = CertificateDuplicate.objects.filter(pk=int(pk)).values_list("certificate_id", flat=True)
        if certificate_pk:
            verification_changed(certificate_pk[0])


def _organisation_saving(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = Organisation.objects.filter(pk=1).values(*ORGANISATION_FIELDS).first()
    # Pages rendered before the organisation was first saved show the default names.
    instance._verification_outdated = before is None or any(
        before[field] != getattr(instance, field) for field in ORGANISATION_FIELDS
    )


def _organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw and getattr(instance, "_verification_outdated", False):
        instance._verification_outdated = False
        verification_pages_outdated()


def connect():
    post_save.connect(_duplicate_saved, sender=CertificateDuplicate, dispatch_uid="verification_duplicate")
    post_save.connect(_document_saved, sender=StoredDocument, dispatch_uid="verification_document")
    pre_save.connect(_organisation_saving, sender=Organisation, dispatch_uid="verification_organisation_before")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="verification_organisation")
