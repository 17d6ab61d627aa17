"""Help with publications (000 §4.3 2), 001 §37 2)): the listener uploads a draft in their support year; a
trainer of the cohort takes it in review, comments, requests changes or accepts it; the listener uploads a
revision (the comments stay); an accepted draft is recorded as published with its reference."""

import os

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.uploads import DOCUMENT_TYPES, check_document

from .consultations import _staff_side
from .enums import PublicationStatus
from .mail import mail_users
from .models import Publication, PublicationComment
from .support import require_own, require_support_year

DRAFT_TYPES = {k: v for k, v in DOCUMENT_TYPES.items() if k in ("pdf", "docx")}
S = PublicationStatus
MOVES = {
    "take": (S.SUBMITTED,),
    "comment": (S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.ACCEPTED),
    "request_changes": (S.IN_REVIEW,),
    "revise": (S.CHANGES_REQUESTED,),
    "accept": (S.IN_REVIEW,),
    "publish": (S.ACCEPTED,),
}


def _language(enrolment):
    return "ru" if enrolment.cohort.language == "ru" else "kk"


def _move(publication, action):
    if publication.status not in MOVES[action]:
        raise DomainError(
            _("This publication is %(status)s; this cannot be done now.") % {"status": publication.get_status_display()}
        )


def _locked(publication):
    return (
        Publication.objects.select_for_update(of=("self",))
        .select_related("enrolment__cohort", "enrolment__listener__user", "reviewer")
        .get(pk=publication.pk)
    )


def _reviewer(by, publication):
    access.require(by, "postcourse.change_publication", publication)


def _change(publication, action, *, by, to, fields=(), log_action_code, **values):
    before = {"status": publication.status}
    publication.status = to
    for name, value in values.items():
        setattr(publication, name, value)
    publication.save(update_fields=["status", *fields, *values])
    log_action(publication, log_action_code, by=by, before=before, after={"status": to, **values})
    return publication


def _comment(publication, by, text):
    if (text or "").strip():
        return PublicationComment.objects.create(publication=publication, author=by, text=text.strip())
    return None


def _tell_listener(publication):
    mail_users(
        [publication.enrolment.listener.user],
        "publication_reviewed",
        language=_language(publication.enrolment),
        publication=publication,
    )


@transaction.atomic
def publication_submit(enrolment, *, by, title, venue, upload, today=None):
    """The listener hands in a draft (PDF or DOCX) with its title and intended venue, in the support year."""
    require_own(enrolment, by)
    require_support_year(enrolment, today=today)
    if not (title or "").strip():
        raise DomainError(_("Give the title of the publication."))
    if upload is None:
        raise DomainError(_("Attach the draft."))
    check_document(upload, types=DRAFT_TYPES)
    publication = Publication(enrolment=enrolment, title=title.strip(), venue=(venue or "").strip())
    publication.file.save(os.path.basename(upload.name), upload, save=False)
    publication.save()
    log_action(publication, "postcourse.publication.submitted", by=by, after={"status": publication.status})
    mail_users(
        _staff_side(_Proxy(enrolment)),
        "publication_submitted",
        language=_language(enrolment),
        publication=publication,
    )
    return publication


class _Proxy:
    """What ``_staff_side`` reads of a consultation, for a publication not yet reviewed."""

    trainer_id = None

    def __init__(self, enrolment):
        self.enrolment = enrolment


@transaction.atomic
def publication_take(publication, *, by):
    """A trainer of the cohort (or a methodist) takes the draft in review."""
    _reviewer(by, publication)
    publication = _locked(publication)
    _move(publication, "take")
    _change(publication, "take", by=by, to=S.IN_REVIEW, reviewer=by, log_action_code="postcourse.publication.taken")
    _tell_listener(publication)
    return publication


@transaction.atomic
def publication_comment(publication, *, by, text):
    """A comment in the draft's thread, by the listener or by staff who reach it."""
    publication = _locked(publication)
    if publication.enrolment.listener.user_id != by.pk:
        access.require(by, "postcourse.add_publicationcomment", publication)
    _move(publication, "comment")
    comment = _comment(publication, by, text)
    if comment is None:
        raise DomainError(_("Write the comment."))
    log_action(publication, "postcourse.publication.commented", by=by, note=comment.text[:200])
    return comment


@transaction.atomic
def publication_request_changes(publication, *, by, text):
    """The reviewer asks for changes, saying which."""
    _reviewer(by, publication)
    publication = _locked(publication)
    _move(publication, "request_changes")
    if not (text or "").strip():
        raise DomainError(_("Say which changes are needed."))
    _comment(publication, by, text)
    _change(
        publication,
        "request_changes",
        by=by,
        to=S.CHANGES_REQUESTED,
        log_action_code="postcourse.publication.changes_requested",
    )
    _tell_listener(publication)
    return publication


@transaction.atomic
def publication_revise(publication, *, by, upload, text="", today=None):
    """The listener uploads the revised draft; it goes back to its reviewer, the comments kept."""
    publication = _locked(publication)
    require_own(publication.enrolment, by)
    require_support_year(publication.enrolment, today=today)
    _move(publication, "revise")
    if upload is None:
        raise DomainError(_("Attach the revised draft."))
    check_document(upload, types=DRAFT_TYPES)
    old = publication.file.name
    publication.file.save(os.path.basename(upload.name), upload, save=False)
    _comment(publication, by, text)
    before = {"status": publication.status, "file": os.path.basename(old)}
    publication.status = S.IN_REVIEW
    publication.save(update_fields=["status", "file"])
    log_action(
        publication,
        "postcourse.publication.revised",
        by=by,
        before=before,
        after={"status": publication.status, "file": os.path.basename(publication.file.name)},
    )
    if publication.reviewer_id:
        mail_users(
            [publication.reviewer],
            "publication_submitted",
            language=_language(publication.enrolment),
            publication=publication,
        )
    return publication


@transaction.atomic
def publication_accept(publication, *, by, text=""):
    """The reviewer accepts the draft: ready for publication."""
    _reviewer(by, publication)
    publication = _locked(publication)
    _move(publication, "accept")
    _comment(publication, by, text)
    _change(publication, "accept", by=by, to=S.ACCEPTED, log_action_code="postcourse.publication.accepted")
    _tell_listener(publication)
    return publication


def reference_text(*, journal, year, link=""):
    parts = [journal.strip(), str(year)]
    if link:
        parts.append(link.strip())
    return ", ".join(p for p in parts if p)


@transaction.atomic
def publication_publish(publication, *, by, journal, year, link="", on=None):
    """Record the accepted draft as published, with its reference (journal, year, link): the listener
    (their own) or the staff who reach it."""
    publication = _locked(publication)
    if publication.enrolment.listener.user_id != by.pk:
        _reviewer(by, publication)
    _move(publication, "publish")
    if not (journal or "").strip() or not year:
        raise DomainError(_("Give the journal (or collection, or site) and the year of publication."))
    on = on or timezone.localdate()
    if int(year) > on.year:
        raise DomainError(_("The year of publication cannot be in the future."))
    _change(
        publication,
        "publish",
        by=by,
        to=S.PUBLISHED,
        reference=reference_text(journal=journal, year=year, link=link),
        published_on=on,
        log_action_code="postcourse.publication.published",
    )
    return publication
