"""The staff's list of needs surveys as a list that grows (000 §1.1): found by title and whether open, in the
address; a bad value refused beside its field with nothing listed; pages that keep the filters; the same queries
for few and many surveys."""

import pytest
from django.urls import reverse
from django.utils import translation

from programs.models import NeedsSurvey
from tests.factories import page_queries, staff_user
from ziat import roles

pytestmark = pytest.mark.django_db

URL = reverse("programs:survey_list")
# Session, user, the user's and the groups' permissions, the user's roles, the count, the page of surveys with
# their authors and counts, and the layout's listener profile.
QUERIES = 7


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def methodist(db):
    return staff_user(roles.METHODIST)


def _surveys(count, by, *, title="Сауалнама", is_open=False):
    return NeedsSurvey.objects.bulk_create(
        NeedsSurvey(title_kk=f"{title} {i}", title_ru=f"{title} {i}", is_open=is_open, created_by=by)
        for i in range(count)
    )


def _shown(client, query=""):
    response = client.get(URL + query)
    return response, {s.pk for s in response.context["list"].rows}


@pytest.mark.parametrize("count", [10, 200])
def test_the_survey_list_makes_the_same_queries_for_few_and_many(client, org, methodist, count):
    _surveys(count, methodist)
    client.force_login(methodist)
    assert page_queries(client, URL) == QUERIES
    assert page_queries(client, URL + "?q=Сауалнама&state=closed") == QUERIES
    assert page_queries(client, URL + "?page=2") == QUERIES


def test_the_survey_list_finds_by_title_and_state_and_pages(client, org, methodist):
    closed = _surveys(1, methodist, title="Мектептер")[0]
    opened = _surveys(1, methodist, title="Колледждер", is_open=True)[0]
    client.force_login(methodist)
    assert _shown(client)[1] == {closed.pk, opened.pk}
    assert _shown(client, "?q=колледж")[1] == {opened.pk}
    assert _shown(client, "?state=open")[1] == {opened.pk}
    assert _shown(client, "?state=closed")[1] == {closed.pk}
    response, found = _shown(client, "?q=жоқ")
    assert found == set() and "Nothing matches these filters." in response.content.decode()
    _surveys(30, methodist)
    response, found = _shown(client, "?state=closed")
    assert len(found) == 25 and "state=closed&amp;page=2" in response.content.decode()
    assert len(_shown(client, "?state=closed&page=2")[1]) == 6
    bad = client.get(URL + "?state=lost")
    assert bad.status_code == 400 and not bad.context["list"].rows and 'class="errorlist' in bad.content.decode()
