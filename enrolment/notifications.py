"""Messages from the centre to a listener: kept in the cabinet and sent by e-mail, in the listener's language.

Each kind has a subject here and a body template ``templates/enrolment/mail/<kind>.txt`` that receives
``listener``, ``site_url`` and the caller's context. Mail leaves only after the transaction commits.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Message

log = logging.getLogger(__name__)

SUBJECTS = {
    "application_received": _("Your application is received"),
    "application_returned": _("Your application is returned for corrections"),
    "admitted": _("You are admitted to the course"),
    "contract_to_accept": _("Your training contract is ready to accept"),
    "enrolled": _("You are enrolled by order"),
    "course_starts": _("Your course starts soon"),
    "transferred": _("You are transferred to another cohort"),
    "expelled": _("You are expelled from the course"),
    "attendance_at_risk": _("Your attendance is at risk"),
    "attendance_unreachable": _("You can no longer reach 80% attendance"),
}


def listener_language(listener):
    """The listener's language: that of their latest application or cohort, else Kazakh."""
    application = listener.applications.order_by("-created_at").values_list("language", flat=True).first()
    if not application:
        application = listener.enrolments.order_by("-enrolled_at").values_list("cohort__language", flat=True).first()
    return "ru" if application == "ru" else "kk"


def notify(listener, kind, **context):
    """Leave a message of ``kind`` in the listener's cabinet and e-mail it when an address is known."""
    if kind not in SUBJECTS:
        raise ValueError(kind)
    with translation.override(listener_language(listener)):
        subject = str(SUBJECTS[kind])
        body = render_to_string(
            f"enrolment/mail/{kind}.txt", {"listener": listener, "site_url": settings.SITE_URL, **context}
        ).strip()
    cohort = context.get("cohort")
    message = Message.objects.create(listener=listener, kind=kind, cohort=cohort, subject=subject, body=body)
    address = listener.user.email
    if address:
        transaction.on_commit(lambda: _send(message.pk, subject, body, address))
    return message


def course_start_reminders(today, *, days_ahead=3):
    """Tell every enrolled listener of a cohort starting within ``days_ahead`` days; once per cohort."""
    from django.db.models import Exists, OuterRef

    from .enums import EnrolmentStatus
    from .models import Enrolment

    told = Message.objects.filter(listener=OuterRef("listener"), cohort=OuterRef("cohort"), kind="course_starts")
    due = (
        Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED,
            cohort__starts_on__gte=today,
            cohort__starts_on__lte=today + datetime.timedelta(days=days_ahead),
        )
        .exclude(Exists(told))
        .select_related("listener__user", "cohort__program")
    )
    sent = 0
    for enrolment in due:
        notify(enrolment.listener, "course_starts", cohort=enrolment.cohort)
        sent += 1
    return sent


def _send(message_pk, subject, body, address):
    try:
        send_mail(subject, body, None, [address])
    except OSError:
        log.exception("Mail to a listener failed; the message stays in the cabinet")
        return
    Message.objects.filter(pk=message_pk).update(emailed=True)


def mail_written(message_ids):
    """E-mail the written messages ``message_ids`` not yet e-mailed to their listeners (run in the background
    after the sending commits; a message already e-mailed is not sent twice)."""
    messages = Message.objects.filter(pk__in=message_ids, emailed=False).select_related("listener__user")
    sent = 0
    for message in messages:
        address = message.listener.user.email
        if address:
            _send(message.pk, message.subject, message.body, address)
            sent += 1
    return sent
