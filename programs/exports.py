"""The program document (000 §2.8) as .docx in the format of 000 §2.9, and as PDF of the same content.

One function gathers the version's content in a language (``program_document``); two writers turn it
into bytes (``version_docx``, ``version_pdf``). The sections come in the order of 000 §2.8; section 5
ends with the thematic plan (as in seed 004), totals computed from the topics.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from ziat.models import Organisation

from .enums import HOUR_FIELDS, SectionLanguage
from .models import VersionText
from .selectors import plan_totals, version_with_plan

LANGUAGES = tuple(SectionLanguage.values)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# 000 §2.9: Times New Roman 14 pt, single spacing, first-line indent 1.25 cm, margins left 2.5 cm and
# right 1.5 cm, headers and footers 2.5 cm. The top and bottom margins are not set by the regulation.
FONT = "Times New Roman"
FONT_SIZE_PT = 14
TABLE_FONT_SIZE_PT = 12
INDENT_CM = 1.25
MARGIN_LEFT_CM = 2.5
MARGIN_RIGHT_CM = 1.5
MARGIN_TOP_CM = 2
MARGIN_BOTTOM_CM = 2
HEADER_FOOTER_CM = 2.5
LIST_MARK = "– "


def section_headings():
    """The ten section headings of 000 §2.8, in the active language."""
    return [
        _("1. General provisions"),
        _("2. Glossary"),
        _("3. Topic of the program"),
        _("4. Goal, objectives and expected results of the program"),
        _("5. Structure and content of the program"),
        _("6. Organisation of the learning process"),
        _("7. Educational-methodical support of the program"),
        _("8. Assessment of learning outcomes"),
        _("9. Post-course support"),
        _("10. Main and additional literature"),
    ]


# --------------------------------------------------------------------------- the content


@dataclass
class Block:
    """A piece of a section: a paragraph, a list item, a glossary entry, a sub-heading or the plan table."""

    kind: str  # "text", "item", "numbered", "term", "subheading", "plan"
    text: str = ""
    term: str = ""
    number: int = 0


@dataclass
class PlanRow:
    kind: str  # "module", "topic", "total"
    code: str = ""
    title: str = ""
    hours: list = field(default_factory=list)
    total: str = ""


@dataclass
class Section:
    heading: str
    blocks: list


@dataclass
class ProgramDocument:
    language: str
    organisation_kk: str
    organisation_ru: str
    document_kind: str
    title: str
    approval: str
    place_and_year: str
    sections: list
    plan_columns: list
    plan_rows: list
    plan_note: str


def format_hours(value):
    """Academic hours as in the plan: whole numbers plain, halves with a decimal comma (1,5)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def _paragraphs(text):
    """A text section's lines; a line starting with a dash is an item of a list."""
    blocks = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line[0] in "–-•" and line[1:2] == " ":
            blocks.append(Block("item", line[2:].strip()))
        else:
            blocks.append(Block("text", line))
    return blocks


def _items(values, *, numbered=False):
    values = [str(v).strip() for v in values or [] if str(v).strip()]
    if numbered:
        return [Block("numbered", v, number=i) for i, v in enumerate(values, start=1)]
    return [Block("item", v) for v in values]


def _text_for(version, language):
    """The version's text in ``language``, or in the other language when it has none in this one."""
    texts = {t.language: t for t in VersionText.objects.filter(version=version)}
    other = next((lang for lang in LANGUAGES if lang != language), language)
    return texts.get(language) or texts.get(other) or VersionText(version=version, language=language)


def _module_content(module, language):
    other = "kk" if language == "ru" else "ru"
    return getattr(module, f"content_{language}") or getattr(module, f"content_{other}")


def _plan(version):
    totals = plan_totals(version)
    rows = []
    number = 0
    for module in version.modules.all():
        if module.is_final_assessment:
            title = module.title
        else:
            number += 1
            title = _("Module %(number)s. %(title)s") % {"number": number, "title": module.title}
        rows.append(PlanRow("module", title=title))
        for topic in module.topics.all():
            rows.append(
                PlanRow(
                    "topic",
                    code=topic.code,
                    title=topic.title,
                    hours=[format_hours(getattr(topic, f)) if getattr(topic, f) else "" for f in HOUR_FIELDS],
                    total=format_hours(topic.total),
                )
            )
    rows.append(
        PlanRow(
            "total",
            title=_("TOTAL"),
            hours=[format_hours(totals.columns[f]) for f in HOUR_FIELDS],
            total=format_hours(totals.total),
        )
    )
    return rows


def _structure(version, text, language):
    blocks = _paragraphs(text.structure)
    number = 0
    for module in version.modules.all():
        if module.is_final_assessment:
            heading = module.title
        else:
            number += 1
            heading = _("Module %(number)s. %(title)s") % {"number": number, "title": module.title}
        blocks.append(Block("subheading", heading))
        blocks.extend(_paragraphs(_module_content(module, language)))
    blocks.append(Block("subheading", _("Thematic plan")))
    blocks.append(Block("plan"))
    return blocks


def _year(version):
    program = version.program
    if program.approved_version_id == version.pk and program.approved_on:
        return program.approved_on.year
    return version.created_at.year


def program_document(version, language):
    """The content of ``version`` in ``language`` (kk or ru), ready for either writer."""
    if language not in LANGUAGES:
        raise ValueError(f"No program document in {language!r}")
    version = version_with_plan(version.pk)
    program = version.program
    organisation = Organisation.current()
    with translation.override(language):
        text = _text_for(version, language)
        city = getattr(organisation, f"city_{language}") or organisation.city_kk or organisation.city_ru
        year = _year(version)
        # Translators: the foot of the title page, e.g. «г. Алматы, 2025» or «Алматы қ., 2025».
        place_and_year = _("%(city)s, %(year)s") % {"city": city, "year": year} if city else str(year)
        approval = ""
        if program.approved_version_id == version.pk and program.approved_on:
            approval = _("Approved by order No. %(number)s of %(date)s") % {
                "number": program.approval_order_number,
                "date": program.approved_on.strftime("%d.%m.%Y"),
            }
        goal = [Block("text", _("Goal of the program: %(goal)s") % {"goal": text.goal.strip()})] if text.goal else []
        objectives = [Block("text", _("Objectives:")), *_items(text.objectives)] if text.objectives else []
        results = (
            [Block("text", _("Expected results:")), *_items(text.expected_results)] if text.expected_results else []
        )
        literature = []
        if text.literature_main:
            literature += [Block("subheading", _("Main literature")), *_items(text.literature_main, numbered=True)]
        if text.literature_additional:
            literature += [
                Block("subheading", _("Additional literature")),
                *_items(text.literature_additional, numbered=True),
            ]
        bodies = [
            _paragraphs(text.general_provisions),
            [Block("term", definition.strip(), term=term.strip()) for term, definition in _pairs(text.glossary)],
            _paragraphs(text.subject),
            goal + objectives + results,
            _structure(version, text, language),
            _paragraphs(text.organisation),
            _paragraphs(text.methodical_support),
            _paragraphs(text.assessment),
            _paragraphs(text.postcourse),
            literature,
        ]
        return ProgramDocument(
            language=language,
            organisation_kk=organisation.name_kk,
            organisation_ru=organisation.name_ru,
            document_kind=_("Educational program of the professional development course"),
            title=program.title,
            approval=approval,
            place_and_year=place_and_year,
            sections=[Section(h, b) for h, b in zip(section_headings(), bodies, strict=True)],
            plan_columns=[
                _("No."),
                _("Topics of the sessions"),
                _("Lecture"),
                _("Self-study"),
                _("Question-answer"),
                _("Case"),
                _("Independent work"),
                _("Total"),
            ],
            plan_rows=_plan(version),
            plan_note=_("Note: 1 academic hour is %(minutes)s minutes.")
            % {"minutes": organisation.academic_hour_minutes},
        )


def _pairs(glossary):
    for entry in glossary or []:
        if isinstance(entry, (list, tuple)) and len(entry) >= 2:
            yield str(entry[0]), str(entry[1])
        elif isinstance(entry, dict):
            yield str(entry.get("term", "")), str(entry.get("definition", ""))


# --------------------------------------------------------------------------- .docx (000 §2.9)


def _set_font(font, size_pt, *, bold=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font.name = FONT
    font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    # Cyrillic and Kazakh letters take the "hAnsi"/"cs" slots; set them all, and drop the theme fonts
    # of the default template, which would win over the named font.
    fonts = font._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for slot in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(slot), None)


def _styles(document):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm, Pt, RGBColor

    normal = document.styles["Normal"]
    _set_font(normal.font, FONT_SIZE_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Cm(INDENT_CM)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, alignment in (("Heading 1", WD_ALIGN_PARAGRAPH.CENTER), ("Heading 2", WD_ALIGN_PARAGRAPH.LEFT)):
        style = document.styles[name]
        _set_font(style.font, FONT_SIZE_PT, bold=True)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        style.paragraph_format.first_line_indent = Cm(0 if name == "Heading 1" else INDENT_CM)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6 if name == "Heading 1" else 0)
        style.paragraph_format.alignment = alignment
        style.paragraph_format.keep_with_next = True


def _page(document):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(MARGIN_LEFT_CM), Cm(MARGIN_RIGHT_CM)
    section.top_margin, section.bottom_margin = Cm(MARGIN_TOP_CM), Cm(MARGIN_BOTTOM_CM)
    section.header_distance = section.footer_distance = Cm(HEADER_FOOTER_CM)
    # The page number in the footer, from the second page (the title page has none).
    section.different_first_page_header_footer = True
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    number = OxmlElement("w:fldSimple")
    number.set(qn("w:instr"), "PAGE")
    paragraph._p.append(number)


def _plain(paragraph, *, align=None, indent=True):
    from docx.shared import Cm

    if align is not None:
        paragraph.alignment = align
    if not indent:
        paragraph.paragraph_format.first_line_indent = Cm(0)
    return paragraph


def _title_page(document, doc):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    names = document.add_table(rows=1, cols=2)
    for cell, name in zip(names.rows[0].cells, (doc.organisation_kk, doc.organisation_ru), strict=True):
        paragraph = _plain(cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        paragraph.add_run(name).bold = True
    for _i in range(6):
        document.add_paragraph()
    if doc.approval:
        _plain(document.add_paragraph(doc.approval), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        document.add_paragraph()
    title = _plain(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.add_run(doc.document_kind).bold = True
    title.add_run().add_break()
    title.add_run(f"«{doc.title}»").bold = True
    for _i in range(10):
        document.add_paragraph()
    place = _plain(document.add_paragraph(doc.place_and_year), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    place.add_run().add_break(WD_BREAK.PAGE)


def _cell_text(cell, text, *, bold=False, align=None, vertical=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = _plain(cell.paragraphs[0], align=align or WD_ALIGN_PARAGRAPH.LEFT, indent=False)
    run = paragraph.add_run(text)
    run.bold = bold
    _set_font(run.font, TABLE_FONT_SIZE_PT)
    if vertical:
        direction = OxmlElement("w:textDirection")
        direction.set(qn("w:val"), "btLr")
        cell._tc.get_or_add_tcPr().append(direction)


def _plan_table(document, doc):
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    widths = [Cm(1.9), Cm(7.3)] + [Cm(1.3)] * 6
    table = document.add_table(rows=1, cols=len(widths))
    table.style = "Table Grid"
    table.autofit = False
    # Rows added later take their widths from the grid; merged cells add up the widths they swallow.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    center = WD_ALIGN_PARAGRAPH.CENTER
    header = table.rows[0]
    header.height, header.height_rule = Cm(4.2), WD_ROW_HEIGHT_RULE.AT_LEAST
    for i, (cell, label) in enumerate(zip(header.cells, doc.plan_columns, strict=True)):
        _cell_text(cell, label, bold=True, align=center, vertical=i >= 2)
    for row in doc.plan_rows:
        cells = table.add_row().cells
        if row.kind == "module":
            merged = cells[0].merge(cells[-1])
            _cell_text(merged, row.title, bold=True)
            continue
        bold = row.kind == "total"
        if row.kind == "total":
            _cell_text(cells[0].merge(cells[1]), row.title, bold=True)
        else:
            _cell_text(cells[0], row.code, align=center)
            _cell_text(cells[1], row.title)
        for cell, value in zip(cells[2:], [*row.hours, row.total], strict=True):
            _cell_text(cell, value, bold=bold, align=center)
    return table


def version_docx(version, language):
    """The program document of ``version`` in ``language`` as .docx bytes (000 §2.9)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = program_document(version, language)
    document = Document()
    _styles(document)
    _page(document)
    document.core_properties.title = doc.title
    document.core_properties.language = language
    _title_page(document, doc)
    for section in doc.sections:
        document.add_heading(section.heading, level=1)
        for block in section.blocks:
            if block.kind == "text":
                document.add_paragraph(block.text)
            elif block.kind == "item":
                document.add_paragraph(LIST_MARK + block.text)
            elif block.kind == "numbered":
                document.add_paragraph(f"{block.number}. {block.text}")
            elif block.kind == "term":
                paragraph = document.add_paragraph()
                paragraph.add_run(block.term).bold = True
                paragraph.add_run(f" – {block.text}")
            elif block.kind == "subheading":
                document.add_heading(block.text, level=2)
            elif block.kind == "plan":
                _plan_table(document, doc)
                _plain(document.add_paragraph(doc.plan_note), align=WD_ALIGN_PARAGRAPH.LEFT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- PDF


def version_pdf(version, language):
    """The same document as PDF bytes, rendered from templates/programs/documents/program.html."""
    from ziat.documents import render_pdf

    doc = program_document(version, language)
    return render_pdf("programs/documents/program.html", {"doc": doc}, language=language)
