"""The IIN: 12 digits, the check digit of the official algorithm, the birth date it encodes (SPEC 2.3)."""

import datetime

import pytest

from enrolment.iin import InvalidIIN, iin_birth_date, iin_check_digit, make_iin
from enrolment.services.core import listener_create
from ziat.errors import DomainError


def test_a_valid_iin_gives_its_birth_date():
    iin = make_iin(datetime.date(1987, 11, 23), 123)
    assert iin_birth_date(iin) == datetime.date(1987, 11, 23)


def test_the_century_digit_is_read():
    assert iin_birth_date(make_iin(datetime.date(2001, 2, 3), 55)) == datetime.date(2001, 2, 3)


def test_check_digit_uses_the_second_weights_when_the_first_gives_10():
    # Find an 11-digit prefix whose first weighted sum is 10 mod 11 and check the second pass is used.
    for serial in range(10000):
        first11 = f"8711233{serial:04d}"
        s1 = sum(int(d) * w for d, w in zip(first11, range(1, 12), strict=True)) % 11
        if s1 == 10:
            expected = sum(int(d) * w for d, w in zip(first11, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True)) % 11
            assert iin_check_digit(first11) == expected
            return
    pytest.fail("no prefix with a first sum of 10")


@pytest.mark.parametrize(
    "bad",
    ["", "12345", "8711233001234", "87112330012a", "871323300123", "871123900123"],
)
def test_malformed_iins_are_refused(bad):
    with pytest.raises(InvalidIIN):
        iin_birth_date(bad)


def test_wrong_check_digit_is_refused():
    iin = make_iin(datetime.date(1990, 5, 17), 200)
    wrong = iin[:11] + str((int(iin[11]) + 1) % 10)
    with pytest.raises(InvalidIIN):
        iin_birth_date(wrong)


@pytest.mark.django_db
def test_birth_date_must_agree_with_the_iin(registrar):
    iin = make_iin(datetime.date(1990, 5, 17), 200)
    with pytest.raises(DomainError):
        listener_create(
            by=registrar, last_name="Ким", first_name="Елена", iin=iin, birth_date=datetime.date(1990, 5, 18)
        )
    from enrolment.models import Listener

    assert not Listener.objects.exists()


def test_an_iin_in_non_ascii_digits_is_refused_before_the_database(db):
    """Full-width or Arabic-Indic digits look like an IIN to str.isdigit(); they are refused with the
    translated message, and no listener is created."""
    from django.utils.translation import gettext

    from enrolment.models import Listener
    from enrolment.services.core import listener_create
    from tests.factories import staff_user
    from ziat.errors import DomainError
    from ziat.roles import REGISTRAR

    registrar = staff_user(REGISTRAR)
    iin = make_iin(datetime.date(1985, 4, 12), 300)
    for foreign in ("".join(chr(0xFF10 + int(c)) for c in iin), "".join(chr(0x0660 + int(c)) for c in iin)):
        with pytest.raises(InvalidIIN):
            iin_birth_date(foreign)
        with pytest.raises(DomainError) as refused:
            listener_create(last_name="Сейтова", first_name="Айгүл", iin=foreign, by=registrar)
        assert str(refused.value) == gettext("An IIN is exactly 12 digits.")
    assert not Listener.objects.exists()
