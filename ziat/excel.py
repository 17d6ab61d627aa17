"""Excel files in and out: uploaded lists are read strictly, exports are real .xlsx workbooks.

A list is read whole before anything is saved: a file that is not an .xlsx workbook, has merged cells,
formulas, missing columns or too many rows is refused with one translated message.
"""

import datetime
import io
import zipfile

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
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


def workbook(sheets):
    """An .xlsx of ``sheets``: a list of (title, header, rows); the header is bold and frozen."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=str(title)[:31])
        sheet.append([str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([_safe(v) for v in row])
        for i, h in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(12, len(str(h)) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe(value):
    """Text that a spreadsheet would take for a formula is stored as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
