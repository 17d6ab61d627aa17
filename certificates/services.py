"""Issuing and revoking certificates (000 §3.7-3.8, 001 §29, §33, 003 §7.6)."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import ModuleGrade
from assessment.outcomes import outcomes_for
from enrolment.attendance import moment as attendance_moment
from enrolment.models import Enrolment
from programs.models import Module
from ziat.activity import log_action
from ziat.dates import add_years
from ziat.errors import DomainError
from ziat.models import Organisation

from .enums import VALIDITY_YEARS
from .models import AppendixLine, Certificate, RegisterCounter
from .signals import certificate_issued

PASSED_GRADE = "сынақ тапсырылды / зачтено"


def new_token():
    """A verification token with 192 random bits (at least 128 are required)."""
    return secrets.token_urlsafe(24)


def next_registration_number(year):
    counter, _created = RegisterCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = Organisation.current().registration_prefix
    return counter.last, f"{prefix}-{year}-{counter.last:05d}"


def _issue(outcome, *, by, on):
    enrolment = outcome.enrolment
    if hasattr(enrolment, "certificate"):
        raise DomainError(_("%(listener)s already has a certificate.") % {"listener": enrolment.listener})
    if not outcome.eligible:
        raise DomainError(
            _("%(listener)s is not eligible for a certificate: %(reasons)s")
            % {"listener": enrolment.listener, "reasons": " ".join(outcome.reasons)}
        )
    cohort = enrolment.cohort
    program = cohort.program
    sequence, number = next_registration_number(on.year)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        registration_number=number,
        year=on.year,
        sequence=sequence,
        token=new_token(),
        holder_name=enrolment.listener.full_name,
        program_title_kk=program.title_kk,
        program_title_ru=program.title_ru,
        hours=outcome.course_hours,
        issued_on=on,
        valid_until=add_years(on, VALIDITY_YEARS),
        issued_by=by,
    )
    grades = dict(ModuleGrade.objects.filter(enrolment=enrolment).values_list("module_id", "grade"))
    modules = Module.objects.filter(version=cohort.version, is_final_assessment=False).prefetch_related("topics")
    AppendixLine.objects.bulk_create(
        AppendixLine(
            certificate=certificate,
            position=i,
            module_title_kk=m.title_kk,
            module_title_ru=m.title_ru,
            hours=m.hours,
            grade=grades.get(m.pk, PASSED_GRADE),
        )
        for i, m in enumerate(modules.order_by("position"), start=1)
    )
    log_action(
        certificate,
        "certificates.certificate.issued",
        by=by,
        after={"registration_number": number, "issued_on": on, "valid_until": certificate.valid_until},
        scope={"program_id": program.pk, "cohort_id": cohort.pk, "listener_id": enrolment.listener_id},
    )
    transaction.on_commit(lambda: certificate_issued.send(sender=Certificate, certificate=certificate, by=by))
    return certificate


def _check_may_issue(by):
    if not by.has_perm("certificates.issue_certificate"):
        raise DomainError(_("Only the director issues certificates."))


def _as_of(on):
    """The moment attendance is counted at for certificates issued ``on`` a day: now, or the start of that day
    when it lies ahead (the sessions before it are held by then)."""
    return max(timezone.now(), attendance_moment(on)) if on else timezone.now()


@transaction.atomic
def certificate_issue(enrolment, *, by, on=None):
    _check_may_issue(by)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    (outcome,) = outcomes_for(Enrolment.objects.filter(pk=enrolment.pk), now=_as_of(on))
    return _issue(outcome, by=by, on=on or timezone.localdate())


@transaction.atomic
def certificates_issue_for_cohort(cohort, *, by, on=None):
    """Issue certificates to every eligible listener of a cohort who has none yet.

    Returns (issued certificates, [(enrolment, reasons)] of those left without one).
    """
    _check_may_issue(by)
    on = on or timezone.localdate()
    list(Enrolment.objects.select_for_update().filter(cohort=cohort))
    issued, skipped = [], []
    for outcome in outcomes_for(Enrolment.objects.filter(cohort=cohort, certificate__isnull=True), now=_as_of(on)):
        if outcome.eligible:
            issued.append(_issue(outcome, by=by, on=on))
        else:
            skipped.append((outcome.enrolment, outcome.reasons))
    return issued, skipped


@transaction.atomic
def certificate_revoke(certificate, *, by, reason):
    if not by.has_perm("certificates.revoke_certificate"):
        raise DomainError(_("Only the director revokes certificates."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for revocation."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at:
        raise DomainError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    log_action(
        certificate,
        "certificates.certificate.revoked",
        by=by,
        before={"revoked": False},
        after={"revoked": True},
        note=reason,
    )
    return certificate
