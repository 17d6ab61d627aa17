"""Issuing and revoking certificates (000 §3.7-3.8, 001 §29, §33, 003 §7.6)."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.enums import TestKind
from assessment.models import CohortTest, ModuleGrade
from assessment.outcomes import outcomes_for
from assessment.services.testing import score_grade
from enrolment.attendance import moment
from enrolment.models import Enrolment
from programs.models import Module
from ziat import access
from ziat.activity import log_action
from ziat.dates import add_years
from ziat.errors import DomainError
from ziat.models import Organisation

from . import snapshot as snap
from .documents import issue_documents
from .enums import VALIDITY_YEARS, RevocationCategory
from .models import AppendixLine, Certificate
from .numbering import CERTIFICATES, next_sequence, registration_number
from .signals import certificate_issued
from .verification import verification_changed


def new_token():
    """A verification token with 192 random bits (at least 128 are required)."""
    return secrets.token_urlsafe(24)


def has_current_certificate(enrolment):
    return Certificate.objects.filter(enrolment_id=enrolment.pk, replaced_at__isnull=True).exists()


def _final_grade(outcome, tests):
    """The grade of the final assessment's line: the final test's grade on its scale, else "credited"."""
    test = tests.get(outcome.enrolment.cohort_id)
    grade = score_grade(outcome.score, test, cohort=outcome.enrolment.cohort) if test is not None else None
    return snap.in_languages(grade) if grade else snap.credited()


def appendix_lines(outcome, *, tests=None):
    """The appendix's lines of an eligible listener (001 App. 4): every module of the program with its hours
    and grade, then the final assessment, so that the hours add up to the certificate's."""
    enrolment = outcome.enrolment
    cohort = enrolment.cohort
    if tests is None:
        tests = {t.cohort_id: t for t in CohortTest.objects.filter(cohort=cohort, kind=TestKind.FINAL)}
    grades = dict(ModuleGrade.objects.filter(enrolment=enrolment).values_list("module_id", "grade"))
    modules = (
        Module.objects.filter(version=cohort.version)
        .prefetch_related("topics")
        .order_by("is_final_assessment", "position")
    )
    lines = []
    for position, module in enumerate(modules, start=1):
        if module.is_final_assessment:
            grade = _final_grade(outcome, tests)
        elif module.pk in grades:
            grade = snap.grade_languages(grades[module.pk])
        else:
            grade = snap.credited()
        lines.append(
            AppendixLine(
                position=position,
                module_title_kk=module.title_kk,
                module_title_ru=module.title_ru,
                hours=module.hours,
                grade=" / ".join(dict.fromkeys([grade["kk"], grade["ru"]]))[:50],
                grade_kk=grade["kk"],
                grade_ru=grade["ru"],
                is_final_assessment=module.is_final_assessment,
            )
        )
    return lines


def _issue(outcome, *, by, on, replaces=None, tests=None):
    certificate = _issue_record(outcome, by=by, on=on, replaces=replaces, tests=tests)
    issue_documents(certificate)
    return certificate


def _issue_record(outcome, *, by, on, replaces=None, tests=None):
    """The certificate, its appendix lines and its log entry, without its documents' HTML.

    The registration number is taken last: its register's row stays locked until the transaction ends, so the
    slower work (the outcome, the appendix, the documents) happens outside that lock and issuers run side by
    side (003 §7.6). The documents are made from the snapshot alone (``issue_documents``), in the same or a
    later transaction.
    """
    enrolment = outcome.enrolment
    if replaces is None and has_current_certificate(enrolment):
        raise DomainError(_("%(listener)s already has a certificate.") % {"listener": enrolment.listener})
    if not outcome.eligible:
        raise DomainError(
            _("%(listener)s is not eligible for a certificate: %(reasons)s")
            % {"listener": enrolment.listener, "reasons": " ".join(outcome.reasons)}
        )
    cohort = enrolment.cohort
    program = cohort.program
    lines = appendix_lines(outcome, tests=tests)
    organisation = Organisation.current()
    sequence = next_sequence(CERTIFICATES, on.year)
    number = registration_number(sequence, on.year, prefix=organisation.registration_prefix)
    certificate = Certificate(
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
        # A corrected reissue certifies the same course: it keeps the validity of the certificate it replaces.
        valid_until=replaces.valid_until if replaces else add_years(on, VALIDITY_YEARS),
        issued_by=by,
        replaces=replaces,
    )
    certificate.snapshot = snap.certificate_snapshot(certificate, lines, organisation)
    certificate.save()
    for line in lines:
        line.certificate = certificate
    AppendixLine.objects.bulk_create(lines)
    log_action(
        certificate,
        "certificates.certificate.issued",
        by=by,
        after={"registration_number": number, "issued_on": on, "valid_until": certificate.valid_until},
        scope={"program_id": program.pk, "cohort_id": cohort.pk, "listener_id": enrolment.listener_id},
    )
    transaction.on_commit(lambda: certificate_issued.send(sender=Certificate, certificate=certificate, by=by))
    verification_changed(certificate)
    return certificate


def _check_may_issue(by, obj):
    access.require(by, "certificates.issue_certificate", obj, _("Only the director issues certificates."))


def as_of(on):
    """The moment attendance is counted at for certificates issued ``on`` a day: now, or the start of that day
    when it lies ahead (the sessions before it are held by then)."""
    return max(timezone.now(), moment(on)) if on else timezone.now()


@transaction.atomic
def certificate_issue(enrolment, *, by, on=None):
    _check_may_issue(by, enrolment)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    (outcome,) = outcomes_for(Enrolment.objects.filter(pk=enrolment.pk), now=as_of(on))
    return _issue(outcome, by=by, on=on or timezone.localdate())


@transaction.atomic
def certificates_issue_for_cohort(cohort, *, by, on=None):
    """Issue certificates to every eligible listener of a cohort who has none yet.

    Returns (issued certificates, [(enrolment, reasons)] of those left without one).
    """
    _check_may_issue(by, cohort)
    on = on or timezone.localdate()
    list(Enrolment.objects.select_for_update().filter(cohort=cohort))
    tests = {t.cohort_id: t for t in CohortTest.objects.filter(cohort=cohort, kind=TestKind.FINAL)}
    issued, skipped = [], []
    for outcome in outcomes_for(Enrolment.objects.filter(cohort=cohort, certificates__isnull=True), now=as_of(on)):
        if outcome.eligible:
            issued.append(_issue(outcome, by=by, on=on, tests=tests))
        else:
            skipped.append((outcome.enrolment, outcome.reasons))
    return issued, skipped


@transaction.atomic
def certificate_revoke(certificate, *, by, category, note=""):
    """Revoke a certificate (000 §3.8, 001 §33): the public page then says revoked, when, and the officially
    worded ``category``; ``note`` stays internal."""
    access.require(by, "certificates.revoke_certificate", certificate, _("Only the director revokes certificates."))
    if category not in RevocationCategory.values:
        raise DomainError(_("Choose the reason for revocation."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at:
        raise DomainError(_("This certificate is already revoked."))
    if certificate.replaced_at:
        raise DomainError(_("This certificate was replaced by a corrected one; revoke that one instead."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_category = category
    certificate.revoked_reason = (note or "").strip()
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_category", "revoked_reason", "revoked_by"])
    log_action(
        certificate,
        "certificates.certificate.revoked",
        by=by,
        before={"revoked": False},
        after={"revoked": True, "category": category},
        note=certificate.revoked_reason,
    )
    verification_changed(certificate)
    return certificate
