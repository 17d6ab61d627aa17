"""The Kazakh individual identification number (IIN): 12 digits, YYMMDD, century and sex, check digit."""

import datetime

from django.utils.translation import gettext as _

_W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
_W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


class InvalidIIN(ValueError):
    pass


def iin_check_digit(first11):
    digits = [int(c) for c in first11]
    check = sum(d * w for d, w in zip(digits, _W1, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, _W2, strict=True)) % 11
    return check


def iin_birth_date(iin):
    """Validate an IIN and return the date of birth it encodes."""
    # Only the ASCII digits 0-9: Python's isdigit() also accepts full-width and other scripts' digits, which
    # the database's check refuses.
    if not (isinstance(iin, str) and len(iin) == 12 and iin.isascii() and iin.isdigit()):
        raise InvalidIIN(_("An IIN is exactly 12 digits."))
    century_digit = int(iin[6])
    if century_digit not in _CENTURY:
        raise InvalidIIN(_("The 7th digit of the IIN (century and sex) must be 1-6."))
    try:
        born = datetime.date(_CENTURY[century_digit] + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise InvalidIIN(_("The first six digits of the IIN are not a date of birth.")) from None
    check = iin_check_digit(iin[:11])
    if check == 10 or check != int(iin[11]):
        raise InvalidIIN(_("The IIN's check digit is wrong."))
    return born


def make_iin(born, serial, female=False):
    """A valid IIN for a date of birth; ``serial`` is moved on until the check digit is not 10."""
    century = {18: 1, 19: 3, 20: 5}[born.year // 100] + (1 if female else 0)
    while True:
        first11 = f"{born:%y%m%d}{century}{serial:04d}"
        check = iin_check_digit(first11)
        if check != 10:
            return first11 + str(check)
        serial += 1
