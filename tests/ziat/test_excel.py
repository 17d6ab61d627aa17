"""Uploaded Excel lists are read whole and strictly; exports are real workbooks read back with openpyxl."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from ziat.errors import DomainError
from ziat.excel import Sheet, Styled, as_date, as_text, bold, read_table, workbook, write_workbook

COLUMNS = {"iin": ("IIN", "ЖСН", "ИИН"), "name": ("Name", "Аты")}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def upload(fill, name="list.xlsx"):
    book = Workbook()
    sheet = book.active
    fill(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_list_is_read_by_its_headers_in_any_language_and_order():
    def fill(sheet):
        sheet.append(["Аты", "ИИН", "Other"])
        sheet.append(["Әйгерім", "850412400123", "x"])
        sheet.append([None, None, None])
        sheet.append(["Бақыт", 860517300456, None])

    rows = read_table(upload(fill), COLUMNS)
    assert [(n, as_text(v["iin"]), v["name"]) for n, v in rows] == [
        (2, "850412400123", "Әйгерім"),
        (4, "860517300456", "Бақыт"),
    ]


@pytest.mark.parametrize(
    ("fill", "message"),
    [
        (lambda s: s.append(["Name", "Phone"]), "Columns are missing: IIN"),
        (lambda s: (s.append(["IIN", "Name"]), s.append(["=1+1", "x"])), "formula"),
        (lambda s: (s.append(["IIN", "Name"]), s.append(["1", "x"]), s.merge_cells("A2:B2")), "merged"),
        (lambda s: [s.append(["IIN", "Name"])] + [s.append([str(i), "x"]) for i in range(30)], "at most 20"),
        (lambda s: None, "empty"),
    ],
)
def test_a_bad_list_is_refused_whole(fill, message):
    with pytest.raises(DomainError, match=message):
        read_table(upload(fill), COLUMNS, max_rows=20)


def test_a_file_that_is_not_excel_is_refused():
    fake = SimpleUploadedFile("list.xlsx", b"IIN;Name\n850412400123;x\n")
    with pytest.raises(DomainError, match="not a XLSX"):
        read_table(fake, COLUMNS)
    with pytest.raises(DomainError, match="not accepted"):
        read_table(SimpleUploadedFile("list.csv", b"IIN;Name\n"), COLUMNS)


def test_dates_are_read_from_date_cells_and_text():
    assert as_date(datetime.datetime(1985, 4, 12)) == datetime.date(1985, 4, 12)
    assert as_date("12.04.1985") == as_date("1985-04-12") == datetime.date(1985, 4, 12)
    with pytest.raises(ValueError):
        as_date("12/04/85")


def test_an_export_is_a_workbook_and_formula_like_text_stays_text():
    content = workbook([("Sheet", ["A", "B"], [["=HYPERLINK(1)", 5]])])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "A" and sheet["A1"].font.bold
    assert sheet["A2"].data_type == "s" and sheet["B2"].value == 5


def test_an_export_streams_its_rows_and_reads_back_the_same():
    def rows():
        for n in range(1, 3001):
            yield [n, f"Сәрсенова {n}", datetime.date(2026, 3, 2), n * 1.5, None if n % 2 else "-минус"]

    content = write_workbook(
        [
            Sheet(title="A very long title of a sheet, cut to 31", rows=rows(), widths={"B": 40}, freeze="A2"),
            Sheet(title="Styled", rows=[[bold("Head"), Styled(0.25, number_format="0%"), "=1+1"]]),
        ]
    )
    book = load_workbook(io.BytesIO(content))
    first, styled = book.worksheets
    assert first.title == "A very long title of a sheet, c" and first.max_row == 3000
    assert first.freeze_panes == "A2" and first.column_dimensions["B"].width == 40
    assert [c.value for c in first[3000]] == [3000, "Сәрсенова 3000", datetime.datetime(2026, 3, 2), 4500, "-минус"]
    assert first["E1"].value is None and first["E2"].data_type == "s"
    head, share, text = styled[1]
    assert head.value == "Head" and head.font.bold
    assert share.value == 0.25 and share.number_format == "0%"
    # Formula-like text keeps its own characters and is never a formula.
    assert text.value == "=1+1" and text.data_type == "s" and text.quotePrefix
