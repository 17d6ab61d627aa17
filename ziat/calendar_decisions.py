"""The government's later decisions on the calendar (a weekend day made a working day, a weekday made a day
off), recorded and withdrawn by staff; every working-day deadline reads them through ``ziat.calendar``.

A decision is recorded only where it changes the day: the rules of the ``holidays`` package already hold the
weekends, the public holidays and the moves announced when the package was made.
"""

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import access
from .activity import log_action
from .calendar import is_working_day
from .errors import DomainError
from .models import CalendarDay


@transaction.atomic
def calendar_day_record(*, date, is_working, note, by):
    """Record that the government made ``date`` a working day (``is_working``) or a day off, with the act
    that says so in ``note``."""
    # A decision is about the country's calendar, the same for everyone: there is no record to name yet.
    access.require(by, "ziat.add_calendarday", None, _("You may not record decisions on the calendar."))
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
    return day


@transaction.atomic
def calendar_day_withdraw(day, *, by, reason=""):
    """Withdraw a recorded decision: the day follows the calendar's rules again."""
    access.require(by, "ziat.delete_calendarday", day, _("You may not withdraw decisions on the calendar."))
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    log_action(
        day,
        "ziat.calendar_day.withdrawn",
        by=by,
        before={"is_working": day.is_working},
        note=reason.strip() or day.note,
    )
    day.delete()
