"""What the public verification of a certificate shows (SPEC 5.3, 5.6; 000 §3.8, 001 §33), and its pages
prepared ahead.

``record_for(token)`` reads a certificate (or a duplicate) by its token and returns what the paper says plus
its revocation, replacement, duplicate and file checksums, as plain JSON-ready values: the page, the JSON
answer and the lookup all read it. ``state_of(record, day)`` decides the state on a day (expiry is a
matter of the date, so it is decided at the request).

The page is rendered ahead for each language and kept in the shared cache (the database's cache table, one
for every process), so that a scan costs the rate limit's counter and one cache read. The entry holds the
page as it reads while the certificate is valid and once it has expired; the request picks one by the date.
An entry is dropped at once and rendered again on commit whenever its certificate is issued, revoked or
replaced, gets a duplicate or its files are made (``verification_changed``); one missing (culled, expired,
or after a deploy that changed the page: the key carries a version) is rendered on the next request.
"""

import hashlib
import re
import threading
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ziat.models import Organisation

from . import signing
from .enums import CertificateState, RevocationCategory
from .models import AppendixLine, Certificate, CertificateDuplicate

# Tokens are URL-safe base64 (``secrets.token_urlsafe``) and fit the 64-character column.
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,64}")
TEMPLATE = "certificates/verify/page.html"
PREPARED_TIMEOUT = 30 * 24 * 3600  # seconds; an entry dropped or expired is rendered again on demand
_pending = threading.local()
_shared = {}


def languages():
    return [code for code, _name in settings.LANGUAGES]


def text_in(pair, language):
    """The Kazakh or Russian variant of a {"kk", "ru"} pair for a page language (English reads Russian)."""
    first, second = ("kk", "ru") if language == "kk" else ("ru", "kk")
    return pair.get(first) or pair.get(second) or ""


def _number(value):
    return format(value.normalize(), "f")


def _sha256(document):
    return document.sha256 if document is not None and document.status == document.Status.READY else ""


def _find(token):
    if not TOKEN_FORMAT.fullmatch(token or ""):
        return None, None  # e.g. a NUL byte, which PostgreSQL refuses with an error instead of finding nothing
    lines = Prefetch("lines", queryset=AppendixLine.objects.order_by("position"))
    related = ("certificate_document", "appendix_document", "replaced_by")
    certificate = Certificate.objects.select_related(*related).prefetch_related(lines).filter(token=token).first()
    if certificate is not None:
        return certificate, None
    duplicate = (
        CertificateDuplicate.objects.select_related(
            "certificate_document", "appendix_document", *(f"certificate__{r}" for r in related)
        )
        .prefetch_related(Prefetch("certificate__lines", queryset=AppendixLine.objects.order_by("position")))
        .filter(token=token)
        .first()
    )
    return (duplicate.certificate, duplicate) if duplicate is not None else (None, None)


def _issuer(certificate):
    name = (certificate.snapshot or {}).get("organisation", {}).get("name")
    if name and any(name.values()):
        return name
    org = Organisation.current()
    return {"kk": org.name_kk, "ru": org.name_ru}


def record(certificate, duplicate=None):
    """What the verification shows of ``certificate`` (through ``duplicate``'s token when given)."""
    shown = duplicate or certificate
    replacement = getattr(certificate, "replaced_by", None) if certificate.replaced_at else None
    return {
        "token": shown.token,
        "certificate_pk": certificate.pk,
        "verification_url": shown.verification_url,
        "verification_path": shown.verification_path,
        "registration_number": certificate.registration_number,
        "holder": certificate.holder_name,
        "program_title": {"kk": certificate.program_title_kk, "ru": certificate.program_title_ru},
        "hours": _number(certificate.hours),
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "issuer": _issuer(certificate),
        "modules": [
            {
                "position": line.position,
                "title": {"kk": line.module_title_kk, "ru": line.module_title_ru},
                "hours": _number(line.hours),
                "grade": {"kk": line.grade_kk or line.grade, "ru": line.grade_ru or line.grade},
                "final_assessment": line.is_final_assessment,
            }
            for line in certificate.lines.all()
        ],
        "revoked_on": timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
        "revoked_category": certificate.revoked_category if certificate.revoked_at else "",
        "replaced_on": timezone.localdate(certificate.replaced_at) if certificate.replaced_at else None,
        "replaced_by": {
            "registration_number": replacement.registration_number,
            "verification_url": replacement.verification_url,
            "verification_path": replacement.verification_path,
        }
        if replacement is not None
        else None,
        "duplicate": {"issued_on": duplicate.issued_on} if duplicate is not None else None,
        "sha256": {"certificate": _sha256(shown.certificate_document), "appendix": _sha256(shown.appendix_document)},
    }


def record_for(token):
    """The record of the certificate or duplicate with this token; None when it is unknown or malformed."""
    certificate, duplicate = _find(token)
    return record(certificate, duplicate) if certificate is not None else None


def state_of(rec, day=None):
    day = day or timezone.localdate()
    if rec["revoked_on"]:
        return CertificateState.REVOKED
    if rec["replaced_on"]:
        return CertificateState.REPLACED
    if day > rec["valid_until"]:
        return CertificateState.EXPIRED
    return CertificateState.VALID


def revocation_label(category):
    return RevocationCategory(category).label if category in RevocationCategory.values else ""


# --------------------------------------------------------------------------- the page, prepared ahead
def _version():
    """Changes when the page would read differently: its templates, the translations, the configured key."""
    if "version" not in _shared:
        digest = hashlib.sha256(getattr(settings, "CERTIFICATE_SIGNING_KEY", "").encode())
        root = Path(settings.BASE_DIR)
        files = sorted((root / "templates" / "certificates" / "verify").glob("*.html"))
        files += sorted(root.glob("locale/*/LC_MESSAGES/django.mo"))
        for path in files:
            digest.update(path.read_bytes())
        _shared["version"] = digest.hexdigest()[:12]
    return _shared["version"]


def page_key(token, language):
    return f"verify:{_version()}:{token}:{language}"


def site_name():
    org = Organisation.current()
    return org.short_name or org.name


def render_page(rec, language, state):
    with translation.override(language):
        context = {
            "rec": rec,
            "state": state,
            "states": CertificateState,
            "language": language,
            "program_title": text_in(rec["program_title"], language),
            "issuer": text_in(rec["issuer"], language),
            "modules": [
                {**m, "title_text": text_in(m["title"], language), "grade_text": text_in(m["grade"], language)}
                for m in rec["modules"]
            ],
            "revocation": revocation_label(rec["revoked_category"]),
            "fingerprint": signing.fingerprint_groups(),
            "badge_path": reverse("certificates:badge", args=[rec["certificate_pk"]]),
            "site_name": site_name(),
            "here": rec["verification_path"],
        }
        return render_to_string(TEMPLATE, context)


def prepared_entry(rec, language):
    """The page of ``rec`` in ``language`` for every state a date can give it."""
    state = state_of(rec)
    if state in (CertificateState.REVOKED, CertificateState.REPLACED):
        return {"fixed": state.value, "pages": {state.value: render_page(rec, language, state)}}
    return {
        "fixed": "",
        "valid_until": rec["valid_until"].toordinal(),
        "pages": {s.value: render_page(rec, language, s) for s in (CertificateState.VALID, CertificateState.EXPIRED)},
    }


def page_from_entry(entry, day=None):
    """The state and HTML of a prepared entry on ``day`` (today)."""
    state = entry["fixed"]
    if not state:
        day = day or timezone.localdate()
        state = CertificateState.EXPIRED if day.toordinal() > entry["valid_until"] else CertificateState.VALID
    return state, entry["pages"][state]


def prepare(token, *, languages_=None, rec=None):
    """Render the pages of one token now and keep them; returns the record (None for an unknown token)."""
    rec = rec or record_for(token)
    if rec is None:
        return None
    cache.set_many(
        {page_key(token, lang): prepared_entry(rec, lang) for lang in languages_ or languages()},
        timeout=PREPARED_TIMEOUT,
    )
    return rec


def prepared_page(token, language):
    """The page of ``token`` in ``language``: (status, state, html); status 404 with no html when unknown."""
    if not TOKEN_FORMAT.fullmatch(token or ""):
        return 404, None, None
    key = page_key(token, language)
    entry = cache.get(key)
    if entry is None:
        rec = record_for(token)
        if rec is None:
            return 404, None, None
        entry = prepared_entry(rec, language)
        cache.add(key, entry, timeout=PREPARED_TIMEOUT)  # never over a fresher one rendered on a commit
    state, html = page_from_entry(entry)
    return 200, state, html


def _tokens_of(certificate_pk):
    certificate = Certificate.objects.filter(pk=certificate_pk).values("token", "replaces_id").first()
    if certificate is None:
        return []
    tokens = [certificate["token"]]
    tokens += CertificateDuplicate.objects.filter(certificate_id=certificate_pk).values_list("token", flat=True)
    if certificate["replaces_id"]:
        tokens += _tokens_of(certificate["replaces_id"])
    return tokens


def _certificate_pk(obj):
    if isinstance(obj, Certificate):
        return obj.pk
    if isinstance(obj, CertificateDuplicate):
        return obj.certificate_id
    return obj


class _Batch:
    """The certificates changed in one transaction, rendered again once it commits."""

    def __init__(self):
        self.pks = set()
        self.done = False

    def __call__(self):
        self.done = True
        for pk in self.pks:
            for token in _tokens_of(pk):
                prepare(token)


def verification_changed(obj):
    """A certificate (or a duplicate, or a certificate's pk) changed: its pages, its duplicates' and those of
    the certificate it replaces are dropped now and rendered again once the transaction commits (once per
    certificate and transaction, however many times it changed in it)."""
    pk = _certificate_pk(obj)
    cache.delete_many([page_key(t, lang) for t in _tokens_of(pk) for lang in languages()])
    batch = getattr(_pending, "batch", None)
    if batch is None or batch.done or not any(func is batch for _sids, func, _robust in connection.run_on_commit):
        # A new transaction (the batch of a rolled-back one is never run; nothing of it is kept).
        batch = _pending.batch = _Batch()
        batch.pks.add(pk)
        transaction.on_commit(batch)
    else:
        batch.pks.add(pk)


def prepare_all(*, languages_=None, missing_only=False):
    """Render the pages of every certificate and duplicate (after a deploy, or to fill an empty cache)."""
    tokens = list(Certificate.objects.values_list("token", flat=True))
    tokens += CertificateDuplicate.objects.values_list("token", flat=True)
    langs = languages_ or languages()
    done = 0
    for token in tokens:
        if missing_only and all(cache.get(page_key(token, lang)) is not None for lang in langs):
            continue
        prepare(token, languages_=langs)
        done += 1
    return done
