"""What the public verification of a certificate shows (SPEC 5.3, 5.6; 000 §3.8, 001 §33), and its pages
prepared ahead.

``record_for(token)`` reads a certificate (or a duplicate) by its token and returns what the paper says plus
its revocation, replacement, duplicate and file checksums, as plain JSON-ready values: the page, the JSON
answer and the lookup all read it. ``state_of(record, day)`` decides the state on a day (expiry is a
matter of the date, so it is decided at the request).

The page is rendered ahead for each language and kept in a table of PostgreSQL (``VerificationPage``, one
for every process), so that a scan costs the rate limit's counter and one read of one row. The row holds the
page as it reads while the certificate is valid and once it has expired; the read picks one by the date. A
certificate's rows are deleted in the transaction that issues, revokes or replaces it, gives it a duplicate
or makes its files, and rendered again once it commits (``verification_changed``); a change of the
organisation's names does the same for every page (``verification_pages_outdated``). A page missing, or
rendered by another version of the page (``_version``: after a deploy that changed it), is rendered on its
next request and kept; ``manage.py prepare_verification_pages --missing`` renders them all at once.
"""

import hashlib
import logging
import re
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation

from ziat.models import Organisation
from ziat.prepared import fetchone_prepared
from ziat.tasking import enqueue_on_commit

from . import signing
from .enums import CertificateState, RevocationCategory
from .models import AppendixLine, Certificate, CertificateDuplicate, VerificationPage

logger = logging.getLogger(__name__)

# Tokens are URL-safe base64 (``secrets.token_urlsafe``) and fit the 64-character column.
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,64}")
TEMPLATE = "certificates/verify/page.html"
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
        "duplicate_pk": duplicate.pk if duplicate is not None else None,
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
# What the page's layout links to: their addresses are part of the page's version.
STATIC_FILES = ("ziat/css/site.css", "ziat/css/verify.css", "ziat/img/logo.svg")
LINKED_ROUTES = ("home", "certificates:lookup", "programs:catalogue", "set_language", "certificates:public_key")


def _version():
    """Changes when the page would read differently for the same certificate and organisation: its templates,
    the translations, the static files' addresses (hashed names after each deploy), the languages offered, the
    routes it links to and the configured key. Pages of another version are not served, and rendered again."""
    if "version" not in _shared:
        digest = hashlib.sha256(getattr(settings, "CERTIFICATE_SIGNING_KEY", "").encode())
        root = Path(settings.BASE_DIR)
        files = sorted((root / "templates" / "certificates" / "verify").glob("*.html"))
        files += sorted(root.glob("locale/*/LC_MESSAGES/django.mo"))
        for path in files:
            digest.update(path.read_bytes())
        names = [static(name) for name in STATIC_FILES] + [reverse(name) for name in LINKED_ROUTES] + languages()
        digest.update("\n".join(names).encode())
        _shared["version"] = digest.hexdigest()[:16]
    return _shared["version"]


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


def prepared_row(rec, language):
    """The row of ``rec``'s page in ``language``: the page for every state a date can give it."""
    state = state_of(rec)
    row = {
        "token": rec["token"],
        "language": language,
        "version": _version(),
        "certificate_id": rec["certificate_pk"],
        "duplicate_id": rec["duplicate_pk"],
        "prepared_at": timezone.now(),
    }
    if state in (CertificateState.REVOKED, CertificateState.REPLACED):
        return {**row, "valid_until": None, "body": render_page(rec, language, state), "body_expired": ""}
    return {
        **row,
        "valid_until": rec["valid_until"],
        "body": render_page(rec, language, CertificateState.VALID),
        "body_expired": render_page(rec, language, CertificateState.EXPIRED),
    }


def body_on(row, day=None):
    """The HTML of a prepared row on ``day`` (today): what the request's read selects in the database."""
    day = day or timezone.localdate()
    return row["body"] if row["valid_until"] is None or day <= row["valid_until"] else row["body_expired"]


_TABLE = VerificationPage._meta.db_table
_COLUMNS = (
    "token",
    "language",
    "version",
    "certificate_id",
    "duplicate_id",
    "valid_until",
    "body",
    "body_expired",
    "prepared_at",
)
# One row by its unique index; the body by the date (``body_on``).
_SERVE = (
    f"SELECT CASE WHEN valid_until IS NULL OR %s <= valid_until THEN body ELSE body_expired END "  # noqa: S608
    f"FROM {_TABLE} WHERE token = %s AND language = %s AND version = %s"
)


def _served(day, token, language):
    """The body of the prepared row on ``day``, or None: one statement, planned once per connection."""
    found = fetchone_prepared(_SERVE, [day, token, language, _version()])
    return found[0] if found is not None else None


def _store(rows, *, over_current=True):
    """Keep prepared rows, in place of those of the same token and language. ``over_current=False`` (a page
    rendered on a request) leaves a row of the current version alone: such a row was kept by a change once it
    committed, and the request may have read the certificate before that change."""
    if not rows:
        return
    values = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * len(rows))
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in _COLUMNS[2:])
    sql = f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) VALUES {values} "  # noqa: S608 (our table's name)
    sql += f"ON CONFLICT (token, language) DO UPDATE SET {updates}"
    if not over_current:
        sql += f" WHERE {_TABLE}.version <> EXCLUDED.version"
    with connection.cursor() as cursor:
        cursor.execute(sql, [row[column] for row in rows for column in _COLUMNS])


def prepare(token, *, languages_=None, rec=None):
    """Render the pages of one token now and keep them; returns the record (None for an unknown token)."""
    rec = rec or record_for(token)
    if rec is None:
        return None
    _store([prepared_row(rec, language) for language in languages_ or languages()])
    return rec


def page_html(token, language, day=None):
    """The page of ``token`` in ``language`` on ``day`` (today); None when no certificate has this token.

    A prepared page is one read of one row. One not prepared (or prepared by another version of the page) is
    rendered now and kept, unless a change has kept a newer one meanwhile."""
    if not TOKEN_FORMAT.fullmatch(token or ""):
        return None
    day = day or timezone.localdate()
    html = _served(day, token, language)
    if html is not None:
        return html
    rec = record_for(token)
    if rec is None:
        return None
    row = prepared_row(rec, language)
    _store([row], over_current=False)
    return body_on(row, day)


def _chain(certificate_pk):
    """The certificate and those it replaced, one after another."""
    pks = []
    while certificate_pk is not None and certificate_pk not in pks:
        pks.append(certificate_pk)
        certificate_pk = Certificate.objects.filter(pk=certificate_pk).values_list("replaces_id", flat=True).first()
    return pks


def _tokens_of(pks):
    tokens = list(Certificate.objects.filter(pk__in=pks).values_list("token", flat=True))
    tokens += CertificateDuplicate.objects.filter(certificate_id__in=pks).values_list("token", flat=True)
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
            chain = _chain(pk)
            try:
                for token in _tokens_of(chain):
                    prepare(token)
            except Exception:  # the change is committed: its pages are rendered on their next request instead
                logger.exception("Verification pages of certificate %s not prepared", pk)
                VerificationPage.objects.filter(certificate_id__in=chain).delete()


def verification_changed(obj):
    """A certificate (or a duplicate, or a certificate's pk) changed: its pages, its duplicates' and those of
    the certificates it replaced are deleted now, in the change's transaction (so that no page of the state
    before is served once it commits), and rendered again once the transaction commits (once per certificate
    and transaction, however many times it changed in it)."""
    pk = _certificate_pk(obj)
    VerificationPage.objects.filter(certificate_id__in=_chain(pk)).delete()
    batch = getattr(_pending, "batch", None)
    if batch is None or batch.done or not any(func is batch for _sids, func, _robust in connection.run_on_commit):
        # A new transaction (the batch of a rolled-back one is never run; nothing of it is kept).
        batch = _pending.batch = _Batch()
        batch.pks.add(pk)
        transaction.on_commit(batch)
    else:
        batch.pks.add(pk)


def verification_pages_outdated():
    """What every page shows changed (the organisation's names): all pages are deleted now, in the change's
    transaction, and rendered again by a background task enqueued once it has committed, when the shared
    cache holds the organisation as changed (in the meantime each page is rendered on its first request)."""
    from .tasks import prepare_verification_pages

    deleted, _kinds = VerificationPage.objects.all().delete()
    if deleted:
        transaction.on_commit(lambda: enqueue_on_commit(prepare_verification_pages))


def prepare_all(*, languages_=None, missing_only=False):
    """Render the pages of every certificate and duplicate (after a deploy, or to fill in what is missing);
    ``missing_only``: only the pages not kept, or kept by another version of the page. Returns how many
    certificates and duplicates had pages rendered."""
    langs = list(dict.fromkeys(languages_ or languages()))
    tokens = list(Certificate.objects.order_by("pk").values_list("token", flat=True))
    tokens += CertificateDuplicate.objects.order_by("pk").values_list("token", flat=True)
    kept = set()
    if missing_only:
        current = VerificationPage.objects.filter(version=_version(), language__in=langs)
        kept = set(current.values_list("token", "language"))
    done = 0
    for token in tokens:
        missing = [language for language in langs if (token, language) not in kept]
        if missing:
            prepare(token, languages_=missing)
            done += 1
    return done
