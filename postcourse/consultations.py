"""Methodical and consulting support (000 §4.3 1), 001 §37 1)): a listener in their support year asks a
question or requests a consultation meeting; a trainer of the cohort (or a methodist) answers in the thread,
or schedules the meeting and marks it held; the listener replies. The other side is mailed on commit."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ziat import access
from ziat.activity import log_action
from ziat.calendar import add_working_days
from ziat.errors import DomainError

from .enums import ConsultationKind, ConsultationStatus
from .mail import cohort_staff, mail_users
from .models import Consultation, ConsultationMessage
from .support import require_own, require_support_year

NOT_CLOSED = (ConsultationStatus.OPEN, ConsultationStatus.ANSWERED, ConsultationStatus.SCHEDULED)
# Moves allowed by each action: {action: (states it starts from)}.
MOVES = {
    "answer": NOT_CLOSED,
    "reply": NOT_CLOSED,
    "schedule": (ConsultationStatus.OPEN, ConsultationStatus.ANSWERED, ConsultationStatus.SCHEDULED),
    "hold": (ConsultationStatus.SCHEDULED,),
    "close": (*NOT_CLOSED, ConsultationStatus.HELD),
}


# A question or a request for a meeting still unanswered this many working days after it was asked is
# recalled to the staff, once (``consultations_remind``).
REMIND_AFTER_WORKING_DAYS = 2


def _language(enrolment):
    return "ru" if enrolment.cohort.language == "ru" else "kk"


def _staff_side(consultation):
    """Who is told of the listener's words: the trainer who took it, else the cohort's trainers, else the
    methodists."""
    if consultation.trainer_id:
        return [consultation.trainer]
    return cohort_staff(consultation.enrolment.cohort_id)


def _move(consultation, action):
    if consultation.status not in MOVES[action]:
        raise DomainError(
            _("This consultation is %(status)s; this cannot be done now.")
            % {"status": consultation.get_status_display()}
        )


def _locked(consultation):
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("enrolment__cohort", "enrolment__listener__user", "trainer")
        .get(pk=consultation.pk)
    )


@transaction.atomic
def consultation_ask(enrolment, *, by, kind, subject, text, preferred_time="", today=None):
    """The listener asks a question or requests a meeting, in their support year only (000 §4.1, §4.3 1))."""
    require_own(enrolment, by)
    require_support_year(enrolment, today=today)
    if kind not in ConsultationKind.values:
        raise DomainError(_("Choose a question or a consultation meeting."))
    if not (subject or "").strip() or not (text or "").strip():
        raise DomainError(_("Write the subject and the question."))
    consultation = Consultation.objects.create(
        enrolment=enrolment,
        kind=kind,
        subject=subject.strip(),
        preferred_time=(preferred_time or "").strip() if kind == ConsultationKind.MEETING else "",
    )
    ConsultationMessage.objects.create(consultation=consultation, author=by, text=text.strip())
    log_action(
        consultation, "postcourse.consultation.asked", by=by, after={"status": consultation.status, "kind": kind}
    )
    mail_users(
        _staff_side(consultation), "consultation_asked", language=_language(enrolment), consultation=consultation
    )
    return consultation


@transaction.atomic
def consultation_answer(consultation, *, by, text, now=None):
    """A trainer of the cohort (or a methodist) answers in the thread; the first answer is timed."""
    access.require(by, "postcourse.add_consultationmessage", consultation)
    access.require(by, "postcourse.change_consultation", consultation)
    consultation = _locked(consultation)
    _move(consultation, "answer")
    if not (text or "").strip():
        raise DomainError(_("Write the answer."))
    now = now or timezone.now()
    message = ConsultationMessage.objects.create(consultation=consultation, author=by, text=text.strip())
    before = {"status": consultation.status}
    if consultation.first_answered_at is None:
        consultation.first_answered_at = now
    if consultation.trainer_id is None:
        consultation.trainer = by
    if consultation.status == ConsultationStatus.OPEN:
        consultation.status = ConsultationStatus.ANSWERED
    consultation.save(update_fields=["first_answered_at", "trainer", "status"])
    log_action(
        consultation, "postcourse.consultation.answered", by=by, before=before, after={"status": consultation.status}
    )
    listener = consultation.enrolment.listener.user
    mail_users(
        [listener], "consultation_answered", language=_language(consultation.enrolment), consultation=consultation
    )
    return message


@transaction.atomic
def consultation_reply(consultation, *, by, text, today=None):
    """The listener writes again in their thread (their support year still open); it waits for an answer."""
    consultation = _locked(consultation)
    require_own(consultation.enrolment, by)
    require_support_year(consultation.enrolment, today=today)
    _move(consultation, "reply")
    if not (text or "").strip():
        raise DomainError(_("Write your message."))
    message = ConsultationMessage.objects.create(consultation=consultation, author=by, text=text.strip())
    before = {"status": consultation.status}
    if consultation.status == ConsultationStatus.ANSWERED:
        consultation.status = ConsultationStatus.OPEN
        consultation.save(update_fields=["status"])
    log_action(
        consultation, "postcourse.consultation.replied", by=by, before=before, after={"status": consultation.status}
    )
    mail_users(
        _staff_side(consultation),
        "consultation_replied",
        language=_language(consultation.enrolment),
        consultation=consultation,
    )
    return message


@transaction.atomic
def consultation_schedule(consultation, *, by, scheduled_at, place, now=None):
    """Schedule the consultation meeting: its time and room or online link."""
    access.require(by, "postcourse.change_consultation", consultation)
    consultation = _locked(consultation)
    _move(consultation, "schedule")
    now = now or timezone.now()
    if consultation.kind != ConsultationKind.MEETING:
        raise DomainError(_("A question is answered in the thread; only a requested meeting is scheduled."))
    if scheduled_at is None or scheduled_at <= now:
        raise DomainError(_("Choose a meeting time in the future."))
    if not (place or "").strip():
        raise DomainError(_("Give the room or the online link."))
    before = {"status": consultation.status, "scheduled_at": consultation.scheduled_at}
    consultation.status, consultation.scheduled_at, consultation.place = (
        ConsultationStatus.SCHEDULED,
        scheduled_at,
        place.strip(),
    )
    if consultation.first_answered_at is None:
        consultation.first_answered_at = now
    if consultation.trainer_id is None:
        consultation.trainer = by
    consultation.save(update_fields=["status", "scheduled_at", "place", "first_answered_at", "trainer"])
    log_action(
        consultation,
        "postcourse.consultation.scheduled",
        by=by,
        before=before,
        after={"status": consultation.status, "scheduled_at": scheduled_at, "place": consultation.place},
    )
    mail_users(
        [consultation.enrolment.listener.user],
        "consultation_scheduled",
        language=_language(consultation.enrolment),
        consultation=consultation,
    )
    return consultation


@transaction.atomic
def consultation_hold(consultation, *, by, now=None):
    """Mark the scheduled meeting held (once its time has come)."""
    access.require(by, "postcourse.change_consultation", consultation)
    consultation = _locked(consultation)
    _move(consultation, "hold")
    if consultation.scheduled_at > (now or timezone.now()):
        raise DomainError(_("The meeting has not taken place yet."))
    before = {"status": consultation.status}
    consultation.status = ConsultationStatus.HELD
    consultation.save(update_fields=["status"])
    log_action(
        consultation, "postcourse.consultation.held", by=by, before=before, after={"status": consultation.status}
    )
    return consultation


@transaction.atomic
def consultation_close(consultation, *, by, now=None):
    """Close the thread: the listener (their own) or the staff who reach it."""
    consultation = _locked(consultation)
    if consultation.enrolment.listener.user_id != by.pk:
        access.require(by, "postcourse.change_consultation", consultation)
    _move(consultation, "close")
    before = {"status": consultation.status}
    consultation.status, consultation.closed_at = ConsultationStatus.CLOSED, now or timezone.now()
    consultation.save(update_fields=["status", "closed_at"])
    log_action(
        consultation, "postcourse.consultation.closed", by=by, before=before, after={"status": consultation.status}
    )
    return consultation


def consultations_remind(*, now=None):
    """Recall to the staff, once, every consultation nobody has answered ``REMIND_AFTER_WORKING_DAYS`` working
    days after it was asked: the trainer who took it, else the cohort's trainers, else the methodists. Each row
    is locked and marked with its message, so that a second run (or two at once) reminds of nothing twice.
    Returns how many were recalled."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminded = 0
    with transaction.atomic():
        waiting = (
            Consultation.objects.select_for_update(skip_locked=True, of=("self",))
            # Working days are never fewer than calendar days: only those at least as old can be due.
            .filter(
                status=ConsultationStatus.OPEN,
                first_answered_at__isnull=True,
                reminded_at__isnull=True,
                created_at__lte=now - datetime.timedelta(days=REMIND_AFTER_WORKING_DAYS),
            )
            .select_related("enrolment__cohort", "enrolment__listener__user", "trainer")
            .order_by("created_at", "pk")
        )
        for consultation in waiting:
            asked_on = timezone.localdate(consultation.created_at)
            if add_working_days(asked_on, REMIND_AFTER_WORKING_DAYS) > today:
                continue
            mail_users(
                _staff_side(consultation),
                "consultation_unanswered",
                language=_language(consultation.enrolment),
                consultation=consultation,
                asked_on=asked_on,
            )
            consultation.reminded_at = now
            consultation.save(update_fields=["reminded_at"])
            log_action(consultation, "postcourse.consultation.reminded", by=None, after={"reminded_at": now})
            reminded += 1
    return reminded
