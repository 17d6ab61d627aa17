"""Checking a certificate's QR text with only the organisation's public key: no server, no database.

This module uses nothing but the standard library and ``cryptography``; the format is described in
``certificates.signing``. ``manage.py verify_certificate_payload`` prints what ``check`` finds.
"""

import base64
import dataclasses
import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

OK, TAMPERED, UNSIGNED = "OK", "TAMPERED", "UNSIGNED"
COMPACT, UTF8 = "K", "U"  # the payload's first byte: KZ-1048 or UTF-8 text
COMPACT_CODEC = "kz1048"
FIELDS = 7


@dataclasses.dataclass(frozen=True)
class Essentials:
    registration_number: str
    holder: str
    hours: str
    issued_on: datetime.date
    valid_until: datetime.date
    duplicate_issued_on: datetime.date | None
    program_title: str

    @property
    def is_duplicate(self):
        return self.duplicate_issued_on is not None


@dataclasses.dataclass(frozen=True)
class Result:
    status: str  # OK, TAMPERED or UNSIGNED
    url: str
    essentials: Essentials | None = None

    @property
    def ok(self):
        return self.status == OK


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    if not text or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _day(value):
    return value.strftime("%Y%m%d") if value else ""


def _clean(text):
    return " ".join(str(text).split())  # no line feed inside a field


def encode_payload(essentials):
    text = "\n".join(
        [
            _clean(essentials.registration_number),
            _clean(essentials.holder),
            _clean(essentials.hours),
            _day(essentials.issued_on),
            _day(essentials.valid_until),
            _day(essentials.duplicate_issued_on),
            _clean(essentials.program_title),
        ]
    )
    try:
        data = COMPACT.encode() + text.encode(COMPACT_CODEC)
    except UnicodeEncodeError:
        data = UTF8.encode() + text.encode()
    return b64(data)


def decode_payload(payload):
    data = unb64(payload)
    kind, body = data[:1].decode("ascii"), data[1:]
    if kind == COMPACT:
        text = body.decode(COMPACT_CODEC)
    elif kind == UTF8:
        text = body.decode()
    else:
        raise ValueError("unknown payload format")
    fields = text.split("\n")
    if len(fields) != FIELDS:
        raise ValueError("wrong number of fields")
    number, holder, hours, issued, valid, duplicate, title = fields

    def day(value):
        return datetime.datetime.strptime(value, "%Y%m%d").date() if value else None  # noqa: DTZ007 (a date)

    return Essentials(number, holder, hours, day(issued), day(valid), day(duplicate), title)


def load_public_key(data):
    """A public key from PEM bytes (or the raw 32 bytes)."""
    if len(data) == 32:
        return Ed25519PublicKey.from_public_bytes(data)
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def check(text, public_key):
    """What a scanned QR text says and whether the organisation's key signed it exactly so."""
    text = (text or "").strip()
    url, sep, fragment = text.partition("#")
    if not sep or not fragment:
        return Result(UNSIGNED, url)
    signed, dot, signature = text.rpartition(".")
    if not dot or "#" not in signed:
        return Result(UNSIGNED, url)
    try:
        essentials = decode_payload(signed.partition("#")[2])
    except (ValueError, UnicodeDecodeError):
        essentials = None
    try:
        public_key.verify(unb64(signature), signed.encode())
    except (InvalidSignature, ValueError):
        return Result(TAMPERED, url, essentials)
    if essentials is None:
        return Result(TAMPERED, url)
    return Result(OK, url, essentials)
