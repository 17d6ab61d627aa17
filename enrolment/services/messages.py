"""Written messages from the centre to the listeners of a cohort: the registrar, the director or one of the
cohort's own trainers writes; every recipient finds the message in the cabinet and gets it by e-mail.

A sending is one ``Mailing`` with one ``Message`` per recipient, created in one transaction and logged; the
mail leaves in the background once the transaction commits.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.errors import DomainError
from ziat.tasking import enqueue_on_commit

from ..models import Listener, Mailing, Message
from .core import SEAT_STATES

KIND = "cohort"


class MessageError(DomainError):
    """Bad input of a sending; ``field`` names the form's field it belongs to (None: the whole form)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def active_listeners(cohort):
    """The cohort's current listeners (admitted or enrolled), in the order of their names."""
    return (
        Listener.objects.filter(enrolments__cohort=cohort, enrolments__status__in=SEAT_STATES)
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name", "pk")
    )


def message_send(cohort, *, by, subject, body, listeners=None):
    """Write ``subject`` and ``body`` to ``listeners`` of ``cohort`` (all its current listeners when None).

    Refused unless ``by`` may write messages and reaches the cohort; a listener who is not a current listener
    of the cohort (of another cohort, expelled, transferred) refuses the whole sending."""
    access.require(by, "enrolment.add_message", cohort, message=_("You may not write to this cohort's listeners."))
    subject = (subject or "").strip()
    body = (body or "").strip()
    if not subject:
        raise MessageError(_("Write the subject of the message."), "subject")
    if not body:
        raise MessageError(_("Write the text of the message."), "body")
    with transaction.atomic():
        current = {listener.pk: listener for listener in active_listeners(cohort)}
        if listeners is None:
            recipients = list(current.values())
        else:
            chosen = [getattr(listener, "pk", listener) for listener in listeners]
            strangers = [pk for pk in chosen if pk not in current]
            if strangers:
                raise MessageError(
                    _("Only current listeners of this cohort may be chosen; expelled or transferred ones may not."),
                    "listeners",
                )
            recipients = [current[pk] for pk in dict.fromkeys(chosen)]
        if not recipients:
            raise MessageError(_("The cohort has no current listeners to write to."), "listeners")
        mailing = Mailing.objects.create(cohort=cohort, subject=subject, body=body, sent_by=by)
        sent = Message.objects.bulk_create(
            Message(listener=listener, kind=KIND, cohort=cohort, mailing=mailing, subject=subject, body=body)
            for listener in recipients
        )
        log_action(
            mailing,
            "enrolment.message.sent",
            by=by,
            after={"subject": subject, "recipients": len(sent)},
            scope={"program_id": cohort.program_id, "cohort_id": cohort.pk, "listener_id": None},
        )
        mailed = [message.pk for message, listener in zip(sent, recipients, strict=True) if listener.user.email]
        if mailed:
            from ..tasks import mail_messages

            enqueue_on_commit(mail_messages, mailed)
    return mailing


def messages_mark_read(listener, *, by, ids):
    """The listener has read the messages ``ids`` (those their page showed as new); returns how many were
    marked. Only the listener's own unread messages are marked: any other id is ignored."""
    if getattr(by, "listener", None) is None or by.listener.pk != listener.pk:
        raise access.AccessDenied(_("Only the listener marks their own messages as read."))
    return Message.objects.filter(listener=listener, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
