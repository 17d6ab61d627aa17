"""The Kazakhstan working-day calendar.

Weekends and public holidays (with the days off that replace holidays falling on a weekend) come from
the ``holidays`` package; the government's announced transfers are kept in ``CalendarDay`` and win.
A period counted in working days from an event starts on the next day and ends at the end of its last
day (Civil Code of the Republic of Kazakhstan, art. 172-174).
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _public_holidays(year):
    return frozenset(holidays.KZ(years=year).keys())


def _transfers(start, end):
    from .models import CalendarDay

    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_working"))


def is_working_day(day, _overrides=None):
    overrides = _transfers(day, day) if _overrides is None else _overrides
    if day in overrides:
        return overrides[day]
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
