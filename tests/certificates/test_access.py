"""Who may download a certificate's PDFs (SPEC People, 5); the staff pages of issuing and revoking are tested
in test_staff_pages."""

import datetime

import pytest
from django.contrib.auth.models import Group

from tests.certificates.helpers import issued
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


def test_expired_certificate_can_still_be_downloaded_by_its_holder(client, org, director):
    certificate = issued(director, on=datetime.date(2020, 1, 15))
    client.force_login(certificate.enrolment.listener.user)
    assert client.get(f"/cabinet/certificates/{certificate.pk}/certificate.pdf").status_code == 200
