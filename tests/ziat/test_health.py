"""The health endpoint for the proxy and the process supervisor."""

from unittest import mock

from django.db.utils import OperationalError


def test_health_answers_ok_with_one_query_and_no_session(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_a_database_that_does_not_answer(client, db):
    with mock.patch("ziat.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_health_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/programs/").status_code == 301
