"""Excel files in and out: uploaded lists are read strictly, exports are real .xlsx workbooks.

A list is read whole before anything is saved: a file that is not an .xlsx workbook, has merged cells,
formulas, missing columns or too many rows is refused with one translated message.

Every export is written by ``write_workbook`` in openpyxl's write-only mode: rows are streamed to the file as
they come, so an export of any length takes about the same memory (give the rows as a generator to keep it so).
Export functions stay plain: they take data and return the file's bytes.
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from .errors import DomainError
from .uploads import check_document

XLSX_TYPES = {"xlsx": {"xlsx"}}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_MAX_ROWS = 2000
DEFAULT_MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def _first_sheet_path(package):
    """The path in the zip of the workbook's first sheet (from xl/workbook.xml and its relations)."""
    try:
        workbook_xml = package.read("xl/workbook.xml")
        rels = package.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    first = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", workbook_xml)
    if first is None:
        return None
    for rel in re.finditer(rb"<Relationship\b[^>]*>", rels):
        if re.search(rb'\bId="' + re.escape(first.group(1)) + rb'"', rel.group(0)):
            target = re.search(rb'\bTarget="([^"]+)"', rel.group(0))
            if target:
                name = target.group(1).decode()
                return name.lstrip("/") if name.startswith("/") else "xl/" + name
    return None


def _sheet_size(head):
    """(columns, rows) of a sheet from the <dimension ref="A1:K40"/> at the start of its XML, or None."""
    found = re.search(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"', head)
    if found is None:
        return None
    letters = (found.group(3) or found.group(1)).decode()
    rows = int(found.group(4) or found.group(2))
    return column_index_from_string(letters), rows


def _merged_cells(package, path):
    """The first merged ranges of a sheet, found by streaming its XML (they stand after the cells)."""
    tail, found = b"", []
    with package.open(path) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            found = re.findall(rb'<(?:\w+:)?mergeCell\s+ref="([^"]+)"', text)
            if found:
                return [f.decode() for f in found[:3]]
            tail = text[-200:]
    return []


def _check_package(data, *, max_rows, max_columns):
    """Refuse a sheet too large before openpyxl reads it: size unpacked, columns and rows, merged cells."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise DomainError(
            _("The workbook is too large once unpacked (%(size)s MB; at most %(max)s MB).")
            % {"size": unpacked // (1024 * 1024), "max": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    path = _first_sheet_path(package)
    if path is None or path not in package.namelist():
        return  # an unusual package: openpyxl decides, and sheet_rows keeps the limits while reading
    with package.open(path) as stream:
        size = _sheet_size(stream.read(64 * 1024))
    if size is not None:
        columns, rows = size
        if columns > max_columns:
            raise DomainError(
                _("The sheet has %(columns)s columns; at most %(max)s are accepted.")
                % {"columns": columns, "max": max_columns}
            )
        if rows - 1 > max_rows:
            raise DomainError(
                _("The file has %(rows)s rows; at most %(max)s are accepted at once.")
                % {"rows": rows - 1, "max": max_rows}
            )
    merged = _merged_cells(package, path)
    if merged:
        raise DomainError(
            _("The sheet has merged cells (%(cells)s); unmerge them, one value per cell.")
            % {"cells": ", ".join(merged)}
        )


def open_sheet(upload, *, max_rows=DEFAULT_MAX_ROWS, max_columns=DEFAULT_MAX_COLUMNS):
    """The first sheet of an uploaded .xlsx (checked by content), opened read-only after its size is checked.

    Refused before the workbook is loaded: a package too large unpacked, a sheet whose dimension has too
    many columns or rows, merged cells. The rows are then read as a stream; ``sheet_rows`` stops at the limits
    even when a sheet's dimension is missing or wrong.
    """
    check_document(upload, types=XLSX_TYPES)
    upload.seek(0)
    data = upload.read()
    _check_package(data, max_rows=max_rows, max_columns=max_columns)
    try:
        book = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
        sheet = book.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    sheet.limits = (max_rows, max_columns)
    return sheet


def sheet_rows(sheet):
    """(row number, cells) of a sheet from open_sheet, refusing rows or columns beyond its limits."""
    max_rows, max_columns = getattr(sheet, "limits", (DEFAULT_MAX_ROWS, DEFAULT_MAX_COLUMNS))
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number - 1 > max_rows:
            raise DomainError(
                _("The file has more than %(max)s rows; at most %(max)s are accepted at once.") % {"max": max_rows}
            )
        if len(cells) > max_columns and any(c.value not in (None, "") for c in cells[max_columns:]):
            raise DomainError(
                _("The sheet has more than %(max)s columns; at most %(max)s are accepted.") % {"max": max_columns}
            )
        yield number, cells[:max_columns]


def read_table(upload, columns, *, max_rows=DEFAULT_MAX_ROWS):
    """Read the first sheet of an uploaded .xlsx as a list of (row number, {key: value}).

    ``columns`` maps keys to the header texts accepted for them (any of which, case-insensitive).
    Values are cell values as stored (str, int, float, date or None); empty rows are skipped.
    """
    sheet = open_sheet(upload, max_rows=max_rows)
    rows = sheet_rows(sheet)
    first = next(rows, None)
    if first is None or all(c.value in (None, "") for c in first[1]):
        raise DomainError(_("The file is empty."))
    header = first[1]
    titles = {_norm(c.value): i for i, c in enumerate(header) if c.value is not None}
    positions, missing = {}, []
    for key, names in columns.items():
        found = next((titles[_norm(n)] for n in names if _norm(n) in titles), None)
        if found is None:
            missing.append(str(names[0]))
        positions[key] = found
    if missing:
        raise DomainError(_("Columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    table = []
    for row_number, cells in rows:
        if all(c.value in (None, "") for c in cells):
            continue
        for c in cells:
            if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=")):
                raise DomainError(_("Cell %(cell)s holds a formula; paste values only.") % {"cell": c.coordinate})
        values = {key: (cells[i].value if i < len(cells) else None) for key, i in positions.items()}
        table.append((row_number, values))
    return table


def _norm(text):
    return " ".join(str(text).split()).casefold()


def as_text(value):
    """A cell value as text: numbers without a trailing .0, dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def as_date(value):
    """A cell value as a date (a real date cell, or text dd.mm.yyyy / yyyy-mm-dd), or raise ValueError."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007  (a calendar date: no time, no zone)
        except ValueError:
            continue
    raise ValueError(text)


@dataclass(frozen=True)
class Styled:
    """A cell value with its look: bold, or a number format such as ``"0%"`` or ``"DD.MM.YYYY HH:MM"``."""

    value: object
    bold: bool = False
    number_format: str | None = None


def bold(value):
    return Styled(value, bold=True)


@dataclass
class Sheet:
    """One sheet of an export: ``rows`` (any iterable of lists of values or ``Styled``), column widths by letter
    and the cell above and left of which the panes are frozen."""

    title: str
    rows: object
    widths: dict = field(default_factory=dict)
    freeze: str | None = None


_BOLD = Font(bold=True)


def _cell(sheet, value):
    """A write-only cell. Text that a spreadsheet would take for a formula stays plain text (the same text)."""
    look = value if isinstance(value, Styled) else None
    if look is not None:
        value = look.value
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type, cell.quotePrefix = "s", True
    elif look is None:
        return value
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if look is not None:
        if look.bold:
            cell.font = _BOLD
        if look.number_format:
            cell.number_format = look.number_format
    return cell


def write_workbook_to(out, sheets):
    """Write an .xlsx of ``sheets`` (``Sheet``) into the binary file ``out``, row by row in openpyxl's write-only
    mode: each sheet's rows go to a temporary file as they come and are zipped into ``out`` at the end, so a
    workbook of any length written into a file on disk takes about the same memory."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(title=str(spec.title)[:31])
        for letter, width in spec.widths.items():
            sheet.column_dimensions[letter].width = width
        if spec.freeze:
            sheet.freeze_panes = spec.freeze
        for row in spec.rows:
            sheet.append([_cell(sheet, v) for v in row])
    book.save(out)


def write_workbook(sheets):
    """The bytes of an .xlsx of ``sheets`` (``Sheet``), written row by row in openpyxl's write-only mode."""
    buffer = io.BytesIO()
    write_workbook_to(buffer, sheets)
    return buffer.getvalue()


def _table_sheets(sheets):
    def rows(header, body):
        yield [bold(str(h)) for h in header]
        for row in body:
            yield [_safe(v) for v in row]

    return (
        Sheet(
            title=title,
            rows=rows(header, body),
            widths={get_column_letter(i): max(12, len(str(h)) + 2) for i, h in enumerate(header, start=1)},
            freeze="A2",
        )
        for title, header, body in sheets
    )


def workbook(sheets):
    """An .xlsx of ``sheets``: a list of (title, header, rows); the header is bold and frozen. Text that a
    spreadsheet would take for a formula is written with a leading apostrophe (the lists' and banks' format)."""
    return write_workbook(_table_sheets(sheets))


def workbook_to(out, sheets):
    """``workbook`` written into the binary file ``out`` (see ``write_workbook_to``)."""
    write_workbook_to(out, _table_sheets(sheets))


def _safe(value):
    """Text that a spreadsheet would take for a formula is stored as plain text after an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
