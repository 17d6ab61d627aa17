"""The pass mark of the final test (000 §3.6, 001 §24, 004 §8): never below 50% of the maximum.

The other gate of 000 §3.6, attendance of at least 80%, is computed in one place for every page:
``enrolment.attendance`` (``admits``, ``Summary.admitted``).
"""

import math
from decimal import Decimal

LEGAL_PASS_FLOOR_PERCENT = 50


def effective_pass_score(pass_score, max_score, floor_percent=LEGAL_PASS_FLOOR_PERCENT):
    """The pass mark in force: the cohort's, raised to the floor if it was set lower (never below 50%)."""
    floor_percent = max(int(floor_percent), LEGAL_PASS_FLOOR_PERCENT)
    floor = Decimal(max_score) * floor_percent / 100
    return max(Decimal(pass_score), floor)


def score_passes(score, pass_score, max_score, floor_percent=LEGAL_PASS_FLOOR_PERCENT):
    return Decimal(score) >= effective_pass_score(pass_score, max_score, floor_percent)


def minimum_pass_score(max_score, floor_percent=LEGAL_PASS_FLOOR_PERCENT):
    """The lowest whole-number pass mark allowed for a test with ``max_score`` points."""
    return math.ceil(Decimal(max_score) * max(int(floor_percent), LEGAL_PASS_FLOOR_PERCENT) / 100)
