"""The login throttle (django-axes): by account and address, by address alone, read behind proxies."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

PASSWORD = "pass-12345"


@pytest.fixture
def user(db):
    return UserFactory(username="aigerim")


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _logged_in(client):
    return "_auth_user_id" in client.session


def _cool_off_passes():
    """The clock moves past the cool-off: the failures are dated back beyond it."""
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2))


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, user):
    for _ in range(30):
        _login(client, "aigerim", "wrong-password")
    response = _login(client, "aigerim", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert not _logged_in(client)
    html = response.content.decode()
    assert 'class="site-header"' in html  # the base layout, not a bare message
    assert "Too many login attempts" in html


def test_the_lock_comes_after_the_account_limit(client, user, settings):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        assert _login(client, "aigerim", "wrong-password").status_code == 200
    assert _login(client, "aigerim", "wrong-password").status_code == 429


def test_after_the_cool_off_the_right_password_is_accepted(client, user):
    for _ in range(30):
        _login(client, "aigerim", "wrong-password")
    assert _login(client, "aigerim", PASSWORD).status_code == 429
    _cool_off_passes()
    response = _login(client, "aigerim", PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)


def test_an_address_trying_many_accounts_is_locked_out(client, db, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 12
    other = UserFactory(username="bolat")
    for i in range(12):
        _login(client, f"guess-{i}", "wrong-password")  # under the per-account limit each
    assert _login(client, other.username, PASSWORD).status_code == 429
    assert not _logged_in(client)


def test_another_address_is_not_locked_by_someone_elses_failures(client, user):
    for _ in range(10):
        _login(client, "aigerim", "wrong-password", REMOTE_ADDR="198.51.100.7")
    assert _login(client, "aigerim", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_behind_a_proxy_two_clients_are_counted_apart(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(10):
        _login(client, "aigerim", "wrong-password", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert _login(client, "aigerim", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    # Another client behind the same proxy logs in.
    response = _login(client, "aigerim", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_a_client_cannot_escape_the_lock_by_forging_forwarded_for(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for i in range(10):
        # The client writes an address of its own; the proxy appends the real one.
        _login(client, "aigerim", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 198.51.100.7", **proxy)
    forged = {"HTTP_X_FORWARDED_FOR": "192.0.2.200, 198.51.100.7"}
    assert _login(client, "aigerim", PASSWORD, **forged, **proxy).status_code == 429


def test_without_trusted_proxies_forwarded_for_is_ignored(client, user):
    for i in range(10):
        _login(client, "aigerim", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert _login(client, "aigerim", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_lockout_page_is_translated_in_the_base_layout(client, user, language):
    for _ in range(6):
        _login(client, "aigerim", "wrong")
    response = _login(client, "aigerim", PASSWORD, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 429
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html
    with translation.override(language):
        assert translation.gettext("Log in") in html
