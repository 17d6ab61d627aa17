"""The public and the staff schedule as lists that grow: filters in the address, pages that keep them, an
empty state that offers to clear them, a bad value answered with a message, and the Excel file of the filtered
schedule (001 §15, 003 §4.4)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from enrolment.enums import Funding
from enrolment.models import Cohort
from programs.enums import FormOfStudy, Language
from programs.models import Program
from tests.factories import cohort, enrolment, export_download, many_cohorts, program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _open(prog, days=20, **kwargs):
    today = timezone.localdate()
    kwargs.setdefault("starts_on", today + datetime.timedelta(days=days))
    kwargs.setdefault("ends_on", kwargs["starts_on"] + datetime.timedelta(days=10))
    return cohort(prog, is_published=True, **kwargs)


def _codes(page):
    return {code for code in ("KK-1", "RU-1", "PAID-1", "LATE-1", "FULL-1", "BLEND-1") if code in page}


@pytest.fixture
def offer():
    digital = program(title_ru="Цифровая школа", title_kk="Цифрлық мектеп")
    inclusive = program(title_ru="Инклюзивное образование", title_kk="Инклюзивті білім")
    Program.objects.filter(pk=inclusive.pk).update(form_of_study=FormOfStudy.BLENDED)
    _open(digital, code="KK-1", language=Language.KK)
    _open(digital, code="RU-1", language=Language.RU)
    _open(digital, code="PAID-1", funding=Funding.OWN, price=Decimal("30000"))
    _open(digital, code="LATE-1", days=120)
    full = _open(digital, code="FULL-1", capacity=1)
    enrolment(full)
    _open(inclusive, code="BLEND-1")
    return digital, inclusive


def _public(client, query=""):
    response = client.get(reverse("enrolment:public_schedule") + query)
    return response, response.content.decode()


def test_the_public_schedule_finds_cohorts_by_each_filter_001_15(client, offer):
    today = timezone.localdate()
    assert _codes(_public(client)[1]) == {"KK-1", "RU-1", "PAID-1", "LATE-1", "FULL-1", "BLEND-1"}
    assert _codes(_public(client, "?q=инклюзив")[1]) == {"BLEND-1"}
    assert _codes(_public(client, "?q=paid-1")[1]) == {"PAID-1"}
    assert _codes(_public(client, "?language=ru")[1]) == {"RU-1"}
    assert _codes(_public(client, f"?form_of_study={FormOfStudy.BLENDED}")[1]) == {"BLEND-1"}
    assert _codes(_public(client, "?funding=own")[1]) == {"PAID-1"}
    later = (today + datetime.timedelta(days=60)).isoformat()
    assert _codes(_public(client, f"?starts_from={later}")[1]) == {"LATE-1"}
    assert "LATE-1" not in _codes(_public(client, f"?starts_to={later}")[1])
    assert "FULL-1" not in _codes(_public(client, "?seats=left")[1])
    assert _codes(_public(client, "?language=kk&funding=own")[1]) == {"PAID-1"}


def test_the_public_schedule_keeps_its_filters_in_the_page_links(client):
    many_cohorts(program(), 30, enrolled=False, is_published=True, language=Language.RU, **_future())
    many_cohorts(program(), 5, enrolled=False, is_published=True, language=Language.KK, **_future())
    response, page = _public(client, "?language=ru")
    assert "Found: 30" in page
    assert 'href="?language=ru&amp;page=2"' in page
    second = _public(client, "?language=ru&page=2")[1]
    assert "page 2 of 2" in second and 'name="language"' in second
    assert second.count('id="cohort-') == 5


def _future():
    today = timezone.localdate()
    return {"starts_on": today + datetime.timedelta(days=5), "ends_on": today + datetime.timedelta(days=9)}


def test_the_public_schedule_offers_to_clear_filters_that_match_nothing(client, offer):
    response, page = _public(client, "?q=астрономия")
    assert response.status_code == 200
    assert 'id="empty"' in page and "Nothing matches these filters." in page
    assert f'href="{reverse("enrolment:public_schedule")}"' in page.split('id="empty"')[1]


@pytest.mark.parametrize(
    "query",
    ["?starts_from=31.02.2026", "?language=latin", "?funding=%00", "?seats=many", "?starts_to=2026-13-01"],
)
def test_a_bad_filter_in_the_public_schedule_address_is_explained_not_a_server_error(client, offer, query):
    response, page = _public(client, query)
    assert response.status_code == 400
    assert "A filter in the address is not valid" in page
    assert 'class="errorlist' in page
    assert not _codes(page)


def test_the_staff_schedule_finds_cohorts_by_program_publication_and_seats_001_15(client, registrar, offer):
    digital, inclusive = offer
    year = (timezone.localdate() + datetime.timedelta(days=20)).year  # the year the offered cohorts start in
    cohort(digital, code="HIDDEN-1", starts_on=datetime.date(year, 12, 1), ends_on=datetime.date(year, 12, 4))
    client.force_login(registrar)
    url = reverse("enrolment:schedule") + f"?year={year}"

    def codes(query):
        page = client.get(url + query).content.decode()
        return {c.code for c in Cohort.objects.all() if f">{c.code}</a>" in page}

    assert codes(f"&program={inclusive.pk}") == {"BLEND-1"}
    assert codes("&published=no") == {"HIDDEN-1"}
    assert "FULL-1" in codes("&seats=full") and "KK-1" not in codes("&seats=full")
    assert "HIDDEN-1" not in codes("&published=yes")
    response = client.get(url + "&program=999999")
    assert response.status_code == 400 and "A filter in the address is not valid" in response.content.decode()
    # Clearing the filters keeps the year.
    page = client.get(url + "&published=no").content.decode()
    assert f'href="{reverse("enrolment:schedule")}?year={year}" id="filters-clear"' in page


def test_the_schedule_export_holds_the_filtered_cohorts_001_15(client, registrar):
    prog = program()
    cohort(prog, code="KK-2026", language=Language.KK)
    cohort(prog, code="RU-2026", language=Language.RU)
    client.force_login(registrar)
    page = client.get(reverse("enrolment:schedule") + "?year=2026&language=ru").content.decode()
    assert reverse("enrolment:schedule_export") + "?year=2026&amp;language=ru" in page
    response = export_download(client, reverse("enrolment:schedule_export") + "?year=2026&language=ru")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["RU-2026"]
