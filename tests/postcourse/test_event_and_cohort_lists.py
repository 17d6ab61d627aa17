"""The staff's lists of events and of the cohorts in their support year as lists that grow (000 §4.1, §4.3):
filters in the address, a bad value refused beside its field with nothing listed, pages that keep the filters,
and the same queries for few and many rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.models import Enrolment
from postcourse.enums import EventKind
from postcourse.models import SupportEvent, SupportPeriod
from tests.factories import many_cohorts, page_queries, program, staff_user
from ziat import roles

pytestmark = pytest.mark.django_db

EVENTS = reverse("postcourse:events_staff")
COHORTS = reverse("postcourse:support_cohorts")
# Session, user, the user's and the groups' permissions, the user's roles, the count, the page of events with
# their registrations counted, their programs, the programs offered by the filter, the organisation and the
# layout's listener profile.
EVENT_QUERIES = 10
# Session, user, the user's and the groups' permissions, the user's roles, the count, the page of cohorts with
# their programs and counts, the organisation and the layout's listener profile.
COHORT_QUERIES = 8


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def methodist(db):
    return staff_user(roles.METHODIST, last_name="Әдіскер")


def _events(count, by, *, kind=EventKind.SEMINAR, title="Семинар", days=7, programs=()):
    made = SupportEvent.objects.bulk_create(
        SupportEvent(
            kind=kind,
            title_kk=f"{title} {i}",
            title_ru=f"{title} {i}",
            starts_at=timezone.now() + datetime.timedelta(days=days),
            created_by=by,
            is_published=True,
        )
        for i in range(count)
    )
    for event in made:
        event.programs.set(programs)
    return made


def _in_support(count, **kwargs):
    """``count`` cohorts, each with one listener in their support year, in a few queries."""
    prog = program(**kwargs)
    cohorts = many_cohorts(prog, count)
    today = timezone.localdate()
    SupportPeriod.objects.bulk_create(
        SupportPeriod(
            enrolment=e, starts_on=today - datetime.timedelta(days=10), ends_on=today.replace(year=today.year + 1)
        )
        for e in Enrolment.objects.filter(cohort__in=cohorts)
    )
    return cohorts


def _events_shown(client, query=""):
    response = client.get(EVENTS + query)
    return response, {e.pk for e in response.context["list"].rows}


def _cohorts_shown(client, query=""):
    response = client.get(COHORTS + query)
    return response, {c.pk for c in response.context["list"].rows}


# --- events -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_the_event_list_makes_the_same_queries_for_few_and_many_000_4_3(client, org, methodist, count):
    _events(count, methodist, programs=[program()])
    client.force_login(methodist)
    assert page_queries(client, EVENTS) == EVENT_QUERIES
    assert page_queries(client, EVENTS + "?q=Семинар&kind=seminar&starts_from=2020-01-01") == EVENT_QUERIES


def test_the_event_list_finds_by_title_kind_period_and_program_000_4_3(client, org, methodist):
    prog = program()
    seminar = _events(1, methodist, title="Семинар", days=7, programs=[prog])[0]
    webinar = _events(1, methodist, kind=EventKind.WEBINAR, title="Вебинар", days=40)[0]
    client.force_login(methodist)
    assert _events_shown(client)[1] == {seminar.pk, webinar.pk}
    assert _events_shown(client, "?q=вебинар")[1] == {webinar.pk}
    assert _events_shown(client, "?kind=seminar")[1] == {seminar.pk}
    later = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    assert _events_shown(client, f"?starts_from={later}")[1] == {webinar.pk}
    assert _events_shown(client, f"?starts_to={later}")[1] == {seminar.pk}
    assert _events_shown(client, f"?program={prog.pk}")[1] == {seminar.pk}
    response, found = _events_shown(client, "?q=конференция")
    assert found == set() and "Nothing matches these filters." in response.content.decode()


def test_the_event_list_pages_keep_the_filters_000_4_3(client, org, methodist):
    _events(60, methodist)
    client.force_login(methodist)
    response, found = _events_shown(client, "?kind=seminar")
    assert len(found) == 50 and "kind=seminar&amp;page=2" in response.content.decode()
    assert len(_events_shown(client, "?kind=seminar&page=2")[1]) == 10


@pytest.mark.parametrize("query", ["?kind=party", "?starts_from=tomorrow", "?program=999999"])
def test_a_bad_filter_of_the_event_list_answers_400_and_lists_nothing_000_4_3(client, org, methodist, query):
    _events(2, methodist)
    client.force_login(methodist)
    response, found = _events_shown(client, query)
    assert response.status_code == 400 and found == set()
    assert 'class="errorlist' in response.content.decode()


# --- the cohorts in their support year ----------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_the_support_cohort_list_makes_the_same_queries_for_few_and_many_000_4_1(client, org, methodist, count):
    _in_support(count)
    client.force_login(methodist)
    assert page_queries(client, COHORTS) == COHORT_QUERIES
    assert page_queries(client, COHORTS + "?cohort=M-&program=кәсіби") == COHORT_QUERIES


def test_the_support_cohort_list_finds_by_code_and_program_and_pages_000_4_1(client, org, methodist):
    first = _in_support(30, title_kk="Цифрлық сауаттылық", title_ru="Цифровая грамотность")
    other = _in_support(1, title_kk="Инклюзивті білім", title_ru="Инклюзивное образование")[0]
    client.force_login(methodist)
    assert len(_cohorts_shown(client)[1]) == 25
    assert len(_cohorts_shown(client, "?page=2")[1]) == 6
    assert _cohorts_shown(client, f"?cohort={other.code}")[1] == {other.pk}
    assert _cohorts_shown(client, "?program=инклюзив")[1] == {other.pk}
    response, found = _cohorts_shown(client, "?program=цифр")
    assert len(found) == 25 and "program=%D1%86%D0%B8%D1%84%D1%80&amp;page=2" in response.content.decode()
    assert first[0].pk in _cohorts_shown(client, "?program=цифр&page=2")[1] | found
    bad = client.get(COHORTS + "?cohort=" + "x" * 60)
    assert bad.status_code == 400 and not bad.context["list"].rows
