"""A calendar feed's address holds a random token kept in the database. The user makes it with a button (a
POST); showing the timetable only reads it. Renewing it revokes the old address."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolment.calendar_feed import feed_token, feed_token_create, feed_token_renew
from enrolment.models import CalendarFeed
from tests import factories
from tests.factories import UserFactory, write_statements
from ziat.activity import history
from ziat.errors import PermissionDeniedError


@pytest.fixture
def listener(db):
    return factories.listener()


def _feed(client, token):
    return client.get(reverse("enrolment:calendar_feed", kwargs={"token": token}))


def _timetable(client):
    return client.get(reverse("enrolment:my_timetable"))


def test_the_feed_token_is_random_and_stored_not_derived_from_the_secret_key(listener, settings):
    assert feed_token(listener.user) is None
    token = feed_token_create(listener.user, by=listener.user)
    assert CalendarFeed.objects.get(user=listener.user).token == token
    assert feed_token(listener.user) == token  # the same address every time
    settings.SECRET_KEY = "another-secret-" + "s" * 50
    assert feed_token(listener.user) == token


def test_showing_the_timetable_writes_nothing_before_or_after_the_address_is_made(client, listener):
    """A GET only reads: the page without an address offers the button and makes no token."""
    client.force_login(listener.user)
    with CaptureQueriesContext(connection) as captured:
        response = _timetable(client)
    assert response.status_code == 200
    assert write_statements(captured) == []
    assert not CalendarFeed.objects.exists()
    page = response.content.decode()
    assert 'id="calendar-feed-create"' in page and 'id="calendar-feed-renew"' not in page
    assert reverse("enrolment:calendar_feed_create") in page

    token = feed_token_create(listener.user, by=listener.user)
    with CaptureQueriesContext(connection) as captured:
        response = _timetable(client)
    assert write_statements(captured) == []
    page = response.content.decode()
    assert token in page and 'id="calendar-feed-renew"' in page and 'id="calendar-feed-create"' not in page
    assert CalendarFeed.objects.get().token == token


def test_fetching_the_feed_writes_nothing(client, listener):
    token = feed_token_create(listener.user, by=listener.user)
    with CaptureQueriesContext(connection) as captured:
        assert _feed(client, token).status_code == 200
    assert write_statements(captured) == []


def test_the_button_makes_the_address_once_and_logs_it_without_the_token(client, listener):
    client.force_login(listener.user)
    response = client.post(reverse("enrolment:calendar_feed_create"))
    assert response.status_code == 302
    token = CalendarFeed.objects.get(user=listener.user).token
    assert _feed(client, token).status_code == 200
    # A second click (or a second tab) keeps the address already given out.
    client.post(reverse("enrolment:calendar_feed_create"))
    assert CalendarFeed.objects.get(user=listener.user).token == token
    entry = history(obj=CalendarFeed.objects.get()).get()
    assert entry.action == "enrolment.calendar_feed.created"
    assert entry.actor == listener.user and entry.listener_id == listener.pk
    assert token not in str(entry.data)


def test_making_the_address_needs_a_post_a_login_and_a_timetable(client, listener):
    assert client.post(reverse("enrolment:calendar_feed_create")).status_code == 302  # to the login page
    client.force_login(listener.user)
    assert client.get(reverse("enrolment:calendar_feed_create")).status_code == 405
    client.force_login(UserFactory())  # neither a listener nor a trainer
    assert client.post(reverse("enrolment:calendar_feed_create")).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_renewing_revokes_the_old_address(client, listener):
    old = feed_token_create(listener.user, by=listener.user)
    assert _feed(client, old).status_code == 200
    client.force_login(listener.user)
    assert old in _timetable(client).content.decode()
    response = client.post(reverse("enrolment:calendar_feed_renew"))
    assert response.status_code == 302
    new = feed_token(listener.user)
    assert new != old
    assert history(obj=CalendarFeed.objects.get()).first().action == "enrolment.calendar_feed.renewed"
    client.logout()
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    client.force_login(listener.user)
    page = _timetable(client).content.decode()
    assert new in page and old not in page


def test_renewing_needs_a_post_and_a_login(client, listener):
    assert client.post(reverse("enrolment:calendar_feed_renew")).status_code == 302  # to the login page
    client.force_login(listener.user)
    assert client.get(reverse("enrolment:calendar_feed_renew")).status_code == 405


def test_one_users_renewal_leaves_anothers_address_alone(client, listener):
    other = factories.listener()
    others = feed_token_create(other.user, by=other.user)
    client.force_login(listener.user)
    client.post(reverse("enrolment:calendar_feed_renew"))
    assert _feed(client, others).status_code == 200


def test_a_service_call_by_someone_else_is_refused(listener):
    other = factories.listener()
    with pytest.raises(PermissionDeniedError):
        feed_token_create(listener.user, by=other.user)
    with pytest.raises(PermissionDeniedError):
        feed_token_renew(listener.user, by=other.user)
    assert not CalendarFeed.objects.exists()
