"""The organisation's Ed25519 key and the signed payload of a certificate's QR code (SPEC 5.3).

The key comes from the setting ``CERTIFICATE_SIGNING_KEY`` (a PEM private key, or the base64 of its raw
32-byte seed). When it is empty, one key is made on first use and kept in the database (``SigningKey``):
the row is inserted with ``ON CONFLICT DO NOTHING`` and read back, so processes starting together all end
up with the same key. The public key is published at ``certificates:public_key``.

The QR code of a certificate carries its verification address with a signed fragment::

    https://kurs.example.kz/verify/<token>/#<payload>.<signature>

``payload`` is base64url (no padding) of one format byte and the essentials separated by line feeds:
registration number, holder, academic hours, date of issue and end of validity (YYYYMMDD), the duplicate's
date of issue (empty for the original) and the course topic. Format byte ``K``: the text is in KZ-1048, the
one-byte code page of Kazakh and Russian Cyrillic (half the size of UTF-8, so the QR code stays small);
``U``: UTF-8, for text that code page cannot hold. ``signature`` is base64url of the Ed25519 signature of
every character before the last ``.`` (the address, ``#`` and the payload), so that neither the address nor
the essentials can be changed. A phone opens the address; the fragment never reaches the server.
``certificates.offline`` checks such a text with nothing but the public key.
"""

import base64
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from . import offline

KEY_NAME = "organisation"
_shared = {}


def parse_private_key(text):
    """An Ed25519 private key from a PEM text (``\\n`` may be written as two characters) or a base64 seed."""
    text = (text or "").strip()
    if "-----BEGIN" in text:
        key = serialization.load_pem_private_key(text.replace("\\n", "\n").encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY must be an Ed25519 key.")
        return key
    try:
        seed = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_" if "-" in text or "_" in text else None)
    except ValueError as error:
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY is neither a PEM key nor a base64 seed.") from error
    if len(seed) != 32:
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY: an Ed25519 seed has 32 bytes.")
    return Ed25519PrivateKey.from_private_bytes(seed)


def _stored_key():
    from .models import SigningKey

    row = SigningKey.objects.filter(name=KEY_NAME).first()
    if row is None:
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        # Two processes may get here at once: one row wins, and both read it back.
        SigningKey.objects.bulk_create(
            [SigningKey(name=KEY_NAME, seed=base64.b64encode(seed).decode())], ignore_conflicts=True
        )
        row = SigningKey.objects.get(name=KEY_NAME)
    return row.seed


def private_key():
    """The organisation's signing key (from the settings, or the one kept in the database)."""
    configured = getattr(settings, "CERTIFICATE_SIGNING_KEY", "")
    if configured:
        if _shared.get("configured") != configured:
            _shared.update(configured=configured, key=parse_private_key(configured))
        return _shared["key"]
    if "stored" in _shared:
        return _shared["stored"]
    key = parse_private_key(_stored_key())
    if connection.in_atomic_block:
        # Kept for the process only once the row is committed: a rolled-back row must not outlive its transaction.
        transaction.on_commit(lambda: _shared.setdefault("stored", key))
    else:
        _shared["stored"] = key
    return key


def forget_key():
    """Read the key again on next use (after the setting or the stored row changed)."""
    _shared.clear()


def public_key():
    return private_key().public_key()


def public_key_raw():
    return public_key().public_bytes_raw()


def public_key_pem():
    return (
        public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    )


def fingerprint():
    """SHA-256 of the raw 32-byte public key, in hex: what the verification page and the key's page show."""
    return hashlib.sha256(public_key_raw()).hexdigest()


def fingerprint_groups(value=None):
    """The fingerprint in groups of four characters, easy to compare by eye."""
    value = value or fingerprint()
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def sign(data):
    return private_key().sign(data)


def essentials(document):
    """The fields a QR code carries for a certificate or a duplicate (see the module's docstring)."""
    duplicate = None
    certificate = document
    if hasattr(document, "certificate_id") and not hasattr(document, "registration_number"):
        duplicate, certificate = document, document.certificate
    return offline.Essentials(
        registration_number=certificate.registration_number,
        holder=certificate.holder_name,
        hours=format(certificate.hours.normalize(), "f"),
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        duplicate_issued_on=duplicate.issued_on if duplicate else None,
        program_title=certificate.program_title_kk or certificate.program_title_ru,
    )


def signed_qr_text(document):
    """The verification address of ``document`` with its signed essentials in the fragment."""
    unsigned = f"{document.verification_url}#{offline.encode_payload(essentials(document))}"
    return f"{unsigned}.{offline.b64(sign(unsigned.encode()))}"
