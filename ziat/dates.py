import calendar
import datetime


def add_years(day, years):
    """The same date ``years`` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return datetime.date(year, day.month, min(day.day, last))


def add_months(day, months):
    """The same date ``months`` later; a day the target month lacks becomes its last day (31 August + 6
    months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))
