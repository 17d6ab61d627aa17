"""What happens to a certificate after its issue (SPEC 5.6, 000 §3.8, 001 §33): a duplicate of a lost or damaged
one, which keeps the registration number, and a corrected reissue, which gets a new number while the old one
stays in the register as "replaced by" the new. Revocation is ``services.certificate_revoke``."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.outcomes import outcomes_for
from enrolment.models import Enrolment
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError

from . import services
from .documents import issue_duplicate_documents
from .enums import CertificateState, DuplicateReason
from .models import Certificate, CertificateDuplicate

NOTE_MAX_LENGTH = 2000


def _scope(certificate):
    enrolment = certificate.enrolment
    return {
        "program_id": enrolment.cohort.program_id,
        "cohort_id": enrolment.cohort_id,
        "listener_id": enrolment.listener_id,
    }


def _locked(certificate):
    locked = Certificate.objects.select_for_update(of=("self",)).select_related("enrolment__cohort")
    return locked.get(pk=certificate.pk)


def _refuse_unless_current(certificate, *, replaced_message):
    if certificate.revoked_at:
        raise DomainError(_("This certificate is revoked."))
    if certificate.replaced_at:
        raise DomainError(replaced_message)


def _check_note(note, *, required):
    note = (note or "").strip()
    if required and not note:
        raise DomainError(_("Say what is corrected."))
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(_("The note is too long (at most %(n)s characters).") % {"n": NOTE_MAX_LENGTH})
    return note


def _issue_day(certificate, on):
    on = on or timezone.localdate()
    if on < certificate.issued_on:
        raise DomainError(_("The date of issue cannot be before the certificate's own."))
    return on


@transaction.atomic
def duplicate_issue(certificate, *, by, reason, note="", on=None):
    """A duplicate of a lost or damaged certificate (SPEC 5.6): the same registration number and what it
    prints, marked "duplicate", with its own date of issue, its own QR code and its own files."""
    access.require(by, "certificates.issue_certificate", certificate, _("Only the director issues duplicates."))
    if reason not in DuplicateReason.values:
        raise DomainError(_("Choose why a duplicate is needed: the original was lost or damaged."))
    note = _check_note(note, required=False)
    certificate = _locked(certificate)
    _refuse_unless_current(
        certificate,
        replaced_message=_("This certificate was replaced by a corrected one; a duplicate is made of that one."),
    )
    on = _issue_day(certificate, on)
    duplicate = CertificateDuplicate.objects.create(
        certificate=certificate, issued_on=on, reason=reason, note=note, token=services.new_token(), issued_by=by
    )
    issue_duplicate_documents(duplicate)
    log_action(
        certificate,
        "certificates.certificate.duplicate_issued",
        by=by,
        after={"registration_number": certificate.registration_number, "issued_on": on, "reason": reason},
        data={"duplicate_id": duplicate.pk},
        note=note,
        scope=_scope(certificate),
    )
    return duplicate


@transaction.atomic
def certificate_reissue(certificate, *, by, reason_note, on=None):
    """A corrected reissue (000 §3.8): the certificate is replaced by a new one with a new registration number,
    printed from the data as they stand now; the old one stays in the register saying "replaced by" the new.
    The listener must still be eligible; ``reason_note`` (what is corrected) is required."""
    access.require(by, "certificates.issue_certificate", certificate, _("Only the director issues certificates."))
    note = _check_note(reason_note, required=True)
    old = _locked(certificate)
    _refuse_unless_current(
        old, replaced_message=_("This certificate is already replaced by a corrected one; correct that one.")
    )
    on = _issue_day(old, on)
    before = old.state_on(on)
    if before == CertificateState.EXPIRED or on >= old.valid_until:
        # The corrected copy keeps the validity of the one it corrects (a correction does not extend it): an
        # expired certificate is not reissued.
        raise DomainError(_("This certificate has expired; an expired certificate is not reissued."))
    list(Enrolment.objects.select_for_update().filter(pk=old.enrolment_id))
    (outcome,) = outcomes_for(Enrolment.objects.filter(pk=old.enrolment_id), now=services.as_of(on))
    if not outcome.eligible:
        raise DomainError(
            _("%(listener)s is no longer eligible for a certificate: %(reasons)s")
            % {"listener": outcome.enrolment.listener, "reasons": " ".join(outcome.reasons)}
        )
    # Replaced first: an enrolment has one current certificate (the database's constraint).
    old.replaced_at = timezone.now()
    old.save(update_fields=["replaced_at"])
    new = services._issue(outcome, by=by, on=on, replaces=old)
    log_action(
        old,
        "certificates.certificate.replaced",
        by=by,
        before={"state": before},
        after={"state": CertificateState.REPLACED, "replaced_by": new.registration_number},
        note=note,
        scope=_scope(old),
    )
    log_action(
        new,
        "certificates.certificate.reissued",
        by=by,
        after={"replaces": old.registration_number},
        note=note,
        scope=_scope(old),
    )
    return new
