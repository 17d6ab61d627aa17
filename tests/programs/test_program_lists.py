"""The staff's list of programs and the public catalogue as lists that grow: filters in the address, pages that
keep them, the same queries for few and many programs."""

import pytest
from django.urls import reverse
from django.utils import translation

from programs.enums import FormOfStudy, Language, ProgramStatus
from programs.models import Program
from tests.factories import page_queries, program

pytestmark = pytest.mark.django_db

# Session, user, the user's and the groups' permissions, the organisation, the layout's listener profile, the count and
# the page of programs with their deadlines' dates.
STAFF_QUERIES = 8
# The organisation, the count, the page of programs and their methodical complexes.
CATALOGUE_QUERIES = 4


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _many(count):
    for n in range(count):
        program(title_ru=f"Программа {n:03d}", title_kk=f"Бағдарлама {n:03d}")


@pytest.mark.parametrize("count", [10, 200])
def test_the_program_lists_make_the_same_queries_for_few_and_many_programs(client, director, count):
    _many(count)
    assert page_queries(client, reverse("programs:catalogue")) == CATALOGUE_QUERIES
    assert page_queries(client, reverse("programs:catalogue") + "?q=Программа&language=kk_ru") == CATALOGUE_QUERIES
    client.force_login(director)
    assert page_queries(client, reverse("programs:staff_list")) == STAFF_QUERIES
    assert page_queries(client, reverse("programs:staff_list") + "?status=approved&q=0") == STAFF_QUERIES


@pytest.fixture
def three():
    digital = program(title_ru="Цифровая школа", title_kk="Цифрлық мектеп")
    inclusive = program(title_ru="Инклюзивное образование", title_kk="Инклюзивті білім")
    Program.objects.filter(pk=inclusive.pk).update(form_of_study=FormOfStudy.BLENDED, language=Language.RU)
    draft = program(title_ru="Черновик программы", title_kk="Бағдарлама жобасы", approved=False)
    return digital, inclusive, draft


def _titles(page, programs):
    return {p.title_ru for p in programs if p.title_ru in page}


def test_the_catalogue_finds_programs_by_title_form_and_language(client, three):
    url = reverse("programs:catalogue")
    assert _titles(client.get(url).content.decode(), three) == {"Цифровая школа", "Инклюзивное образование"}
    assert _titles(client.get(url + "?q=цифр").content.decode(), three) == {"Цифровая школа"}
    assert _titles(client.get(url + "?q=Инклюзивті").content.decode(), three) == {"Инклюзивное образование"}
    found = client.get(url + f"?form_of_study={FormOfStudy.BLENDED}").content.decode()
    assert _titles(found, three) == {"Инклюзивное образование"}
    assert _titles(client.get(url + "?language=ru").content.decode(), three) == {"Инклюзивное образование"}
    empty = client.get(url + "?q=астрономия").content.decode()
    assert "Nothing matches these filters." in empty
    bad = client.get(url + "?language=fr")
    assert bad.status_code == 400 and "A filter in the address is not valid" in bad.content.decode()


def test_the_staff_list_finds_programs_by_status_and_title_and_pages_keep_them(client, director, three):
    client.force_login(director)
    url = reverse("programs:staff_list")
    assert _titles(client.get(url + "?status=draft").content.decode(), three) == {"Черновик программы"}
    assert _titles(client.get(url + "?q=школа&status=approved").content.decode(), three) == {"Цифровая школа"}
    _many(30)
    page = client.get(url + "?status=approved").content.decode()
    assert "Found: 32" in page and 'href="?status=approved&amp;page=2"' in page
    bad = client.get(url + "?status=lost")
    assert bad.status_code == 400 and "A filter in the address is not valid" in bad.content.decode()
    assert ProgramStatus.DRAFT in ProgramStatus.values
