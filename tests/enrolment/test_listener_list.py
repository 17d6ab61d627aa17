"""The staff's list of listeners: found by name or IIN, region, workplace and cohort, a page at a time; open to
the roles whose duties read listeners' records."""

import pytest
from django.urls import reverse
from django.utils import translation

from enrolment.models import Enrolment, Listener
from tests.factories import cohort, enrolment, listener, many_cohorts, page_queries, program, staff_user

pytestmark = pytest.mark.django_db

URL = "enrolment:listener_list"
# Session, user, the user's and the groups' permissions, the user's roles, the count, the page of listeners with
# their users, their enrolments with the cohorts, the organisation and the layout's listener profile.
QUERIES = 10


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize("count", [10, 200])
def test_the_listener_list_makes_the_same_queries_for_few_and_many(client, registrar, count):
    many_cohorts(program(), count)
    client.force_login(registrar)
    assert Listener.objects.count() == count
    assert page_queries(client, reverse(URL)) == QUERIES
    assert page_queries(client, reverse(URL) + "?q=Тізім&region=&cohort=M-") == QUERIES


def test_the_registrar_finds_listeners_by_name_iin_region_workplace_and_cohort(client, registrar):
    course = cohort(program(), code="ALM-2026")
    amina = listener(last_name="Сейітова", first_name="Әмина", region="almaty", workplace="№ 12 мектеп")
    enrolment(course, amina)
    bolat = listener(last_name="Құдайбергенов", first_name="Болат", region="astana", workplace="Гимназия")
    client.force_login(registrar)

    def found(query):
        page = client.get(reverse(URL) + query).content.decode()
        return {p.user.last_name for p in (amina, bolat) if f'id="listener-{p.pk}"' in page}

    assert found("") == {"Сейітова", "Құдайбергенов"}
    assert found("?q=сейітова") == {"Сейітова"}
    assert found("?q=Болат Құдай") == {"Құдайбергенов"}
    assert found(f"?q={bolat.iin}") == {"Құдайбергенов"}
    assert found(f"?q={amina.iin[:6]}") >= {"Сейітова"}
    assert found("?region=astana") == {"Құдайбергенов"}
    assert found("?workplace=мектеп") == {"Сейітова"}
    assert found("?cohort=alm-2026") == {"Сейітова"}
    assert found("?region=astana&cohort=ALM-2026") == set()
    page = client.get(reverse(URL) + "?q=ALM").content.decode()
    assert "Nothing matches these filters." in page and f'href="{reverse(URL)}"' in page
    bad = client.get(reverse(URL) + "?region=mars")
    assert bad.status_code == 400 and "A filter in the address is not valid" in bad.content.decode()


def test_the_listener_list_shows_each_listeners_courses(client, registrar):
    person = listener(last_name="Оразова")
    first = enrolment(cohort(program(), code="FIRST-1"), person)
    enrolment(cohort(program(), code="SECOND-1"), person)
    client.force_login(registrar)
    row = client.get(reverse(URL)).content.decode().split(f'id="listener-{person.pk}"')[1].split("</tr>")[0]
    assert "FIRST-1" in row and "SECOND-1" in row and person.iin in row
    assert reverse("enrolment:enrolment_detail", args=[first.pk]) in row


@pytest.mark.parametrize("role", ["director", "registrar", "accountant"])
def test_the_roles_that_read_listeners_records_open_the_list(client, role):
    client.force_login(staff_user(role))
    assert client.get(reverse(URL)).status_code == 200


@pytest.mark.parametrize("role", ["trainer", "methodist", "monitoring"])
def test_other_roles_are_refused_in_the_layout(client, role):
    person = listener(last_name="Көрінбесова")
    Enrolment.objects.create(cohort=cohort(), listener=person)
    client.force_login(staff_user(role))
    response = client.get(reverse(URL) + "?q=Көрінбесова")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="site-header"' in page and "Көрінбесова" not in page


def test_a_listener_or_anonymous_visitor_never_sees_the_list(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "login" in response.url
    client.force_login(listener().user)
    assert client.get(reverse(URL)).status_code == 403
