"""The pass mark of the final test (000 §3.6, 001 §24, 004 §8): never below 50% of the maximum.

The organisation may raise the floor (``Organisation.pass_floor_percent``); a cohort may set its own mark
above it. The contract (enrolment) prints the mark in force and the assessment applies it: both read it here.
"""

import math
from decimal import Decimal

LEGAL_PASS_FLOOR_PERCENT = 50


def effective_pass_score(pass_score, max_score, floor_percent=LEGAL_PASS_FLOOR_PERCENT):
    """The pass mark in force: the cohort's, raised to the floor if it was set lower (never below 50%)."""
    floor_percent = max(int(floor_percent), LEGAL_PASS_FLOOR_PERCENT)
    floor = Decimal(max_score) * floor_percent / 100
    return max(Decimal(pass_score), floor)


def pass_percent(pass_score, max_score, floor_percent=LEGAL_PASS_FLOOR_PERCENT):
    """The mark in force as a whole percent of the maximum, rounded up (17 of 25: 68)."""
    return math.ceil(effective_pass_score(pass_score, max_score, floor_percent) * 100 / Decimal(max_score))
