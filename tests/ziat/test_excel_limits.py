"""An uploaded sheet is opened read-only, and a sheet too large is refused before the workbook is loaded."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from ziat.errors import DomainError
from ziat.excel import open_sheet, read_table

COLUMNS = {"iin": ("IIN",), "name": ("Name",)}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _xlsx(rows, *, write_only=False):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _without_dimension(data):
    """The same workbook with the sheet's <dimension> removed (as some programs write it)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension[^>]*/>", b"", content)
            target.writestr(info, content)
    return out.getvalue()


def _upload(data):
    return SimpleUploadedFile("list.xlsx", data)


@pytest.fixture(scope="module")
def wide_sheet():
    header = ["IIN", "Name"] + [f"extra {i}" for i in range(2998)]
    return _xlsx([header, ["850412400123", "Әйгерім"] + ["x"] * 2998] * 20)


def test_a_3000_column_sheet_is_refused_quickly_before_loading(wide_sheet):
    tracemalloc.start()
    began = time.perf_counter()
    with pytest.raises(DomainError, match="3000 columns; at most 100"):
        read_table(_upload(wide_sheet), COLUMNS)
    elapsed = time.perf_counter() - began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


def test_a_wide_sheet_without_its_dimension_is_still_refused_by_the_row_reader(wide_sheet):
    with pytest.raises(DomainError, match="more than 100 columns"):
        read_table(_upload(_without_dimension(wide_sheet)), COLUMNS)


def test_too_many_rows_are_refused_from_the_dimension_and_without_it():
    data = _xlsx([["IIN", "Name"]] + [[str(i), "x"] for i in range(30)])
    with pytest.raises(DomainError, match="30 rows; at most 20"):
        read_table(_upload(data), COLUMNS, max_rows=20)
    with pytest.raises(DomainError, match="more than 20 rows"):
        read_table(_upload(_without_dimension(data)), COLUMNS, max_rows=20)


def test_a_package_huge_once_unpacked_is_refused(settings, monkeypatch):
    import ziat.excel

    monkeypatch.setattr(ziat.excel, "MAX_UNPACKED_BYTES", 4096)
    data = _xlsx([["IIN", "Name"]] + [[str(i) * 20, "x" * 50] for i in range(200)])
    with pytest.raises(DomainError, match="too large once unpacked"):
        read_table(_upload(data), COLUMNS)


def test_the_sheet_is_opened_read_only():
    sheet = open_sheet(_upload(_xlsx([["IIN", "Name"], ["1", "x"]])))
    assert type(sheet).__name__ == "ReadOnlyWorksheet"


def test_a_list_written_by_a_streaming_writer_is_read():
    rows = read_table(_upload(_xlsx([["Name", "IIN"], ["Әйгерім", "850412400123"]], write_only=True)), COLUMNS)
    assert [(n, v["iin"], v["name"]) for n, v in rows] == [(2, "850412400123", "Әйгерім")]


def test_a_wide_bank_is_refused_and_nothing_is_imported(db, wide_sheet):
    from assessment.models import BankVersion
    from assessment.services.bank import bank_import
    from tests.factories import program, staff_user

    methodist = staff_user("methodist")
    prog = program()
    before = BankVersion.objects.count()
    with pytest.raises(DomainError, match="columns"):
        bank_import(program=prog, upload=_upload(wide_sheet), by=methodist)
    assert BankVersion.objects.count() == before
