"""The Kazakhstan working-day calendar (SPEC 1.7, 000 §2.9; Civil Code art. 172-174)."""

import datetime

import pytest

from ziat.calendar import add_working_days, is_working_day
from ziat.models import CalendarDay

D = datetime.date


@pytest.mark.django_db
def test_discussion_of_ten_working_days_from_16_march_2026_ends_2_april_000_2_9():
    # Nauryz 21-23 March 2026 falls on Sat-Mon: the weekend days move to Tue 24 and Wed 25.
    assert add_working_days(D(2026, 3, 16), 10) == D(2026, 4, 2)


@pytest.mark.django_db
def test_counting_starts_on_the_next_day_civil_code_172():
    # Published on a Friday: day 1 is Monday.
    assert add_working_days(D(2026, 2, 6), 1) == D(2026, 2, 9)


@pytest.mark.django_db
def test_independence_day_16_december_2025_is_not_a_working_day():
    assert not is_working_day(D(2025, 12, 16))
    # Monday 15 December 2025 + 1 working day skips Tuesday 16 December.
    assert add_working_days(D(2025, 12, 15), 1) == D(2025, 12, 17)


@pytest.mark.django_db
def test_new_year_and_christmas_2026_are_skipped():
    # 31 Dec 2025 (Wed) → 1, 2 Jan holidays, 3-4 weekend, 5 Jan Monday works, 7 Jan Christmas.
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert add_working_days(D(2025, 12, 31), 3) == D(2026, 1, 8)


@pytest.mark.django_db
def test_nauryz_2025_across_the_weekend():
    # 21-23 March 2025 (Fri-Sun) with the days off moved to Mon 24 and Tue 25.
    assert [is_working_day(D(2025, 3, d)) for d in range(20, 27)] == [True, False, False, False, False, False, True]


@pytest.mark.django_db
def test_a_government_transfer_makes_a_saturday_a_working_day_and_a_weekday_a_day_off():
    saturday, friday = D(2026, 11, 28), D(2026, 11, 27)
    assert not is_working_day(saturday)
    CalendarDay.objects.create(date=saturday, is_working=True, note="transfer")
    CalendarDay.objects.create(date=friday, is_working=False, note="transfer")
    assert is_working_day(saturday)
    assert not is_working_day(friday)
    # Thursday 26 Nov + 2 working days: Friday is off, Saturday works, then Monday.
    assert add_working_days(D(2026, 11, 26), 1) == saturday
    assert add_working_days(D(2026, 11, 26), 2) == D(2026, 11, 30)


def test_a_period_needs_at_least_one_day():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 5), 0)


@pytest.mark.parametrize(
    ("saturday_or_sunday", "moved_day_off"),
    [
        (datetime.date(2023, 7, 1), datetime.date(2023, 7, 7)),
        (datetime.date(2024, 5, 4), datetime.date(2024, 5, 8)),
        (datetime.date(2025, 1, 5), datetime.date(2025, 1, 3)),
    ],
)
def test_the_governments_moved_days_off_of_2023_to_2025_are_known_without_a_transfer(
    db, saturday_or_sunday, moved_day_off
):
    """A weekend day made a working day counts; the weekday it was moved to does not."""
    assert saturday_or_sunday.weekday() >= 5 and is_working_day(saturday_or_sunday)
    assert moved_day_off.weekday() < 5 and not is_working_day(moved_day_off)


def test_a_discussion_across_the_moved_days_off_of_july_2023_ends_a_day_earlier_000_2_9(db):
    """From Monday 26 June 2023: Kurban ait (28 June), Saturday 1 July worked, Astana day (6 July) and the day
    off moved to Friday 7 July: ten working days end on Wednesday 12 July, not on the 13th."""
    assert add_working_days(datetime.date(2023, 6, 26), 10) == datetime.date(2023, 7, 12)


@pytest.mark.parametrize(
    ("holiday", "moved_day_off"),
    [
        (datetime.date(2026, 3, 8), datetime.date(2026, 3, 9)),  # Women's Day on a Sunday
        (datetime.date(2026, 5, 9), datetime.date(2026, 5, 11)),  # Victory Day on a Saturday
        (datetime.date(2026, 10, 25), datetime.date(2026, 10, 26)),  # Republic Day on a Sunday
    ],
)
def test_the_days_off_moved_from_the_holidays_of_2026_are_not_working_days(db, holiday, moved_day_off):
    assert holiday.weekday() >= 5 and not is_working_day(holiday)
    assert moved_day_off.weekday() == 0 and not is_working_day(moved_day_off)


def test_the_approval_across_victory_day_2026_skips_the_moved_monday_000_2_12(db):
    """The state body's agreement arrives on Thursday 7 May 2026 (Defender of the Fatherland Day, itself a
    day off): three working days are Friday 8, Tuesday 12 and Wednesday 13 May, since Monday 11 May is the
    day off moved from Victory Day."""
    assert add_working_days(datetime.date(2026, 5, 7), 3) == datetime.date(2026, 5, 13)
