"""Certificates and appendices printed on a form (``ziat.pdf_forms``): the parts a program's documents share are
laid out once, each copy prints only its own fields. A copy must read and look exactly as the same document
rendered whole (SPEC 5.1-5.2; 001 App. 3-4), and must carry nothing of the copy its form was made from."""

import re

import pypdfium2 as pdfium
import pytest
from PIL import ImageChops

from assessment.enums import Grade
from assessment.models import ModuleGrade
from certificates.documents import TEMPLATES, document_context
from certificates.services import certificate_issue
from certificates.signing import signed_qr_text
from certificates.snapshot import in_languages
from programs.models import Module
from tests.certificates.helpers import enrol, issued
from tests.certificates.test_documents import ISSUED_ON, demo_course, long_course
from tests.pdfs import qr_texts
from ziat import pdf_forms
from ziat.documents import html_to_pdf, layout, render_html

NAMES = (
    ("Әбенова", "Гүлназ", ""),
    ("Ли", "Ким", ""),
    # Long enough to take two lines on the certificate and the appendix: a variant of the form of its own.
    ("Нұрмұхамбетова-Сейітқазиева", "Гүлжаһан Ерғалиқызы", "Қожахметова-Әбдіқадырова"),
    ("Иванов", "Иван", "Иванович"),
)


@pytest.fixture(autouse=True)
def _no_forms_kept():
    pdf_forms.forget()
    yield
    pdf_forms.forget()


def _images(pdf):
    return [page.render(scale=1.5).to_pil().convert("L") for page in pdfium.PdfDocument(pdf)]


def _differing(one, other):
    """The share of pixels that differ visibly between two renderings of a page."""
    assert one.size == other.size
    changed = ImageChops.difference(one, other).point(lambda value: 255 if value > 40 else 0)
    return changed.histogram()[255] / (one.size[0] * one.size[1])


def _text(pdf):
    return " ".join(re.sub(r"\s+", " ", page.get_textpage().get_text_range()) for page in pdfium.PdfDocument(pdf))


def _qr_texts(pdf):
    return [text for page in pdfium.PdfDocument(pdf) for text in qr_texts(page)]


def _html(certificate, part):
    return render_html(TEMPLATES[part], document_context(certificate), language="kk")


def _assert_as_rendered_whole(html, printed):
    whole = layout(html).write_pdf()
    printed_pages, whole_pages = _images(printed), _images(whole)
    assert len(printed_pages) == len(whole_pages)
    for one, other in zip(printed_pages, whole_pages, strict=True):
        assert _differing(one, other) < 0.0002
    assert _text(printed).split() and sorted(_text(printed).split()) == sorted(_text(whole).split())


def test_copies_of_one_program_are_printed_on_its_form_and_read_as_rendered_whole_5_1_001_app3_4(org, director):
    cohort_ = demo_course()
    certificates = [
        issued(director, cohort_=cohort_, last_name=last, first_name=first, middle_name=middle, on=ISSUED_ON)
        for last, first, middle in NAMES
    ]
    for certificate in certificates:
        for part in TEMPLATES:
            html = _html(certificate, part)
            printed = html_to_pdf(html)
            _assert_as_rendered_whole(html, printed)
            text = _text(printed)
            assert certificate.holder_name.split()[0] in text
            assert certificate.registration_number in text
            for other in certificates:
                if other != certificate:
                    # The form is made from the first copy with its fields hidden: nothing of it is printed.
                    assert other.registration_number not in text
                    assert other.holder_name.split()[0] not in text
            assert _qr_texts(printed) == [signed_qr_text(certificate)]
    # One form per document, the long name a variant of each (the grades are pieces laid over the appendix's):
    # the copies were printed on them, not whole.
    assert sorted(pdf_forms.kept().values()) == [2, 2]
    assert pdf_forms.print_on_form(_html(certificates[-1], "appendix"), layout) is not None


def test_an_appendix_whose_grades_differ_from_the_others_is_printed_with_its_own_grades_001_app4(org, director):
    cohort_ = demo_course()
    alike = [
        issued(director, cohort_=cohort_, last_name=last, first_name=first, on=ISSUED_ON)
        for last, first in (("Сәтбаева", "Айым"), ("Омаров", "Ерлан"))
    ]
    enrolment_ = enrol(cohort_, last_name="Жұмабаева", first_name="Дана")
    first_module = Module.objects.filter(version=cohort_.version).order_by("position").first()
    ModuleGrade.objects.create(enrolment=enrolment_, module=first_module, grade=Grade.EXCELLENT)
    own = certificate_issue(enrolment_, by=director, on=ISSUED_ON)
    for certificate in (*alike, own, alike[0]):
        html = _html(certificate, "appendix")
        printed = html_to_pdf(html)
        _assert_as_rendered_whole(html, printed)
    excellent = in_languages(Grade.EXCELLENT)
    assert f"{excellent['kk']} {excellent['ru']}" in _text(html_to_pdf(_html(own, "appendix")))
    assert excellent["kk"] not in _text(html_to_pdf(_html(alike[1], "appendix")))


def test_an_appendix_over_pages_is_printed_on_its_form_page_for_page_001_app4(org, director):
    cohort_ = long_course(20)
    first, second = (
        issued(director, cohort_=cohort_, last_name=last, first_name=name, on=ISSUED_ON)
        for last, name in (("Сәтбаева", "Айым"), ("Омаров", "Ерлан"))
    )
    html_to_pdf(_html(first, "appendix"))
    html = _html(second, "appendix")
    printed = pdf_forms.print_on_form(html, layout)
    assert printed is not None
    assert len(pdfium.PdfDocument(printed)) == 2
    _assert_as_rendered_whole(html, printed)
    assert _qr_texts(printed) == [signed_qr_text(second)]


def test_a_document_whose_fields_are_not_laid_out_is_rendered_whole_5_1():
    html = (
        '<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8"><title>Бланк</title></head><body>'
        '<div style="display: none"><div data-field>Жасырын</div></div><p>Анықтама мәтіні</p></body></html>'
    )
    assert pdf_forms.print_on_form(html, layout) is None
    assert "Анықтама мәтіні" in _text(html_to_pdf(html))
    # Nor one styled but by its head's <style> elements: its fields alone would lose those styles.
    styled = html.replace('<div style="display: none">', "<style>p { color: red; }</style><div>")
    assert pdf_forms.print_on_form(styled, layout) is None
    assert "Жасырын" in _text(html_to_pdf(styled))


def test_copies_share_a_form_only_when_all_but_their_fields_is_the_same_5_1():
    page = (
        '<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        '<p>{text}</p><div data-field>{field}</div><img data-field src="{src}" alt=""></body></html>'
    )
    one = page.format(title="№ 1", text="Бағдарлама", field="Әбенова", src="data:a")
    other = page.format(title="№ 2", text="Бағдарлама", field="Ли", src="data:b")
    changed = page.format(title="№ 2", text="Басқа бағдарлама", field="Ли", src="data:b")
    assert pdf_forms.form_key(one) == pdf_forms.form_key(other)
    assert pdf_forms.form_key(one) != pdf_forms.form_key(changed)


def test_a_form_that_cannot_be_read_from_the_layout_still_gives_the_whole_document_5_1(
    org, director, monkeypatch, caplog
):
    certificate = issued(director, cohort_=demo_course(), last_name="Әбенова", first_name="Гүлназ", on=ISSUED_ON)
    html = _html(certificate, "certificate")

    def changed_layout(document):
        raise AttributeError("'Page' object has no attribute '_page_box'")

    monkeypatch.setattr(pdf_forms, "_field_boxes", changed_layout)
    printed = html_to_pdf(html)
    _assert_as_rendered_whole(html, printed)
    assert "rendered whole" in caplog.text
