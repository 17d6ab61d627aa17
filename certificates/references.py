"""The register of references of attendance (000 §3.9, 001 §31).

A listener who did not pass gets a reference of attendance once the course is over or they left it
(``assessment.outcomes.reference_available``). The first time it is asked for (a POST: by the listener in the
cabinet or by staff on the cohort's results), it is entered in its register with a number and a date, its
printed fields are kept, and its file is made once: every later download (a GET, which only reads) serves the
same file.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.outcomes import outcome_for, reference_available
from enrolment.models import Enrolment
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.models import Organisation
from ziat.stored_documents import document_request, kept_document, kept_document_view

from .documents import logo_data_uri
from .models import Reference
from .numbering import REFERENCES, next_registration_number
from .snapshot import organisation_snapshot

# The marker of the register's numbers: ZIAT-С-2026-00001 (С: справка).
INFIX = "С"
TEMPLATE = "assessment/documents/reference.html"
# Staff who may hand a listener their reference.
STAFF_PERMISSION = "assessment.view_finalresult"


def _hours(value):
    """Academic hours without trailing zeros and never in exponent form: 10.0 -> 10, 7.5 -> 7.5."""
    return format(value.normalize(), "f")


def reference_snapshot(reference, outcome, org):
    """Every field the reference prints, as printed on the day it was registered."""
    enrolment = outcome.enrolment
    cohort, program = enrolment.cohort, enrolment.cohort.program
    return {
        "registration_number": reference.registration_number,
        "issued_on": reference.issued_on.isoformat(),
        "holder": reference.holder_name,
        "program_title": {"kk": program.title_kk, "ru": program.title_ru},
        "cohort": cohort.code,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "course_hours": _hours(outcome.course_hours),
        "attended_hours": _hours(outcome.attended_hours),
        "attendance": str(outcome.attendance_display),
        "organisation": organisation_snapshot(org),
    }


def _letterhead(snapshot):
    """The organisation as the letterhead prints it, taken from the snapshot (the logo embedded)."""
    org = snapshot["organisation"]
    logo = logo_data_uri(org.get("logo"))
    return {
        "name_kk": org["name"]["kk"],
        "name_ru": org["name"]["ru"],
        "city_kk": org["city"]["kk"],
        "city_ru": org["city"]["ru"],
        "head_title_kk": org["head_title"]["kk"],
        "head_title_ru": org["head_title"]["ru"],
        "head_name": org["head_name"],
        "logo": {"path": logo} if logo else None,
    }


def reference_context(reference):
    doc = reference.snapshot
    return {
        "doc": doc,
        "org": _letterhead(doc),
        "issued_on": datetime.date.fromisoformat(doc["issued_on"]),
        "starts_on": datetime.date.fromisoformat(doc["starts_on"]),
        "ends_on": datetime.date.fromisoformat(doc["ends_on"]),
    }


def _request(reference):
    return document_request(
        kind="certificates.reference",
        key=str(reference.pk),
        filename=f"reference-{reference.year}-{reference.sequence:05d}.pdf",
        template=TEMPLATE,
        context=lambda: reference_context(reference),
        language="kk",
        final=True,
    )


def reference_document(reference):
    """The reference's stored file, requested again only if it was never made or its making failed."""
    return kept_document(reference, "document", lambda: _request(reference))


def reference_document_page(request, reference):
    """The reference's download (see ``kept_document_view``), for a user who may see it."""
    return kept_document_view(request, reference, "document", lambda: _request(reference))


def _check_may_ask(by, enrolment):
    listener = getattr(by, "listener", None)
    if listener is not None and listener.pk == enrolment.listener_id:
        return None  # the listener's own reference, asked for in the cabinet
    access.require(by, STAFF_PERMISSION, enrolment, message=_("You may not hand out this listener's reference."))
    return by


@transaction.atomic
def reference_register(enrolment, *, by, today=None):
    """The enrolment's reference of attendance: the one registered, or registered now (000 §3.9, 001 §31).

    Raises ``DomainError`` when the listener is not (yet) given a reference, and ``AccessDenied`` when ``by``
    may not ask for it.
    """
    issued_by = _check_may_ask(by, enrolment)
    # Two first requests at once: the second waits here and then finds the first one's reference.
    enrolment = (
        Enrolment.objects.select_for_update().select_related("cohort__program", "listener__user").get(pk=enrolment.pk)
    )
    found = Reference.objects.filter(enrolment=enrolment).select_related("document").first()
    if found is not None:
        reference_document(found)  # its file asked for again only if it was never made or its making failed
        return found
    today = today or timezone.localdate()
    outcome = outcome_for(enrolment)
    if not reference_available(outcome, today):
        raise DomainError(_("A reference of attendance is given to a listener who did not pass, once the course ends."))
    sequence, number = next_registration_number(REFERENCES, today.year, infix=INFIX)
    reference = Reference(
        enrolment=enrolment,
        registration_number=number,
        year=today.year,
        sequence=sequence,
        holder_name=enrolment.listener.full_name,
        issued_on=today,
        issued_by=issued_by,
    )
    reference.snapshot = reference_snapshot(reference, outcome, Organisation.current())
    reference.save()
    reference.document = _request(reference)
    reference.save(update_fields=["document"])
    log_action(
        reference,
        "certificates.reference.registered",
        by=by,
        after={"registration_number": number, "issued_on": today},
        scope={
            "program_id": enrolment.cohort.program_id,
            "cohort_id": enrolment.cohort_id,
            "listener_id": enrolment.listener_id,
        },
    )
    return reference
