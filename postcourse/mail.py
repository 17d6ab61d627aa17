"""Mail of post-course support: the other side of a consultation or publication is told, and the listeners
registered for an event of its new time or place, after the commit.

A body template ``templates/postcourse/mail/<kind>.txt`` gets ``recipient``, ``site_url`` and the caller's
context; the subject is here. Each recipient reads it in their language (a listener: that of their course).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

SUBJECTS = {
    "consultation_asked": _("A listener asks for a consultation"),
    "consultation_answered": _("Your consultation is answered"),
    "consultation_replied": _("A listener replied in a consultation"),
    "consultation_unanswered": _("A listener's consultation is still unanswered"),
    "consultation_scheduled": _("Your consultation meeting is scheduled"),
    "publication_submitted": _("A draft publication is submitted for review"),
    "publication_reviewed": _("Your draft publication is reviewed"),
    "event_changed": _("An event you registered for has changed"),
    "follow_up_support_asked": _("A listener asks for more support after the course"),
}


def cohort_staff(cohort_id):
    """Who on the staff is told of a listener's request in the support year: the cohort's trainers whose
    accounts are active, else the methodists."""
    from django.contrib.auth import get_user_model

    from enrolment.models import Session
    from ziat.roles import METHODIST

    User = get_user_model()
    taught = Session.objects.filter(cohort_id=cohort_id).values("trainer_id")
    trainers = list(User.objects.filter(pk__in=taught, is_active=True))
    return trainers or list(User.objects.filter(groups__name=METHODIST, is_active=True))


def mail_users(users, kind, *, language="kk", **context):
    """E-mail ``users`` (those with an address) a message of ``kind`` once the transaction commits."""
    if kind not in SUBJECTS:
        raise ValueError(kind)
    for user in users:
        address = getattr(user, "email", "")
        if not address:
            continue
        with translation.override(language):
            subject = str(SUBJECTS[kind])
            body = render_to_string(
                f"postcourse/mail/{kind}.txt", {"recipient": user, "site_url": settings.SITE_URL, **context}
            ).strip()
        transaction.on_commit(lambda s=subject, b=body, a=address: _send(s, b, a))


def _send(subject, body, address):
    try:
        send_mail(subject, body, None, [address])
    except OSError:  # a mail server down must not undo what the page already saved
        log.exception("Mail to %s could not be sent", address)
