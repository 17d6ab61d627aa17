"""The project work of the final assessment (001 §28, 004 §8): handed in by the listener, scored by the
trainer against the program's rubric (each criterion 0..its maximum; 004: five criteria of 0-2 points).

A listener hands the work in from the first day of the course until it is scored; handing it in again
before that replaces the file. Once scored it is closed for the listener. A trainer scores the works of the
cohorts in which they teach a session; every criterion of the rubric is scored at once, or nothing is saved.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.enums import EnrolmentStatus
from enrolment.models import Enrolment
from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.uploads import DOCUMENT_TYPES, check_document

from ..models import AssessmentScheme, CriterionScore, ProjectWork

# A project work is a document, a presentation or pictures of the materials made (004 §8).
PROJECT_TYPES = {k: v for k, v in DOCUMENT_TYPES.items() if k in ("pdf", "docx", "pptx", "jpg", "jpeg", "png")}
TITLE_MAX_LENGTH = ProjectWork._meta.get_field("title").max_length

# A listener whose enrolment is in one of these states no longer hands in work on it.
CLOSED_STATES = (EnrolmentStatus.EXPELLED, EnrolmentStatus.TRANSFERRED, EnrolmentStatus.INTERRUPTED)


def scheme_of(program_id):
    """The program's assessment rules, or None when it has none (no project work is then required)."""
    return AssessmentScheme.objects.filter(program_id=program_id).prefetch_related("criteria").first()


def requires_project(scheme):
    return scheme is not None and scheme.has_project


# ------------------------------------------------------------------------------------------ the listener


def project_status(work):
    """A short translated status of a listener's work (``work`` may be None)."""
    if work is None:
        return _("not handed in")
    if work.points is None:
        return _("handed in, awaiting scoring")
    return _("scored")


@transaction.atomic
def project_submit(*, enrolment, title, upload, now=None):
    """Hand in (or replace, before it is scored) the listener's project work.

    The file is checked by its content; the work is accepted from the course's first day.
    """
    now = now or timezone.now()
    cohort = enrolment.cohort
    scheme = scheme_of(cohort.program_id)
    if not requires_project(scheme):
        raise DomainError(_("This program has no project work."))
    if enrolment.status in CLOSED_STATES:
        raise DomainError(
            _("Project works are not accepted on this enrolment: %(state)s.")
            % {"state": enrolment.get_status_display()}
        )
    if timezone.localtime(now).date() < cohort.starts_on:
        raise DomainError(
            _("The project work is accepted from the first day of the course, %(date)s.")
            % {"date": cohort.starts_on.strftime("%d.%m.%Y")}
        )
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Give the title of the project work."))
    if len(title) > TITLE_MAX_LENGTH:
        raise DomainError(_("The title has at most %(max)s characters.") % {"max": TITLE_MAX_LENGTH})
    if not upload:
        raise DomainError(_("Attach the file of the project work."))
    check_document(upload, types=PROJECT_TYPES)
    work = ProjectWork.objects.select_for_update().filter(enrolment=enrolment).first()
    if work is not None and work.points is not None:
        raise DomainError(_("The project work is already scored; it can no longer be replaced."))

    original = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
    extension = original.rsplit(".", 1)[-1].lower()
    if work is None:
        work = ProjectWork(enrolment=enrolment)
    else:
        storage, old_name = work.file.storage, work.file.name
        transaction.on_commit(lambda: storage.delete(old_name))
    work.title, work.original_name, work.submitted_at = title, original[:255], now
    # Stored under a neutral name: the listener's own file name is kept only for the download.
    work.file.save(f"project-{enrolment.pk}.{extension}", upload, save=False)
    work.save()
    log_action(
        work, "assessment.project.submitted", by=enrolment.listener.user, after={"title": title, "file": original}
    )
    return work


# ------------------------------------------------------------------------------------------ the trainer


WHOLE_NUMBER = re.compile(r"[0-9]{1,4}")


def _blank(raw):
    return raw is None or str(raw).strip() == ""


def _whole_points(raw, criterion):
    text = str(raw).strip()
    if not WHOLE_NUMBER.fullmatch(text):
        raise DomainError(
            _("“%(criterion)s”: the points are a whole number from 0 to %(max)s.")
            % {"criterion": criterion.name, "max": criterion.max_points}
        )
    points = int(text)
    if points > criterion.max_points:
        raise DomainError(
            _("“%(criterion)s”: %(points)s points are above the maximum %(max)s.")
            % {"criterion": criterion.name, "points": points, "max": criterion.max_points}
        )
    return points


def check_scores(criteria, scores):
    """Parse ``scores`` ({criterion id: (points, comment)}) against the rubric.

    Returns ({criterion id: (points, comment)}, {criterion id: error}); every criterion must be scored.
    """
    known = {c.pk for c in criteria}
    if set(scores) - known:
        raise DomainError(_("The score sheet does not match the rubric of this program; nothing was saved."))
    parsed, errors = {}, {}
    for criterion in criteria:
        if criterion.pk not in scores or _blank(scores[criterion.pk][0]):
            errors[criterion.pk] = _("“%(criterion)s” is not scored.") % {"criterion": criterion.name}
            continue
        points, comment = scores[criterion.pk]
        try:
            parsed[criterion.pk] = (_whole_points(points, criterion), (comment or "").strip())
        except DomainError as e:
            errors[criterion.pk] = e.message
    return parsed, errors


@transaction.atomic
def project_score(*, work, scores, comment, by):
    """Score a project work by every criterion of the program's rubric (004 §8).

    ``scores`` maps a criterion's id to (points, comment). A missing criterion or points that are not a
    whole number from 0 to the criterion's maximum refuse the whole sheet: nothing is saved.
    """
    work = ProjectWork.objects.select_for_update().select_related("enrolment__cohort").get(pk=work.pk)
    cohort = work.enrolment.cohort
    access.require(
        by, "assessment.change_projectwork", cohort, _("Only a trainer of this cohort scores its project works.")
    )
    if Enrolment.objects.filter(pk=work.enrolment_id, certificates__isnull=False).exists():
        raise DomainError(_("A certificate has been issued on this result; the score can no longer be changed."))
    scheme = scheme_of(cohort.program_id)
    criteria = list(scheme.criteria.all()) if scheme else []
    if not requires_project(scheme) or not criteria:
        raise DomainError(_("The program has no rubric for project works."))
    parsed, errors = check_scores(criteria, scores)
    if errors:
        raise DomainError(" ".join(str(errors[c.pk]) for c in criteria if c.pk in errors))

    before = {"points": work.points, "comment": work.comment} if work.scored_at else None
    CriterionScore.objects.filter(work=work).delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(work=work, criterion_id=pk, points=points, comment=note) for pk, (points, note) in parsed.items()
    )
    work.points = sum(points for points, _note in parsed.values())
    work.comment = (comment or "").strip()
    work.scored_by, work.scored_at = by, timezone.now()
    work.save(update_fields=["points", "comment", "scored_by", "scored_at"])
    names = {c.pk: str(c.name) for c in criteria}
    criteria_points = {names.get(pk, pk): points for pk, (points, _note) in parsed.items()}
    after = {"points": work.points, "comment": work.comment}
    log_action(work, "assessment.project.scored", by=by, before=before, after=after, data={"criteria": criteria_points})
    return work
