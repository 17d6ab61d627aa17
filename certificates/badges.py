"""A certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential, JSON-LD) signed by the
organisation's Ed25519 key (SPEC 5.3).

The proof is a ``DataIntegrityProof`` of the cryptosuite ``eddsa-jcs-2022`` (W3C Data Integrity EdDSA
Cryptosuites v1.0): the credential without its proof and the proof's options (with the credential's
``@context``) are each canonicalised by JCS (RFC 8785), hashed with SHA-256, and the two hashes (options
first) are signed; ``proofValue`` is the signature in multibase base58btc (``z…``). Its
``verificationMethod`` is the address of the public key as a Multikey (``certificates:public_key_json``).
The canonical form here is JSON with sorted keys and no spaces, which is JCS for what a credential holds
(strings, integers and ASCII keys; no fractional numbers are written).
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import signing
from .enums import CertificateState
from .verification import record, state_of

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
CRYPTOSUITE = "eddsa-jcs-2022"
LANGUAGE = "ru"
ED25519_MULTICODEC = b"\xed\x01"
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def jcs(value):
    """The JSON Canonicalization Scheme (RFC 8785) of a document of strings, integers, booleans and null."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def base58btc(data):
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _BASE58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def unbase58btc(text):
    number = 0
    for char in text:
        number = number * 58 + _BASE58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_key_multibase(raw=None):
    return "z" + base58btc(ED25519_MULTICODEC + (raw or signing.public_key_raw()))


def issuer_id():
    return settings.SITE_URL + "/"


def key_id():
    return settings.SITE_URL + reverse("certificates:public_key_json")


def multikey():
    """The public key as a Multikey document (what ``verificationMethod`` names)."""
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": key_id(),
        "type": "Multikey",
        "controller": issuer_id(),
        "publicKeyMultibase": public_key_multibase(),
    }


def _moment(day, end=False):
    time = datetime.time(23, 59, 59) if end else datetime.time(0, 0)
    return timezone.make_aware(datetime.datetime.combine(day, time)).isoformat()


def _hash_data(document, options):
    config = {**options, "@context": document["@context"]}
    return hashlib.sha256(jcs(config)).digest() + hashlib.sha256(jcs(document)).digest()


def add_proof(document, *, created=None):
    """``document`` with an ``eddsa-jcs-2022`` proof by the organisation's key."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": (created or timezone.now()).replace(microsecond=0).astimezone(datetime.UTC).isoformat()[:19] + "Z",
        "verificationMethod": key_id(),
        "proofPurpose": "assertionMethod",
    }
    signature = signing.sign(_hash_data(document, options))
    return {**document, "proof": {**options, "proofValue": "z" + base58btc(signature)}}


def verify_proof(credential, public_key):
    """True when ``credential``'s proof is the ``public_key``'s signature of it (an Ed25519PublicKey)."""
    from cryptography.exceptions import InvalidSignature

    proof = dict(credential.get("proof") or {})
    value = proof.pop("proofValue", "")
    if proof.get("cryptosuite") != CRYPTOSUITE or not value.startswith("z"):
        return False
    document = {k: v for k, v in credential.items() if k != "proof"}
    try:
        public_key.verify(unbase58btc(value[1:]), _hash_data(document, proof))
    except (InvalidSignature, ValueError):
        return False
    return True


def badge(certificate):
    """The signed OpenBadgeCredential of ``certificate``, in Russian (the forms print Kazakh and Russian)."""
    with translation.override(LANGUAGE):
        return add_proof(_badge(record(certificate)))


def _badge(rec):
    state = state_of(rec)
    title = rec["program_title"]["ru"] or rec["program_title"]["kk"]
    issuer = rec["issuer"]
    achievement_id = f"{rec['verification_url']}#achievement"
    results = [
        {
            "id": f"{achievement_id}-module-{m['position']}",
            "type": ["ResultDescription"],
            "name": m["title"]["ru"] or m["title"]["kk"],
            "resultType": "LetterGrade",
        }
        for m in rec["modules"]
    ]
    document = {
        "@context": CONTEXTS,
        "id": rec["verification_url"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "inLanguage": LANGUAGE,
        "issuer": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": issuer["ru"] or issuer["kk"],
            "url": issuer_id(),
        },
        "validFrom": _moment(rec["issued_on"]),
        "validUntil": _moment(rec["valid_until"], end=True),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityHash": rec["holder"], "identityType": "name", "hashed": False}
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": title,
                "description": _("%(title)s: %(hours)s academic hours")
                % {
                    "title": " / ".join(dict.fromkeys(t for t in rec["program_title"].values() if t)),
                    "hours": rec["hours"],
                },
                "criteria": {"narrative": _("The course was completed and its final assessment passed.")},
                "resultDescription": results,
            },
            "result": [
                {"type": ["Result"], "resultDescription": r["id"], "value": m["grade"]["ru"] or m["grade"]["kk"]}
                for r, m in zip(results, rec["modules"], strict=True)
            ],
        },
        "credentialStatus": {
            "id": settings.SITE_URL + reverse("certificates:verify_json", args=[rec["token"]]),
            "type": "CertificateVerificationStatus",
            "statusPurpose": "revocation",
            "status": state.value,
        },
        "evidence": [
            {
                "id": rec["verification_url"],
                "type": ["Evidence"],
                "name": "№ " + rec["registration_number"],
            }
        ],
    }
    if state in (CertificateState.REVOKED, CertificateState.REPLACED):
        document["credentialStatus"]["statusDate"] = (rec["revoked_on"] or rec["replaced_on"]).isoformat()
    return document
