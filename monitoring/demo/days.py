"""The demo's courses run on working days of the Kazakhstan calendar, whatever day the demo is loaded on."""

import datetime

from ziat.calendar import is_working_day

COURSE_DAYS = 5


def course_days(start, n=COURSE_DAYS):
    """The first ``n`` working days from ``start`` (``start`` itself when it is one)."""
    days, day = [], start
    while len(days) < n:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def course_days_until(end, n=COURSE_DAYS):
    """The last ``n`` working days up to ``end`` (``end`` itself when it is one)."""
    days, day = [], end
    while len(days) < n:
        if is_working_day(day):
            days.insert(0, day)
        day -= datetime.timedelta(days=1)
    return days
