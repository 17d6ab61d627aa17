"""Comments of the public discussion (000 §2.9): anyone may comment while it is open; staff decide."""

import datetime
import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError

from ..enums import CommentStatus
from ..models import Discussion, DiscussionComment

FORM_SALT = "programs.discussion.comment"
# A person (by address) may leave this many comments an hour on the portal.
COMMENTS_PER_HOUR = 5
MAX_COMMENT_LENGTH = 5000


def client_hash(ip):
    """The commenter's address, kept only as a keyed hash for the rate limit."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{ip}".encode()).hexdigest()


def comment_form_token():
    """A signed stamp of the moment the comment form was shown."""
    return signing.dumps(int(time.time()), salt=FORM_SALT)


def _check_not_a_robot(token, honeypot):
    if honeypot:
        raise DomainError(_("The comment looks automatic and was not accepted."))
    try:
        shown_at = signing.loads(token or "", salt=FORM_SALT, max_age=datetime.timedelta(days=1))
    except signing.BadSignature:
        raise DomainError(_("The form has expired; reload the page and send the comment again.")) from None
    if time.time() - shown_at < settings.DISCUSSION_COMMENT_MIN_SECONDS:
        raise DomainError(_("The comment looks automatic and was not accepted."))


@transaction.atomic
def comment_add(discussion, *, name, text, organisation="", email="", ip="", form_token="", honeypot="", now=None):
    """Leave a comment on a draft while its discussion is open (to the end of its last day)."""
    discussion = Discussion.objects.select_for_update().get(pk=discussion.pk)
    now = now or timezone.now()
    if timezone.localdate(now) > discussion.ends_on:
        raise DomainError(
            _("The public discussion closed at the end of %(date)s; comments are no longer accepted.")
            % {"date": discussion.ends_on.strftime("%d.%m.%Y")}
        )
    _check_not_a_robot(form_token, honeypot)
    name, text, organisation, email = name.strip(), text.strip(), organisation.strip(), email.strip()
    if not name:
        raise DomainError(_("Give your name."))
    if not text:
        raise DomainError(_("Write your comment."))
    if len(text) > MAX_COMMENT_LENGTH:
        raise DomainError(_("The comment is too long: at most %(max)s characters.") % {"max": MAX_COMMENT_LENGTH})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("The e-mail address is not valid.")) from None
    key = client_hash(ip)
    recent = DiscussionComment.objects.filter(client_hash=key, created_at__gte=now - datetime.timedelta(hours=1))
    if recent.count() >= COMMENTS_PER_HOUR:
        raise DomainError(_("Too many comments from your address; try again in an hour."))
    return DiscussionComment.objects.create(
        discussion=discussion,
        name=name[:200],
        organisation=organisation[:300],
        email=email,
        text=text,
        client_hash=key,
    )


@transaction.atomic
def comment_decide(comment, *, by, status, reason="", reply=""):
    """Staff accept or reject a comment, with the reason, and may answer it publicly."""
    access.require(by, "programs.change_discussioncomment", comment, _("You may not answer comments."))
    if status not in (CommentStatus.ACCEPTED, CommentStatus.REJECTED):
        raise DomainError(_("Choose whether the comment is accepted or rejected."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the decision."))
    comment = DiscussionComment.objects.select_for_update().get(pk=comment.pk)
    before = comment.status
    comment.status, comment.reason, comment.reply = status, reason.strip(), reply.strip()
    comment.replied_by, comment.replied_at = by, timezone.now()
    comment.save(update_fields=["status", "reason", "reply", "replied_by", "replied_at"])
    log_action(
        comment,
        "programs.comment.decided",
        by=by,
        before={"status": before},
        after={"status": status},
        note=comment.reason,
    )
    return comment
