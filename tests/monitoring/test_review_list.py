"""The schedule of effectiveness reviews as a list that grows (000 §4.4, 001 §38): found by program and by what
the due date says, in the address; a bad value refused beside its field with nothing listed; pages that keep the
filters; the same queries for few and many programs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.enums import ReviewStatus
from monitoring.models import EffectivenessReview
from programs.models import Program
from tests.factories import page_queries, staff_user

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:reviews")
# Session, user, the user's and the groups' permissions, the user's roles, the programs with their last
# approved review, their open reviews, the organisation and the layout's listener profile (the rows are worked
# out in Python: no count query).
QUERIES = 7


@pytest.fixture
def officer(org):
    return staff_user("monitoring")


def _programs(count, *, approved_on, title="Бағдарлама"):
    return Program.objects.bulk_create(
        Program(title_kk=f"{title} {i}", title_ru=f"{title} {i}", approved_on=approved_on) for i in range(count)
    )


def _shown(client, query=""):
    response = client.get(URL + query)
    return response, {r.program.pk for r in response.context["list"].rows}


@pytest.mark.parametrize("count", [10, 200])
def test_the_review_schedule_makes_the_same_queries_for_few_and_many_001_38(client, officer, count):
    progs = _programs(count, approved_on=datetime.date(2024, 1, 10))
    EffectivenessReview.objects.create(
        program=progs[0],
        period_from=datetime.date(2024, 1, 1),
        period_to=datetime.date(2024, 12, 31),
        status=ReviewStatus.DRAFT,
        created_by=officer,
    )
    client.force_login(officer)
    assert page_queries(client, URL) == QUERIES
    assert page_queries(client, URL + "?q=Бағдарлама&due=open") == QUERIES
    assert page_queries(client, URL + "?page=2") == QUERIES


def test_the_review_schedule_finds_by_program_and_due_state_and_pages_001_38(client, officer):
    today = timezone.localdate()
    overdue = _programs(1, approved_on=today - datetime.timedelta(days=5 * 365), title="Ескі")[0]
    soon = _programs(1, approved_on=today.replace(year=today.year - 3) + datetime.timedelta(days=30), title="Жақын")[0]
    fresh = _programs(1, approved_on=today - datetime.timedelta(days=30), title="Жаңа")[0]
    EffectivenessReview.objects.create(
        program=fresh, period_from=today, period_to=today, status=ReviewStatus.DRAFT, created_by=officer
    )
    client.force_login(officer)
    assert _shown(client)[1] == {overdue.pk, soon.pk, fresh.pk}
    assert _shown(client, "?q=ескі")[1] == {overdue.pk}
    assert _shown(client, "?due=overdue")[1] == {overdue.pk}
    assert _shown(client, "?due=soon")[1] == {soon.pk}
    assert _shown(client, "?due=open")[1] == {fresh.pk}
    assert _shown(client, "?due=open&q=ескі")[1] == set()
    response, found = _shown(client, "?q=жоқ")
    assert found == set() and "Nothing matches these filters." in response.content.decode()
    _programs(60, approved_on=today - datetime.timedelta(days=5 * 365), title="Ескі")
    response, found = _shown(client, "?due=overdue")
    assert len(found) == 50 and "due=overdue&amp;page=2" in response.content.decode()
    assert len(_shown(client, "?due=overdue&page=2")[1]) == 11


def test_a_bad_filter_of_the_review_schedule_answers_400_and_lists_nothing_001_38(client, officer):
    _programs(2, approved_on=datetime.date(2024, 1, 10))
    client.force_login(officer)
    response, found = _shown(client, "?due=never")
    assert response.status_code == 400 and found == set()
    assert 'class="errorlist' in response.content.decode()
