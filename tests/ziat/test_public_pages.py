"""Public pages (verification, catalogue, schedule, discussion, survey) answer a visitor without paying for what
they do not use: the organisation comes from the shared cache, no session is read or written, and no cookie is
set unless the page holds a form to post. Their query counts are pinned here."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.services.workflow import program_publish_for_discussion
from tests.certificates.helpers import course, issued
from tests.factories import cohort, draft_program, program, staff_user
from tests.programs.test_needs_services import make_survey
from ziat.models import ORGANISATION_CACHE_KEY, Organisation

TODAY = timezone.localdate()


def _verify(director, methodist):
    return issued(director, cohort_=course()).verification_path, False


def _catalogue(director, methodist):
    program(), program()
    return reverse("programs:catalogue"), False


def _schedule(director, methodist):
    c = cohort(program(), starts_on=TODAY + datetime.timedelta(days=30), ends_on=TODAY + datetime.timedelta(days=35))
    c.is_published = True
    c.save(update_fields=["is_published"])
    return reverse("enrolment:public_schedule"), False


def _discussions(director, methodist):
    program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=TODAY)
    return reverse("programs:discussions"), False


def _discussion_closed(director, methodist):
    long_ago = TODAY - datetime.timedelta(days=60)
    discussion = program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=long_ago)
    return reverse("programs:discussion", args=[discussion.pk]), False


def _discussion_open(director, methodist):
    discussion = program_publish_for_discussion(draft_program(by=methodist), by=methodist, on=TODAY)
    return reverse("programs:discussion", args=[discussion.pk]), True


def _survey_open(director, methodist):
    return reverse("programs:survey_answer", args=[make_survey(methodist).token]), True


def _survey_thanks(director, methodist):
    return reverse("programs:survey_thanks", args=[make_survey(methodist).token]), False


# page -> (how to make it, queries of one visit with the organisation cached)
PAGES = {
    # one: the page is prepared ahead and read from its row (certificates.verification); the rate limit adds a
    # process's hits to the shared counter in batches (ziat.ratelimit)
    "verify": (_verify, 1),
    # a list paged through its filters counts the rows it found, then reads one page of them
    "catalogue": (_catalogue, 3),
    "schedule": (_schedule, 2),
    "discussions": (_discussions, 1),
    "discussion_closed": (_discussion_closed, 6),
    "discussion_open": (_discussion_open, 6),
    "survey_open": (_survey_open, 3),
    "survey_thanks": (_survey_thanks, 1),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_a_public_page_reads_no_session_and_sets_no_cookie_it_does_not_use(client, org, director, name):
    make, expected = PAGES[name]
    url, has_form = make(director, staff_user("methodist"))
    client.get(url)  # the organisation is cached by the first visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    statements = [q["sql"] for q in queries]
    assert len(statements) == expected, statements
    assert not any("django_session" in sql or "ziat_organisation" in sql for sql in statements)
    # Only a page with a form to post sets the CSRF cookie; none sets a session cookie.
    assert set(response.cookies) == ({"csrftoken"} if has_form else set())


def test_the_organisation_is_read_once_and_dropped_from_the_cache_when_saved(org, django_assert_num_queries):
    Organisation.current()
    with django_assert_num_queries(0):
        assert Organisation.current().name_kk == org.name_kk
    org.name_kk = "Жаңа атау"
    org.save()
    assert cache.get(ORGANISATION_CACHE_KEY) is None
    assert Organisation.current().name_kk == "Жаңа атау"
    Organisation.objects.filter(pk=1).update(pass_floor_percent=60)
    assert Organisation.current().pass_floor_percent == 60


def test_the_language_switcher_needs_no_csrf_cookie(client, org):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/programs/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "ru"
