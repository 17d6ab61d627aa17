"""The government's later decisions on the calendar (a weekend day made a working day, a weekday made a day
off), recorded and withdrawn by staff; every working-day deadline reads them through ``ziat.calendar``.

A decision is recorded only where it changes the day: the rules of the ``holidays`` package already hold the
weekends, the public holidays and the moves announced when the package was made.

The deadlines counted on the fly (the approval order's, 000 §2.12) follow a decision at once. The dates an app
stored after counting working days (the public discussion's last day, 000 §2.9; the NOBD deadline, 001 §19) are
counted again by the app itself: each app registers its recount here from its ``ready`` (``register_recount``),
so that the centre names no app, and both services below call every recount inside their transaction. A
decision takes the calendar's lock (``ziat.calendar.calendar_locked``) for its whole transaction, and whoever
stores such a date takes it shared, so that no date is counted beside a decision not yet committed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import access
from .activity import log_action
from .calendar import calendar_locked, is_working_day
from .errors import DomainError
from .models import CalendarDay

_recounts = {}


def register_recount(name, recount):
    """Add (or replace, by name) an app's recount of its stored working-day dates.

    ``recount(changed_on, *, by, note, today)`` is called inside the transaction of a decision that made
    ``changed_on`` a working day or a day off (or withdrew that), with the calendar already changed; it counts
    again the dates whose working days include ``changed_on``, logs each move with ``by`` and the government's
    act in ``note``, and returns how many dates moved.
    """
    _recounts[name] = recount


def _recount(changed_on, *, by, note):
    today = timezone.localdate()
    return sum(recount(changed_on, by=by, note=note, today=today) for _name, recount in sorted(_recounts.items()))


@transaction.atomic
def calendar_day_record(*, date, is_working, note, by):
    """Record that the government made ``date`` a working day (``is_working``) or a day off, with the act
    that says so in ``note``; the stored deadlines that count the day move with it. Returns the decision,
    with ``moved``: how many stored deadlines moved."""
    # A decision is about the country's calendar, the same for everyone: there is no record to name yet.
    access.require(by, "ziat.add_calendarday", None, _("You may not record decisions on the calendar."))
    calendar_locked(decision=True)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Name the government's act that moves the day (its number and date)."))
    taken = _("A decision for %(date)s is already recorded; withdraw it first.") % {"date": date_format(date, "d.m.Y")}
    if CalendarDay.objects.filter(date=date).exists():
        raise DomainError(taken)
    if is_working_day(date) == is_working:
        if is_working:
            raise DomainError(_("%(date)s is already a working day.") % {"date": date_format(date, "d.m.Y")})
        raise DomainError(_("%(date)s is already a day off.") % {"date": date_format(date, "d.m.Y")})
    try:
        with transaction.atomic():
            day = CalendarDay.objects.create(date=date, is_working=is_working, note=note)
    except IntegrityError:
        raise DomainError(taken) from None
    log_action(day, "ziat.calendar_day.recorded", by=by, after={"is_working": is_working}, note=note)
    day.moved = _recount(date, by=by, note=note)
    return day


@transaction.atomic
def calendar_day_withdraw(day, *, by, reason=""):
    """Withdraw a recorded decision: the day follows the calendar's rules again, and the stored deadlines that
    count it move back. Returns how many stored deadlines moved."""
    access.require(by, "ziat.delete_calendarday", day, _("You may not withdraw decisions on the calendar."))
    calendar_locked(decision=True)
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    note = reason.strip() or day.note
    log_action(day, "ziat.calendar_day.withdrawn", by=by, before={"is_working": day.is_working}, note=note)
    changed_on = day.date
    day.delete()
    return _recount(changed_on, by=by, note=_("Decision withdrawn: %(act)s") % {"act": note})
