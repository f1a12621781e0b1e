"""Reading an uploaded file into rows, refusing anything unsafe or unreadable with a message a person
understands, and turning cells into dates, numbers and text.

Nothing here touches the database: a file is read and checked completely before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import openpyxl

from csa_tracker.cells import unescape_cell
from indicators.periods import month_end

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# The most an XLSX may inflate to; a larger sum of uncompressed sizes is refused before it is opened.
MAX_UNCOMPRESSED = 100 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"


class UploadError(Exception):
    """The whole file is refused; the message says why and what to do."""


class CellError(Exception):
    """One cell cannot be read; the message is the reason, the caller adds the row and column."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)


def read_table(data: bytes) -> Table:
    """The rows of an XLSX or CSV file, judged by its content rather than its name."""
    if len(data) > MAX_BYTES:
        raise UploadError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files.")
    if not data.strip():
        raise UploadError("The file is empty.")
    if data.startswith(OLE2_MAGIC):
        raise UploadError(
            "This file is password-protected or in the old .xls format. Remove the password and save it "
            "as an Excel workbook (.xlsx) or CSV, then upload it again."
        )
    rows = _xlsx_rows(data) if data.startswith(ZIP_MAGIC) else _csv_rows(data)
    return _table(rows)


def _xlsx_rows(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UploadError("This Excel file is damaged and cannot be read. Save it again from Excel.") from exc
    if "[Content_Types].xml" not in names:
        raise UploadError("This is a zip file, not an Excel workbook. Upload an .xlsx or .csv file.")
    if inflated > MAX_UNCOMPRESSED:
        raise UploadError(
            f"This workbook unpacks to more than {MAX_UNCOMPRESSED // (1024 * 1024)} MB, which is more than "
            "an import can take. Remove other sheets or split the file."
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [list(row) for row in _capped(book.worksheets[0].iter_rows(values_only=True))]
        book.close()
    except UploadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged workbook
        raise UploadError("This Excel file is damaged and cannot be read. Save it again from Excel.") from exc
    return rows


def _csv_rows(data: bytes):
    if b"\x00" in data[:8192]:
        raise UploadError("This is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # older Excel saves CSV in Windows Latin-1
    controls = sum(1 for char in text[:8192] if ord(char) < 32 and char not in "\r\n\t")
    if controls:
        raise UploadError("This is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file.")
    try:
        return list(_capped(csv.reader(io.StringIO(text, newline=""))))
    except csv.Error as exc:
        raise UploadError(f"This CSV file cannot be read ({exc}). Save it again from Excel as CSV.") from exc


def _capped(rows):
    for count, row in enumerate(rows):
        if count > MAX_ROWS:  # the header plus MAX_ROWS rows
            raise UploadError(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
        yield row


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(rows) -> Table:
    if not rows:
        raise UploadError("The file is empty.")
    headers = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    body = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [unescape_cell(cell) for cell in row[: len(headers)]]
        if all(_blank(cell) for cell in cells) and all(_blank(cell) for cell in row[len(headers) :]):
            continue
        body.append((number, cells + [None] * (len(headers) - len(cells))))
    return Table(headers=headers, rows=body)


def check_headers(headers: list[str], *, required: list[str], optional: list[str] = ()) -> None:
    known = {name.casefold() for name in [*required, *optional]}
    present = {name.casefold() for name in headers}
    missing = [name for name in required if name.casefold() not in present]
    extra = [name for name in headers if name.casefold() not in known]
    seen, twice = set(), []
    for name in headers:
        if name.casefold() in seen:
            twice.append(name)
        seen.add(name.casefold())
    problems = [f"column “{name}” appears twice" for name in twice]
    if missing:
        problems.append("missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(f"“{m}”" for m in missing))
    if extra:
        problems.append("unexpected column" + ("s " if len(extra) > 1 else " ") + ", ".join(f"“{e}”" for e in extra))
    if problems:
        raise UploadError(
            "The columns do not match the template: " + "; ".join(problems) + ". Download the template and "
            "use its first row exactly."
        )


def rows_as_dicts(table: Table, names: list[str]):
    """Each row keyed by the template's column names (headers are matched ignoring case); a column
    the file leaves out reads as blank."""
    canonical = {name.casefold(): name for name in names}
    keys = [canonical.get(header.casefold(), header) for header in table.headers]
    for number, cells in table.rows:
        row = dict.fromkeys(names)
        row.update(zip(keys, cells, strict=True))
        yield number, row


# Cell parsers: None for a blank cell (which never overwrites a value), else the value or CellError.


def text(value, *, max_length: int | None = None):
    if _blank(value):
        return None
    value = str(value).replace("\r\n", "\n").strip()
    if max_length is not None and len(value) > max_length:
        raise CellError(f"is {len(value):,} characters long; the most this column takes is {max_length:,}.")
    return value


NUMBER = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def number(value):
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("should be a number, such as 1,234 or 12.5.")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    value = str(value).strip().replace(" ", "")
    if value.startswith("<"):
        raise CellError(f"“{value}” is a suppressed value; enter the actual figure (it is hidden automatically).")
    if not NUMBER.fullmatch(value):
        raise CellError(f"“{value}” is not a number; write numbers like 1,234 or 12.5.")
    try:
        result = Decimal(value.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid decimals
        raise CellError(f"“{value}” is not a number.") from exc
    if abs(result) >= Decimal("1e12"):
        raise CellError(f"“{value}” is too large.")
    return result


ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
UK_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
DATE_FORMS = "write dates as 2018-03-31 or 31/03/2018"


def day(value):
    """A date written as ISO (2018-03-31) or day/month/year (31/03/2018); anything that could be read
    two ways (31/03/18, 03-31-2018, 3.31.2018) is refused rather than guessed."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    value = str(value).strip()
    if found := ISO_DAY.fullmatch(value):
        year, month, dom = (int(part) for part in found.groups())
    elif found := UK_DAY.fullmatch(value):
        dom, month, year = (int(part) for part in found.groups())
    else:
        raise CellError(f"“{value}” is not a date we can read without guessing; {DATE_FORMS}.")
    try:
        return date(year, month, dom)
    except ValueError as exc:
        raise CellError(f"“{value}” is not a real date; {DATE_FORMS} (day before month).") from exc


MONTH_NAMES = {
    name: index
    for index, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
NAMED_MONTH = re.compile(r"([A-Za-z]{3})[a-z]*\.? (\d{4})")


def month_or_day(value):
    """Where a month is meant, "Jan 2018", "January 2018" and "2018-01" mean its last day; full dates as `day`."""
    if isinstance(value, str):
        stripped = value.strip()
        if found := ISO_MONTH.fullmatch(stripped):
            year, month = int(found.group(1)), int(found.group(2))
        elif (found := NAMED_MONTH.fullmatch(stripped)) and found.group(1).lower() in MONTH_NAMES:
            year, month = int(found.group(2)), MONTH_NAMES[found.group(1).lower()]
        else:
            return day(value)
        if not 1 <= month <= 12:
            raise CellError(f"“{value}” is not a real month; write months as 2018-01 or Jan 2018.")
        return month_end(year, month)
    return day(value)


YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def yes_no(value):
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(f"“{value}” should be Yes or No.")
