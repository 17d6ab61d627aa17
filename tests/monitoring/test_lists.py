"""The NOBD deadlines (001 §19) and the self-analyses' cohorts (000 §4.5 6)) as lists that grow: filters in the
address, a bad value refused beside its field with nothing listed, pages that keep the filters, the same queries
for few and many rows, and a trainer who finds only the cohorts they teach whatever the filter."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import NobdDeadline
from monitoring.nobd import nobd_confirm, nobd_deadlines_ensure
from monitoring.selfanalysis import self_analysis_submit
from tests.factories import cohort, many_cohorts, page_queries, program, sessions, staff_user, teach
from ziat import roles

pytestmark = pytest.mark.django_db

NOBD = reverse("monitoring:nobd")
SELF = reverse("monitoring:self_analyses")
# Session, user, the user's and the groups' permissions, the user's roles, the programs offered by the filter,
# the count, the page of deadlines with their cohorts, programs and confirmers, the organisation and the layout's
# listener profile. It makes no deadline (a periodic task does) and writes nothing.
NOBD_QUERIES = 8
# Session, user, the user's and the groups' permissions, the user's roles, the count, the page of cohorts with
# their programs and counts, the organisation and the layout's listener profile.
SELF_QUERIES = 8
TEXT = {"goals_met": 4, "what_worked": "Кейстер жақсы өтті.", "difficulties": "Уақыт аз.", "improvements": "Практика."}


def _ended(days_ago, **kwargs):
    ends = timezone.localdate() - datetime.timedelta(days=days_ago)
    c = cohort(starts_on=ends - datetime.timedelta(days=4), ends_on=ends, **kwargs)
    sessions(c, (2, 2, 2))
    return c


def _codes(client, url, query=""):
    response = client.get(url + query)
    rows = response.context["list"].rows
    return response, {getattr(r, "cohort", r).code for r in rows}


# --- NOBD -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_the_nobd_list_makes_the_same_queries_for_few_and_many_001_19(client, org, registrar, count):
    many_cohorts(program(), count)
    nobd_deadlines_ensure()
    for d in NobdDeadline.objects.all()[:3]:
        nobd_confirm(d, by=registrar)
    client.force_login(registrar)
    assert page_queries(client, NOBD) == NOBD_QUERIES
    assert page_queries(client, NOBD + "?state=overdue&cohort=M-&ended_from=2026-01-01") == NOBD_QUERIES


def test_the_nobd_list_finds_by_state_program_cohort_and_end_and_pages_001_19(client, org, registrar):
    old = _ended(40, code="OLD-1")
    fresh = _ended(0, code="FRESH-1", prog=program(title_ru="Другая"))
    nobd_deadlines_ensure()  # as the periodic task does
    client.force_login(registrar)
    assert _codes(client, NOBD)[1] == {"OLD-1", "FRESH-1"}
    assert _codes(client, NOBD, "?state=overdue")[1] == {"OLD-1"}
    assert _codes(client, NOBD, "?state=due")[1] == {"FRESH-1"}
    assert _codes(client, NOBD, f"?program={fresh.program_id}")[1] == {"FRESH-1"}
    assert _codes(client, NOBD, "?cohort=old")[1] == {"OLD-1"}
    since = (old.ends_on + datetime.timedelta(days=1)).isoformat()
    assert _codes(client, NOBD, f"?ended_from={since}")[1] == {"FRESH-1"}
    assert _codes(client, NOBD, f"?ended_to={since}")[1] == {"OLD-1"}
    response, found = _codes(client, NOBD, "?state=confirmed")
    assert found == set() and "Nothing matches these filters." in response.content.decode()
    many_cohorts(program(), 60)
    nobd_deadlines_ensure()
    response, found = _codes(client, NOBD, "?state=overdue")
    assert len(found) == 50 and "state=overdue&amp;page=2" in response.content.decode()
    assert len(_codes(client, NOBD, "?state=overdue&page=2")[1]) == 11


@pytest.mark.parametrize("query", ["?state=lost", "?ended_from=yesterday", "?program=999999"])
def test_a_bad_filter_of_the_nobd_list_answers_400_and_lists_nothing_001_19(client, org, registrar, query):
    _ended(40)
    client.force_login(registrar)
    response, found = _codes(client, NOBD, query)
    assert response.status_code == 400 and found == set()
    assert 'class="errorlist' in response.content.decode()


# --- self-analyses --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_the_self_analysis_list_makes_the_same_queries_for_few_and_many_000_4_5(client, org, director, count):
    many_cohorts(program(), count)
    client.force_login(director)
    assert page_queries(client, SELF) == SELF_QUERIES
    assert page_queries(client, SELF + "?cohort=M-&mine=no&ended_from=2026-01-01") == SELF_QUERIES


def test_the_self_analysis_list_finds_by_cohort_program_end_and_mine_000_4_5(client, org):
    methodist = staff_user(roles.METHODIST)
    written = _ended(3, code="SA-WRITTEN")
    self_analysis_submit(written, by=methodist, **TEXT)
    _ended(60, code="SA-OLD", prog=program(title_ru="Инклюзивное образование"))
    client.force_login(methodist)
    assert _codes(client, SELF)[1] == {"SA-WRITTEN", "SA-OLD"}
    assert _codes(client, SELF, "?mine=yes")[1] == {"SA-WRITTEN"}
    assert _codes(client, SELF, "?mine=no")[1] == {"SA-OLD"}
    assert _codes(client, SELF, "?cohort=old")[1] == {"SA-OLD"}
    assert _codes(client, SELF, "?program=инклюзив")[1] == {"SA-OLD"}
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert _codes(client, SELF, f"?ended_from={since}")[1] == {"SA-WRITTEN"}
    bad = client.get(SELF + "?mine=maybe")
    assert bad.status_code == 400 and not bad.context["list"].rows


def test_a_trainer_finds_only_the_cohorts_they_teach_in_any_filter_000_4_5(client, org):
    trainer = staff_user(roles.TRAINER)
    mine = _ended(3, code="SA-MINE")
    teach(mine, trainer)
    _ended(3, code="SA-OTHER")
    client.force_login(trainer)
    for query in ("", "?cohort=SA-", "?cohort=SA-OTHER", "?mine=no", "?program=педагог"):
        assert _codes(client, SELF, query)[1] <= {"SA-MINE"}
    assert _codes(client, SELF, "?cohort=SA-")[1] == {"SA-MINE"}
