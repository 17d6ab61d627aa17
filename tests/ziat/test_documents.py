"""Certificate and appendix PDFs read back: text, languages, page count and the QR code (SPEC 5.1-5.3)."""

import datetime
import re

import pypdfium2 as pdfium
import pytest
from django.conf import settings

from tests.certificates.helpers import course, issued
from tests.pdfs import qr_texts

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def _pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return pdfium.PdfDocument(response.content)


def _text(page):
    """The page's text with line breaks and runs of spaces made single spaces (lines wrap in the layout)."""
    return re.sub(r"\s+", " ", page.get_textpage().get_text_range())


def _squeezed(text):
    """The text without whitespace: letter-spaced titles come out of the PDF as separate letters."""
    return re.sub(r"\s+", "", text)


def _qr_addresses(page):
    """The addresses the QR codes open (their signed fragment, checked in tests/certificates, left aside)."""
    return [text.partition("#")[0] for text in qr_texts(page)]


@pytest.fixture
def certificate(db, org, director):
    return issued(
        director,
        last_name="Төлеуова",
        first_name="Ғалия",
        middle_name="Өмірзаққызы",
        on=datetime.date(2026, 3, 10),
    )


@pytest.fixture
def holder_client(client, certificate):
    client.force_login(certificate.enrolment.listener.user)
    return client


def test_certificate_pdf_is_one_page_with_kazakh_and_russian_text_001_app3(holder_client, certificate, org):
    pdf = _pdf(holder_client.get(f"/cabinet/certificates/{certificate.pk}/certificate.pdf"))
    assert len(pdf) == 1
    text = _text(pdf[0])
    assert org.name_kk in text  # «ZIAT» ғылыми-әдістемелік орталығы
    assert org.name_ru in text
    assert KAZAKH_LETTERS & set(text) >= set("әғқіө")
    assert "СЕРТИФИКАТ" in _squeezed(text)
    assert "академиялық сағат" in text
    assert "академических часов" in text
    assert "Төлеуова Ғалия Өмірзаққызы" in text
    assert "Педагогтің кәсіби өсуі" in text
    assert "Профессиональный рост педагога" in text
    assert re.search(r"\b10\s+академиялық сағат", text)
    assert re.search(r"\b10\s+академических часов", text)
    assert "ZIAT-2026-00001" in text
    assert "10.03.2026" in text
    assert org.head_name in text


def test_certificate_qr_opens_the_verification_page_000_3_8(holder_client, certificate):
    pdf = _pdf(holder_client.get(f"/cabinet/certificates/{certificate.pk}/certificate.pdf"))
    expected = settings.SITE_URL + f"/verify/{certificate.token}/"
    assert _qr_addresses(pdf[0]) == [expected]
    # and that address really is the certificate's public page
    path = expected.removeprefix(settings.SITE_URL)
    holder_client.logout()
    response = holder_client.get(path)
    assert response.status_code == 200
    assert 'data-state="valid"' in response.content.decode()


def test_appendix_pdf_lists_the_modules_with_hours_001_app4(holder_client, certificate, org):
    pdf = _pdf(holder_client.get(f"/cabinet/certificates/{certificate.pk}/appendix.pdf"))
    text = " ".join(_text(page) for page in pdf)
    assert org.name_kk in text
    assert "Төлеуова Ғалия Өмірзаққызы" in text
    assert "Сертификатқа қосымша" in text
    assert "Приложение к сертификату" in text
    # No, module title (kk and ru), hours
    assert re.search(r"\b1\s+1-модуль\s+Модуль 1\s+4\b", text)
    assert re.search(r"\b2\s+2-модуль\s+Модуль 2\s+6\b", text)
    assert "ZIAT-2026-00001" in _squeezed(text)
    assert "10.03.2026" in text


def test_appendix_qr_opens_the_verification_page_001_33(holder_client, certificate):
    pdf = _pdf(holder_client.get(f"/cabinet/certificates/{certificate.pk}/appendix.pdf"))
    assert _qr_addresses(pdf[0]) == [settings.SITE_URL + f"/verify/{certificate.token}/"]


def test_appendix_ends_with_the_final_assessment_so_the_hours_add_up_001_app4(client, org, director):
    final = (("ҚА", 2, 0, 0, 0, 0),)
    c = course(final=final, session_hours=(2, 2, 2, 2, 2, 2))
    certificate = issued(director, cohort_=c)
    client.force_login(certificate.enrolment.listener.user)
    text = _text(_pdf(client.get(f"/cabinet/certificates/{certificate.pk}/appendix.pdf"))[0])
    assert "Модуль 2" in text
    # the final assessment is the appendix's last line, and the total is the certificate's hours
    assert re.search(r"\b3\s+3-модуль\s+Модуль 3\s+2\b", text)
    assert re.search(r"Барлығы / Итого\s+12\b", text)


def test_certificate_with_a_long_title_and_name_stays_one_page_with_a_readable_qr_001_app3(client, org, director):
    title_ru = (
        "Профессиональный рост педагога: развитие исследовательских, цифровых и методических компетенций "
        "учителя в условиях обновлённого содержания образования Республики Казахстан"
    )
    title_kk = (
        "Педагогтің кәсіби өсуі: Қазақстан Республикасының жаңартылған білім беру мазмұны жағдайында "
        "мұғалімнің зерттеушілік, цифрлық және әдістемелік құзыреттіліктерін дамыту"
    )
    from tests.factories import cohort, program, sessions

    prog = program(title_ru=title_ru, title_kk=title_kk)
    c = cohort(prog)
    sessions(c, (2, 2, 2, 2, 2))
    certificate = issued(
        director, cohort_=c, last_name="Нұрмұхамбетова-Сейітқазиева", first_name="Гүлжаһан", middle_name="Ерғалиқызы"
    )
    client.force_login(certificate.enrolment.listener.user)
    pdf = _pdf(client.get(f"/cabinet/certificates/{certificate.pk}/certificate.pdf"))
    assert len(pdf) == 1
    assert "Гүлжаһан" in _text(pdf[0])
    assert _qr_addresses(pdf[0]) == [certificate.verification_url]
