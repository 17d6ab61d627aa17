import calendar
import datetime


def add_years(day, years):
    """The same date ``years`` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return datetime.date(year, day.month, min(day.day, last))
