"""Who may download a certificate's PDFs, and the admin pages for issuing and revoking (SPEC People, 5)."""

import datetime

import pytest
from django.contrib.auth.models import Group

from certificates.models import Certificate
from tests.certificates.helpers import course, enrol, issued
from tests.factories import listener, staff_user

DOCUMENTS = ["certificate.pdf", "appendix.pdf"]


@pytest.fixture
def certificate(db, org, director):
    return issued(director)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_another_listener_gets_404_for_someone_elses_pdf_001_24(client, certificate, document):
    other = listener(last_name="Ким", first_name="Елена")
    client.force_login(other.user)
    assert client.get(f"/cabinet/certificates/{certificate.pk}/{document}").status_code == 404


@pytest.mark.parametrize("document", DOCUMENTS)
def test_another_listener_with_a_certificate_of_their_own_still_gets_404_001_24(
    client, director, certificate, document
):
    own = issued(director, last_name="Ким", first_name="Елена")
    client.force_login(own.enrolment.listener.user)
    assert client.get(f"/cabinet/certificates/{own.pk}/{document}").status_code == 200
    assert client.get(f"/cabinet/certificates/{certificate.pk}/{document}").status_code == 404


@pytest.mark.parametrize("document", DOCUMENTS)
def test_anonymous_user_is_sent_to_log_in_for_a_pdf(client, certificate, document):
    url = f"/cabinet/certificates/{certificate.pk}/{document}"
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "next=" in response.url


@pytest.mark.parametrize("document", DOCUMENTS)
def test_unknown_certificate_pdf_is_404(client, certificate, document):
    client.force_login(certificate.enrolment.listener.user)
    assert client.get(f"/cabinet/certificates/{certificate.pk + 1000}/{document}").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("registrar", 200), ("director", 200), ("accountant", 404)])
def test_staff_see_certificate_pdfs_only_with_the_view_permission(client, certificate, role, status):
    client.force_login(staff_user(role))
    assert client.get(f"/cabinet/certificates/{certificate.pk}/certificate.pdf").status_code == status


def test_a_staff_member_without_a_role_gets_404_for_a_pdf(client, certificate):
    user = staff_user("trainer")
    user.groups.remove(Group.objects.get(name="trainer"))
    client.force_login(user)
    assert client.get(f"/cabinet/certificates/{certificate.pk}/certificate.pdf").status_code == 404


# --- admin pages: issuing for a cohort and revoking -----------------------------------------------------------


def test_director_issues_a_cohorts_certificates_from_the_admin_page_5_4(client, org, director):
    c = course()
    enrol(c)
    enrol(c, hours=2)  # 20%: left without a certificate
    client.force_login(director)
    url = f"/admin/certificates/certificate/issue/{c.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"issue": "1"})
    assert response.status_code == 302
    assert Certificate.objects.filter(enrolment__cohort=c).count() == 1


@pytest.mark.parametrize("role", ["registrar", "trainer", "accountant", "methodist", "monitoring"])
def test_other_roles_may_not_issue_from_the_admin_page_5_4(client, org, role):
    c = course()
    enrol(c)
    client.force_login(staff_user(role))
    assert client.post(f"/admin/certificates/certificate/issue/{c.pk}/", {"issue": "1"}).status_code == 403
    assert not Certificate.objects.exists()


def test_director_revokes_from_the_admin_page_with_a_reason_5_6(client, certificate, director):
    client.force_login(director)
    url = f"/admin/certificates/certificate/{certificate.pk}/revoke/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200  # the form again, with an error
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    response = client.post(url, {"reason": "Выдан по ошибке"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_reason == "Выдан по ошибке"


@pytest.mark.parametrize("role", ["registrar", "trainer", "accountant", "monitoring"])
def test_other_roles_may_not_revoke_from_the_admin_page_5_6(client, certificate, role):
    client.force_login(staff_user(role))
    response = client.post(f"/admin/certificates/certificate/{certificate.pk}/revoke/", {"reason": "Мошенничество"})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_expired_certificate_can_still_be_downloaded_by_its_holder(client, org, director):
    certificate = issued(director, on=datetime.date(2020, 1, 15))
    client.force_login(certificate.enrolment.listener.user)
    assert client.get(f"/cabinet/certificates/{certificate.pk}/certificate.pdf").status_code == 200
