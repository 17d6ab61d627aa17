"""The program document as .docx in the format of 000 §2.9 and as PDF, read back; who may download it."""

import io
import re

import pypdfium2 as pdfium
import pytest
from django.utils import translation
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Cm, Pt

from monitoring.demo import programs as demo
from programs.exports import DOCX_CONTENT_TYPE, section_headings, version_docx, version_pdf
from programs.services.workflow import program_archive
from tests.factories import UserFactory, organisation, staff_user

HEADING = "Heading 1"


@pytest.fixture
def methodist(db):
    return staff_user("methodist")


@pytest.fixture
def org(db):
    return organisation(city_kk="Алматы", city_ru="Алматы")


@pytest.fixture
def program_004(org, methodist, director):
    return demo.program_004(by_methodist=methodist, by_director=director)


@pytest.fixture
def in_discussion(org, methodist):
    return demo.program_in_discussion(by_methodist=methodist)


def _docx(data):
    return Document(io.BytesIO(data))


def _headings(document, style=HEADING):
    return [p.text for p in document.paragraphs if p.style.name == style]


def _body(document):
    return [p for p in document.paragraphs if p.text.strip() and not p.style.name.startswith("Heading")]


def _effective(paragraph, run, attribute):
    """A run's font attribute as Word resolves it: the run, then the paragraph's style and its bases."""
    value = getattr(run.font, attribute)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.font, attribute)
        style = style.base_style
    return value


def _pdf_text(data):
    pdf = pdfium.PdfDocument(data)
    return re.sub(r"\s+", " ", " ".join(page.get_textpage().get_text_range() for page in pdf))


def _headings_in(language):
    with translation.override(language):
        return [str(h) for h in section_headings()]


def test_docx_follows_the_format_000_2_9(program_004):
    document = _docx(version_docx(program_004.approved_version, "ru"))
    section = document.sections[0]
    assert abs(section.left_margin.cm - 2.5) < 0.01
    assert abs(section.right_margin.cm - 1.5) < 0.01
    assert abs(section.header_distance.cm - 2.5) < 0.01
    assert abs(section.footer_distance.cm - 2.5) < 0.01
    body = _body(document)
    assert len(body) > 100
    for paragraph in body:
        for run in paragraph.runs:
            assert _effective(paragraph, run, "name") == "Times New Roman"
            assert _effective(paragraph, run, "size") == Pt(14)
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.SINGLE
    assert abs(normal.first_line_indent - Cm(1.25)) <= Cm(0.01)
    text_paragraphs = [p for p in body if p.paragraph_format.first_line_indent is None]
    assert len(text_paragraphs) > 80  # the paragraphs of the sections keep the style's indent
    for paragraph in text_paragraphs:
        assert paragraph.paragraph_format.line_spacing is None  # single, from the style


def test_docx_has_the_ten_sections_of_000_2_8_in_order(program_004):
    document = _docx(version_docx(program_004.approved_version, "ru"))
    assert _headings(document) == _headings_in("ru")
    assert len(_headings(document)) == 10


def test_docx_title_page_as_in_seed_004(program_004, org):
    document = _docx(version_docx(program_004.approved_version, "ru"))
    names = document.tables[0].rows[0].cells
    assert (names[0].text, names[1].text) == (org.name_kk, org.name_ru)
    text = "\n".join(p.text for p in document.paragraphs[:30])
    assert f"«{program_004.title_ru}»" in text
    assert f"Алматы, {program_004.approved_on.year}" in text
    assert "12-П" in text


def test_docx_sections_carry_the_004_text(program_004):
    document = _docx(version_docx(program_004.approved_version, "ru"))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Академическая честность – совокупность этических норм") for t in texts)
    assert any(t.startswith("– сформировать у педагогов понимание нормативных") for t in texts)
    assert any(t.startswith("1. Теоретические основы профессионального развития педагогов") for t in texts)
    assert any(t.startswith("7. Soboleva, E.V.") for t in texts)
    modules = _headings(document, "Heading 2")
    assert modules[0].endswith("Основы профессионального регулирования и механизмов квалификационного роста")
    assert "Итоговое оценивание" in modules
    assert any(t.startswith("Модуль посвящен изучению нормативно-правовых") for t in texts)


def test_docx_thematic_plan_totals_of_004_spec_1_4(program_004):
    document = _docx(version_docx(program_004.approved_version, "ru"))
    plan = document.tables[-1]
    assert len(plan.columns) == 8
    total = [c.text for c in plan.rows[-1].cells]
    assert total[2:] == ["18", "5", "6", "2", "9", "40"]
    first_topic = [c.text for c in plan.rows[2].cells]
    assert first_topic[0] == "1.1" and first_topic[2:] == ["1", "1", "", "", "", "2"]
    srs = next(r for r in plan.rows if r.cells[0].text == "СРС № 1")
    assert [c.text for c in srs.cells][6:] == ["2", "2"]
    # 6 module rows and the final assessment row, each across the whole table
    merged = [r for r in plan.rows[1:] if len({id(c._tc) for c in r.cells}) == 1]
    assert len(merged) == 7


def test_docx_is_in_the_requested_language(in_discussion):
    kk = _docx(version_docx(in_discussion.current_version, "kk"))
    ru = _docx(version_docx(in_discussion.current_version, "ru"))
    assert _headings(kk) == _headings_in("kk")
    assert any("«Инклюзивті білім беру" in p.text for p in kk.paragraphs)
    assert any("Инклюзивті білім беру – " in p.text for p in kk.paragraphs)
    assert any("Инклюзивное образование – " in p.text for p in ru.paragraphs)
    assert "Жеке оқу жоспарын әзірлеу" in [c.text for c in kk.tables[-1].columns[1].cells]


def test_pdf_has_the_title_and_the_sections(program_004):
    data = version_pdf(program_004.approved_version, "ru")
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert program_004.title_ru in text
    for heading in _headings_in("ru"):
        assert heading in text
    assert "Академическая честность" in text


# --------------------------------------------------------------------------- downloads


def test_public_download_of_the_approved_version(client, program_004):
    response = client.get(f"/programs/{program_004.pk}/program-ru.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert _headings(_docx(response.content)) == _headings_in("ru")
    response = client.get(f"/programs/{program_004.pk}/program-kk.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_public_download_is_404_for_an_unapproved_program_000_2_12(client, in_discussion):
    for url in (f"/programs/{in_discussion.pk}/program-ru.docx", f"/programs/{in_discussion.pk}/program-kk.pdf"):
        assert client.get(url).status_code == 404


def test_public_download_is_404_for_an_archived_program(client, program_004, director):
    program_archive(program_004, by=director)
    assert client.get(f"/programs/{program_004.pk}/program-ru.docx").status_code == 404


def test_download_only_in_kazakh_or_russian(client, program_004, methodist):
    assert client.get(f"/programs/{program_004.pk}/program-en.docx").status_code == 404
    client.force_login(methodist)
    assert client.get(f"/staff/programs/{program_004.pk}/versions/1/program-en.pdf").status_code == 404


def test_staff_download_requires_login_and_permission(client, in_discussion, methodist):
    url = f"/staff/programs/{in_discussion.pk}/versions/1/program-kk.docx"
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_staff=False))
    assert client.get(url).status_code == 403
    client.force_login(methodist)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    response = client.get(url.replace(".docx", ".pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/staff/programs/{in_discussion.pk}/versions/9/program-kk.docx").status_code == 404
