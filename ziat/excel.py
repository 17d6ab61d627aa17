"""Excel files in and out: uploaded lists are read strictly, exports are real .xlsx workbooks.

A list is read whole before anything is saved: a file that is not an .xlsx workbook, has merged cells,
formulas, missing columns or too many rows is refused with one translated message.

Every export is written by ``write_workbook`` in openpyxl's write-only mode: rows are streamed to the file as
they come, so an export of any length takes about the same memory (give the rows as a generator to keep it so).
Export functions stay plain: they take data and return the file's bytes.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .errors import DomainError
from .uploads import check_document

XLSX_TYPES = {"xlsx": {"xlsx"}}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_MAX_ROWS = 2000


def open_sheet(upload, *, max_rows=DEFAULT_MAX_ROWS):
    """The first sheet of an uploaded .xlsx (checked by content), refused when merged cells or too many rows."""
    check_document(upload, types=XLSX_TYPES)
    upload.seek(0)
    try:
        book = load_workbook(io.BytesIO(upload.read()), data_only=False, read_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    sheet = book.worksheets[0]
    if sheet.merged_cells.ranges:
        raise DomainError(
            _("The sheet has merged cells (%(cells)s); unmerge them, one value per cell.")
            % {"cells": ", ".join(str(r) for r in list(sheet.merged_cells.ranges)[:3])}
        )
    if sheet.max_row - 1 > max_rows:
        raise DomainError(
            _("The file has %(rows)s rows; at most %(max)s are accepted at once.")
            % {"rows": sheet.max_row - 1, "max": max_rows}
        )
    return sheet


def read_table(upload, columns, *, max_rows=DEFAULT_MAX_ROWS):
    """Read the first sheet of an uploaded .xlsx as a list of (row number, {key: value}).

    ``columns`` maps keys to the header texts accepted for them (any of which, case-insensitive).
    Values are cell values as stored (str, int, float, date or None); empty rows are skipped.
    """
    sheet = open_sheet(upload, max_rows=max_rows)
    rows = sheet.iter_rows(values_only=False)
    header = next(rows, None)
    if header is None:
        raise DomainError(_("The file is empty."))
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
    for cells in rows:
        if all(c.value in (None, "") for c in cells):
            continue
        for c in cells:
            if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=")):
                raise DomainError(_("Cell %(cell)s holds a formula; paste values only.") % {"cell": c.coordinate})
        row_number = cells[0].row
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
            return datetime.datetime.strptime(text, fmt).date()
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


def write_workbook(sheets):
    """The bytes of an .xlsx of ``sheets`` (``Sheet``), written row by row in openpyxl's write-only mode."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(title=str(spec.title)[:31])
        for letter, width in spec.widths.items():
            sheet.column_dimensions[letter].width = width
        if spec.freeze:
            sheet.freeze_panes = spec.freeze
        for row in spec.rows:
            sheet.append([_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook(sheets):
    """An .xlsx of ``sheets``: a list of (title, header, rows); the header is bold and frozen. Text that a
    spreadsheet would take for a formula is written with a leading apostrophe (the lists' and banks' format)."""

    def rows(header, body):
        yield [bold(str(h)) for h in header]
        for row in body:
            yield [_safe(v) for v in row]

    return write_workbook(
        Sheet(
            title=title,
            rows=rows(header, body),
            widths={get_column_letter(i): max(12, len(str(h)) + 2) for i, h in enumerate(header, start=1)},
            freeze="A2",
        )
        for title, header, body in sheets
    )


def _safe(value):
    """Text that a spreadsheet would take for a formula is stored as plain text after an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
