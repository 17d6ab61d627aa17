"""The timetable of a cohort (001 §17, SPEC 3.1): its sessions, checked against the thematic plan of the
program's version, the academic hour of the centre, the cohort's dates and the trainers' other sessions.

Writes: ``session_save`` and ``session_delete``, each with an explicit actor. The reads for the pages are in
``enrolment.selectors``: ``timetable_sessions``, ``plan_check`` (hours per topic and activity against the plan),
``clashes`` (a trainer or a room in two overlapping sessions, in any cohort) and ``user_sessions`` (a
listener's or trainer's feed).
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from programs.enums import ActivityKind
from programs.selectors import version_with_plan
from ziat import access
from ziat.activity import log_action
from ziat.calendar import is_working_day
from ziat.errors import DomainError
from ziat.models import Organisation

from ..activity import session_values
from ..models import Session


def minutes_between(starts_at, ends_at):
    return (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)


# ------------------------------------------------------------------------------------------- writes


def _check(session, *, cohort, topic_ids):
    if session.date is None or session.starts_at is None or session.ends_at is None:
        raise DomainError(_("Give the session's date and times."))
    if not cohort.starts_on <= session.date <= cohort.ends_on:
        raise DomainError(
            _("The session must fall within the cohort's dates, %(start)s – %(end)s.")
            % {"start": f"{cohort.starts_on:%d.%m.%Y}", "end": f"{cohort.ends_on:%d.%m.%Y}"}
        )
    if session.ends_at <= session.starts_at:
        raise DomainError(_("The session must end after it starts."))
    if session.topic_id is None:
        raise DomainError(_("Choose the topic of the thematic plan."))
    if session.topic_id not in topic_ids:
        raise DomainError(_("The topic is not in the thematic plan of the cohort's program version."))
    if session.kind not in ActivityKind.values:
        raise DomainError(_("Choose the kind of activity."))
    hours = session.hours
    if hours is None or hours <= 0 or (hours * 2) % 1:
        raise DomainError(_("The academic hours are a positive number in halves (0.5, 1, 1.5 …)."))
    minute = Organisation.current().academic_hour_minutes
    length = minutes_between(session.starts_at, session.ends_at)
    if hours * minute > length:
        raise DomainError(
            _(
                "%(hours)s academic hours of %(minute)s minutes take %(need)s minutes, but the session lasts "
                "only %(length)s minutes (%(start)s – %(end)s)."
            )
            % {
                "hours": f"{hours.normalize():f}",
                "minute": minute,
                "need": f"{(hours * minute).normalize():f}",
                "length": length,
                "start": f"{session.starts_at:%H:%M}",
                "end": f"{session.ends_at:%H:%M}",
            }
        )


def _overlapping(session):
    """Other sessions, in any cohort, on the same day whose times overlap this one's."""
    return (
        Session.objects.filter(date=session.date, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at)
        .exclude(pk=session.pk)
        .select_related("cohort")
    )


def _check_trainer(session):
    if session.trainer_id is None:
        return
    from .trainers import check_assignable

    check_assignable(session.trainer)
    # Two saves for the same trainer wait for each other, so neither misses the other's session.
    get_user_model().objects.select_for_update().filter(pk=session.trainer_id).exists()
    other = _overlapping(session).filter(trainer_id=session.trainer_id).order_by("starts_at").first()
    if other is not None:
        raise DomainError(
            _(
                "%(trainer)s already teaches cohort %(code)s on %(date)s, %(start)s – %(end)s; "
                "a trainer cannot be in two sessions at once."
            )
            % {
                "trainer": session.trainer,
                "code": other.cohort.code,
                "date": f"{other.date:%d.%m.%Y}",
                "start": f"{other.starts_at:%H:%M}",
                "end": f"{other.ends_at:%H:%M}",
            }
        )


@transaction.atomic
def session_save(
    *,
    by,
    cohort,
    session=None,
    date,
    starts_at,
    ends_at,
    topic,
    kind,
    hours,
    trainer=None,
    place="",
    on_day_off=False,
):
    """Add a session to the cohort's timetable (``session=None``) or change one of its sessions.

    Refused with a reason: outside the cohort's dates, a topic outside the cohort's plan, more academic hours
    than the session's length holds, a trainer who may not teach or who teaches elsewhere at that time, and a
    new date on a day off (a weekend, a public holiday or a moved day off) unless ``on_day_off`` confirms it.
    A room used by another session at the same time is not refused; ``clashes`` shows it on the page.
    """
    if session is None:
        access.require(by, "enrolment.add_session", cohort, _("You may not add sessions to the timetable."))
        session = Session(cohort=cohort)
    else:
        access.require(by, "enrolment.change_session", session, _("You may not change the timetable."))
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.cohort_id != cohort.pk:
            raise DomainError(_("The session belongs to another cohort."))
    before = session_values(session)
    moved = session.pk is None or session.date != date
    version = version_with_plan(cohort.version_id)
    topic_ids = {t.pk for m in version.modules.all() for t in m.topics.all()}
    session.date, session.starts_at, session.ends_at = date, starts_at, ends_at
    session.topic = topic
    session.kind = kind
    session.hours = Decimal(hours) if hours is not None else None
    session.trainer = trainer
    session.place = (place or "").strip()
    _check(session, cohort=cohort, topic_ids=topic_ids)
    if moved and not on_day_off and not is_working_day(session.date):
        raise DomainError(
            _(
                "%(date)s is a day off in Kazakhstan (a weekend, a public holiday or a moved day off). "
                "Choose a working day, or confirm that the session is held on a day off."
            )
            % {"date": f"{session.date:%d.%m.%Y}"}
        )
    _check_trainer(session)
    session.save()
    action = "enrolment.session.changed" if before else "enrolment.session.created"
    log_action(session, action, by=by, before=before, after=session_values(session))
    return session


@transaction.atomic
def session_delete(session, *, by):
    """Remove a session from the timetable, unless attendance has been marked for it."""
    access.require(by, "enrolment.delete_session", session, _("You may not remove sessions from the timetable."))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.attendance.exists() or session.checkins.exists():
        raise DomainError(_("Attendance is already marked for this session; it cannot be removed."))
    log_action(session, "enrolment.session.deleted", by=by, before=session_values(session))
    session.delete()
