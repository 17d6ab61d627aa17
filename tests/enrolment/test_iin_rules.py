"""The IIN rules on real-format numbers: check digit, date of birth, century and sex digit (SPEC 2.3, 003 App. 2)."""

import datetime

import pytest
from django.utils import translation

from enrolment.enums import Sex
from enrolment.iin import InvalidIIN, iin_birth_date, iin_check_digit, make_iin
from enrolment.services.applications import iin_sex


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _with_check(first11):
    return first11 + str(iin_check_digit(first11))


# Real-format IINs: YYMMDD, the century-and-sex digit, a 4-digit serial, the check digit.
@pytest.mark.parametrize(
    ("born", "female", "digit", "sex"),
    [
        (datetime.date(1899, 12, 31), False, "1", Sex.MALE),
        (datetime.date(1888, 3, 1), True, "2", Sex.FEMALE),
        (datetime.date(1975, 6, 15), False, "3", Sex.MALE),
        (datetime.date(1987, 11, 23), True, "4", Sex.FEMALE),
        (datetime.date(2001, 2, 3), False, "5", Sex.MALE),
        (datetime.date(2004, 2, 29), True, "6", Sex.FEMALE),
    ],
)
def test_century_digits_1_to_6_give_the_birth_date_and_sex_003_app_2(born, female, digit, sex):
    iin = make_iin(born, 123, female=female)
    assert iin[6] == digit
    assert iin_birth_date(iin) == born
    assert iin_sex(iin) == sex


def test_a_valid_iin_of_a_real_shape_is_accepted():
    # 12 digits: 870512 (12 May 1987), 4 (20th century, woman), 0123 serial, check digit.
    iin = _with_check("87051240123")
    assert len(iin) == 12
    assert iin_birth_date(iin) == datetime.date(1987, 5, 12)


def test_a_wrong_check_digit_is_refused():
    iin = make_iin(datetime.date(1990, 5, 17), 200)
    for wrong in {str(d) for d in range(10)} - {iin[11]}:
        with pytest.raises(InvalidIIN, match="check digit"):
            iin_birth_date(iin[:11] + wrong)


@pytest.mark.parametrize("first6", ["870230", "871301", "870000", "870431", "010229"])
def test_an_impossible_birth_date_is_refused(first6):
    iin = _with_check(f"{first6}30123")
    with pytest.raises(InvalidIIN, match="date of birth"):
        iin_birth_date(iin)


@pytest.mark.parametrize("digit", ["0", "7", "8", "9"])
def test_a_7th_digit_outside_1_to_6_is_refused(digit):
    iin = _with_check(f"870512{digit}0123")
    with pytest.raises(InvalidIIN, match="7th digit"):
        iin_birth_date(iin)


@pytest.mark.parametrize("bad", ["87051240123", "8705124012345", "87051240I23X", " 870512401234"])
def test_an_iin_is_exactly_12_digits(bad):
    with pytest.raises(InvalidIIN, match="12 digits"):
        iin_birth_date(bad)


def test_the_sex_is_the_parity_of_the_7th_digit():
    man = make_iin(datetime.date(1980, 1, 1), 300, female=False)
    woman = make_iin(datetime.date(1980, 1, 1), 300, female=True)
    assert int(man[6]) % 2 == 1 and iin_sex(man) == Sex.MALE
    assert int(woman[6]) % 2 == 0 and iin_sex(woman) == Sex.FEMALE
