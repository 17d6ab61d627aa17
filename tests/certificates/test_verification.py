"""Public verification of certificates: every state in each language, the lookup, the JSON answer, the Open
Badges credential and the offline check of the signed QR code (SPEC 5.3, 5.6; 000 §3.8, 001 §33)."""

import base64
import datetime
import json
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.utils import timezone, translation

from certificates import badges, offline, signing
from certificates.documents import issue_duplicate_documents
from certificates.enums import DuplicateReason, RevocationCategory
from certificates.models import CertificateDuplicate, SigningKey, VerificationPage
from certificates.services import certificate_issue, certificate_revoke, new_token
from certificates.verification import verification_changed
from tests.certificates.helpers import course, enrol, issued
from tests.factories import staff_user
from tests.pdfs import qr_texts
from ziat.dates import add_years

LANGUAGES = ("kk", "ru", "en")
NOTE = "Внутренняя заметка: жалоба директора школы № 17"


@pytest.fixture(autouse=True)
def _fresh_key():
    signing.forget_key()
    yield
    signing.forget_key()


@pytest.fixture
def certificate(db, org, director):
    return issued(
        director,
        last_name="Қасымова",
        first_name="Гүлнұр",
        phone="+7 701 987 6543",
        email="secret.teacher@example.kz",
        on=datetime.date(2026, 3, 10),
    )


def _get(client, path, language="kk"):
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language)


def _html(response):
    return response.content.decode()


def _state(html):
    return re.search(r'data-state="([a-z-]+)"', html).group(1)


def _page(certificate, language):
    return VerificationPage.objects.get(token=certificate.token, language=language)


def _in(language, label):
    with translation.override(language):
        return translation.gettext(label) if isinstance(label, str) else str(label)


# --------------------------------------------------------------------------- the page: every state, every language
@pytest.mark.parametrize("language", LANGUAGES)
def test_valid_certificate_reads_as_the_paper_in_each_language_with_its_grades_5_3(client, certificate, language):
    response = _get(client, certificate.verification_path, language)
    assert response.status_code == 200
    html = _html(response)
    assert f'<html lang="{language}">' in html
    assert _state(html) == "valid"
    assert "Қасымова Гүлнұр" in html
    assert "ZIAT-2026-00001" in html
    assert "10.03.2026" in html and "10.03.2029" in html
    title = certificate.program_title_kk if language == "kk" else certificate.program_title_ru
    assert title in html
    lines = list(certificate.lines.order_by("position"))
    assert len(re.findall(r'<td class="title">', html)) == len(lines)
    for line in lines:
        # Kazakh page: the Kazakh grade and module title; Russian and English pages: the Russian ones.
        grade, other = (line.grade_kk, line.grade_ru) if language == "kk" else (line.grade_ru, line.grade_kk)
        module = line.module_title_kk if language == "kk" else line.module_title_ru
        assert re.search(rf'<td class="title">{re.escape(module)}</td>\s*<td[^>]*>{line.hours.normalize()}</td>', html)
        assert f">{grade}</td>" in html
        if other != grade:
            assert f">{other}</td>" not in html
    assert _in(language, "Holder") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_expired_certificate_says_so_by_todays_date_000_3_8(client, org, director, language):
    certificate = issued(director, on=add_years(timezone.localdate(), -3) - datetime.timedelta(days=1))
    html = _html(_get(client, certificate.verification_path, language))
    assert _state(html) == "expired"
    assert f"{certificate.valid_until:%d.%m.%Y}" in html


def test_a_prepared_page_turns_expired_on_the_day_after_validity_ends_without_being_rendered_again_000_3_8(
    client, org, director, monkeypatch
):
    certificate = issued(director, on=add_years(timezone.localdate(), -3))
    assert _state(_html(client.get(certificate.verification_path))) == "valid"  # prepared now
    assert VerificationPage.objects.filter(token=certificate.token, language="kk").exists()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("certificates.verification.timezone.localdate", lambda *a: tomorrow)
    assert _state(_html(client.get(certificate.verification_path))) == "expired"


@pytest.mark.parametrize("language", LANGUAGES)
def test_revoked_page_shows_the_date_and_the_official_category_never_the_note_000_3_8_001_33(
    client, org, director, language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issued(director)
    # prepared when the issue was committed, for both readings a date can give it
    assert _page(certificate, language).valid_until == certificate.valid_until
    assert _state(_html(_get(client, certificate.verification_path, language))) == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate, by=director, category=RevocationCategory.FALSE_DATA, note=NOTE)
    # rendered again on commit: the table already holds the revoked page, whatever the date
    page = _page(certificate, language)
    assert page.valid_until is None
    assert _state(page.body) == "revoked"
    html = _html(_get(client, certificate.verification_path, language))
    assert _state(html) == "revoked"
    assert f"{timezone.localdate():%d.%m.%Y}" in html
    assert 'data-revocation="false_data"' in html
    assert _in(language, RevocationCategory.FALSE_DATA.label) in html
    assert NOTE not in html
    assert "жалоба" not in html


def test_revoking_drops_the_prepared_page_at_once_5_6(client, certificate, director):
    assert _state(_html(client.get(certificate.verification_path))) == "valid"
    certificate_revoke(certificate, by=director, category=RevocationCategory.ISSUED_IN_ERROR, note=NOTE)
    assert _state(_html(client.get(certificate.verification_path))) == "revoked"


def _replace(old, director):
    """A corrected reissue: the old certificate is marked replaced and the new one names it."""
    old.replaced_at = timezone.now()
    old.save(update_fields=["replaced_at"])
    new = certificate_issue(old.enrolment, by=director, on=datetime.date(2026, 4, 1))
    new.replaces = old
    new.save(update_fields=["replaces"])
    verification_changed(new)
    return new


@pytest.mark.parametrize("language", LANGUAGES)
def test_replaced_certificate_says_replaced_by_the_new_number_with_its_link_5_6(
    client, certificate, director, language
):
    assert _state(_html(client.get(certificate.verification_path))) == "valid"
    new = _replace(certificate, director)
    html = _html(_get(client, certificate.verification_path, language))
    assert _state(html) == "replaced"
    assert f'<a data-replaced-by href="{new.verification_path}">№ {new.registration_number}</a>' in html
    assert _state(_html(_get(client, new.verification_path, language))) == "valid"


def _duplicate(certificate, director, on=datetime.date(2026, 9, 1)):
    duplicate = CertificateDuplicate.objects.create(
        certificate=certificate, issued_on=on, reason=DuplicateReason.LOST, token=new_token(), issued_by=director
    )
    issue_duplicate_documents(duplicate)
    return duplicate


@pytest.mark.parametrize("language", LANGUAGES)
def test_duplicate_token_says_duplicate_of_the_number_and_the_originals_state_applies_5_6(
    client, certificate, director, language
):
    duplicate = _duplicate(certificate, director)
    html = _html(_get(client, duplicate.verification_path, language))
    assert _state(html) == "valid"
    assert "data-duplicate" in html
    assert "ZIAT-2026-00001" in html and "01.09.2026" in html
    duplicate.refresh_from_db()
    assert duplicate.certificate_document.sha256 in html  # the duplicate's own file
    certificate_revoke(certificate, by=director, category=RevocationCategory.ISSUED_IN_ERROR)
    html = _html(_get(client, duplicate.verification_path, language))
    assert _state(html) == "revoked"
    assert "data-duplicate" in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("token", ["x" * 32, "abc%00def", "%27%20OR%201=1--", "A" * 200])
def test_unknown_or_malformed_token_is_a_translated_404_5_3(client, certificate, token, language):
    response = _get(client, f"/verify/{token}/", language)
    assert response.status_code == 404
    html = _html(response)
    assert f'<html lang="{language}">' in html
    assert 'data-state="not-found"' in html
    assert _in(language, "No certificate with this code was issued by the centre.") in html
    assert "Қасымова" not in html


def test_page_shows_the_files_checksums_and_the_key_fingerprint_never_personal_data_5_3(client, certificate):
    certificate.refresh_from_db()
    listener = certificate.enrolment.listener
    html = _html(client.get(certificate.verification_path))
    assert f'data-sha256="certificate">{certificate.certificate_document.sha256}<' in html
    assert f'data-sha256="appendix">{certificate.appendix_document.sha256}<' in html
    assert signing.fingerprint_groups() in html
    assert 'href="/verify/key/"' in html
    assert f'href="/cabinet/certificates/{certificate.pk}/badge.json"' in html
    for secret in (listener.iin, listener.iin[:6], "+7 701 987 6543", "secret.teacher@example.kz"):
        assert secret not in html


def test_page_keeps_the_content_security_policy_and_sets_no_cookie_5_3(client, certificate):
    response = client.get(certificate.verification_path)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies
    assert "style=" not in _html(response) and "<script>" not in _html(response)


# --------------------------------------------------------------------------- lookup by number and surname
@pytest.mark.parametrize("surname", ["Қасымова", "ҚАСЫМОВА", "  қасымова "])
def test_lookup_by_number_and_surname_opens_the_page_5_3(client, certificate, surname):
    response = client.post("/verify/", {"number": "ziat-2026-00001", "surname": surname})
    assert response.status_code == 302
    assert response["Location"] == certificate.verification_path


@pytest.mark.parametrize(
    "number,surname", [("ZIAT-2026-00002", "Қасымова"), ("ZIAT-2026-00001", "Иванова"), ("ZIAT-2026-0000", "Қасымова")]
)
def test_lookup_mismatch_is_not_found_without_saying_which_part_5_3(client, certificate, number, surname):
    response = client.post("/verify/", {"number": number, "surname": surname}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    html = _html(response)
    assert 'data-state="not-found"' in html
    assert (
        _in("ru", "No certificate with this registration number and surname was found. Check both and try again.")
        in html
    )
    assert certificate.token not in html


@pytest.mark.parametrize(
    "data", [{}, {"number": "", "surname": "Қасымова"}, {"number": "ZIAT 2026'--", "surname": "x"}]
)
def test_lookup_with_bad_input_is_refused_with_a_message_5_3(client, certificate, data):
    response = client.post("/verify/", data)
    assert response.status_code == 400
    assert 'class="errors"' in _html(response)


def test_lookup_form_is_public_5_3(client, db, org):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert 'name="number"' in _html(response) and 'name="surname"' in _html(response)


def test_lookup_is_rate_limited_5_3(client, certificate, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify_lookup": "3/m"}
    for _ in range(3):
        assert client.post("/verify/", {"number": "ZIAT-2026-00009", "surname": "Иванова"}).status_code == 404
    response = client.post("/verify/", {"number": "ZIAT-2026-00001", "surname": "Қасымова"})
    assert response.status_code == 429


# --------------------------------------------------------------------------- JSON
def test_json_answer_has_the_papers_fields_and_the_state_5_3(client, certificate):
    certificate.refresh_from_db()
    response = client.get(f"/verify/{certificate.token}.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == "valid"
    assert data["registration_number"] == "ZIAT-2026-00001"
    assert data["holder"] == "Қасымова Гүлнұр"
    assert data["program_title"] == {"kk": certificate.program_title_kk, "ru": certificate.program_title_ru}
    assert data["hours"] == "10"
    assert (data["issued_on"], data["valid_until"]) == ("2026-03-10", "2029-03-10")
    assert [m["hours"] for m in data["modules"]][:2] == ["4", "6"]
    line = certificate.lines.order_by("position").first()
    assert data["modules"][0]["grade"] == {"kk": line.grade_kk, "ru": line.grade_ru}
    assert data["sha256"]["certificate"] == certificate.certificate_document.sha256
    assert data["public_key"]["fingerprint_sha256"] == signing.fingerprint()
    assert data["revoked"] is None and data["replaced"] is None and data["duplicate"] is None
    text = response.content.decode()
    listener = certificate.enrolment.listener
    for secret in (listener.iin, "+7 701 987 6543", "secret.teacher@example.kz"):
        assert secret not in text


def test_json_of_a_revoked_certificate_gives_the_category_not_the_note_000_3_8(client, certificate, director):
    certificate_revoke(certificate, by=director, category=RevocationCategory.ASSESSMENT_VIOLATION, note=NOTE)
    data = client.get(f"/verify/{certificate.token}.json").json()
    assert data["status"] == "revoked"
    assert data["revoked"]["category"] == "assessment_violation"
    assert data["revoked"]["category_label"]["ru"] == _in("ru", RevocationCategory.ASSESSMENT_VIOLATION.label)
    assert NOTE not in json.dumps(data, ensure_ascii=False)


def test_json_of_a_replaced_certificate_and_of_a_duplicate_5_6(client, certificate, director):
    duplicate = _duplicate(certificate, director)
    new = _replace(certificate, director)
    data = client.get(f"/verify/{certificate.token}.json").json()
    assert data["status"] == "replaced"
    assert data["replaced"]["by"]["registration_number"] == new.registration_number
    data = client.get(f"/verify/{duplicate.token}.json").json()
    assert data["status"] == "replaced"
    assert data["duplicate"] == {"of_registration_number": "ZIAT-2026-00001", "issued_on": "2026-09-01"}


@pytest.mark.parametrize("token", ["x" * 32, "abc%00def", "..%2F..", "A" * 200])
def test_json_of_an_unknown_or_malformed_token_is_a_json_404_5_3(client, certificate, token):
    response = client.get(f"/verify/{token}.json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "not_found",
        "message": _in("ru", "No certificate with this code was issued by the centre."),
    }


# --------------------------------------------------------------------------- Open Badges 3.0
def _published_key(client):
    response = client.get("/verify/key.pem")
    assert response.status_code == 200
    return offline.load_public_key(response.content)


def test_badge_is_an_open_badge_credential_signed_with_the_published_key_5_3(client, certificate):
    client.force_login(certificate.enrolment.listener.user)
    response = client.get(f"/cabinet/certificates/{certificate.pk}/badge.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    credential = json.loads(response.content)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["type"] == ["Profile"]
    assert credential["validFrom"].startswith("2026-03-10T")
    assert credential["validUntil"].startswith("2029-03-10T")
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == "Қасымова Гүлнұр"
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["name"] == certificate.program_title_ru
    assert len(subject["result"]) == certificate.lines.count()
    assert credential["credentialStatus"]["status"] == "valid"
    proof = credential["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) == (
        "DataIntegrityProof",
        "eddsa-jcs-2022",
        "assertionMethod",
    )
    assert proof["verificationMethod"].endswith("/verify/key.json")
    key = _published_key(client)
    assert badges.verify_proof(credential, key)
    # the Multikey document names the same key
    multikey = client.get("/verify/key.json").json()
    assert multikey["publicKeyMultibase"] == badges.public_key_multibase(key.public_bytes_raw())
    # a changed credential no longer verifies
    credential["credentialSubject"]["identifier"][0]["identityHash"] = "Иванова Анна"
    assert not badges.verify_proof(credential, key)


def test_badge_is_linked_from_the_page_and_only_the_holder_and_staff_download_it_5_3(client, certificate, director):
    path = f"/cabinet/certificates/{certificate.pk}/badge.json"
    assert f'href="{path}"' in _html(client.get(certificate.verification_path))
    assert client.get(path).status_code == 302  # to the login page
    other = enrol(course())
    client.force_login(other.listener.user)
    assert client.get(path).status_code == 404
    client.force_login(staff_user("accountant"))  # staff without the permission to view certificates
    assert client.get(path).status_code == 404
    client.force_login(director)
    assert client.get(path).status_code == 200
    client.force_login(certificate.enrolment.listener.user)
    assert client.get(path).status_code == 200


# --------------------------------------------------------------------------- the signed QR code, offline
def _pdf_qr(client, certificate, part="certificate"):
    response = client.get(f"/cabinet/certificates/{certificate.pk}/{part}.pdf")
    assert response.status_code == 200
    (text,) = qr_texts(response.content)
    return text


def _check(text, key_file=None):
    """The management command's output and exit status."""
    import io

    out = io.StringIO()
    status = 0
    args = [text] + (["--public-key", str(key_file)] if key_file else [])
    try:
        call_command("verify_certificate_payload", *args, stdout=out)
    except SystemExit as exit_:
        status = exit_.code
    return out.getvalue(), status


@pytest.fixture
def key_file(client, tmp_path, certificate):
    path = tmp_path / "key.pem"
    path.write_bytes(client.get("/verify/key.pem").content)
    return path


def test_qr_of_the_printed_certificate_checks_ok_offline_with_the_published_key_5_3(
    client, certificate, key_file, django_assert_num_queries
):
    client.force_login(certificate.enrolment.listener.user)
    text = _pdf_qr(client, certificate)
    assert text.startswith(certificate.verification_url + "#")
    assert len(text) < 400  # small enough for the 30 mm code on the form
    signing.forget_key()
    with django_assert_num_queries(0):  # no database: only the key file
        out, status = _check(text, key_file)
    assert status == 0
    assert out.rstrip().splitlines()[-1].startswith("OK")
    for shown in ("ZIAT-2026-00001", "Қасымова Гүлнұр", certificate.program_title_kk, "10.03.2026", "10.03.2029"):
        assert shown in out
    assert re.search(r": 10$", out, re.MULTILINE)  # the hours


def test_qr_of_the_appendix_and_of_a_duplicate_check_ok_and_say_duplicate_5_6(client, certificate, director, key_file):
    client.force_login(certificate.enrolment.listener.user)
    out, status = _check(_pdf_qr(client, certificate, "appendix"), key_file)
    assert status == 0
    duplicate = _duplicate(certificate, director)
    text = signing.signed_qr_text(duplicate)
    assert text.startswith(duplicate.verification_url + "#")
    out, status = _check(text, key_file)
    assert status == 0
    assert "01.09.2026" in out
    assert offline.check(text, offline.load_public_key(key_file.read_bytes())).essentials.is_duplicate


def _change_one_character(text, where):
    index = (
        len(text) // 2 if where == "middle" else {"address": text.index("/verify/") + 9, "end": len(text) - 3}[where]
    )
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


@pytest.mark.parametrize("where", ["address", "middle", "end"])
def test_one_changed_character_is_tampered_with_a_failing_exit_status_5_3(client, certificate, key_file, where):
    client.force_login(certificate.enrolment.listener.user)
    text = _change_one_character(_pdf_qr(client, certificate), where)
    out, status = _check(text, key_file)
    assert status != 0
    assert out.rstrip().splitlines()[-1].startswith("TAMPERED")


def test_changed_essentials_signed_by_another_key_are_tampered_5_3(certificate, key_file, settings):
    forger = Ed25519PrivateKey.generate()
    essentials = signing.essentials(certificate)
    forged = offline.Essentials(**{**essentials.__dict__, "hours": "72"})
    unsigned = f"{certificate.verification_url}#{offline.encode_payload(forged)}"
    text = f"{unsigned}.{offline.b64(forger.sign(unsigned.encode()))}"
    out, status = _check(text, key_file)
    assert status != 0
    assert "TAMPERED" in out
    # the same text checks OK against the forger's own key: it is the key that decides
    forger_pem = forger.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    other = key_file.parent / "forger.pem"
    other.write_bytes(forger_pem)
    assert _check(text, other)[1] == 0


def test_a_bare_address_is_unsigned_and_fails_5_3(certificate, key_file):
    out, status = _check(certificate.verification_url, key_file)
    assert status != 0
    assert "UNSIGNED" in out


def test_long_kazakh_text_falls_back_to_utf8_only_when_the_code_page_cannot_hold_it_5_3():
    base = dict(
        registration_number="ZIAT-2026-00001",
        hours="40",
        issued_on=datetime.date(2026, 3, 10),
        valid_until=datetime.date(2029, 3, 10),
        duplicate_issued_on=None,
    )
    kazakh = offline.Essentials(holder="Төлеуова Ғалия Өмірзаққызы", program_title="Педагогтің кәсіби өсуі", **base)
    assert offline.unb64(offline.encode_payload(kazakh))[:1] == b"K"
    assert offline.decode_payload(offline.encode_payload(kazakh)) == kazakh
    other = offline.Essentials(holder="Ли Вэй 李伟", program_title="Курс", **base)
    assert offline.unb64(offline.encode_payload(other))[:1] == b"U"
    assert offline.decode_payload(offline.encode_payload(other)) == other


# --------------------------------------------------------------------------- the key
def test_the_key_is_made_once_and_kept_in_the_database_5_3(client, db, org):
    assert not SigningKey.objects.exists()
    first = client.get("/verify/key.pem").content
    signing.forget_key()
    assert client.get("/verify/key.pem").content == first
    assert SigningKey.objects.count() == 1


def test_a_key_stored_by_another_process_is_the_one_used_5_3(client, db, org):
    seed = Ed25519PrivateKey.generate()
    SigningKey.objects.create(name=signing.KEY_NAME, seed=base64.b64encode(seed.private_bytes_raw()).decode())
    assert signing.public_key_raw() == seed.public_key().public_bytes_raw()


@pytest.mark.parametrize("form", ["pem", "pem-escaped", "seed"])
def test_the_key_from_the_settings_signs_and_is_published_5_3(client, certificate, settings, form):
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.CERTIFICATE_SIGNING_KEY = {
        "pem": pem,
        "pem-escaped": pem.replace("\n", "\\n"),
        "seed": base64.b64encode(key.private_bytes_raw()).decode(),
    }[form]
    published = _published_key(client)
    assert published.public_bytes_raw() == key.public_key().public_bytes_raw()
    page = _html(client.get("/verify/key/"))
    assert signing.fingerprint_groups() in page
    assert "BEGIN PUBLIC KEY" in page
    assert offline.check(signing.signed_qr_text(certificate), published).ok
