"""A calendar feed's address holds a random token kept in the database; the user renews it to revoke it."""

import pytest
from django.urls import reverse

from enrolment.calendar_feed import feed_token
from enrolment.models import CalendarFeed
from tests import factories


@pytest.fixture
def listener(db):
    return factories.listener()


def _feed(client, token):
    return client.get(reverse("enrolment:calendar_feed", kwargs={"token": token}))


def test_the_feed_token_is_random_and_stored_not_derived_from_the_secret_key(listener, settings):
    token = feed_token(listener.user)
    assert CalendarFeed.objects.get(user=listener.user).token == token
    assert feed_token(listener.user) == token  # the same address every time
    settings.SECRET_KEY = "another-secret-" + "s" * 50
    assert feed_token(listener.user) == token


def test_renewing_revokes_the_old_address(client, listener):
    old = feed_token(listener.user)
    assert _feed(client, old).status_code == 200
    client.force_login(listener.user)
    page = client.get(reverse("enrolment:my_timetable")).content.decode()
    assert old in page
    response = client.post(reverse("enrolment:calendar_feed_renew"))
    assert response.status_code == 302
    new = feed_token(listener.user)
    assert new != old
    client.logout()
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    client.force_login(listener.user)
    page = client.get(reverse("enrolment:my_timetable")).content.decode()
    assert new in page and old not in page


def test_renewing_needs_a_post_and_a_login(client, listener):
    assert client.post(reverse("enrolment:calendar_feed_renew")).status_code == 302  # to the login page
    client.force_login(listener.user)
    assert client.get(reverse("enrolment:calendar_feed_renew")).status_code == 405


def test_one_users_renewal_leaves_anothers_address_alone(client, listener):
    other = factories.listener()
    others = feed_token(other.user)
    client.force_login(listener.user)
    client.post(reverse("enrolment:calendar_feed_renew"))
    assert _feed(client, others).status_code == 200


def test_a_service_call_by_someone_else_is_refused(listener):
    from enrolment.calendar_feed import feed_token_renew
    from ziat.errors import PermissionDeniedError

    other = factories.listener()
    with pytest.raises(PermissionDeniedError):
        feed_token_renew(listener.user, by=other.user)
