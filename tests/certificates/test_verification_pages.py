"""The verification page prepared ahead (SPEC 5.3, 5.6; 000 §3.8, 001 §33): a scan of the QR code is served the
page as the normal rendering makes it, for the certificate's state on the day and in the visitor's language, in
one read of the table every server process shares; issuing, revoking, replacing and duplicating change what is
served at once."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.lifecycle import certificate_reissue, duplicate_issue
from certificates.models import VerificationPage
from certificates.services import certificate_revoke
from tests.certificates.helpers import course, issued, plan_with_modules
from ziat.dates import add_years
from ziat.models import Organisation, StoredDocument
from ziat.stored_documents import document_render

LANGUAGES = ("kk", "ru", "en")
FAST_PATH = "certificates.middleware.VerificationPageMiddleware"
# Set for each response at the moment it is made.
MOMENTARY_HEADERS = {"Expires", "Date"}


@pytest.fixture(autouse=True)
def _rate_limit(settings):
    """A limit whose hits reach the shared counter in batches of 20, more than a test here makes: every query
    a request makes is the page's own."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "1000/m"}


@pytest.fixture
def prepared(django_capture_on_commit_callbacks):
    """Runs ``action`` in a transaction and the pages' rendering that follows its commit; returns its result."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def certificate(db, org, director, prepared):
    return prepared(issued, director, last_name="Қасымова", first_name="Гүлнұр")


def _get(client, path, language="kk"):
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language)


def _state(response):
    return re.search(r'data-state="([a-z-]+)"', response.content.decode()).group(1)


def _served(client, path, language="kk"):
    """The page as served from its prepared row: one query, the read of that row."""
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, path, language)
    assert response.status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "certificates_verificationpage" in q["sql"]] == [
        q["sql"] for q in queries.captured_queries
    ]
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    return response


def _rendered_now(client, path, language="kk"):
    """The page rendered the normal way on this request (nothing prepared for it)."""
    VerificationPage.objects.all().delete()
    response = _get(client, path, language)
    assert response.status_code == 200
    return response


def _headers(response):
    return {name: value for name, value in response.headers.items() if name not in MOMENTARY_HEADERS}


# --------------------------------------------------------------------------- the same page as rendered on request
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_prepared_page_is_served_exactly_as_the_page_rendered_on_request_5_3(client, certificate, language):
    served = _served(client, certificate.verification_path, language)
    fresh = _rendered_now(client, certificate.verification_path, language)
    assert served.content == fresh.content
    assert _headers(served) == _headers(fresh)
    assert f'<html lang="{language}">' in served.content.decode()
    assert 'class="lang-switcher"' in served.content.decode()


def test_the_page_answered_before_the_session_middleware_is_the_one_the_whole_chain_answers_5_3(
    client, certificate, settings
):
    early = _served(client, certificate.verification_path)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != FAST_PATH]
    late = _get(client, certificate.verification_path)
    assert late.content == early.content
    assert _headers(late) == _headers(early)
    assert early["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert early["X-Frame-Options"] == "DENY" and early["Content-Language"] == "kk"
    assert "script-src 'self'" in early["Content-Security-Policy"]


def test_a_logged_in_visitor_is_served_the_same_page_with_no_cookie_5_3(client, certificate, director):
    anonymous = _served(client, certificate.verification_path)
    client.force_login(director)
    response = _served(client, certificate.verification_path)
    assert response.content == anonymous.content
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_the_page_answered_early_still_refuses_a_host_the_site_does_not_serve_5_3(client, certificate, settings):
    assert _get(client, certificate.verification_path).status_code == 200
    assert client.get(certificate.verification_path, HTTP_HOST="evil.example").status_code == 400
    settings.PREPEND_WWW = True
    response = client.get(certificate.verification_path, HTTP_HOST="localhost")
    assert response.status_code == 301 and response["Location"].startswith("http://www.localhost/verify/")


def test_the_other_verification_addresses_still_go_through_the_whole_chain_5_3(client, certificate):
    assert "BEGIN PUBLIC KEY" in client.get("/verify/key/").content.decode()
    assert client.get(f"/verify/{certificate.token}.json").json()["status"] == "valid"
    assert client.head(certificate.verification_path).status_code == 405
    assert client.post(certificate.verification_path).status_code == 405


def test_the_served_page_keeps_the_rate_limit_5_3(client, certificate, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "2/m"}
    for _ in range(2):
        assert client.get(certificate.verification_path).status_code == 200
    assert client.get(certificate.verification_path).status_code == 429


# --------------------------------------------------------------------------- one read, whatever the certificate
@pytest.mark.parametrize("n_modules", [1, 8])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_served_page_is_one_query_whatever_the_modules_and_the_language_000_3_8(
    client, org, director, prepared, n_modules, language
):
    c = course(modules=plan_with_modules(n_modules), session_hours=(3,) * n_modules)
    certificate = prepared(issued, director, cohort_=c)
    html = _served(client, certificate.verification_path, language).content.decode()
    assert len(re.findall(r'<td class="title">', html)) == n_modules


# --------------------------------------------------------------------------- changes are served at once
def test_revoking_changes_the_served_page_at_once_5_6(client, certificate, director, prepared):
    assert _state(_served(client, certificate.verification_path)) == "valid"
    prepared(certificate_revoke, certificate, by=director, category="issued_in_error", note="Выдан по ошибке")
    assert _state(_served(client, certificate.verification_path)) == "revoked"


def test_the_page_of_the_state_before_a_revocation_is_gone_with_its_commit_5_6(client, certificate, director):
    """Deleted in the revocation's own transaction: before its pages are rendered again on commit, a scan gets
    the page rendered on request, never the valid one."""
    assert _state(_served(client, certificate.verification_path)) == "valid"
    certificate_revoke(certificate, by=director, category="issued_in_error")  # its commit's work not run
    assert not VerificationPage.objects.filter(certificate=certificate).exists()
    assert _state(_get(client, certificate.verification_path)) == "revoked"


def test_replacing_changes_the_served_pages_of_the_old_and_serves_the_new_at_once_000_3_8(
    client, certificate, director, prepared
):
    assert _state(_served(client, certificate.verification_path)) == "valid"
    new = prepared(certificate_reissue, certificate, by=director, reason_note="Исправлена фамилия")
    old_page = _served(client, certificate.verification_path, "ru")
    assert _state(old_page) == "replaced"
    assert f'<a data-replaced-by href="{new.verification_path}">№ {new.registration_number}</a>' in (
        old_page.content.decode()
    )
    assert _state(_served(client, new.verification_path, "ru")) == "valid"


def test_a_duplicate_is_served_its_own_page_at_once_and_follows_the_originals_state_5_6(
    client, certificate, director, prepared
):
    duplicate = prepared(duplicate_issue, certificate, by=director, reason="lost")
    page = _served(client, duplicate.verification_path).content.decode()
    assert 'data-state="valid"' in page and "data-duplicate" in page
    duplicate.refresh_from_db()
    assert duplicate.certificate_document.sha256 in page
    prepared(certificate_revoke, certificate, by=director, category="issued_in_error")
    page = _served(client, duplicate.verification_path).content.decode()
    assert 'data-state="revoked"' in page and "data-duplicate" in page


def test_the_files_checksums_are_served_once_the_worker_has_made_the_files_5_3(
    client, db, org, director, prepared, settings
):
    """In production the files are made by the worker after the certificate is issued: the page prepared at issue
    has no checksum yet, and the one prepared once the file is made shows it."""
    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    certificate = prepared(issued, director, last_name="Қасымова", first_name="Гүлнұр")
    certificate.refresh_from_db()
    documents = (certificate.certificate_document, certificate.appendix_document)
    assert [d.status for d in documents] == [StoredDocument.Status.PENDING] * 2
    assert "data-sha256" not in _served(client, certificate.verification_path).content.decode()
    for document in documents:
        prepared(document_render, document.pk)
        document.refresh_from_db()
    for language in LANGUAGES:
        page = _served(client, certificate.verification_path, language).content.decode()
        assert all(d.sha256 in page for d in documents)


def test_a_change_of_the_organisations_name_is_served_on_every_page_5_3(client, certificate, prepared):
    assert "Жаңа орталық" not in _served(client, certificate.verification_path).content.decode()
    org = Organisation.objects.get()
    org.short_name = "Жаңа орталық"
    prepared(org.save)
    assert "Жаңа орталық" in _served(client, certificate.verification_path).content.decode()


def test_other_changes_of_the_organisation_keep_the_pages(client, certificate, prepared):
    before = list(VerificationPage.objects.order_by("pk").values_list("pk", "prepared_at"))
    org = Organisation.objects.get()
    org.pass_floor_percent = 60
    prepared(org.save)
    assert list(VerificationPage.objects.order_by("pk").values_list("pk", "prepared_at")) == before


# --------------------------------------------------------------------------- the state by the date
def test_a_page_prepared_while_valid_is_served_expired_from_the_day_after_expiry_000_3_8(
    client, org, director, prepared, monkeypatch
):
    today = timezone.localdate()
    certificate = prepared(issued, director, on=add_years(today, -3))
    assert certificate.valid_until == today
    assert _state(_served(client, certificate.verification_path)) == "valid"  # the last day of validity
    prepared_at = VerificationPage.objects.get(token=certificate.token, language="kk").prepared_at
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr("certificates.verification.timezone.localdate", lambda *a: tomorrow)
    served = _served(client, certificate.verification_path)  # the same row, not rendered again
    assert _state(served) == "expired"
    assert VerificationPage.objects.get(token=certificate.token, language="kk").prepared_at == prepared_at
    assert served.content == _rendered_now(client, certificate.verification_path).content


# --------------------------------------------------------------------------- the visitor's language
def test_a_changed_language_is_served_in_that_language_5_3(client, certificate):
    assert 'lang="kk"' in _served(client, certificate.verification_path).content.decode()
    for language, heading in (("ru", "Проверка сертификата"), ("en", "Certificate verification")):
        response = client.post("/i18n/setlang/", {"language": language, "next": certificate.verification_path})
        assert response.status_code == 302
        page = _served(client, certificate.verification_path, "kk").content.decode()  # the cookie wins
        assert f'<html lang="{language}">' in page
        assert heading in page
        assert re.search(rf'value="{language}" lang="{language}"\s+aria-current="true"', page)


# --------------------------------------------------------------------------- pages not prepared, or outdated
def test_a_page_of_another_version_is_not_served_and_is_rendered_again(client, certificate):
    VerificationPage.objects.update(version="older", body="stale page", body_expired="stale page")
    response = _get(client, certificate.verification_path)
    assert b"stale page" not in response.content
    assert _state(response) == "valid"
    page = VerificationPage.objects.get(token=certificate.token, language="kk")
    assert page.version != "older" and page.body == response.content.decode()
    assert _served(client, certificate.verification_path).content == response.content


def test_the_command_prepares_every_missing_page_and_no_other(client, certificate, director, prepared):
    duplicate = prepared(duplicate_issue, certificate, by=director, reason="damaged")
    VerificationPage.objects.filter(language="ru").delete()
    VerificationPage.objects.filter(token=duplicate.token).update(version="older")
    kept = VerificationPage.objects.get(token=certificate.token, language="kk").prepared_at
    out = io.StringIO()
    call_command("prepare_verification_pages", "--missing", stdout=out)
    assert out.getvalue().strip() == "2"  # the certificate (its Russian page) and the duplicate
    assert VerificationPage.objects.get(token=certificate.token, language="kk").prepared_at == kept
    assert set(VerificationPage.objects.values_list("token", "language")) == {
        (token, language) for token in (certificate.token, duplicate.token) for language in LANGUAGES
    }
    for token_path in (certificate.verification_path, duplicate.verification_path):
        for language in LANGUAGES:
            _served(client, token_path, language)
    out = io.StringIO()
    call_command("prepare_verification_pages", "--missing", stdout=out)
    assert out.getvalue().strip() == "0"
