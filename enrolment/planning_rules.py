"""The deadlines of the planning chain (001 §§11-14) as plain functions of dates.

The plans are made for the coming financial year: an organisation's request is due by 1 June (001 §11),
a district or city department's plan by 1 July (001 §12), a region's plan by 1 September (001 §13) of the
year before; a region's list of teachers two months before its course starts (001 §14). A date sent on
the deadline itself is in time.
"""

import datetime

from .enums import ORGANISATION_KINDS, PartnerKind

# The level of a plan, by the kind of the organisation that makes it.
ORGANISATION, DEPARTMENT, REGION = "organisation", "department", "region"
# Month and day of each level's deadline in the year before the plan's financial year.
DUE = {ORGANISATION: (6, 1), DEPARTMENT: (7, 1), REGION: (9, 1)}
# Days before a deadline on which the representatives who have not yet sent are reminded.
REMIND_DAYS = (14, 3)


def level_of(kind):
    """The level of the planning chain an organisation of ``kind`` plans at (None: it makes no plan)."""
    if kind in ORGANISATION_KINDS:
        return ORGANISATION
    if kind == PartnerKind.DISTRICT:
        return DEPARTMENT
    if kind == PartnerKind.REGIONAL:
        return REGION
    return None


def coming_year(today):
    """The financial year the plans made on ``today`` are for."""
    return today.year + 1


def plan_due_on(kind, year):
    """The last day for a plan of an organisation of ``kind`` for the financial year ``year``."""
    level = level_of(kind)
    if level is None:
        return None
    month, day = DUE[level]
    return datetime.date(year - 1, month, day)


def months_before(day, months):
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def list_due_on(starts_on):
    """The last day for a region's list of teachers for a course starting on ``starts_on`` (001 §14)."""
    return months_before(starts_on, 2)


def is_late(due_on, sent_on=None, *, today):
    """Whether a step due on ``due_on`` is late: sent after it, or not sent and the day has passed."""
    if due_on is None:
        return False
    return (sent_on or today) > due_on
