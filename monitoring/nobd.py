"""The NOBD reporting deadline of each finished cohort (001 §19).

A cohort's data are filled in the NOBD within five working days of the course's end
(``monitoring.rules.nobd_due_on``, on the Kazakhstan calendar with its transfers). A task every few minutes
makes the deadline of every finished cohort (the staff page only reads them); the registrar confirms that the data were
filled in (who and when, in the activity log); the registrars and the director are reminded of the overdue
ones by mail, at most once a day. When the government moves a day inside the five, the deadlines still
awaiting their data are counted again (``nobd_deadlines_recount``).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.models import Cohort
from ziat import access, roles
from ziat.activity import log_action, register_actions
from ziat.calendar import calendar_locked
from ziat.errors import DomainError

from .models import NobdDeadline
from .rules import nobd_due_on

log = logging.getLogger(__name__)

PERM = "monitoring.change_nobddeadline"
REMINDED_ROLES = (roles.REGISTRAR, roles.DIRECTOR)

register_actions(
    ("monitoring.nobd.confirmed", gettext_lazy("NOBD data confirmed as filled in")),
    ("monitoring.nobd.reminded", gettext_lazy("Reminded of the overdue NOBD data")),
    (
        "monitoring.nobd.recounted",
        gettext_lazy("NOBD deadline moved by the working-day calendar"),
        {"fields": {"due_on": gettext_lazy("due on")}},
    ),
)


# ------------------------------------------------------------------------------------------ services


@transaction.atomic
def nobd_deadlines_ensure(*, today=None):
    """The deadline of every finished cohort that has none yet (idempotent; safe to run concurrently)."""
    today = today or timezone.localdate()
    calendar_locked()
    missing = list(Cohort.objects.filter(ends_on__lte=today, nobd_deadline__isnull=True).values_list("pk", "ends_on"))
    if not missing:
        return 0
    NobdDeadline.objects.bulk_create(
        [NobdDeadline(cohort_id=pk, due_on=nobd_due_on(ends_on)) for pk, ends_on in missing], ignore_conflicts=True
    )
    return len(missing)


@transaction.atomic
def nobd_deadlines_recount(changed_on, *, by, note, today=None):
    """Count again every deadline not yet confirmed and not yet passed whose five working days include
    ``changed_on``, after the government's decision on that day was recorded or withdrawn
    (``ziat.calendar_decisions``, which calls this inside its transaction after its own access check); returns
    how many deadlines moved.

    A deadline that passed before ``today`` stays: the registrars were late under the calendar then in force,
    and may have been reminded. A deadline never moves before ``today``. Each move is logged, before and after.
    """
    today = today or timezone.localdate()
    deadlines = (
        NobdDeadline.objects.select_for_update(of=("self",))
        .filter(confirmed_at__isnull=True, cohort__ends_on__lt=changed_on, due_on__gte=max(changed_on, today))
        .select_related("cohort")
        .order_by("pk")
    )
    moved = 0
    for deadline in deadlines:
        before, after = deadline.due_on, max(nobd_due_on(deadline.cohort.ends_on), today)
        if after == before:
            continue
        deadline.due_on = after
        deadline.save(update_fields=["due_on"])
        log_action(
            deadline,
            "monitoring.nobd.recounted",
            by=by,
            before={"due_on": before},
            after={"due_on": after},
            note=note,
            scope={"cohort_id": deadline.cohort_id, "program_id": deadline.cohort.program_id, "listener_id": None},
        )
        moved += 1
    return moved


def nobd_confirm(deadline, *, by, now=None):
    """The registrar confirms that the cohort's data are in the NOBD (once)."""
    access.require(by, PERM, deadline.cohort)
    now = now or timezone.now()
    with transaction.atomic():
        locked = NobdDeadline.objects.select_for_update().select_related("cohort").get(pk=deadline.pk)
        if locked.confirmed_at is not None:
            raise DomainError(_("The NOBD data of this cohort are already confirmed."))
        locked.confirmed_by, locked.confirmed_at = by, now
        locked.save(update_fields=["confirmed_by", "confirmed_at"])
        log_action(
            locked,
            "monitoring.nobd.confirmed",
            by=by,
            after={"due_on": locked.due_on, "late": now.date() > locked.due_on},
            scope={"cohort_id": locked.cohort_id, "program_id": locked.cohort.program_id, "listener_id": None},
        )
    deadline.refresh_from_db()
    return deadline


def _recipients():
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name__in=REMINDED_ROLES, email__gt="")
        .distinct()
    )
    return sorted(set(users.values_list("email", flat=True)))


def nobd_remind_overdue(*, today=None, now=None):
    """One mail to the registrars and the director listing the overdue cohorts not reminded of today;
    returns the number of cohorts in it."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    with transaction.atomic():
        overdue = list(
            NobdDeadline.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(confirmed_at__isnull=True, due_on__lt=today)
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day))
            .select_related("cohort__program")
            .order_by("due_on", "pk")
        )
        if not overdue:
            return 0
        addresses = _recipients()
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Overdue NOBD data: %(count)s cohorts") % {"count": len(overdue)}
            body = render_to_string(
                "monitoring/nobd/mail_overdue.txt",
                {"deadlines": overdue, "today": today, "site_url": settings.SITE_URL},
            ).strip()
        NobdDeadline.objects.filter(pk__in=[d.pk for d in overdue]).update(reminded_at=now)
        for d in overdue:
            log_action(
                d,
                "monitoring.nobd.reminded",
                by=None,
                data={"to": len(addresses)},
                scope={"cohort_id": d.cohort_id, "program_id": d.cohort.program_id, "listener_id": None},
            )
        if addresses:
            transaction.on_commit(lambda: _send(subject, body, addresses))
    return len(overdue)


def _send(subject, body, addresses):
    try:
        send_mail(subject, body, None, addresses)
    except OSError:
        log.exception("The reminder of overdue NOBD data could not be mailed")
