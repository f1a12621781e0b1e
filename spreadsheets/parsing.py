"""Reading an uploaded file into rows of cells as the spreadsheet SHOWS them, refusing anything unsafe or
unreadable with a message a person understands, and turning cells into dates, numbers and text.

Every XLSX and CSV cell goes through one reader, `shown`: a percent-formatted 0.125 reads 12.5, an Excel
date cell reads as a date, a formula reads as its saved result (and a formula with no saved result is a
`BadCell` naming the cell, never a blank), text is unescaped (`unescape_cell`) and normalised
(`csa_tracker.text.normalise_text`). A cell that cannot be read stays in the row as a `BadCell`; each cell
parser below turns it into a `CellError`, so the row is in error and the reason names the cell.

Work is bounded before and while reading (the sources of the limits are Excel's own: 32,767 characters in
a cell): the file's size, its inflated size, the longest text in the workbook's XML, the number of columns
in the header, the rows and the cells that hold something. Rows that hold nothing (an Excel sheet's
formatted-only rows, a CSV's ",,,") are skipped without being kept or counted.

Nothing here touches the database: a file is read and checked completely before anything is written.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation, localcontext

from openpyxl.reader.excel import ExcelReader
from openpyxl.reader.strings import read_string_table
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse  # defusedxml where installed, as openpyxl reads

from csa_tracker.cells import unescape_cell
from csa_tracker.text import name_key, normalise_text
from indicators.periods import month_end

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# The most an XLSX may inflate to; a larger sum of uncompressed sizes is refused before it is opened.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
# Excel's own limit for one cell; no template column takes more (progress text takes 20,000).
MAX_CELL_CHARS = 32_767
# In the workbook's XML a cell's text may take up to 6 bytes a character (UTF-8 and "&amp;"-style escapes).
MAX_CELL_XML_BYTES = MAX_CELL_CHARS * 6
# The widest template has 12 columns (the police file) and any column not in a template is refused: a row
# with more filled cells than this is refused as soon as it is read.
MAX_COLUMNS = 16
# Cells that hold something, over the whole sheet: 50,000 rows of the widest template.
MAX_CELLS = MAX_ROWS * 12

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
NOT_A_SPREADSHEET = "This is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."
SAVE_AS_UTF8 = "In Excel choose File → Save As → “CSV UTF-8 (Comma delimited)” and upload that file."


class UploadError(Exception):
    """The whole file is refused; the message says why and what to do."""


class CellError(Exception):
    """One cell cannot be read; the message is the reason, the caller adds the row and column."""


@dataclass(frozen=True)
class BadCell:
    """A cell that cannot be read as the sheet shows it; `reason` starts with the cell's reference (B2)."""

    reason: str


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells as `shown` reads them)


def read_table(data: bytes) -> Table:
    """The rows of an XLSX or CSV file, judged by its content rather than its name.

    Raises UploadError for a file refused as a whole. Cells are None, str, Decimal, date, bool or BadCell.
    """
    if len(data) > MAX_BYTES:
        raise UploadError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files.")
    if not data.strip():
        raise UploadError("The file is empty.")
    if data.startswith(OLE2_MAGIC):
        raise UploadError(
            "This file is password-protected or in the old .xls format. Remove the password and save it "
            "as an Excel workbook (.xlsx) or CSV, then upload it again."
        )
    return _xlsx_table(data) if data.startswith(ZIP_MAGIC) else _csv_table(data)


# The one cell reader.


def _tidy(number: Decimal) -> Decimal:
    """12.500 → 12.5 and 1.2E+3 → 1200: the figure as a person writes it."""
    with localcontext() as context:
        context.prec = 400  # a float's full range, so 1E+300 is written out rather than refused here
        number = number.normalize()
        return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def shown(value, *, column: int = 1, row: int = 1, percent: bool = False):
    """A cell's value as the spreadsheet shows it: None, str, Decimal, date, bool or BadCell.

    `column` and `row` (from 1) place the cell for messages ("B2: …"); `percent` says the cell has a percent
    number format, so the stored 0.125 is the 12.5 (%) the sheet shows. Floats are read to Excel's 15
    significant digits. Text longer than a cell can hold (MAX_CELL_CHARS) is a BadCell.
    """
    if value is None or isinstance(value, BadCell | bool | date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, int | float | Decimal):
        number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            return BadCell(f"{_ref(column, row)}: “{value}” is not a number.")
        return _tidy(number * 100 if percent else number)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        return BadCell(f"{_ref(column, row)}: holds {len(text):,} characters; a cell holds at most {MAX_CELL_CHARS:,}.")
    return normalise_text(unescape_cell(text))


def _ref(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


# XLSX

_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_VALUE_TAG = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
_LONG_TEXT = re.compile(rb"[^<]{%d}" % MAX_CELL_XML_BYTES)
_QUOTED = re.compile(r'"[^"]*"|\\.')


class _CellParser(WorkSheetParser):
    """openpyxl's cell parsing (shared strings, dates, inline strings), told apart where openpyxl's
    data_only reading would give a blank: a formula with no saved result, and an error result."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        ref = _ref(cell["column"], cell["row"])
        saved = element.find(_VALUE_TAG)
        # A formula giving "" is saved as text (t="str") with an empty value; any other empty one was never run.
        if element.find(_FORMULA_TAG) is not None and (saved is None or (not saved.text and element.get("t") != "str")):
            cell["value"] = BadCell(
                f"{ref}: a formula without a saved value: open and save the file in Excel, then upload it again."
            )
        elif cell["data_type"] == "e":
            cell["value"] = BadCell(f"{ref}: the formula gives the error {cell['value']}; correct it in Excel.")
        return cell


class _ShortTexts(io.RawIOBase):
    """A workbook part, read in aligned blocks of MAX_CELL_XML_BYTES: a block without any markup ("<") is
    a text longer than a cell can hold, and the file is refused there, before the XML parser holds it.
    (A text of twice the block size always fills one aligned block; one a cell can hold never does.)
    Checked as the parser reads, so a file refused early is never inflated whole."""

    def __init__(self, raw):
        super().__init__()
        self.raw, self.block, self.at = raw, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.at >= len(self.block):
            self.block, self.at = self.raw.read(MAX_CELL_XML_BYTES), 0
            if len(self.block) == MAX_CELL_XML_BYTES and b"<" not in self.block:
                raise UploadError(
                    f"A cell in this workbook holds more than {MAX_CELL_CHARS:,} characters, more than Excel "
                    "allows in a cell; this file was not made by Excel. Save it again from Excel."
                )
        size = min(len(buffer), len(self.block) - self.at)
        buffer[:size] = self.block[self.at : self.at + size]
        self.at += size
        return size


def _percent_styles(book) -> set[int]:
    """The style ids whose number format shows a number as a percentage ("0.0%")."""
    found = set()
    for style_id, style in enumerate(book._cell_styles):  # openpyxl keeps no public map from id to format
        format_id = style.numFmtId
        if format_id < BUILTIN_FORMATS_MAX_SIZE:
            code = BUILTIN_FORMATS.get(format_id, "General")
        else:
            code = book._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE]
        if "%" in _QUOTED.sub("", code):
            found.add(style_id)
    return found


def _xlsx_table(data: bytes) -> Table:
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
        # openpyxl's own parts (manifest, shared strings, workbook, styles), but not load_workbook: opening
        # a sheet in read-only mode reads it whole when it has no <dimension>, before the first row.
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        try:
            reader.read_manifest()
            if strings := reader.package.find(SHARED_STRINGS):
                with io.BufferedReader(_ShortTexts(reader.archive.open(strings.PartName[1:]))) as source:
                    reader.shared_strings = read_string_table(source)
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            path = next(
                rel.target
                for _, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            )
            book = reader.wb
            parser = _CellParser(
                None,
                reader.shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            with io.BufferedReader(_ShortTexts(reader.archive.open(path))) as source:
                return _table(_xlsx_rows(source, parser, _percent_styles(book)))
        finally:
            reader.archive.close()
    except UploadError:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many kinds of error on a damaged workbook
        raise UploadError("This Excel file is damaged and cannot be read. Save it again from Excel.") from exc


def _xlsx_rows(source, parser: _CellParser, percent: set[int]):
    """(row number, cells) for each row that holds something, in the sheet's order. Cells that only carry
    formatting (no value, formula or inline text) are passed over without being parsed, and each row is
    dropped from the parsed tree once read, so a sheet's size in memory does not grow with its rows."""
    number = 0
    for _, element in iterparse(source):
        if element.tag != _ROW_TAG:
            continue
        number = int(element.get("r") or number + 1)
        filled = [cell for cell in element if len(cell)]
        if filled:
            _check_width(len(filled), number)
            parser.row_counter, parser.col_counter = number, 0
            values = {}
            for cell in filled:
                found = parser.parse_cell(cell)
                column = found["column"]
                _check_column(column, number)
                values[column] = shown(found["value"], column=column, row=number, percent=found["style_id"] in percent)
            yield number, [values.get(column) for column in range(1, max(values) + 1)]
        element.clear()  # the emptied row stays in the tree: a few bytes each, whatever it held


def _check_column(column: int, number: int) -> None:
    if column > MAX_COLUMNS:
        raise UploadError(
            f"Cell {_ref(column, number)} holds something, beyond the last column an import reads "
            f"({get_column_letter(MAX_COLUMNS)}). Remove it, or download the template and copy your rows into it."
        )


def _check_width(filled: int, number: int) -> None:
    if filled > MAX_COLUMNS:
        raise UploadError(
            f"Row {number:,} has {filled:,} filled cells; an import has at most {MAX_COLUMNS} columns (the "
            "template's). Remove the other columns, or download the template and copy your rows into it."
        )


# CSV

_UNICODE_BOMS = [
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16 (Excel’s “Unicode Text”)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (Excel’s “Unicode Text”)"),
]
# C0 control characters other than tab, line feed, vertical tab, form feed and carriage return: text never
# holds them, binary files do.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _looks_utf16(data: bytes) -> bool:
    """Text saved as UTF-16 without a byte-order mark: every other byte NUL, the bytes between mostly not."""
    even, odd = data[0:400:2], data[1:400:2]
    for nuls, chars in ((odd, even), (even, odd)):
        if nuls.count(0) > 0.9 * len(nuls) and chars.count(0) < 0.1 * len(chars):
            return True
    return False


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file: UTF-8 with or without a byte-order mark, else Windows-1252
    (what Excel on Windows saves as "CSV (Comma delimited)"). Never Latin-1, which would turn “ ” – € into
    invisible control characters. Raises UploadError naming any other encoding it recognises."""
    for bom, name in _UNICODE_BOMS:
        if data.startswith(bom):
            raise UploadError(f"This CSV file is saved as {name}, which the import does not read. {SAVE_AS_UTF8}")
    if (nul := data.find(b"\x00")) >= 0:
        if _looks_utf16(data):
            raise UploadError(
                f"This CSV file is saved as UTF-16 (Excel’s “Unicode Text”), which the import does not read. "
                f"{SAVE_AS_UTF8}"
            )
        raise UploadError(f"{NOT_A_SPREADSHEET} (It holds a NUL byte at byte {nul + 1:,}, which no CSV file has.)")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as exc:
        if data.startswith(codecs.BOM_UTF8):
            raise UploadError(
                f"This CSV file says it is UTF-8 but byte {exc.start + len(codecs.BOM_UTF8) + 1:,} is not. "
                f"{SAVE_AS_UTF8}"
            ) from exc
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise UploadError(
            f"This CSV file is neither UTF-8 nor Windows-1252 (byte {exc.start + 1:,} is not a character in "
            f"either); the import reads only those. {SAVE_AS_UTF8}"
        ) from exc


def _csv_table(data: bytes) -> Table:
    text, _ = decode_csv(data)
    if _BINARY.search(text):
        raise UploadError(NOT_A_SPREADSHEET)
    return _table(_csv_rows(text))


def _csv_rows(text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, start=1):
            filled = sum(1 for cell in row if cell.strip())
            if filled:
                _check_width(filled, number)
                if len(row) > MAX_COLUMNS:
                    _check_column(max(column for column, cell in enumerate(row, start=1) if cell.strip()), number)
                    row = row[:MAX_COLUMNS]
                cells = [shown(cell, column=column, row=number) if cell else None for column, cell in enumerate(row, 1)]
                yield number, cells
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise UploadError(
                f"A cell in this CSV file holds more than {csv.field_size_limit():,} characters; a cell holds "
                f"at most {MAX_CELL_CHARS:,}."
            ) from exc
        raise UploadError(f"This CSV file cannot be read ({exc}). Save it again from Excel as CSV.") from exc


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(rows) -> Table:
    """Header and body from (row number, cells) pairs of rows that hold something, within the limits."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise UploadError("The file is empty.")
    headers = [cell.strip() if isinstance(cell, str) else "" if cell is None else str(cell) for cell in first[1]]
    while headers and not headers[-1]:
        headers.pop()
    body, cells = [], 0
    for number, row in rows:
        values = row[: len(headers)]
        if all(_blank(cell) for cell in values) and all(_blank(cell) for cell in row[len(headers) :]):
            continue  # spaces only: nothing a person sees
        cells += len(row)
        if len(body) >= MAX_ROWS:
            raise UploadError(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
        if cells > MAX_CELLS:
            raise UploadError(f"The file has more than {MAX_CELLS:,} filled cells; split it into smaller files.")
        body.append((number, values + [None] * (len(headers) - len(values))))
    return Table(headers=headers, rows=body)


# Storing a table read once, so the preview and the confirm never read the file again.


def table_to_json(table: Table) -> str:
    def cell(value):
        if isinstance(value, BadCell):
            return {"bad": value.reason}
        if isinstance(value, Decimal):
            return {"n": str(value)}
        if isinstance(value, date):
            return {"d": value.isoformat()}
        return value  # None, str, bool

    return json.dumps({"headers": table.headers, "rows": [[n, [cell(c) for c in cells]] for n, cells in table.rows]})


def table_from_json(text: str) -> Table:
    def cell(value):
        if isinstance(value, dict):
            if "bad" in value:
                return BadCell(value["bad"])
            if "n" in value:
                return Decimal(value["n"])
            return date.fromisoformat(value["d"])
        return value

    data = json.loads(text)
    return Table(headers=data["headers"], rows=[(n, [cell(c) for c in cells]) for n, cells in data["rows"]])


def check_headers(headers: list[str], *, required: list[str], optional: list[str] = ()) -> None:
    """Raises UploadError unless every required column is present once and no other (names match as
    `name_key` matches them: case, apostrophe style and repeated spaces aside)."""
    known = {name_key(name) for name in [*required, *optional]}
    present = {name_key(name) for name in headers}
    missing = [name for name in required if name_key(name) not in present]
    extra = [name for name in headers if name_key(name) not in known]
    seen, twice = set(), []
    for name in headers:
        if name_key(name) in seen:
            twice.append(name)
        seen.add(name_key(name))
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
    canonical = {name_key(name): name for name in names}
    keys = [canonical.get(name_key(header), header) for header in table.headers]
    for number, cells in table.rows:
        row = dict.fromkeys(names)
        row.update(zip(keys, cells, strict=True))
        yield number, row


# Cell parsers: None for a blank cell (which never overwrites a value), else the value or CellError.
# Each takes what `shown` read, so a BadCell is an error here, never a blank.


def readable(value):
    """The value, or CellError when the cell could not be read (a formula with no saved result)."""
    if isinstance(value, BadCell):
        raise CellError(value.reason)
    return value


def text(value, *, max_length: int | None = None):
    if _blank(readable(value)):
        return None
    value = normalise_text(str(value)).strip()
    if max_length is not None and len(value) > max_length:
        raise CellError(f"is {len(value):,} characters long; the most this column takes is {max_length:,}.")
    return value


# Thousands separated by commas or by spaces (a no-break or thin space reads as a space, `normalise_text`),
# one style in a number; a trailing % is how a percentage cell stored as text shows.
NUMBER = re.compile(r"-?(\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+|\d+)(\.\d+)?%?")
MAX_NUMBER_CHARS = 40


def number(value):
    if _blank(readable(value)):
        return None
    if isinstance(value, bool):
        raise CellError("should be a number, such as 1,234 or 12.5.")
    if isinstance(value, int | float | Decimal):
        return shown(value)
    value = " ".join(normalise_text(str(value)).split())
    if len(value) > MAX_NUMBER_CHARS:
        raise CellError(f"is {len(value):,} characters long, too long for a number; write numbers like 1,234.")
    if value.startswith("<") or value.casefold().startswith("fewer than"):
        raise CellError(f"“{value}” is a suppressed value; enter the actual figure (it is hidden automatically).")
    if not NUMBER.fullmatch(value):
        raise CellError(f"“{value}” is not a number; write numbers like 1,234 or 12.5.")
    try:
        result = Decimal(value.rstrip("%").replace(",", "").replace(" ", ""))
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
    if _blank(readable(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    value = str(value).strip()
    if len(value) > MAX_NUMBER_CHARS:
        raise CellError(f"is {len(value):,} characters long, too long for a date; {DATE_FORMS}.")
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
        stripped = value.strip()[:MAX_NUMBER_CHARS]
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
    if _blank(readable(value)):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()[:MAX_NUMBER_CHARS]
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(f"“{value}” should be Yes or No.")
