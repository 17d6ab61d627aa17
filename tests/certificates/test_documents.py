"""The certificate and appendix forms read back from their PDFs (SPEC 5.1-5.3, 5.6; 001 App. 3-4, 000 App. 1-2,
003 App. 3-4): what they print, the page they fit on, the QR code, and that the issued files never change."""

import datetime
import re
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from assessment.enums import Grade
from assessment.models import ModuleGrade
from certificates.documents import issue_duplicate_documents
from certificates.enums import DuplicateReason
from certificates.models import CertificateDuplicate
from certificates.services import certificate_issue, new_token
from certificates.signing import signed_qr_text
from certificates.snapshot import credited, in_languages
from monitoring.demo.program_004 import MODULES as DEMO_MODULES
from monitoring.demo.program_004 import TITLE_KK, TITLE_RU
from programs.models import Module, Program
from tests.certificates.helpers import course, enrol, issued, plan_with_modules
from tests.pdfs import qr_texts
from ziat.models import Organisation

A4_LANDSCAPE = (841.89, 595.28)  # points
HEADING = "Бағдарлама модульдерінің атауы / Наименование модулей программы"
ISSUED_ON = datetime.date(2026, 3, 10)


def _raw(page):
    return page.get_textpage().get_text_range()


def _text(page):
    """The page's text with line breaks and runs of spaces made single spaces (lines wrap in the layout)."""
    return re.sub(r"\s+", " ", _raw(page))


def _download(client, certificate, part):
    response = client.get(reverse(f"certificates:{part}_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _holder(client, certificate):
    client.force_login(certificate.enrolment.listener.user)
    return client


def _titled(cohort_, titles):
    """Give the cohort's modules the (kk, ru) titles in order (the final assessment keeps its place last)."""
    modules = Module.objects.filter(version=cohort_.version).order_by("is_final_assessment", "position")
    for module, (kk, ru) in zip(modules, titles, strict=False):
        Module.objects.filter(pk=module.pk).update(title_kk=kk, title_ru=ru)


def demo_course():
    """The demo's 40-hour program (seed 004): six modules with their real titles and hours, then the final
    assessment of 3 hours."""
    plan = [
        tuple((code or f"{n}.{i}", *hours) for i, (code, _title, *hours) in enumerate(m["topics"], start=1))
        for n, m in enumerate(DEMO_MODULES, start=1)
    ]
    c = course(modules=tuple(plan[:-1]), final=plan[-1], session_hours=(8, 8, 8, 8, 8))
    Program.objects.filter(pk=c.program_id).update(title_kk=TITLE_KK, title_ru=TITLE_RU)
    _titled(c, [(m["title_kk"], m["title_ru"]) for m in DEMO_MODULES])
    return c


def long_course(n):
    """``n`` modules of 3 hours with the long bilingual titles of the demo program, and a final assessment."""
    hours = 3 * n + 2
    sessions = (12,) * (hours // 12) + ((hours % 12,) if hours % 12 else ())
    c = course(modules=plan_with_modules(n), final=(("T", 0, 0, 0, 0, 2),), session_hours=sessions)
    demo = [(m["title_kk"], m["title_ru"]) for m in DEMO_MODULES if not m["final"]]
    _titled(c, [(f"{demo[i % len(demo)][0]} ({i + 1})", f"{demo[i % len(demo)][1]} ({i + 1})") for i in range(n)])
    return c


@pytest.fixture
def demo_certificate(db, org, director):
    return issued(
        director,
        cohort_=demo_course(),
        last_name="Төлеуова",
        first_name="Ғалия",
        middle_name="Өмірзаққызы",
        on=ISSUED_ON,
    )


def test_certificate_prints_every_field_of_the_form_on_one_a4_landscape_page_5_1_001_app3(
    client, org, director, demo_certificate
):
    Organisation.objects.filter(pk=1).update(head_title_kk="Ректор", head_title_ru="Ректор")
    certificate = issued(director, cohort_=demo_course(), last_name="Әбенова", first_name="Гүлназ", on=ISSUED_ON)
    pdf = pdfium.PdfDocument(_download(_holder(client, certificate), certificate, "certificate"))
    assert len(pdf) == 1
    assert pdf[0].get_size() == pytest.approx(A4_LANDSCAPE, abs=1)
    raw, text = _raw(pdf[0]), _text(pdf[0])
    assert org.name_kk in text and org.name_ru in text
    assert "СЕРТИФИКАТ" in re.sub(r"\s+", "", text)
    assert "Ректор" in text and org.head_name in text
    assert "Әбенова Гүлназ" in text
    assert TITLE_KK in text and TITLE_RU in text
    assert re.search(r"\b40 академиялық сағат", text) and re.search(r"\b40 академических часов", text)
    assert "М.О. / М.П." in text
    # "№" and the number are kept together on one line of the PDF.
    assert re.search(rf"№[ \xa0]{re.escape(certificate.registration_number)}", raw)
    assert "Берілген күні / Дата выдачи: 10.03.2026" in text
    assert "ТЕЛНҰСҚА" not in text
    assert qr_texts(pdf[0]) == [signed_qr_text(certificate)]


def test_appendix_of_the_demo_program_adds_up_to_the_certificates_hours_with_the_final_assessment_5_2_001_app4(
    client, demo_certificate
):
    pdf = pdfium.PdfDocument(_download(_holder(client, demo_certificate), demo_certificate, "appendix"))
    assert len(pdf) == 1
    text = _text(pdf[0])
    printed = []
    for n, m in enumerate(DEMO_MODULES, start=1):
        row = re.search(rf"\b{n} {re.escape(m['title_kk'])} {re.escape(m['title_ru'])} (\d+(?:\.\d+)?) ", text)
        assert row, m["title_ru"]
        printed.append(Decimal(row.group(1)))
    assert printed[-1] == 3  # the final assessment, last: Қорытынды бағалау / Итоговое оценивание
    total = re.search(r"Барлығы / Итого (\d+(?:\.\d+)?)", text)
    assert Decimal(total.group(1)) == sum(printed) == demo_certificate.hours == 40
    assert "Төлеуова Ғалия Өмірзаққызы" in text
    assert re.search(rf"№[ \xa0]{re.escape(demo_certificate.registration_number)}", _raw(pdf[0]))
    assert "10.03.2026" in text
    assert qr_texts(pdf[0]) == [signed_qr_text(demo_certificate)]


def test_appendix_of_twelve_modules_with_long_titles_fits_one_page_001_app4(client, org, director):
    certificate = issued(director, cohort_=long_course(12), on=ISSUED_ON)
    pdf = pdfium.PdfDocument(_download(_holder(client, certificate), certificate, "appendix"))
    assert len(pdf) == 1
    text = _text(pdf[0])
    assert "(12)" in text and "Барлығы / Итого 38" in text
    assert certificate.registration_number in text
    assert qr_texts(pdf[0]) == [signed_qr_text(certificate)]


def test_appendix_of_twenty_modules_continues_with_the_heading_and_ends_with_number_date_signature_qr_001_app4(
    client, org, director
):
    certificate = issued(director, cohort_=long_course(20), on=ISSUED_ON)
    pdf = pdfium.PdfDocument(_download(_holder(client, certificate), certificate, "appendix"))
    assert len(pdf) >= 2
    pages = [_text(page) for page in pdf]
    assert all(HEADING in page for page in pages)  # the table's heading is repeated on every page
    *first, last = pages
    for page in first:
        assert certificate.registration_number not in page
        assert "Берілген күні" not in page and "қолы / подпись" not in page and "М.О. / М.П." not in page
    assert all(qr_texts(pdf[i]) == [] for i in range(len(first)))
    assert "(20)" in last and "Барлығы / Итого 62" in last
    assert certificate.registration_number in last and "Берілген күні / Дата выдачи: 10.03.2026" in last
    assert "қолы / подпись" in last and "М.О. / М.П." in last and org.head_name in last
    assert qr_texts(pdf[len(pdf) - 1]) == [signed_qr_text(certificate)]


def test_appendix_prints_grades_in_kazakh_and_russian_001_app4(client, org, director):
    c = course()
    e = enrol(c)
    first = Module.objects.filter(version=c.version).order_by("position").first()
    ModuleGrade.objects.create(enrolment=e, module=first, grade=Grade.EXCELLENT)
    certificate = certificate_issue(e, by=director, on=ISSUED_ON)
    excellent, credited_ = in_languages(Grade.EXCELLENT), credited()
    text = _text(pdfium.PdfDocument(_download(_holder(client, certificate), certificate, "appendix"))[0])
    assert excellent["kk"] != excellent["ru"]
    assert f"{excellent['kk']} {excellent['ru']}" in text  # module 1, graded by the trainer: kk over ru
    assert credited_["kk"] != credited_["ru"]
    assert f"{credited_['kk']} {credited_['ru']}" in text  # module 2, credited


def test_issued_documents_stay_as_issued_after_the_listener_program_and_organisation_change_5_1(
    client, org, director, demo_certificate
):
    client = _holder(client, demo_certificate)
    before = {part: _download(client, demo_certificate, part) for part in ("certificate", "appendix")}
    user = demo_certificate.enrolment.listener.user
    user.last_name, user.first_name = "Жаңаева", "Айгүл"
    user.save()
    Program.objects.filter(pk=demo_certificate.enrolment.cohort.program_id).update(
        title_kk="Жаңа тақырып", title_ru="Новая тема"
    )
    Module.objects.filter(version=demo_certificate.enrolment.cohort.version).update(title_ru="Другой модуль")
    org.refresh_from_db()
    org.name_kk, org.name_ru = "Басқа орталық", "Другой центр"
    org.head_title_kk = org.head_title_ru = "Ректор"
    org.head_name = "Б. Басқа"
    org.save()

    for part, pdf_bytes in before.items():
        assert _download(client, demo_certificate, part) == pdf_bytes
        text = " ".join(_text(page) for page in pdfium.PdfDocument(pdf_bytes))
        assert "Төлеуова Ғалия Өмірзаққызы" in text and "Жаңаева" not in text
        assert "«ZIAT» ғылыми-әдістемелік орталығы" in text and "Басқа орталық" not in text
        assert "Директор" in text and "С. Мұратова" in text and "Ректор" not in text and "Б. Басқа" not in text
        assert "Новая тема" not in text and "Другой модуль" not in text
    certificate_text = _text(pdfium.PdfDocument(before["certificate"])[0])
    assert TITLE_RU in certificate_text


def test_duplicate_documents_are_marked_with_their_own_date_of_issue_5_6(client, org, director, demo_certificate):
    duplicate = CertificateDuplicate.objects.create(
        certificate=demo_certificate,
        issued_on=datetime.date(2026, 9, 1),
        reason=DuplicateReason.LOST,
        token=new_token(),
        issued_by=director,
    )
    issue_duplicate_documents(duplicate)
    duplicate.refresh_from_db()
    for part in ("certificate", "appendix"):
        document = getattr(duplicate, f"{part}_document")
        assert document.status == document.Status.READY
        with document.file.open("rb") as handle:
            pdf = pdfium.PdfDocument(handle.read())
        assert len(pdf) == 1
        text = _text(pdf[0])
        assert "ТЕЛНҰСҚА / ДУБЛИКАТ" in text
        assert "Берілген күні / Дата выдачи: 01.09.2026" in text
        assert "10.03.2026" not in text  # not the original's date of issue
        assert re.search(rf"№[ \xa0]{re.escape(demo_certificate.registration_number)}", _raw(pdf[0]))
        assert qr_texts(pdf[0]) == [signed_qr_text(duplicate)]
    original = _text(
        pdfium.PdfDocument(_download(_holder(client, demo_certificate), demo_certificate, "certificate"))[0]
    )
    assert "ДУБЛИКАТ" not in original
