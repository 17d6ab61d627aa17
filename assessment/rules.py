"""The pass mark of the final test (000 §3.6, 001 §24, 004 §8): never below 50% of the maximum.

The other gate of 000 §3.6, attendance of at least 80%, is computed in one place for every page:
``enrolment.attendance`` (``admits``, ``Summary.admitted``).
"""

import math
from decimal import Decimal

from ziat.pass_marks import LEGAL_PASS_FLOOR_PERCENT, effective_pass_score


def score_passes(score, pass_score, max_score, floor_percent=LEGAL_PASS_FLOOR_PERCENT):
    return Decimal(score) >= effective_pass_score(pass_score, max_score, floor_percent)


def minimum_pass_score(max_score, floor_percent=LEGAL_PASS_FLOOR_PERCENT):
    """The lowest whole-number pass mark allowed for a test with ``max_score`` points."""
    return math.ceil(Decimal(max_score) * max(int(floor_percent), LEGAL_PASS_FLOOR_PERCENT) / 100)
