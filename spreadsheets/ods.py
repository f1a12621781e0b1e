"""The adapter between an OpenDocument spreadsheet (.ods, LibreOffice Calc's own format) and the import
pipeline. odfdo (a maintained ODF library) reads each filled cell: its typed value (office:value as a
Decimal, a date, a boolean), the text the spreadsheet displayed when it saved the file (text:p, with ODF's
spaces, tabs and line breaks), its formula. OpenDocument saves what each cell displayed beside its value,
so a number is read as displayed (`cells.matches_display`: 0.1246 shown as 12.5% is 12.5; 3449.67 shown as
3,450 is 3450), in any locale's separators.

content.xml is streamed row by row (lxml's iterparse, each row cleared once read) rather than opened as
odfdo's whole document, so memory stays flat whatever the file's size; only filled cells are handed to
odfdo. Repeated rows and cells (number-rows-repeated) are expanded only while they hold something and within
the upload's `limits.Budget`; a merged cell's value also fills the cells it covers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

from lxml import etree
from odfdo import Element

from .cells import MAX_FIGURE, BadCell, matches_display, ref, shown_text, shown_value
from .limits import MAX_ROWS, MAX_UNPACKED, Budget, CountedXml, FileRefused

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
DAMAGED = "This OpenDocument spreadsheet is damaged and cannot be read. Save it again from LibreOffice."
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT_NS = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_CONFIG_NS = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
TABLE, ROW = f"{{{_TABLE_NS}}}table", f"{{{_TABLE_NS}}}table-row"
CELL, COVERED = f"{{{_TABLE_NS}}}table-cell", f"{{{_TABLE_NS}}}covered-table-cell"
NAME = f"{{{_TABLE_NS}}}name"
ROWS_REPEATED, COLUMNS_REPEATED = f"{{{_TABLE_NS}}}number-rows-repeated", f"{{{_TABLE_NS}}}number-columns-repeated"
ROWS_SPANNED, COLUMNS_SPANNED = f"{{{_TABLE_NS}}}number-rows-spanned", f"{{{_TABLE_NS}}}number-columns-spanned"
FORMULA = f"{{{_TABLE_NS}}}formula"
VALUE_TYPE, CALC_TYPE = f"{{{_OFFICE_NS}}}value-type", f"{{{_CALCEXT_NS}}}value-type"
NUMBER_TYPES = {"float", "percentage", "currency"}


def is_ods(data: bytes) -> bool:
    """An OpenDocument spreadsheet: a zip whose first member is "mimetype", stored, naming ODS."""
    return data[30:38] == b"mimetype" and MIMETYPE in data[38 : 38 + 120]


def _count(value: str | None, limit: int) -> int:
    try:
        return max(1, min(int(value or 1), limit))
    except ValueError:
        return 1


class OdsBook:
    """An .ods upload: its sheets (tables) and, per sheet, its rows as shown."""

    def __init__(self, data: bytes, budget: Budget):
        self.budget = budget
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = {info.filename: info for info in self.archive.infolist()}
        except zipfile.BadZipFile as exc:
            raise FileRefused(DAMAGED) from exc
        if "content.xml" not in infos:
            raise FileRefused(DAMAGED)
        if (total := sum(info.file_size for info in infos.values())) > MAX_UNPACKED:
            budget.unpack(total)
        manifest = infos.get("META-INF/manifest.xml")
        if manifest and manifest.file_size < 1_000_000 and b"encryption-data" in self.archive.read(manifest):
            raise FileRefused(
                "This spreadsheet is password-protected. Remove the password (File → Properties → Security in "
                "LibreOffice), save it, then upload it again."
            )
        self.sheet_names = [name for name in self._tables()]
        if not self.sheet_names:
            raise FileRefused("This spreadsheet has no sheet of cells to read.")
        active = self._active_name(infos.get("settings.xml"))
        self.active = self.sheet_names.index(active) if active in self.sheet_names else 0
        self.merged: list[tuple[int, int, int, int]] = []  # merges are applied as the rows are read

    def close(self) -> None:
        self.archive.close()

    def _events(self, tags):
        source = io.BufferedReader(CountedXml(self.archive.open("content.xml"), self.budget))
        try:
            yield from etree.iterparse(
                source, events=("start", "end"), tag=tags, resolve_entities=False, no_network=True, load_dtd=False
            )
        except etree.XMLSyntaxError as exc:
            raise FileRefused(DAMAGED) from exc
        finally:
            source.close()

    def _tables(self) -> Iterator[str]:
        """The sheets' names, read from the start tags alone (rows are cleared unread)."""
        count = 0
        for event, element in self._events((TABLE, ROW)):
            if event == "start" and element.tag == TABLE:
                count += 1
                yield element.get(NAME) or f"Sheet{count}"
            elif event == "end" and element.tag == ROW:
                _drop(element)

    def _active_name(self, info) -> str | None:
        if info is None or info.file_size > 5_000_000:
            return None
        self.budget.unpack(info.file_size)
        try:
            tree = etree.fromstring(self.archive.read(info), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            return None
        found = tree.find(f".//{{{_CONFIG_NS}}}config-item[@{{{_CONFIG_NS}}}name='ActiveTable']")
        return found.text if found is not None else None

    def rows(self, index: int) -> Iterator[tuple[int, list]]:
        """(row number, cells as shown) for each row of sheet `index` that holds something."""
        table, number, covering = -1, 0, {}  # covering: column → (value, last row it covers)
        for event, element in self._events((TABLE, ROW)):
            if element.tag == TABLE:
                table += event == "start"
                if event == "end" and table == index:
                    return
                continue
            if event != "end":
                continue
            if table != index:
                _drop(element)
                continue
            repeat = _count(element.get(ROWS_REPEATED), MAX_ROWS + 2)
            cells = self._row(element, number + 1, covering)
            _drop(element)
            if not cells:
                number += repeat  # rows holding nothing: skipped in one step, however many
                continue
            for _ in range(repeat):
                number += 1
                self.budget.row(sum(cell is not None for cell in cells), number)
                yield number, list(cells)

    def _row(self, element, number: int, covering: dict) -> list:
        values, column = {}, 0
        for cell in element:
            width = _count(cell.get(COLUMNS_REPEATED), 1 << 14)
            if cell.tag == COVERED:
                for offset in range(width):
                    value, last = covering.get(column + offset + 1, (None, 0))
                    if value is not None and number <= last:
                        values[column + offset + 1] = value
                column += width
                continue
            if cell.tag != CELL:
                continue
            shown = self._shown(cell, ref(column + 1, number))
            if shown is not None:
                if width > 1:
                    self.budget.column(column + width, ref(column + width, number))
                for offset in range(width):
                    self.budget.column(column + offset + 1, ref(column + offset + 1, number))
                    values[column + offset + 1] = shown
                rows_spanned = _count(cell.get(ROWS_SPANNED), MAX_ROWS)
                columns_spanned = _count(cell.get(COLUMNS_SPANNED), 1 << 14)
                for offset in range(1, columns_spanned):
                    covering[column + offset + 1] = (shown, number + rows_spanned - 1)
                if rows_spanned > 1:
                    covering[column + 1] = (shown, number + rows_spanned - 1)
            column += width
        for key in [key for key, (_, last) in covering.items() if last <= number]:
            del covering[key]
        if not values:
            return []
        return [values.get(column) for column in range(1, max(values) + 1)]

    def _shown(self, element, at: str):
        """A cell as the spreadsheet showed it, or None when it holds nothing."""
        value_type, formula = element.get(VALUE_TYPE), element.get(FORMULA)
        if value_type is None:
            if formula is not None:
                return BadCell(
                    f"{at}: a formula without a saved value (the file was written by a program, not saved by a "
                    "spreadsheet): open and save the file in LibreOffice, then upload it again."
                )
            return None
        cell = Element.from_tag(element)
        shown = cell.text_content
        self.budget.text(len(shown))
        if element.get(CALC_TYPE) == "error":
            return BadCell(f"{at}: the formula gives the error {shown}; correct it in the spreadsheet.")
        if value_type == "string":
            return shown_text(shown, at=at)
        try:
            value = cell.value  # odfdo reads office:value, date-value, boolean-value by the value type
        except (ValueError, TypeError, ArithmeticError):
            value = None
        if value_type in NUMBER_TYPES and isinstance(value, int | Decimal):
            number = Decimal(value).scaleb(2) if value_type == "percentage" else Decimal(value)
            if not number.is_finite() or abs(number) >= MAX_FIGURE:
                return BadCell(f"{at}: “{shown}” is too large a number.")
            if (found := matches_display(number, shown)) is None:
                return BadCell(
                    f"{at}: shows “{shown}”, which is not the number it holds ({number:f}); format the cell as "
                    "a number and widen its column."
                )
            return found
        if value_type in ("date", "boolean", "time") and value is not None:
            return shown_value(value, at=at)
        if value_type in (*NUMBER_TYPES, "date", "boolean", "time"):
            return BadCell(f"{at}: “{shown}” cannot be read as the {value_type} it says it is; type it again.")
        return shown_text(shown, at=at)


def _drop(element) -> None:
    """Forget a row once read: cleared, and the rows before it removed from the tree."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
