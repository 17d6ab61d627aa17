"""The external final assessment of a long course (000 §2.1.10): the confirmation of a teacher's level of
qualification against the program of a long course, held by an outside assessor and recorded by the
registrar or the director with its document."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.enums import EnrolmentStatus
from programs.models import ProgramVersion
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.uploads import SCAN_TYPES, check_document

from ..models import ExternalAssessment
from ..outcomes import course_hours, is_long_course

TEXT_MAX_LENGTH = ExternalAssessment._meta.get_field("assessor").max_length


def cohort_is_long_course(cohort):
    """Whether the cohort's course is a long one (its program version's plan is over 108 hours)."""
    version = ProgramVersion.objects.prefetch_related("modules__topics").get(pk=cohort.version_id)
    return is_long_course(cohort.program, course_hours(version))


def _text(value, label):
    text = " ".join(str(value or "").split())
    if not text:
        raise DomainError(_("Fill in: %(field)s.") % {"field": label})
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(
            _("%(field)s: at most %(max)s characters.") % {"field": str(label).capitalize(), "max": TEXT_MAX_LENGTH}
        )
    return text


@transaction.atomic
def external_record(*, enrolment, held_on, assessor, result, passed, document, by):
    """Record (or correct) the external final assessment of a listener of a long course.

    The document (the assessor's protocol) is checked by its content; it may be left out only when a
    record with a document already exists. Everything is checked before anything is saved.
    """
    existing = ExternalAssessment.objects.select_for_update().filter(enrolment=enrolment).first()
    perm = "assessment.change_externalassessment" if existing else "assessment.add_externalassessment"
    access.require(by, perm, enrolment, _("You may not record external final assessments."))
    if not cohort_is_long_course(enrolment.cohort):
        raise DomainError(_("Only a long course (over 108 academic hours) has an external final assessment."))
    if enrolment.status in (EnrolmentStatus.EXPELLED, EnrolmentStatus.TRANSFERRED):
        raise DomainError(
            _("No assessment is recorded on this enrolment: %(state)s.") % {"state": enrolment.get_status_display()}
        )
    if held_on is None:
        raise DomainError(_("Fill in: %(field)s.") % {"field": _("the date held")})
    if held_on > timezone.localdate():
        raise DomainError(_("The external final assessment cannot be dated in the future."))
    if held_on < enrolment.cohort.starts_on:
        raise DomainError(_("The external final assessment cannot be held before the course starts."))
    assessor = _text(assessor, _("assessed by"))
    result = _text(result, _("result"))
    if document:
        check_document(document, types=SCAN_TYPES)
    elif existing is None:
        raise DomainError(_("Attach the document of the external final assessment."))

    record = existing or ExternalAssessment(enrolment=enrolment)
    fields = ("held_on", "assessor", "result", "passed")
    before = {name: getattr(existing, name) for name in fields} if existing else None
    record.held_on, record.assessor, record.result, record.passed = held_on, assessor, result, bool(passed)
    record.recorded_by = by
    if document:
        if existing is not None:
            storage, old_name = existing.document.storage, existing.document.name
            transaction.on_commit(lambda: storage.delete(old_name))
        original = document.name.replace("\\", "/").rsplit("/", 1)[-1]
        record.original_name = original[:255]
        record.document.save(f"external-{enrolment.pk}.{original.rsplit('.', 1)[-1].lower()}", document, save=False)
    record.save()
    after = {name: getattr(record, name) for name in fields}
    log_action(
        record, "assessment.external.recorded", by=by, before=before, after=after, data={"document": bool(document)}
    )
    return record
