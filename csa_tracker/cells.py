"""Spreadsheet output that is safe to open: every text cell that a spreadsheet would run as a formula
is neutralised, whatever list it comes from.

In a CSV, text starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, which Excel
and LibreOffice show as text. That includes prose such as "- first bullet" or "-" on its own: we cannot tell
prose from an attack, so it is escaped too, and the importer removes the apostrophe again
(`unescape_cell`), so a round trip gives back the original text. In an XLSX the cell itself says it is text
(its data type, and the quotePrefix style Excel gives text typed after an apostrophe), so the text is
written exactly, with no apostrophe to see, and still never runs. Numbers, dates and booleans are not text
and are written as they are: -5 stays a number. CSV files carry a UTF-8 byte-order mark, so Excel opens
"–" and "’" as they are.
"""

import csv
from io import BytesIO, StringIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# A cell starting with any of these is treated as a formula (or a DDE command) by Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Text that would start a formula gets a leading apostrophe, which spreadsheets show as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_cell(value):
    """Undo `safe_cell` on text read back from one of our own exports."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_write(out, header: list[str], rows) -> None:
    """Write a CSV for people to `out` (a response or a text buffer): the byte-order mark, so Excel reads
    UTF-8 (en dashes, curly quotes) correctly, the header, then the rows with every cell `safe_cell`."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])


def csv_text(header: list[str], rows) -> str:
    out = StringIO()
    csv_write(out, header, rows)
    return out.getvalue()


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = _attachment(HttpResponse(content_type="text/csv; charset=utf-8"), filename)
    csv_write(response, header, rows)
    return response


def _xlsx_cell(sheet, value):
    """Text a spreadsheet would run as a formula, as a text cell showing exactly that text."""
    if not (isinstance(value, str) and value.startswith(FORMULA_PREFIXES)):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would take "=…" for a formula
    cell.quotePrefix = True
    return cell


def xlsx_response(filename: str, header: list[str], rows) -> HttpResponse:
    # write_only keeps memory flat for long lists; every text cell is stored as a string, never a formula.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append([_xlsx_cell(sheet, cell) for cell in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    buffer = BytesIO()
    book.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)


def table_response(fmt: str, basename: str, header: list[str], rows) -> HttpResponse:
    """The list as `basename.csv` or `basename.xlsx`."""
    write = xlsx_response if fmt == "xlsx" else csv_response
    return write(f"{basename}.{fmt}", header, rows)
