"""The numbers monitoring's rules are made of, each in one place."""

from ziat.calendar import add_working_days
from ziat.dates import add_years

# Satisfaction results are shown only from this many answers up, so that nobody's answer can be inferred
# (000 §4.5 4)).
SATISFACTION_MIN_ANSWERS = 5
# A program's effectiveness is reviewed at least once every three years (000 §4.4, 001 §38).
REVIEW_EVERY_YEARS = 3
# NOBD data are filled in within five working days of the course's end (001 §19).
NOBD_WORKING_DAYS = 5


def nobd_due_on(course_ends_on):
    """The last day for a course's NOBD data (001 §19)."""
    return add_working_days(course_ends_on, NOBD_WORKING_DAYS)


def review_due_on(last_reviewed_on):
    """The day by which the next effectiveness review is due, counted from the last one (or the approval)."""
    return add_years(last_reviewed_on, REVIEW_EVERY_YEARS)


def satisfaction_shown(answers):
    """Whether a group of ``answers`` satisfaction answers may be shown."""
    return answers >= SATISFACTION_MIN_ANSWERS
