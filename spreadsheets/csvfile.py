"""CSV uploads as spreadsheets save them: UTF-8 (with or without a byte-order mark) or Windows-1252 (Excel on
Windows' "CSV (Comma delimited)"), fields separated by commas or, as Excel and LibreOffice save them where
the comma marks decimals, by semicolons (then "12,5" is 12.5). The separator is the one that splits the
template's header into its columns; every cell is text, read by the column rules of `spreadsheets.cells`.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator

from csa_tracker.text import name_key

from .cells import ref, shown_text
from .limits import MAX_COLUMNS, Budget, FileRefused

NOT_A_SPREADSHEET = (
    "This is not a spreadsheet: upload an Excel workbook (.xlsx), an OpenDocument spreadsheet (.ods) or a CSV file."
)
SAVE_AS_UTF8 = "In Excel choose File → Save As → “CSV UTF-8 (Comma delimited)” and upload that file."
_UNICODE_BOMS = [
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16 (Excel’s “Unicode Text”)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (Excel’s “Unicode Text”)"),
]
# C0 control characters other than tab, line feed, vertical tab, form feed and carriage return: text never
# holds them, binary files do.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")
SEPARATORS = (",", ";", "\t")
# Lines looked at to choose the separator: title rows may stand above the header.
_HEADER_SEARCH_LINES = 20


def _looks_utf16(data: bytes) -> bool:
    """Text saved as UTF-16 without a byte-order mark: every other byte NUL, the bytes between mostly not."""
    even, odd = data[0:400:2], data[1:400:2]
    for nuls, chars in ((odd, even), (even, odd)):
        if nuls.count(0) > 0.9 * len(nuls) and chars.count(0) < 0.1 * len(chars):
            return True
    return False


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 with or without a byte-order mark, else Windows-1252. Never Latin-1,
    which would turn “ ” – € into invisible control characters. Raises FileRefused naming any other
    encoding it recognises, or a NUL byte (which no CSV file has)."""
    for bom, name in _UNICODE_BOMS:
        if data.startswith(bom):
            raise FileRefused(f"This CSV file is saved as {name}, which the import does not read. {SAVE_AS_UTF8}")
    if (nul := data.find(b"\x00")) >= 0:
        if _looks_utf16(data):
            raise FileRefused(
                f"This CSV file is saved as UTF-16 (Excel’s “Unicode Text”), which the import does not read. "
                f"{SAVE_AS_UTF8}"
            )
        raise FileRefused(f"{NOT_A_SPREADSHEET} (It holds a NUL byte at byte {nul + 1:,}, which no CSV file has.)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data.startswith(codecs.BOM_UTF8):
            raise FileRefused(
                f"This CSV file says it is UTF-8 but byte {exc.start + len(codecs.BOM_UTF8) + 1:,} is not. "
                f"{SAVE_AS_UTF8}"
            ) from exc
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise FileRefused(
                f"This CSV file is neither UTF-8 nor Windows-1252 (byte {exc.start + 1:,} is not a character in "
                f"either); the import reads only those. {SAVE_AS_UTF8}"
            ) from exc
    if _BINARY.search(text):
        raise FileRefused(NOT_A_SPREADSHEET)
    return text


def separator(text: str, expected: list[str]) -> str:
    """The field separator: the one that splits a line among the first few into the most of the template's
    column names (`expected`), else a comma."""
    wanted = {name_key(name) for name in expected}
    best, score = ",", 0
    lines = text[: _HEADER_SEARCH_LINES * 2_000].splitlines()[:_HEADER_SEARCH_LINES]
    for candidate in SEPARATORS:
        for line in lines:
            found = len({name_key(cell) for cell in line[:2000].split(candidate)} & wanted)
            if found > score:
                best, score = candidate, found
    return best


def _lines(text: str):
    """The text's lines, each with its line ending, one at a time: csv reads a record across lines itself,
    and the text is never copied whole (io.StringIO would hold it again, at four bytes a character)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


class CsvBook:
    """A CSV upload: one sheet without a name."""

    sheet_names = [None]
    active = 0
    merged: list = []

    def __init__(self, data: bytes, budget: Budget, *, expected: list[str]):
        self.text = decode(data)
        self.budget = budget
        self.separator = separator(self.text, expected)
        self.decimal_comma = self.separator == ";"

    def close(self) -> None:
        pass

    def rows(self, index: int) -> Iterator[tuple[int, list]]:
        reader = csv.reader(_lines(self.text), delimiter=self.separator)
        try:
            for number, row in enumerate(reader, start=1):
                filled = sum(1 for cell in row if cell.strip())
                if not filled:
                    continue
                self.budget.row(filled, number)
                if len(row) > MAX_COLUMNS:
                    last = max(column for column, cell in enumerate(row, start=1) if cell.strip())
                    self.budget.column(last, ref(last, number))
                    row = row[:MAX_COLUMNS]
                cells = []
                for column, cell in enumerate(row, start=1):
                    self.budget.text(len(cell))
                    cells.append(shown_text(cell, at=ref(column, number)) if cell else None)
                yield number, cells
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRefused(
                    f"A cell in this CSV file holds more than {csv.field_size_limit():,} characters, more than a "
                    "cell holds."
                ) from exc
            raise FileRefused(f"This CSV file cannot be read ({exc}). Save it again from Excel as CSV.") from exc
