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
from tests.factories import export_download, pdf_response, staff_user
from tests.programs.test_needs_services import answer, make_minutes, make_survey, order_kwargs
from ziat.jobs import job_create
from ziat.models import Job

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
    book = _workbook(export_download(_client(methodist), reverse("programs:survey_export", args=[survey.pk])))
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
    book = _workbook(export_download(client, reverse("programs:survey_export", args=[survey.pk])))
    assert book.worksheets[0]["A1"].value == "Педагогтердің қажеттіліктері"
    assert book.worksheets[0]["B5"].value == "Сіздің педагогикалық өтіліңіз?"


def test_empty_survey_exports_a_valid_workbook_000_2_3(methodist):
    survey = make_survey(methodist)
    book = _workbook(export_download(_client(methodist), reverse("programs:survey_export", args=[survey.pk])))
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
    pages, text = _pdf_text(
        pdf_response(_client(staff_user("methodist")), reverse("programs:order_pdf", args=[order.pk]))
    )
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
    _pages, text = _pdf_text(pdf_response(_client(director), reverse("programs:order_pdf", args=[order.pk])))
    assert "Ректор" in text and "А. Сериков" in text
    assert "Директор" not in text
    assert "протокол" not in text


# --------------------------------------------------------------------------- the export as a background job


def test_the_survey_export_is_a_job_of_the_one_who_started_it_000_2_3(methodist):
    survey = make_survey(methodist)
    answer(survey, single=[0], multiple=[0])
    export_download(_client(methodist), reverse("programs:survey_export", args=[survey.pk]))
    job = Job.objects.get()
    assert (job.status, job.owner_id, job.filename) == (Job.Status.DONE, methodist.pk, f"survey-{survey.pk}.xlsx")
    # Another member of staff who may read the survey still cannot take someone else's file.
    other = _client(staff_user("methodist", username="other"))
    assert other.get(reverse("job_file", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("role", ["trainer", "accountant"])
def test_staff_who_may_not_read_the_answers_cannot_start_the_export_000_2_3(methodist, role):
    survey = make_survey(methodist)
    assert _client(staff_user(role)).get(reverse("programs:survey_export", args=[survey.pk])).status_code == 403
    assert not Job.objects.exists()


def test_the_workbook_streams_the_responses_and_reports_progress_000_2_3(methodist, monkeypatch):
    survey = make_survey(methodist)
    for n in range(3):
        answer(survey, single=[n % 2], multiple=[0], text=f"Жауап {n}")
    monkeypatch.setattr(needs, "RESPONSES_BATCH", 2)
    reported = []
    out = io.BytesIO()
    needs.survey_workbook(survey, out, progress=lambda done, total, message: reported.append((done, total)))
    assert reported == [(1, 3), (2, 3), (3, 3)]
    raw = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[1]
    lines = list(raw.iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in lines] == [1, 2, 3]
    assert [line[-1] for line in lines] == ["Жауап 0", "Жауап 1", "Жауап 2"]


def test_a_vanished_survey_ends_the_job_with_a_clear_message_000_2_3(methodist):
    from ziat.tasks import build_export

    job = job_create(kind="export", title="Survey", owner=methodist, total=1)
    kwargs = {"survey_id": 987654, "user_id": methodist.pk}
    result = build_export.enqueue(job.pk, "programs.tasks.survey_results_file", kwargs, "survey.xlsx")
    assert result.status == "SUCCESSFUL"  # nothing for a worker to try again
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, "The survey no longer exists; nothing was exported.")
    assert not job.file
