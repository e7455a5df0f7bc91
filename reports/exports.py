"""Writers: a report Table as a streamed CSV or an XLSX file (openpyxl write-only mode).

Both keep memory flat for large tables (37,000 innovations): the CSV is produced row by row as
the response is sent, the XLSX is written row by row to a temporary file that is then streamed.

CSV files follow the reader's spreadsheet locale: Indonesian spreadsheets split on ";" and read
"," as the decimal mark, English ones split on ",". Every cell is quoted, so no separator inside
a value can start a new cell, and text a spreadsheet would run as a formula gets an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.http import streamed

from .selectors import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run text starting with these as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """Text a spreadsheet would take for a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# A reader whose locale splits on another character than the file's own (an English file
# opened in an Indonesian spreadsheet) no longer sees the quotes: a formula character right
# after any separator would start a cell there.
_AFTER_A_SEPARATOR = re.compile(r"([,;\t\r\n])(?=[=+\-@])")


def csv_text(value: Any) -> Any:
    value = safe_text(value)
    if isinstance(value, str):
        return _AFTER_A_SEPARATOR.sub(r"\1'", value)
    return value


def csv_dialect() -> tuple[str, str]:
    """(separator, decimal mark) of the active language's spreadsheets."""
    return (",", ".") if translation.get_language() == "en" else (";", ",")


def _csv_cell(value: Any, decimal_mark: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (float, Decimal)):
        return str(value).replace(".", decimal_mark)
    return csv_text(value)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: local (WITA) wall time.
        return timezone.localtime(value).replace(tzinfo=None)
    return safe_text(value)


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def _csv_writer(separator: str):
    return csv.writer(_Echo(), delimiter=separator, quoting=csv.QUOTE_ALL)


def csv_lines(table: Table, *, separator: str, decimal_mark: str) -> Iterator[str]:
    writer = _csv_writer(separator)
    # A byte-order mark so that Excel opens the UTF-8 file with the right characters.
    yield "\ufeff" + writer.writerow([csv_text(text) for text in table.headers])
    for row in table.rows:
        yield writer.writerow([_csv_cell(value, decimal_mark) for value in row])


def filename(table: Table, extension: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"{slugify(table.title) or 'laporan'}-{stamp}.{extension}"


def csv_response(request: HttpRequest, table: Table) -> StreamingHttpResponse:
    separator, decimal_mark = csv_dialect()
    lines = csv_lines(table, separator=separator, decimal_mark=decimal_mark)
    # Rows are read while the body is sent: a failure there ends the file with a line that
    # says so, instead of a file that looks complete.
    failed = _csv_writer(separator).writerow(
        [_("EKSPOR TIDAK LENGKAP: terjadi kesalahan di server. Unduh ulang berkas ini.")]
    )
    response = streamed(
        request,
        (line.encode() for line in lines),
        content_type=CSV_TYPE,
        what=f"CSV export {table.title!r}",
        trailer=failed.encode(),
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(table, "csv")}"'
    return response


def write_xlsx(table: Table, target) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31] or "Laporan")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        cells = []
        for value in row:
            # Plain values are cheapest; only dates need a cell object for their format.
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
                is_datetime = isinstance(value, dt.datetime)
                cell.number_format = "yyyy-mm-dd hh:mm" if is_datetime else "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(_xlsx_cell(value))
        sheet.append(cells)
    workbook.save(target)


def _blocks(buffer, size: int = 256 * 1024) -> Iterator[bytes]:
    with buffer:
        while block := buffer.read(size):
            yield block


def xlsx_response(request: HttpRequest, table: Table) -> StreamingHttpResponse:
    # Spooled: small workbooks stay in memory, large ones go to disk; streamed in blocks.
    # Written whole before the response starts: a failure is an ordinary error page.
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed by _blocks)
    write_xlsx(table, buffer)
    buffer.seek(0)
    response = streamed(
        request, _blocks(buffer), content_type=XLSX_TYPE, what=f"XLSX export {table.title!r}"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(table, "xlsx")}"'
    return response
