"""The director's certificate pages: issuing a cohort's certificates (000 §3.7, 001 §29; SPEC 5.4) and revoking
one with its reason (000 §3.8, 001 §33; SPEC 5.6). Other roles are refused with a page in the site's layout."""

import datetime

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificates_issue_for_cohort
from tests.certificates.helpers import course, enrol, issued
from tests.factories import listener, page_queries, staff_user

# The cohort's certificate page's queries, whatever the number of listeners and certificates (one of them looks
# for an issuing job at work, one reads the user's roles for the cohort's access rule).
COHORT_PAGE_QUERIES = 15


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read the new English messages


def _cohort_url(c):
    return reverse("certificates:cohort_certificates", args=[c.pk])


def _revoke_url(certificate):
    return reverse("certificates:certificate_revoke", args=[certificate.pk])


def _refused(response):
    html = response.content.decode()
    return response.status_code == 403 and 'id="refusal"' in html and 'class="site-header"' in html


@pytest.fixture
def certificate(db, org, director):
    return issued(director)


# --- issuing for a cohort -------------------------------------------------------------------------------------


def test_the_director_issues_a_cohorts_certificates_on_its_page_5_4(client, org, director):
    c = course()
    passed = enrol(c)
    enrol(c, hours=2)  # 20%: left without a certificate
    client.force_login(director)
    page = client.get(_cohort_url(c))
    assert page.status_code == 200 and 'name="issue"' in page.content.decode()
    response = client.post(_cohort_url(c), {"issue": "1"}, follow=True)
    assert response.redirect_chain[-1] == (_cohort_url(c), 302)
    certificate = Certificate.objects.get(enrolment__cohort=c)
    assert certificate.enrolment == passed and certificate.issued_by == director
    html = response.content.decode()
    assert certificate.registration_number in html
    assert "Left without a certificate: 1." in html
    assert _revoke_url(certificate) in html


def test_issuing_twice_issues_nothing_new_5_4(client, org, director):
    c = course()
    enrol(c)
    client.force_login(director)
    client.post(_cohort_url(c), {"issue": "1"})
    client.post(_cohort_url(c), {"issue": "1"})
    assert Certificate.objects.filter(enrolment__cohort=c).count() == 1
    assert 'name="issue"' not in client.get(_cohort_url(c)).content.decode()


@pytest.mark.parametrize("role", ["registrar", "trainer", "accountant", "methodist", "monitoring"])
def test_other_roles_may_not_issue_5_4(client, org, role):
    c = course()
    enrol(c)
    client.force_login(staff_user(role))
    assert _refused(client.post(_cohort_url(c), {"issue": "1"}))
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("role", ["registrar", "monitoring"])
def test_roles_that_read_the_register_see_the_page_without_the_button(client, org, role):
    c = course()
    enrol(c)
    client.force_login(staff_user(role))
    response = client.get(_cohort_url(c))
    assert response.status_code == 200
    assert 'name="issue"' not in response.content.decode()


@pytest.mark.parametrize("role", ["trainer", "accountant", "methodist"])
def test_roles_without_the_register_are_refused_the_page(client, org, role):
    c = course()
    client.force_login(staff_user(role))
    assert _refused(client.get(_cohort_url(c)))


def test_a_listener_is_refused_and_an_anonymous_visitor_sent_to_log_in(client, org):
    c = course()
    e = enrol(c)
    client.force_login(e.listener.user)
    assert _refused(client.post(_cohort_url(c), {"issue": "1"}))
    assert not Certificate.objects.exists()
    client.logout()
    response = client.get(_cohort_url(c))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_former_back_office_address_issues_nothing(client, org, director):
    c = course()
    enrol(c)
    client.force_login(director)
    client.post(f"/admin/certificates/certificate/issue/{c.pk}/", {"issue": "1"})
    assert not Certificate.objects.exists()


def test_the_cohorts_page_links_the_certificates(client, org, director):
    c = course()
    client.force_login(director)
    assert _cohort_url(c) in client.get(reverse("enrolment:cohort_detail", args=[c.pk])).content.decode()


@pytest.mark.parametrize("size", [1, 8])
def test_the_cohort_pages_query_count_does_not_grow_with_its_rows(client, org, director, size):
    c = course()
    for i in range(size):
        enrol(c, hours=None if i % 2 == 0 else 2)
    certificates_issue_for_cohort(c, by=director, on=datetime.date(2026, 3, 10))
    client.force_login(director)
    assert page_queries(client, _cohort_url(c)) == COHORT_PAGE_QUERIES


# --- revoking -------------------------------------------------------------------------------------------------


def test_the_director_revokes_with_a_reason_5_6(client, certificate, director):
    client.force_login(director)
    assert client.get(_revoke_url(certificate)).status_code == 200
    response = client.post(_revoke_url(certificate), {"category": "issued_in_error", "note": "Выдан по ошибке"})
    assert response.status_code == 302
    assert response.url == reverse("certificates:certificate_staff", args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_by == director
    assert certificate.revoked_reason == "Выдан по ошибке"
    page = client.get(_revoke_url(certificate))
    assert 'id="revoked"' in page.content.decode() and page.context["form"] is None
    staff_page = client.get(reverse("certificates:certificate_staff", args=[certificate.pk])).content.decode()
    assert "Выдан по ошибке" in staff_page and _revoke_url(certificate) not in staff_page


def test_the_certificates_staff_page_links_the_revocation_for_the_director_only(client, certificate, director):
    url = reverse("certificates:certificate_staff", args=[certificate.pk])
    client.force_login(director)
    assert _revoke_url(certificate) in client.get(url).content.decode()
    client.force_login(staff_user("registrar"))
    assert _revoke_url(certificate) not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "", "note": "x"}, "category"),
        ({"category": "because", "note": "x"}, "category"),
        ({"category": "issued_in_error", "note": "x" * 2001}, "note"),
    ],
)
def test_a_missing_reason_or_too_long_note_is_shown_beside_its_field_and_nothing_changes_5_6(
    client, certificate, director, data, field
):
    client.force_login(director)
    response = client.post(_revoke_url(certificate), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_a_revoked_certificate_is_not_revoked_again_5_6(client, certificate, director):
    client.force_login(director)
    client.post(_revoke_url(certificate), {"category": "issued_in_error", "note": "Выдан по ошибке"})
    certificate.refresh_from_db()
    first = (certificate.revoked_at, certificate.revoked_reason)
    response = client.post(_revoke_url(certificate), {"category": "false_data", "note": "Ещё раз"})
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoked_reason) == first


@pytest.mark.parametrize("role", ["registrar", "trainer", "accountant", "methodist", "monitoring"])
def test_other_roles_may_not_revoke_5_6(client, certificate, role):
    client.force_login(staff_user(role))
    assert _refused(client.get(_revoke_url(certificate)))
    assert _refused(client.post(_revoke_url(certificate), {"category": "false_data", "note": "Мошенничество"}))
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_holder_may_not_revoke_their_certificate(client, certificate):
    client.force_login(certificate.enrolment.listener.user)
    assert _refused(client.post(_revoke_url(certificate), {"category": "false_data", "note": "Мошенничество"}))
    client.force_login(listener(last_name="Ким").user)
    assert _refused(client.post(_revoke_url(certificate), {"category": "false_data", "note": "Мошенничество"}))
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_an_unknown_certificate_is_not_found(client, certificate, director):
    client.force_login(director)
    assert client.get(reverse("certificates:certificate_revoke", args=[certificate.pk + 1000])).status_code == 404
