"""The register of references of attendance as a list that grows (000 §3.9, 001 §31): found by number or holder,
the period of issue and the cohort, in the address; a bad value is refused beside its field; the same queries for
few and many rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from certificates.models import Reference
from enrolment.models import Enrolment
from tests.factories import many_cohorts, page_queries, program, staff_user

pytestmark = pytest.mark.django_db

URL = reverse("certificates:reference_register")
# Session, user, the user's and the groups' permissions, the user's roles, the count, the page with its
# enrolments' cohorts and issuers, the organisation and the layout's listener profile.
QUERIES = 8


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _references(count, *, issued_on=datetime.date(2026, 3, 20), first=1):
    """``count`` entries of the register (one per listener of as many cohorts), in a few queries."""
    many_cohorts(program(), count)
    enrolments = Enrolment.objects.filter(attendance_reference__isnull=True).select_related("listener__user")
    return Reference.objects.bulk_create(
        Reference(
            enrolment=e,
            registration_number=f"ZIAT-С-2026-{first + i:05d}",
            year=2026,
            sequence=first + i,
            holder_name=e.listener.user.get_full_name() or f"Тыңдаушы {i}",
            issued_on=issued_on,
        )
        for i, e in enumerate(enrolments.order_by("pk"))
    )


def _shown(client, query=""):
    response = client.get(URL + query)
    return response, {r.registration_number for r in response.context["list"].rows}


@pytest.mark.parametrize("count", [10, 200])
def test_the_reference_register_makes_the_same_queries_for_few_and_many_000_3_9(client, org, count):
    _references(count)
    client.force_login(staff_user("registrar"))
    assert page_queries(client, URL) == QUERIES
    assert page_queries(client, URL + "?q=ZIAT&date_from=2026-01-01&cohort=M-") == QUERIES
    assert page_queries(client, URL + "?page=2") == QUERIES


def test_the_reference_register_finds_by_number_holder_period_and_cohort_000_3_9(client, org):
    march = _references(1)[0]
    april = _references(1, issued_on=datetime.date(2026, 4, 20), first=2)[0]
    client.force_login(staff_user("registrar"))
    assert _shown(client)[1] == {march.registration_number, april.registration_number}
    assert _shown(client, "?q=00002")[1] == {april.registration_number}
    assert _shown(client, f"?q={march.holder_name.split()[0]}")[1] >= {march.registration_number}
    assert _shown(client, "?date_from=2026-04-01")[1] == {april.registration_number}
    assert _shown(client, "?date_to=2026-03-31")[1] == {march.registration_number}
    assert _shown(client, f"?cohort={april.enrolment.cohort.code}")[1] == {april.registration_number}
    response, found = _shown(client, "?date_from=2027-01-01")
    assert found == set() and "Nothing matches these filters." in response.content.decode()


def test_the_reference_register_pages_keep_the_filters_000_3_9(client, org):
    _references(120)
    client.force_login(staff_user("registrar"))
    response, found = _shown(client, "?date_from=2026-01-01")
    assert len(found) == 100 and "date_from=2026-01-01&amp;page=2" in response.content.decode()
    assert len(_shown(client, "?date_from=2026-01-01&page=2")[1]) == 20


@pytest.mark.parametrize("query", ["?date_from=yesterday", "?date_from=2026-05-01&date_to=2026-04-01"])
def test_a_bad_filter_of_the_reference_register_answers_400_and_lists_nothing_000_3_9(client, org, query):
    _references(2)
    client.force_login(staff_user("registrar"))
    response, found = _shown(client, query)
    assert response.status_code == 400 and found == set()
    assert response.context["list"].filters.errors and 'class="errorlist' in response.content.decode()
