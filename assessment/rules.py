"""The two gates of the regulation (000 §3.6, 001 §24): attendance >= 80% and final test >= the pass mark."""

import math
from decimal import ROUND_DOWN, Decimal

ATTENDANCE_MIN_PERCENT = Decimal("80")
LEGAL_PASS_FLOOR_PERCENT = 50


def attendance_percent(attended_hours, course_hours):
    """The share of the course's academic hours attended, in percent (not rounded)."""
    if not course_hours:
        return Decimal("0")
    return Decimal(attended_hours) * 100 / Decimal(course_hours)


def attendance_admits(percent):
    return Decimal(percent) >= ATTENDANCE_MIN_PERCENT


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


def display_percent(value):
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
