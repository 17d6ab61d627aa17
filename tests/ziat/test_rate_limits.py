"""Rate limits of the public pages: per client address, counted in the database that all processes share."""

import pytest
from django.utils import translation

from ziat.models import RateCounter

PAGES = {
    "verify": ("get", "/verify/no-such-certificate/"),
    "discussion": ("post", "/discussion/999999/"),
    "survey": ("post", "/survey/no-such-survey/"),
    "apply": ("post", "/apply/999999/"),
}


@pytest.fixture(autouse=True)
def _tight_limits(settings):
    settings.RATE_LIMITS = dict.fromkeys(PAGES, "3/m")


@pytest.mark.parametrize("group", list(PAGES))
def test_a_public_page_refuses_the_fourth_request_of_a_minute_with_a_translated_429(client, db, group):
    method, url = PAGES[group]
    for _ in range(3):
        assert getattr(client, method)(url).status_code == 404
    response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "Too many requests" in html


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_429_page_speaks_the_visitors_language(client, db, language):
    for _ in range(3):
        client.get("/verify/x/")
    html = client.get("/verify/x/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        assert translation.gettext("Too many requests") in html
    assert f'<html lang="{language}">' in html


def test_reading_the_discussion_is_not_limited(client, db):
    for _ in range(5):
        assert client.get("/discussion/999999/").status_code == 404


def test_the_counter_is_kept_in_the_shared_database(client, db):
    client.get("/verify/x/")
    client.get("/verify/x/")
    assert RateCounter.objects.get(key__startswith="verify:").count == 2


def test_other_addresses_have_their_own_counters(client, db):
    for _ in range(3):
        client.get("/verify/x/", REMOTE_ADDR="198.51.100.7")
    assert client.get("/verify/x/", REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.get("/verify/x/", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_behind_a_proxy_the_forwarded_client_is_counted(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        client.get("/verify/x/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert client.get("/verify/x/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    assert client.get("/verify/x/", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 404


def test_the_discussion_comment_limit_uses_the_forwarded_client(client, db, settings):
    from programs.services.discussion import client_hash
    from ziat.client import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    assert client_hash(client_ip(request)) == client_hash("198.51.100.7")


def test_a_busy_page_adds_its_hits_to_the_shared_counter_in_batches_and_still_refuses(client, db, settings):
    """With a limit of 100 a day a process writes the counter once per 10 hits; the 101st is refused."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "100/d"}
    for _ in range(25):
        assert client.get("/verify/x/", REMOTE_ADDR="198.51.100.70").status_code == 404
    assert RateCounter.objects.get(key__startswith="verify:").count == 20  # two batches; five hits still pending
    for _ in range(75):
        assert client.get("/verify/x/", REMOTE_ADDR="198.51.100.70").status_code == 404
    assert client.get("/verify/x/", REMOTE_ADDR="198.51.100.70").status_code == 429
    assert RateCounter.objects.get(key__startswith="verify:").count == 101
