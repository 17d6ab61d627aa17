"""A certificate's life after its issue (SPEC 5.4, 5.6, 000 §3.8): duplicates keep the registration number with
their own date and QR code, a corrected reissue gets a new number and the old one says "replaced by", a revoked
certificate gets neither; the staff's pages for them, and who may reach them."""

import datetime
import hashlib

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from certificates.enums import CertificateState
from certificates.lifecycle import certificate_reissue, duplicate_issue
from certificates.models import Certificate, CertificateDuplicate
from certificates.services import certificate_issue, certificate_revoke
from enrolment.models import Partner, Representative, RequestedTeacher, TeacherRequest
from tests.certificates.helpers import course, enrol, issued
from tests.factories import UserFactory, listener, staff_user
from tests.pdfs import qr_texts
from ziat.errors import DomainError
from ziat.models import ActivityLog

DAY = datetime.date(2026, 3, 10)
LATER = datetime.date(2026, 5, 4)


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def certificate(db, org, director):
    return issued(director, on=DAY)


def _rows(certificate):
    """Everything the register and the lifecycle keep of a certificate's enrolment."""
    return (
        list(Certificate.objects.filter(enrolment=certificate.enrolment).order_by("pk").values()),
        list(CertificateDuplicate.objects.filter(certificate__enrolment=certificate.enrolment).values()),
    )


def _pdf(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- duplicates ------------------------------------------------------------------------------------------------


def test_a_duplicate_keeps_the_number_with_its_own_date_and_token_5_6(certificate, director):
    duplicate = duplicate_issue(certificate, by=director, reason="lost", note="Заявление от 01.05.2026", on=LATER)
    certificate.refresh_from_db()
    assert duplicate.certificate == certificate
    assert duplicate.issued_on == LATER != certificate.issued_on
    assert duplicate.token and duplicate.token != certificate.token
    assert duplicate.verification_path != certificate.verification_path
    assert duplicate.certificate_document is not None and duplicate.appendix_document is not None
    assert duplicate.certificate_document_id != certificate.certificate_document_id
    # The certificate itself is unchanged and keeps its number; no number is taken.
    assert Certificate.objects.count() == 1
    assert certificate.state == CertificateState.VALID
    entry = ActivityLog.objects.get(action="certificates.certificate.duplicate_issued")
    assert entry.object_id == certificate.pk and entry.note == "Заявление от 01.05.2026"


def test_the_duplicates_pdf_prints_the_same_number_and_its_own_qr_code_5_6(client, certificate, director):
    duplicate = duplicate_issue(certificate, by=director, reason="damaged", on=LATER)
    client.force_login(certificate.enrolment.listener.user)
    response = client.get(reverse("certificates:duplicate_certificate_pdf", args=[duplicate.pk]))
    assert response.status_code == 200
    pdf = _pdf(response)
    text = "".join(pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range().split())
    assert certificate.registration_number in text
    # The QR carries the address, then the signed essentials after "#".
    assert [t.split("#")[0] for t in qr_texts(pdf)] == [duplicate.verification_url]
    appendix = client.get(reverse("certificates:duplicate_appendix_pdf", args=[duplicate.pk]))
    assert appendix.status_code == 200 and _pdf(appendix).startswith(b"%PDF")


@pytest.mark.parametrize("reason", ["", "stolen"])
def test_a_duplicate_needs_a_known_reason_5_6(certificate, director, reason):
    with pytest.raises(DomainError):
        duplicate_issue(certificate, by=director, reason=reason)
    assert not CertificateDuplicate.objects.exists()


def test_a_revoked_certificate_gets_no_duplicate_and_nothing_changes_5_6(certificate, director):
    certificate_revoke(certificate, by=director, category="false_data", note="Подложный диплом")
    before = _rows(certificate)
    with pytest.raises(DomainError, match="revoked"):
        duplicate_issue(certificate, by=director, reason="lost")
    assert _rows(certificate) == before


def test_a_replaced_certificate_gets_no_duplicate_5_6(certificate, director):
    certificate_reissue(certificate, by=director, reason_note="Исправлена фамилия", on=LATER)
    before = _rows(certificate)
    with pytest.raises(DomainError, match="replaced"):
        duplicate_issue(certificate, by=director, reason="lost")
    assert _rows(certificate) == before


@pytest.mark.parametrize("role", ["registrar", "trainer", "monitoring", "methodist", "accountant"])
def test_only_who_issues_certificates_issues_a_duplicate_5_6(certificate, role):
    with pytest.raises(DomainError):
        duplicate_issue(certificate, by=staff_user(role), reason="lost")
    assert not CertificateDuplicate.objects.exists()


def test_the_holder_may_not_issue_their_own_duplicate_5_6(certificate):
    with pytest.raises(DomainError):
        duplicate_issue(certificate, by=certificate.enrolment.listener.user, reason="lost")
    assert not CertificateDuplicate.objects.exists()


# --- corrected reissue -----------------------------------------------------------------------------------------


def test_a_corrected_reissue_gets_a_new_number_and_the_old_says_replaced_by_it_000_3_8(certificate, director):
    user = certificate.enrolment.listener.user
    user.last_name = "Исправленова"
    user.save(update_fields=["last_name"])
    new = certificate_reissue(certificate, by=director, reason_note="Исправлена фамилия", on=LATER)
    certificate.refresh_from_db()
    assert new.registration_number != certificate.registration_number
    assert new.sequence == certificate.sequence + 1
    assert new.enrolment == certificate.enrolment and new.replaces == certificate
    assert certificate.replaced_by == new and certificate.replaced_at is not None
    assert certificate.state == CertificateState.REPLACED and new.state == CertificateState.VALID
    # Printed from the data as they stand now; the old snapshot stays as it was printed.
    assert "Исправленова" in new.holder_name and "Исправленова" in new.snapshot["holder"]
    assert "Исправленова" not in certificate.snapshot["holder"]
    assert new.issued_on == LATER and new.token != certificate.token
    # A correction does not extend the three years (000 §3.8): the new one is valid as long as the old one was.
    assert (
        new.valid_until == certificate.valid_until
        and new.snapshot["valid_until"] == certificate.valid_until.isoformat()
    )
    assert new.certificate_document_id not in (None, certificate.certificate_document_id)
    actions = set(ActivityLog.objects.values_list("action", "object_id"))
    assert ("certificates.certificate.replaced", certificate.pk) in actions
    assert ("certificates.certificate.reissued", new.pk) in actions


def test_a_replaced_certificate_is_not_reissued_again_000_3_8(certificate, director):
    new = certificate_reissue(certificate, by=director, reason_note="Исправлена фамилия", on=LATER)
    before = _rows(certificate)
    with pytest.raises(DomainError, match="replaced"):
        certificate_reissue(certificate, by=director, reason_note="Ещё раз", on=LATER)
    assert _rows(certificate) == before
    # The current one may be corrected again.
    newer = certificate_reissue(new, by=director, reason_note="Исправлено имя", on=LATER)
    assert newer.replaces == new


def test_a_revoked_certificate_is_not_reissued_5_6(certificate, director):
    certificate_revoke(certificate, by=director, category="issued_in_error")
    before = _rows(certificate)
    with pytest.raises(DomainError, match="revoked"):
        certificate_reissue(certificate, by=director, reason_note="Исправлена фамилия", on=LATER)
    assert _rows(certificate) == before


def test_an_expired_certificate_is_not_reissued_000_3_8(db, org, director):
    old = issued(director, on=datetime.date(2021, 3, 10))
    before = _rows(old)
    with pytest.raises(DomainError, match="expired"):
        certificate_reissue(old, by=director, reason_note="Исправлена фамилия")
    assert _rows(old) == before


def test_a_reissue_says_what_is_corrected_000_3_8(certificate, director):
    before = _rows(certificate)
    with pytest.raises(DomainError):
        certificate_reissue(certificate, by=director, reason_note="  ", on=LATER)
    assert _rows(certificate) == before


def test_a_listener_no_longer_eligible_gets_no_reissue_and_nothing_changes_000_3_8(certificate, director):
    certificate.enrolment.final_result.delete()  # e.g. the result was annulled
    before = _rows(certificate)
    with pytest.raises(DomainError, match="no longer eligible"):
        certificate_reissue(certificate, by=director, reason_note="Исправлена фамилия", on=LATER)
    assert _rows(certificate) == before


@pytest.mark.parametrize("role", ["registrar", "trainer", "monitoring"])
def test_only_who_issues_certificates_reissues_one_000_3_8(certificate, role):
    before = _rows(certificate)
    with pytest.raises(DomainError):
        certificate_reissue(certificate, by=staff_user(role), reason_note="Исправлена фамилия", on=LATER)
    assert _rows(certificate) == before


def test_a_second_certificate_for_the_same_enrolment_is_refused_5_4(certificate, director):
    with pytest.raises(DomainError, match="already has a certificate"):
        certificate_issue(certificate.enrolment, by=director, on=LATER)
    certificate_reissue(certificate, by=director, reason_note="Исправлена фамилия", on=LATER)
    with pytest.raises(DomainError, match="already has a certificate"):
        certificate_issue(certificate.enrolment, by=director, on=LATER)
    assert Certificate.objects.filter(enrolment=certificate.enrolment).count() == 2


def test_revoking_twice_is_refused_5_6(certificate, director):
    certificate_revoke(certificate, by=director, category="issued_in_error", note="Первая")
    certificate.refresh_from_db()
    first = (certificate.revoked_at, certificate.revoked_category, certificate.revoked_reason)
    with pytest.raises(DomainError, match="already revoked"):
        certificate_revoke(certificate, by=director, category="false_data", note="Вторая")
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoked_category, certificate.revoked_reason) == first


# --- the staff's pages -----------------------------------------------------------------------------------------


def _staff_url(certificate):
    return reverse("certificates:certificate_staff", args=[certificate.pk])


def test_the_staff_page_shows_the_snapshot_files_and_duplicates_5_6(client, certificate, director):
    duplicate = duplicate_issue(certificate, by=director, reason="lost", on=LATER)
    client.force_login(director)
    html = client.get(_staff_url(certificate)).content.decode()
    snapshot = certificate.snapshot
    assert snapshot["organisation"]["name"]["kk"] in html and snapshot["organisation"]["name"]["ru"] in html
    for module in snapshot["modules"]:
        assert module["grade"]["kk"] in html and module["grade"]["ru"] in html
    certificate.refresh_from_db()
    assert certificate.certificate_document.sha256 and certificate.certificate_document.sha256 in html
    assert certificate.appendix_document.sha256 in html
    assert reverse("certificates:duplicate_certificate_pdf", args=[duplicate.pk]) in html
    assert reverse("certificates:duplicate_appendix_pdf", args=[duplicate.pk]) in html
    assert 'id="duplicate-form"' in html and 'id="reissue-form"' in html and 'id="revoke-link"' in html


def test_the_director_issues_a_duplicate_on_the_page_5_6(client, certificate, director):
    client.force_login(director)
    url = reverse("certificates:certificate_duplicate", args=[certificate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "lost", "note": "Утерян при переезде"})
    assert response.status_code == 302 and response.url == _staff_url(certificate)
    duplicate = CertificateDuplicate.objects.get()
    assert (duplicate.certificate, duplicate.reason, duplicate.note) == (certificate, "lost", "Утерян при переезде")


@pytest.mark.parametrize("data", [{}, {"reason": "stolen"}, {"reason": "lost", "note": "x" * 2001}])
def test_a_bad_duplicate_form_answers_400_and_changes_nothing_5_6(client, certificate, director, data):
    client.force_login(director)
    response = client.post(reverse("certificates:certificate_duplicate", args=[certificate.pk]), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert not CertificateDuplicate.objects.exists()


def test_the_director_reissues_on_the_page_and_sees_the_new_certificate_000_3_8(client, certificate, director):
    client.force_login(director)
    url = reverse("certificates:certificate_reissue", args=[certificate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Исправлена фамилия"})
    new = Certificate.objects.get(replaces=certificate)
    assert response.status_code == 302 and response.url == _staff_url(new)
    old_page = client.get(_staff_url(certificate)).content.decode()
    assert 'id="replaced-by"' in old_page and new.registration_number in old_page
    assert 'id="reissue-form"' not in old_page and 'id="duplicate-form"' not in old_page
    assert 'id="revoke-link"' not in old_page
    new_page = client.get(_staff_url(new)).content.decode()
    assert 'id="replaces"' in new_page and certificate.registration_number in new_page
    # Posting again to the replaced one is refused with the reason, and nothing changes.
    before = _rows(certificate)
    again = client.post(url, {"note": "Ещё раз"})
    assert again.status_code == 400 and 'id="not-current"' in again.content.decode()
    assert _rows(certificate) == before


def test_a_reissue_without_a_note_answers_400_and_changes_nothing_000_3_8(client, certificate, director):
    client.force_login(director)
    before = _rows(certificate)
    response = client.post(reverse("certificates:certificate_reissue", args=[certificate.pk]), {"note": ""})
    assert response.status_code == 400 and response.context["form"].errors["note"]
    assert _rows(certificate) == before


def test_the_revoke_page_offers_the_official_categories_and_a_note_5_6(client, certificate, director):
    client.force_login(director)
    html = client.get(reverse("certificates:certificate_revoke", args=[certificate.pk])).content.decode()
    assert '<select name="category"' in html and 'value="false_data"' in html and 'name="note"' in html


# --- who reaches them ------------------------------------------------------------------------------------------


def _refused(response):
    html = response.content.decode()
    return response.status_code == 403 and 'id="refusal"' in html and 'class="site-header"' in html


def _representative(certificate, *, own):
    partner = Partner.objects.create(name="Мектеп № 1" if own else "Мектеп № 2", kind="school")
    user = UserFactory(last_name="Өкіл")
    Representative.objects.create(user=user, partner=partner)
    if own:
        e = certificate.enrolment
        request = TeacherRequest.objects.create(partner=partner, cohort=e.cohort, created_by=user, status="accepted")
        RequestedTeacher.objects.create(
            request=request,
            row=1,
            iin=e.listener.iin,
            last_name="Слушатель",
            first_name="Бір",
            birth_date=datetime.date(1985, 1, 1),
            listener=e.listener,
        )
    return user


def _outsiders(certificate):
    other = course(code="OTHER")
    return {
        "trainer": staff_user("trainer"),
        "listener": certificate.enrolment.listener.user,
        "other listener": enrol(other, listener_=listener(last_name="Басқа")).listener.user,
        "representative": _representative(certificate, own=True),
        "outsider": UserFactory(last_name="Бөгде"),
    }


@pytest.mark.parametrize("who", ["trainer", "listener", "other listener", "representative", "outsider"])
def test_outsiders_cannot_reach_the_lifecycle_forms_5_6(client, certificate, who):
    user = _outsiders(certificate)[who]
    client.force_login(user)
    before = _rows(certificate)
    for name, data in (
        ("certificates:certificate_duplicate", {"reason": "lost"}),
        ("certificates:certificate_reissue", {"note": "Исправлена фамилия"}),
        ("certificates:certificate_revoke", {"category": "false_data"}),
    ):
        url = reverse(name, args=[certificate.pk])
        assert _refused(client.get(url)), (name, who)
        assert _refused(client.post(url, data)), (name, who)
    assert _rows(certificate) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("holder", 200), ("registrar", 200), ("representative", 200), ("other representative", 404), ("other", 404)],
)
def test_who_downloads_a_duplicates_pdf_5_6(client, certificate, director, who, status):
    duplicate = duplicate_issue(certificate, by=director, reason="lost", on=LATER)
    user = {
        "holder": lambda: certificate.enrolment.listener.user,
        "registrar": lambda: staff_user("registrar"),
        "representative": lambda: _representative(certificate, own=True),
        "other representative": lambda: _representative(certificate, own=False),
        "other": lambda: listener(last_name="Ким").user,
    }[who]()
    client.force_login(user)
    for name in ("certificates:duplicate_certificate_pdf", "certificates:duplicate_appendix_pdf"):
        assert client.get(reverse(name, args=[duplicate.pk])).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_duplicates_pdf(client, certificate, director):
    duplicate = duplicate_issue(certificate, by=director, reason="lost", on=LATER)
    response = client.get(reverse("certificates:duplicate_certificate_pdf", args=[duplicate.pk]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_duplicates_pdf_is_the_stored_file_bytes_for_bytes_5_6(client, certificate, director):
    """The stored file is served: asked twice, the same bytes, whose SHA-256 the staff page shows."""
    duplicate = duplicate_issue(certificate, by=director, reason="lost", on=LATER)
    client.force_login(certificate.enrolment.listener.user)
    url = reverse("certificates:duplicate_certificate_pdf", args=[duplicate.pk])
    first, second = _pdf(client.get(url)), _pdf(client.get(url))
    assert first == second
    duplicate.certificate_document.refresh_from_db()
    assert hashlib.sha256(first).hexdigest() == duplicate.certificate_document.sha256
