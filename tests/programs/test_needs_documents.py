"""Documents of the needs analysis read back: the survey's Excel export and the development order's PDF."""

import datetime
import io
import re

import openpyxl
import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from programs.services import needs
from tests.factories import staff_user
from tests.programs.test_needs_services import answer, make_minutes, make_survey, order_kwargs

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_survey_excel_has_counts_and_raw_responses_000_2_3(methodist):
    survey = make_survey(methodist)
    answer(survey, single=[0], multiple=[0, 1], text="Больше практики", language="ru")
    answer(survey, single=[1], multiple=[1], language="kk")
    answer(survey, single=[0], multiple=[2], text='=HYPERLINK("http://evil")', language="ru")
    book = _workbook(_client(methodist).get(reverse("programs:survey_export", args=[survey.pk])))
    counts, raw = book.worksheets
    assert (counts.title, raw.title) == ("Counts", "Responses")

    assert counts["A1"].value == survey.title
    assert (counts["A2"].value, counts["B2"].value) == ("Responses", 3)
    rows = [tuple(c.value for c in row) for row in counts.iter_rows(min_row=5)]
    # English shows the Russian texts. No., question, option, answers, share;
    # the free-text question gives one row with the number answered.
    assert rows == [
        (1, "Ваш педагогический стаж?", "До 5 лет", 2, pytest.approx(0.67)),
        (1, "Ваш педагогический стаж?", "Более 5 лет", 1, pytest.approx(0.33)),
        (2, "Какие темы нужны?", "Оценивание", 1, pytest.approx(0.33)),
        (2, "Какие темы нужны?", "Цифровые инструменты", 2, pytest.approx(0.67)),
        (2, "Какие темы нужны?", "Инклюзия", 1, pytest.approx(0.33)),
        (3, "Что ещё нужно?", "(free text)", 2, None),
    ]

    header = [c.value for c in raw[1]]
    assert header[:3] == ["No.", "Submitted", "Language"]
    assert header[3:] == ["1. Ваш педагогический стаж?", "2. Какие темы нужны?", "3. Что ещё нужно?"]
    lines = [tuple(c.value for c in row) for row in raw.iter_rows(min_row=2)]
    assert len(lines) == 3
    assert isinstance(lines[0][1], datetime.datetime)
    assert lines[0][0] == 1 and lines[0][2:] == (
        "ru",
        "До 5 лет",
        "Оценивание; Цифровые инструменты",
        "Больше практики",
    )
    assert lines[1][2:] == ("kk", "Более 5 лет", "Цифровые инструменты", None)
    # A respondent's text is kept as text: Excel never runs it as a formula.
    cell = raw.cell(row=4, column=6)
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"


def test_survey_excel_in_kazakh_uses_kazakh_texts_000_2_3(methodist):
    survey = make_survey(methodist)
    answer(survey, single=[0], multiple=[0])
    client = _client(methodist)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    book = _workbook(client.get(reverse("programs:survey_export", args=[survey.pk])))
    assert book.worksheets[0]["A1"].value == "Педагогтердің қажеттіліктері"
    assert book.worksheets[0]["B5"].value == "Сіздің педагогикалық өтіліңіз?"


def test_empty_survey_exports_a_valid_workbook_000_2_3(methodist):
    survey = make_survey(methodist)
    book = _workbook(_client(methodist).get(reverse("programs:survey_export", args=[survey.pk])))
    assert book.worksheets[0]["B2"].value == 0
    assert book.worksheets[1].max_row == 1


def _pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(response.content)
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return len(pdf), re.sub(r"\s+", " ", text)


def test_development_order_pdf_is_signed_by_the_head_000_2_6(org, director):
    org.head_title_kk, org.head_title_ru = "Директор", "Директор"
    org.city_kk, org.city_ru = "Астана", "Астана"
    org.save()
    minutes = make_minutes(staff_user("methodist"))
    order = needs.development_order_create(by=director, minutes=minutes, **order_kwargs())
    pages, text = _pdf_text(_client(staff_user("methodist")).get(reverse("programs:order_pdf", args=[order.pk])))
    assert pages == 1
    assert "№ 15-П" in text
    assert "12.02.2026" in text and "30.04.2026" in text
    assert "Педагогтің цифрлық сауаттылығы" in text
    assert "Цифровая грамотность педагога" in text
    assert "72" in text
    assert "Иванова А. А., Ахметов Б. Б." in text
    assert f"№ {minutes.number}" in text and "10.02.2026" in text
    assert "С. Мұратова" in text and "Директор" in text
    assert "БҰЙЫРАМЫН" in text and "ПРИКАЗЫВАЮ" in text


def test_development_order_of_a_university_is_signed_by_the_rector_003(director):
    from tests.factories import organisation

    organisation(head_title_kk="Ректор", head_title_ru="Ректор", head_name="А. Сериков")
    order = needs.development_order_create(by=director, **order_kwargs(minutes=None))
    _pages, text = _pdf_text(_client(director).get(reverse("programs:order_pdf", args=[order.pk])))
    assert "Ректор" in text and "А. Сериков" in text
    assert "Директор" not in text
    assert "протокол" not in text
