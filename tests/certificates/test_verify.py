"""The public verification page a certificate's QR code opens (SPEC 5.3, 5.6; 000 §3.8, 001 §33)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import VerificationPage
from certificates.services import certificate_revoke
from tests.certificates.helpers import course, issued, plan_with_modules
from ziat.dates import add_years
from ziat.models import Organisation

PERSONAL = {
    "iin": None,  # filled in from the listener
    "phone": "+7 701 987 6543",
    "email": "secret.teacher@example.kz",
    "workplace": "Школа-гимназия № 54 города Астаны",
    "birth_date": datetime.date(1979, 11, 3),
}


@pytest.fixture
def certificate(db, org, director):
    return issued(
        director,
        born=PERSONAL["birth_date"],
        phone=PERSONAL["phone"],
        email=PERSONAL["email"],
        workplace=PERSONAL["workplace"],
        last_name="Қасымова",
        first_name="Гүлнұр",
        on=datetime.date(2026, 3, 10),
    )


def _html(response):
    return response.content.decode()


def test_verification_page_of_a_valid_certificate_is_public_and_shows_what_it_certifies_000_3_8(client, certificate):
    response = client.get(f"/verify/{certificate.token}/")
    assert response.status_code == 200
    html = _html(response)
    assert 'data-state="valid"' in html
    assert "Қасымова Гүлнұр" in html
    assert certificate.program_title in html
    assert re.search(r"<dd>10</dd>", html)  # the default plan's 10 academic hours
    assert "ZIAT-2026-00001" in html
    assert "10.03.2026" in html
    assert "10.03.2029" in html
    # every module with its hours computed from the topics
    assert re.search(r"<td[^>]*>1-модуль</td>\s*<td[^>]*>4</td>", html)
    assert re.search(r"<td[^>]*>2-модуль</td>\s*<td[^>]*>6</td>", html)


def test_verification_page_never_shows_personal_data_001_24(client, certificate):
    listener = certificate.enrolment.listener
    html = _html(client.get(f"/verify/{certificate.token}/"))
    assert listener.iin not in html
    assert PERSONAL["phone"] not in html
    assert PERSONAL["phone"].replace(" ", "") not in html
    assert PERSONAL["email"] not in html
    assert PERSONAL["workplace"] not in html
    born = PERSONAL["birth_date"]
    for shown in (f"{born:%d.%m.%Y}", born.isoformat(), f"{born:%d/%m/%Y}"):
        assert shown not in html
    # The IIN's first six digits are the birth date; neither appears anywhere.
    assert listener.iin[:6] not in html


def test_verification_page_says_expired_after_three_years_000_3_8(client, org, director):
    today = timezone.localdate()
    certificate = issued(director, on=add_years(today, -3) - datetime.timedelta(days=1))
    response = client.get(f"/verify/{certificate.token}/")
    assert response.status_code == 200
    html = _html(response)
    assert 'data-state="expired"' in html
    assert 'data-state="valid"' not in html
    assert f"{certificate.valid_until:%d.%m.%Y}" in html


def test_verification_page_says_valid_on_the_last_day_of_the_three_years_000_3_8(client, org, director):
    today = timezone.localdate()
    certificate = issued(director, on=add_years(today, -3))
    assert certificate.valid_until == today
    assert 'data-state="valid"' in _html(client.get(f"/verify/{certificate.token}/"))


def test_verification_page_says_revoked_5_6(client, certificate, director):
    certificate_revoke(certificate, by=director, category="issued_in_error", note="Выдан по ошибке")
    response = client.get(f"/verify/{certificate.token}/")
    assert response.status_code == 200
    html = _html(response)
    assert 'data-state="revoked"' in html
    assert 'data-state="valid"' not in html


def test_unknown_token_is_not_found_5_3(client, certificate):
    response = client.get("/verify/" + "x" * 32 + "/")
    assert response.status_code == 404
    assert 'data-state="not-found"' in _html(response)
    assert "Қасымова" not in _html(response)


@pytest.mark.parametrize(
    "path",
    [
        "/verify/../../etc/",
        "/verify/..%2F..%2Fetc%2Fpasswd/",
        "/verify/" + "A" * 200 + "/",
        "/verify/abc%00def/",
        "/verify/%27%20OR%201=1--/",
        "/verify/%D0%A1%D0%95%D0%A0%D0%A2/",
    ],
)
def test_malformed_token_is_not_found_not_an_error_5_3(client, certificate, path):
    assert client.get(path).status_code == 404


def test_a_prefix_of_a_real_token_is_not_found_5_3(client, certificate):
    assert client.get(f"/verify/{certificate.token[:-1]}/").status_code == 404


def _certificate_with_modules(director, n):
    c = course(modules=plan_with_modules(n), session_hours=(3,) * n)
    return issued(director, cohort_=c)


@pytest.mark.parametrize("n_modules", [1, 8])
def test_verification_page_query_count_is_constant_000_3_8(client, org, director, django_assert_num_queries, n_modules):
    certificate = _certificate_with_modules(director, n_modules)
    assert certificate.lines.count() == n_modules
    Organisation.current()
    client.get(f"/verify/{certificate.token}/")  # the page is prepared ahead (here by the first request)
    # one: the prepared page's row; the rate limit adds its hits to the shared counter in batches
    with django_assert_num_queries(1):
        response = client.get(f"/verify/{certificate.token}/")
    assert response.status_code == 200
    assert len(re.findall(r'<td class="title">', _html(response))) == n_modules


def test_verification_page_queries_do_not_grow_with_modules_000_3_8(client, org, director):
    small, large = _certificate_with_modules(director, 1), _certificate_with_modules(director, 8)
    counts = []
    for certificate in (small, large):
        VerificationPage.objects.all().delete()  # rendered on this request: the queries of the certificate itself
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/verify/{certificate.token}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
