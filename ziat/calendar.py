"""The Kazakhstan working-day calendar.

Weekends and public holidays (with the days off that replace holidays falling on a weekend), and the
government's moved days off (a Saturday or Sunday made a working day, a weekday made a day off) come from
the ``holidays`` package; the government's later decisions are kept in ``CalendarDay`` and win.
A period counted in working days from an event starts on the next day and ends at the end of its last
day (Civil Code of the Republic of Kazakhstan, art. 172-174).
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _public_holidays(year):
    return frozenset(holidays.KZ(years=year).keys())


@lru_cache(maxsize=32)
def _weekend_workdays(year):
    """The Saturdays and Sundays the government made working days in ``year`` (a day off moved from them)."""
    return frozenset(d for d in holidays.KZ(years=year).weekend_workdays if d.year == year)


def _transfers(start, end):
    from .models import CalendarDay

    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_working"))


def is_working_day(day, _overrides=None):
    overrides = _transfers(day, day) if _overrides is None else _overrides
    if day in overrides:
        return overrides[day]
    if day in _weekend_workdays(day.year):
        return True
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(start, n):
    """The last day of a period of ``n`` working days counted from the event on ``start``."""
    if n < 1:
        raise ValueError("n must be a positive number of working days")
    # A generous window for the overrides: holidays never stretch a week beyond twice its length.
    overrides = _transfers(start, start + datetime.timedelta(days=n * 3 + 30))
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if is_working_day(day, overrides):
            counted += 1
    return day


def days_off(start, end):
    """The non-working days from ``start`` to ``end`` inclusive (weekends, holidays, moved days off, the
    government's later decisions), read in one query."""
    overrides = _transfers(start, end)
    found, day = set(), start
    while day <= end:
        if not is_working_day(day, overrides):
            found.add(day)
        day += datetime.timedelta(days=1)
    return found
