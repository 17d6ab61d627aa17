"""The Kazakhstan working-day calendar.

Weekends and public holidays (with the days off that replace holidays falling on a weekend), and the
government's moved days off (a Saturday or Sunday made a working day, a weekday made a day off) come from
the ``holidays`` package; the government's later decisions are kept in ``CalendarDay`` and win.
A period counted in working days from an event starts on the next day and ends at the end of its last
day (Civil Code of the Republic of Kazakhstan, art. 172-174).
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.db import connection
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy


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


# The advisory lock (two keys, constants of our own) that orders the government's decisions on the calendar
# against the dates the system stores after counting working days.
_LOCK = (71_047, 1)


def calendar_locked(*, decision=False):
    """Take, to the end of the current transaction, the calendar's lock: shared by whoever is about to store a
    date counted in working days (a discussion's last day, a NOBD deadline), exclusive for a ``decision``
    recorded or withdrawn. A date is then counted either before a decision (and recounted by it) or after it,
    never beside it with the decision not yet committed."""
    function = "pg_advisory_xact_lock" if decision else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", _LOCK)


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


# ------------------------------------------------------------------------------------------ the year's page

# The years the staff's calendar page shows and records the government's decisions for.
FIRST_YEAR, LAST_YEAR = 2020, 2040

# The holidays' names as the ``holidays`` package gives them in English, translated by the project's
# catalogue (the package speaks Kazakh and English only).
HOLIDAY_NAMES = {
    "New Year's Day": pgettext_lazy("holiday", "New Year"),
    "Orthodox Christmas": pgettext_lazy("holiday", "Orthodox Christmas"),
    "International Women's Day": pgettext_lazy("holiday", "International Women's Day"),
    "Nowruz Holiday": pgettext_lazy("holiday", "Nauryz"),
    "Kazakhstan's People Solidarity Holiday": pgettext_lazy("holiday", "Day of Unity of the People of Kazakhstan"),
    "Defender of the Fatherland Day": pgettext_lazy("holiday", "Defender of the Fatherland Day"),
    "Victory Day": pgettext_lazy("holiday", "Victory Day"),
    "Capital Day": pgettext_lazy("holiday", "Capital Day"),
    "Constitution Day": pgettext_lazy("holiday", "Constitution Day"),
    "Republic Day": pgettext_lazy("holiday", "Republic Day"),
    "Independence Day": pgettext_lazy("holiday", "Independence Day"),
    "Eid al-Adha": pgettext_lazy("holiday", "Kurban ait"),
}
_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")
_SUFFIXED = re.compile(r"^(.*) \((observed|estimated)\)$")


@lru_cache(maxsize=32)
def _holiday_names(year):
    return dict(holidays.KZ(years=year, language="en_US"))


def holiday_name(name):
    """The name the ``holidays`` package gives a day (in English), in the reader's language."""
    moved = _SUBSTITUTED.match(name)
    if moved:
        month, day, year = (int(part) for part in moved.groups())
        return _("Day off moved from %(date)s") % {"date": date_format(datetime.date(year, month, day), "d.m.Y")}
    suffixed = _SUFFIXED.match(name)
    if suffixed:
        base, kind = suffixed.groups()
        base = HOLIDAY_NAMES.get(base, base)
        if kind == "observed":
            return _("%(holiday)s (moved day off)") % {"holiday": base}
        return _("%(holiday)s (expected date)") % {"holiday": base}
    return str(HOLIDAY_NAMES.get(name, name))


@dataclass(frozen=True)
class Day:
    date: datetime.date
    working: bool
    reason: str = ""  # why a day differs from an ordinary weekday or weekend
    decision: object = None  # the government's later decision (a CalendarDay) that sets this day

    @property
    def weekend(self):
        return self.date.weekday() >= 5


def year_days(year):
    """Every day of ``year`` with whether it is a working day and why (one query for the decisions)."""
    from .models import CalendarDay

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    decisions = {d.date: d for d in CalendarDay.objects.filter(date__range=(start, end))}
    overrides = {d: decision.is_working for d, decision in decisions.items()}
    names = _holiday_names(year)
    moved_work = _weekend_workdays(year)
    days, day = [], start
    while day <= end:
        decision = decisions.get(day)
        if decision is not None:
            reason = decision.note or (
                _("Working day by decision") if decision.is_working else _("Day off by decision")
            )
        elif day in moved_work:
            reason = _("Working day (a day off moved from it)")
        elif day in names:
            reason = holiday_name(names[day])
        else:
            reason = ""
        days.append(Day(date=day, working=is_working_day(day, overrides), reason=reason, decision=decision))
        day += datetime.timedelta(days=1)
    return days
