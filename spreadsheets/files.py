"""Reading an uploaded file into the table an import works on: one entry point, `read_table`, for every
import and every format (.xlsx, .ods, .csv), judged by the file's content rather than its name.

The file is read once, at upload, within the upload's `limits.Budget`. The sheet read is the one whose
rows hold the template's header (the active sheet first, then the others in order; else the active one),
and the header is the first of its first rows that names the template's columns, so title rows above it
("Mid-2017 Population Estimates…") are passed over; rows that hold nothing are skipped. Every refusal of
the whole file is a `limits.FileRefused` naming the sheet read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from csa_tracker.text import name_key

from .cells import BadCell, blank
from .csvfile import CsvBook
from .limits import MAX_BYTES, MAX_COLUMNS, Budget, FileRefused
from .ods import OdsBook, is_ods
from .xlsx import XlsxBook

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
# Title rows a header may stand below (an ONS file has three or four).
HEADER_SEARCH_ROWS = 20


@dataclass
class Table:
    """The rows of one sheet under its header, cells as `spreadsheets.cells` reads them (None, str, Decimal,
    date, bool or BadCell), each row numbered as the spreadsheet shows it."""

    headers: list[str]
    rows: list[tuple[int, list]]
    sheet: str | None = None  # the sheet read; None for a CSV file
    header_row: int = 1
    decimal_comma: bool = False  # the file writes decimals with a comma (a CSV separated by ";")


def read_table(data: bytes, *, columns: list[str], optional: list[str] = ()) -> Table:
    """The table of an uploaded file for an import whose template has `columns` (all required) and
    `optional` ones. Raises FileRefused (a sentence naming the sheet) for a file refused as a whole."""
    if len(data) > MAX_BYTES:
        raise FileRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files.")
    if not data or data.isspace():
        raise FileRefused("The file is empty.")
    if data.startswith(OLE2_MAGIC):
        raise FileRefused(
            "This file is password-protected or in the old .xls format. Remove the password and save it "
            "as an Excel workbook (.xlsx), an OpenDocument spreadsheet (.ods) or CSV, then upload it again."
        )
    budget, expected = Budget(), [*columns, *optional]
    if data.startswith(ZIP_MAGIC):
        book = OdsBook(data, budget) if is_ods(data) else XlsxBook(data, budget)
    else:
        book = CsvBook(data, budget, expected=expected)
    try:
        return _read(book, columns, optional)
    finally:
        book.close()


def _read(book, columns: list[str], optional: list[str]) -> Table:
    order = [book.active, *(i for i in range(len(book.sheet_names)) if i != book.active)]
    fallback = None
    for index in order:
        rows = _named(book, index)
        found = _header(rows, columns)
        if found is not None and found[2]:
            return _table(book, index, rows, found, columns, optional)
        fallback = fallback or (index, found)
    index, found = fallback
    if found is None:
        raise FileRefused(_on(book.sheet_names[index], "The file is empty."))
    return _table(book, index, _named(book, index), found, columns, optional)  # refused: a column is missing


def _on(sheet: str | None, message: str) -> str:
    return f"On sheet “{sheet}”: {message}" if sheet else message


def _named(book, index: int):
    """The sheet's rows; a refusal while reading them names the sheet."""
    try:
        yield from book.rows(index)
    except FileRefused as exc:
        raise FileRefused(_on(book.sheet_names[index], str(exc))) from exc


def _labels(cells: list) -> list[str]:
    return [cell.strip() if isinstance(cell, str) else "" if cell is None else str(cell) for cell in cells]


def _header(rows, columns: list[str]):
    """(row number, labels, names every column) of the header among the first rows: the first row naming
    every one of `columns`, else the one naming most of them (the first row when none names any)."""
    wanted = {name_key(name) for name in columns}
    best = None
    for count, (number, cells) in enumerate(rows):
        labels = _labels(cells)
        matched = len({name_key(label) for label in labels} & wanted)
        if matched == len(wanted):
            return number, labels, True
        if best is None or matched > best[3]:
            best = (number, labels, False, matched)
        if count + 1 >= HEADER_SEARCH_ROWS:
            break
    return best[:3] if best else None


def _check(sheet, found, columns, optional) -> list[str]:
    """The header's labels, or FileRefused saying what is wrong with them and which row was read."""
    header_row, headers, _ = found
    while headers and not headers[-1]:
        headers.pop()
    try:
        check_headers(headers, required=columns, optional=optional)
    except FileRefused as exc:
        if sheet:
            where = f" (row {header_row} of sheet “{sheet}” was read as the header)"
        else:
            where = f" (row {header_row} was read as the header)" if header_row != 1 else ""
        raise FileRefused(f"{exc}{where}.") from exc
    return headers


def _table(book, index, rows, found, columns, optional) -> Table:
    sheet = book.sheet_names[index]
    headers, header_row = _check(sheet, found, columns, optional), found[0]
    body = []
    for number, cells in rows:
        if number <= header_row:
            continue  # the header and the title rows above it
        values = cells[: len(headers)]
        if all(blank(cell) for cell in cells):
            continue  # spaces only: nothing a person sees
        body.append((number, values + [None] * (len(headers) - len(values))))
    _apply_merges(book.merged, body, header_row)
    return Table(
        headers=headers,
        rows=body,
        sheet=sheet,
        header_row=header_row,
        decimal_comma=getattr(book, "decimal_comma", False),
    )


def _apply_merges(merged, body: list, header_row: int) -> None:
    """A merged range's value (its top-left cell's) in every cell it covers, as the sheet shows it: a name
    merged over A2:A4 is rows 3 and 4's name too. Rows that hold nothing else are not added."""
    if not merged:
        return
    rows = {number: cells for number, cells in body}
    for min_col, min_row, max_col, max_row in merged:
        top = rows.get(min_row)
        if top is None or min_col > len(top) or min_row <= header_row:
            continue
        value = top[min_col - 1]
        for number in range(min_row, min(max_row, min_row + len(body)) + 1):
            cells = rows.get(number)
            if cells is None:
                continue
            for column in range(min_col, min(max_col, len(cells), MAX_COLUMNS) + 1):
                if cells[column - 1] is None:
                    cells[column - 1] = value


def check_headers(headers: list[str], *, required: list[str], optional: list[str] = ()) -> None:
    """Raises FileRefused unless every required column is present once and no other (names match as
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
        raise FileRefused(
            "The columns do not match the template: " + "; ".join(problems) + ". Download the template and "
            "use its header row exactly"
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


# A table is stored between upload and confirm, so the file is read once.


def _cell_json(value):
    if isinstance(value, BadCell):
        return {"bad": value.reason}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    return value  # None, str, bool


def _cell_from_json(value):
    if isinstance(value, dict):
        if "bad" in value:
            return BadCell(value["bad"])
        if "n" in value:
            return Decimal(value["n"])
        return date.fromisoformat(value["d"])
    return value


def table_to_json(table: Table) -> str:
    return json.dumps(
        {
            "headers": table.headers,
            "rows": [[n, [_cell_json(c) for c in cells]] for n, cells in table.rows],
            "sheet": table.sheet,
            "header_row": table.header_row,
            "decimal_comma": table.decimal_comma,
        }
    )


def table_from_json(text: str) -> Table:
    data = json.loads(text)
    return Table(
        headers=data["headers"],
        rows=[(n, [_cell_from_json(c) for c in cells]) for n, cells in data["rows"]],
        sheet=data["sheet"],
        header_row=data["header_row"],
        decimal_comma=data["decimal_comma"],
    )
