"""Warnings before a listener loses admission to the final assessment (SPEC 3.3, 001 §24).

When the maximum still reachable falls under 85%, the listener and the registrar are warned; when it falls
under 80% they are told plainly that 80% can no longer be reached. Each warning goes once: the enrolment
records when it was sent. A listener whose attendance drops straight under 80% gets only the second one.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..attendance import cohort_attendance, moment
from ..enums import EnrolmentStatus
from ..models import Cohort, Enrolment
from ..notifications import notify

log = logging.getLogger(__name__)

AT_RISK = "attendance_at_risk"
UNREACHABLE = "attendance_unreachable"


@transaction.atomic
def attendance_warn(cohort, *, today=None):
    """Warn the enrolled listeners of ``cohort`` whose attendance is at risk or out of reach; once each.

    ``today`` is a date (sessions of earlier days count as held) or a datetime (sessions started by then).
    Returns the list of (enrolment, kind) warned.
    """
    now = moment(today)
    enrolments = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).filter(
        warned_unreachable_at__isnull=True
    )
    sheet = cohort_attendance(cohort, now=now, enrolments=enrolments)
    warned = []
    stamp = timezone.now()
    for row in sheet.rows:
        e, summary = row.enrolment, row.summary
        if summary.unreachable:
            kind, stamp_field = UNREACHABLE, "warned_unreachable_at"
        elif summary.at_risk and e.warned_at_risk_at is None:
            kind, stamp_field = AT_RISK, "warned_at_risk_at"
        else:
            continue
        notify(e.listener, kind, cohort=cohort, percent=summary.reachable_display)
        setattr(e, stamp_field, stamp)
        e.save(update_fields=[stamp_field])
        warned.append((e, kind, summary))
    if warned:
        _tell_registrars(cohort, warned)
    return [(e, kind) for e, kind, _summary in warned]


def attendance_warn_all(*, today):
    """Run the warnings for every cohort under way (started, and ended no more than a week ago)."""
    day = moment(today).date()
    cohorts = Cohort.objects.filter(starts_on__lte=day, ends_on__gte=day - datetime.timedelta(days=7))
    warned = []
    for cohort in cohorts.select_related("program"):
        warned.extend(attendance_warn(cohort, today=today))
    return warned


def _tell_registrars(cohort, warned):
    addresses = list(
        get_user_model()
        .objects.filter(groups__name="registrar", is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "cohort": cohort,
            "at_risk": [(e, s) for e, kind, s in warned if kind == AT_RISK],
            "unreachable": [(e, s) for e, kind, s in warned if kind == UNREACHABLE],
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("enrolment/attendance/registrar_mail_subject.txt", context).strip()
        body = render_to_string("enrolment/attendance/registrar_mail.txt", context).strip()
    transaction.on_commit(lambda: _send(subject, body, addresses))


def _send(subject, body, addresses):
    try:
        send_mail(subject, body, None, addresses)
    except OSError:
        log.exception("The attendance warning to the registrar could not be mailed")
