"""Registration numbers (003 §7.6): the organisation's prefix, the year and a sequence per register.

A number is taken by one statement that creates or increments the register's row for the year and locks it
until the issuing transaction ends: concurrent issuers wait for each other, a rolled-back issue gives its
number back, so numbers stay unique and gapless, and a number once used (a revoked certificate's too) is
never taken again.
"""

from django.db import connection

from ziat.models import Organisation

from .models import RegisterSequence

CERTIFICATES = "certificate"
REFERENCES = "reference"  # references of attendance (000 §3.9, 001 §31)
INTERNSHIPS = "internship"  # internship certificates (001 §30, App. 6)


def next_sequence(register, year):
    """The next sequence number of ``register`` in ``year``; call inside the transaction that uses it."""
    table = RegisterSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (register, year, last) VALUES (%s, %s, 1) "  # noqa: S608 - the model's own table
            f"ON CONFLICT (register, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [register, year],
        )
        return cursor.fetchone()[0]


def registration_number(sequence, year, *, prefix=None, infix=""):
    """``ZIAT-2026-00017``; ``infix`` marks another register's numbers (``ZIAT-С-2026-00003``)."""
    prefix = prefix if prefix is not None else Organisation.current().registration_prefix
    parts = [p for p in (prefix, infix, str(year), f"{sequence:05d}") if p]
    return "-".join(parts)


def next_registration_number(register, year, *, infix=""):
    """(sequence, registration number) of the next entry of ``register`` in ``year``."""
    sequence = next_sequence(register, year)
    return sequence, registration_number(sequence, year, infix=infix)
