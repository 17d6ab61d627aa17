"""TVET teachers' internships (SPEC 5.5; 001 §30, App. 5, App. 6).

A TVET teacher's internship is done at an enterprise (organisation); when it ends the teacher hands in the
enterprise's reference (App. 5: the period, the speciality and qualification, the enterprise, the hours, the
functional duties performed and the skills acquired, signed by the enterprise's head). Staff record it here,
and the director issues the internship certificate on its basis (App. 6) with its own registration number, a
date and a QR code that opens its public verification page. The recorded reference can be corrected until
the certificate is issued; the certificate is made once and never changes.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.models import Enrolment
from ziat import access
from ziat.activity import log_action
from ziat.documents import qr_data_uri
from ziat.errors import DomainError
from ziat.models import Organisation
from ziat.stored_documents import document_request, document_view, kept_document, kept_document_view

from .documents import logo_data_uri
from .models import Internship, InternshipCertificate
from .numbering import INTERNSHIPS, next_registration_number
from .services import new_token
from .snapshot import organisation_snapshot

# The marker of the register's numbers: ZIAT-Т-2026-00001 (Т: тағылымдама).
INFIX = "Т"
# Staff who record the enterprise's reference (the registrar's desk keeps the listeners' papers).
RECORD_PERMISSION = "enrolment.change_enrolment"
ISSUE_PERMISSION = "certificates.issue_certificate"
TEXT_FIELDS = ("speciality", "enterprise", "functions", "skills", "head_name")
FIELDS = ("starts_on", "ends_on", "speciality", "enterprise", "hours", "functions", "skills", "head_name")
TEMPLATES = {
    "reference": "certificates/documents/internship/reference.html",
    "certificate": "certificates/documents/internship/certificate.html",
}


def is_internship_enrolment(enrolment):
    """Whether the enrolment is in a cohort of a TVET internship program (001 §23.3, §30)."""
    return bool(enrolment.cohort.program.is_internship)


# Tokens are URL-safe base64 (``secrets.token_urlsafe``) and fit the 64-character column.
_TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,64}")


def internship_certificate_for_verification(token):
    """The certificate of a verification token; None when it is unknown or malformed."""
    if not _TOKEN_FORMAT.fullmatch(token or ""):
        return None
    return InternshipCertificate.objects.filter(token=token).first()


def _hours(value):
    text = format(Decimal(value).normalize(), "f")
    return text


# The forms of App. 5 and App. 6 write a date as 20__ жылғы "__" ______ in Kazakh and "__" ______ 20__ года in
# Russian: the day in quotes and the month by name. The document prints both languages whatever the reader's.
_MONTHS_KK = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
_MONTHS_RU = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def form_date(day):
    """A date as the forms of 001 App. 5-6 write it, in Kazakh and in Russian."""
    return {
        "kk": f'{day.year} жылғы "{day:%d}" {_MONTHS_KK[day.month - 1]}',
        "ru": f'"{day:%d}" {_MONTHS_RU[day.month - 1]} {day.year} года',
    }


def _clean(values):
    """The reference's fields checked against App. 5; ``DomainError`` naming the first thing wrong."""
    out = {}
    for name in TEXT_FIELDS:
        out[name] = (
            " ".join(str(values.get(name) or "").split())
            if name not in ("functions", "skills")
            else (str(values.get(name) or "").strip())
        )
    missing = [name for name in TEXT_FIELDS if not out[name]]
    if missing:
        raise DomainError(_("Fill in every field of the enterprise's reference."))
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        raise DomainError(_("Give the first and the last day of the internship."))
    if ends_on < starts_on:
        raise DomainError(_("The internship ends before it starts."))
    try:
        hours = Decimal(str(values.get("hours")))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Give the internship's volume in academic hours.")) from None
    if not hours.is_finite() or hours <= 0:
        raise DomainError(_("The internship's volume must be more than zero academic hours."))
    if hours >= Decimal("100000") or hours != hours.quantize(Decimal("0.1")):
        raise DomainError(_("Give the volume in academic hours with at most one decimal place."))
    out.update(starts_on=starts_on, ends_on=ends_on, hours=hours)
    return out


def _scope(enrolment):
    return {
        "program_id": enrolment.cohort.program_id,
        "cohort_id": enrolment.cohort_id,
        "listener_id": enrolment.listener_id,
    }


@transaction.atomic
def internship_record(enrolment, *, by, **values):
    """Record (or correct, until the certificate is issued) the enterprise's reference of 001 App. 5."""
    access.require(by, RECORD_PERMISSION, enrolment, message=_("You may not record this listener's internship."))
    enrolment = (
        Enrolment.objects.select_for_update().select_related("cohort__program", "listener__user").get(pk=enrolment.pk)
    )
    if not is_internship_enrolment(enrolment):
        raise DomainError(_("This course is not a TVET internship."))
    data = _clean(values)
    internship = Internship.objects.select_for_update().filter(enrolment=enrolment).first()
    before = None
    if internship is not None:
        if InternshipCertificate.objects.filter(internship=internship).exists():
            raise DomainError(_("The internship certificate is issued: its reference can no longer be changed."))
        before = {name: getattr(internship, name) for name in FIELDS}
        for name, value in data.items():
            setattr(internship, name, value)
        internship.recorded_by = by
        internship.save(update_fields=[*FIELDS, "recorded_by", "recorded_at"])
    else:
        internship = Internship.objects.create(enrolment=enrolment, recorded_by=by, **data)
    after = {name: getattr(internship, name) for name in FIELDS}
    if before is not None:
        changed = [name for name in FIELDS if before[name] != after[name]]
        before = {name: before[name] for name in changed}
        after = {name: after[name] for name in changed}
    log_action(
        internship, "certificates.internship.recorded", by=by, before=before, after=after, scope=_scope(enrolment)
    )
    return internship


def internship_snapshot(certificate, internship, org):
    """Every field the internship certificate (App. 6) prints, as on the day of issue."""
    program = internship.enrolment.cohort.program
    return {
        "registration_number": certificate.registration_number,
        "issued_on": certificate.issued_on.isoformat(),
        "holder": certificate.holder_name,
        "program_title": {"kk": program.title_kk, "ru": program.title_ru},
        "hours": _hours(internship.hours),
        "enterprise": internship.enterprise,
        "speciality": internship.speciality,
        "starts_on": internship.starts_on.isoformat(),
        "ends_on": internship.ends_on.isoformat(),
        "organisation": organisation_snapshot(org),
        "verification_url": certificate.verification_url,
    }


def certificate_context(certificate):
    doc = certificate.snapshot
    return {
        "doc": doc,
        "logo": logo_data_uri(doc["organisation"].get("logo")),
        "qr": qr_data_uri(certificate.verification_url),
        "issued_on": form_date(datetime.date.fromisoformat(doc["issued_on"])),
    }


def _certificate_request(certificate):
    return document_request(
        kind="certificates.internship_certificate",
        key=str(certificate.pk),
        filename=f"internship-certificate-{certificate.year}-{certificate.sequence:05d}.pdf",
        template=TEMPLATES["certificate"],
        context=lambda: certificate_context(certificate),
        language="kk",
        final=True,
    )


def internship_certificate_document(certificate):
    """The certificate's stored file, made at issue; requested again only if it was never made or failed."""
    return kept_document(certificate, "document", lambda: _certificate_request(certificate))


def internship_certificate_page(request, certificate):
    """The certificate's download (see ``kept_document_view``), for a user who may see it."""
    return kept_document_view(request, certificate, "document", lambda: _certificate_request(certificate))


def reference_context(internship):
    """The reference is the enterprise's paper: its letterhead is the enterprise's official name, and it is
    signed by the enterprise's head under the enterprise's seal (App. 5)."""
    return {
        "internship": internship,
        "holder": internship.enrolment.listener.full_name,
        "hours": _hours(internship.hours),
        "starts_on": form_date(internship.starts_on),
        "ends_on": form_date(internship.ends_on),
    }


def internship_reference_page(request, internship):
    """The recorded reference printed on the form of App. 5 (see ``document_view``); each version of the record
    is its own file."""
    return document_view(
        request,
        kind="certificates.internship_reference",
        key=str(internship.pk),
        filename=f"internship-reference-{internship.enrolment_id}.pdf",
        template=TEMPLATES["reference"],
        context=lambda: reference_context(internship),
        language="kk",
        final=False,
    )


@transaction.atomic
def internship_certificate_issue(internship, *, by, on=None):
    """Issue the internship certificate of App. 6 on the basis of the recorded reference (001 §30)."""
    access.require(by, ISSUE_PERMISSION, internship, message=_("Only the director issues certificates."))
    internship = (
        Internship.objects.select_for_update()
        .select_related("enrolment__cohort__program", "enrolment__listener__user")
        .get(pk=internship.pk)
    )
    if InternshipCertificate.objects.filter(internship=internship).exists():
        raise DomainError(
            _("%(listener)s already has an internship certificate.") % {"listener": internship.enrolment.listener}
        )
    on = on or timezone.localdate()
    if on < internship.ends_on:
        raise DomainError(_("The internship certificate is issued once the internship has ended."))
    sequence, number = next_registration_number(INTERNSHIPS, on.year, infix=INFIX)
    certificate = InternshipCertificate(
        internship=internship,
        registration_number=number,
        year=on.year,
        sequence=sequence,
        token=new_token(),
        holder_name=internship.enrolment.listener.full_name,
        issued_on=on,
        issued_by=by,
    )
    certificate.snapshot = internship_snapshot(certificate, internship, Organisation.current())
    certificate.save()
    certificate.document = _certificate_request(certificate)
    certificate.save(update_fields=["document"])
    log_action(
        certificate,
        "certificates.internship_certificate.issued",
        by=by,
        after={"registration_number": number, "issued_on": on},
        scope=_scope(internship.enrolment),
    )
    return certificate
