"""The adapter between openpyxl and the import pipeline: the only module that reads an .xlsx, and the only
one that touches openpyxl's reading internals (tested against the pinned openpyxl in
tests/spreadsheets/test_xlsx_adapter.py; an upgrade that moves them fails there, not in a person's upload).

openpyxl's own parts are used (the manifest, shared strings, workbook, styles and its cell parser), but not
`load_workbook`: opening a sheet in read-only mode reads it whole when it has no <dimension>, before the
first row, and its `data_only` reading turns a formula without a saved result into a blank. Here each sheet
streams row by row, each cell is what the sheet SHOWS (`cells.displayed_number` applies the cell's number
format), and every part and text is counted against the upload's `limits.Budget` before it is held.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from openpyxl.reader.excel import ExcelReader
from openpyxl.reader.strings import read_string_table
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse  # defusedxml where installed, as openpyxl reads

from .cells import BadCell, displayed_number, ref, shown_text, shown_value
from .limits import MAX_UNPACKED, Budget, CountedXml, FileRefused

DAMAGED = "This Excel file is damaged and cannot be read. Save it again from Excel."
_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_VALUE_TAG = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
_MERGE_TAG = f"{{{SHEET_MAIN_NS}}}mergeCell"
_CALC_TAG = f"{{{SHEET_MAIN_NS}}}calcPr"


class _CellParser(WorkSheetParser):
    """openpyxl's cell parsing (shared strings, dates, inline strings), told apart where openpyxl's
    data_only reading would give a blank: a formula with no saved result, and an error result."""

    def __init__(self, *args, recalculate: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.recalculate = recalculate

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        at = ref(cell["column"], cell["row"])
        saved = element.find(_VALUE_TAG)
        if element.find(_FORMULA_TAG) is not None:
            # A formula giving "" is saved as text (t="str") with an empty value; any other empty one was never run.
            if saved is None or (not saved.text and element.get("t") != "str"):
                cell["value"] = BadCell(
                    f"{at}: a formula without a saved value (the file was written by a program, not saved by a "
                    "spreadsheet): open and save the file in Excel, then upload it again."
                )
            elif self.recalculate:
                cell["value"] = BadCell(
                    f"{at}: the workbook is set to recalculate when it is opened, so this formula’s saved result "
                    "cannot be trusted: open and save the file in Excel, then upload it again."
                )
        if cell["data_type"] == "e" and not isinstance(cell["value"], BadCell):
            cell["value"] = BadCell(f"{at}: the formula gives the error {cell['value']}; correct it in Excel.")
        return cell


def _format_codes(book) -> dict[int, str]:
    """Each style id's number format code ("0.0%", "#,##0"); openpyxl keeps no public map from id to format."""
    codes = {}
    for style_id, style in enumerate(book._cell_styles):
        format_id = style.numFmtId
        if format_id < BUILTIN_FORMATS_MAX_SIZE:
            codes[style_id] = BUILTIN_FORMATS.get(format_id, "General")
        else:
            codes[style_id] = book._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE]
    return codes


def _text_styles(book) -> set[int]:
    """Style ids with quotePrefix: a cell typed as text ('0123), whose text is read as it is."""
    return {style_id for style_id, style in enumerate(book._cell_styles) if style.quotePrefix}


class XlsxBook:
    """An .xlsx upload: its sheets (name, whether it is the active tab) and, per sheet, its rows as shown."""

    def __init__(self, data: bytes, budget: Budget):
        self.budget = budget
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except zipfile.BadZipFile as exc:
            raise FileRefused(DAMAGED) from exc
        if "[Content_Types].xml" not in {info.filename for info in infos}:
            raise FileRefused("This is a zip file, not an Excel workbook. Upload an .xlsx, .ods or .csv file.")
        if (total := sum(info.file_size for info in infos)) > MAX_UNPACKED:
            budget.unpack(total)  # refused before anything is inflated
        try:
            self.reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
            self.reader.read_manifest()
            if strings := self.reader.package.find(SHARED_STRINGS):
                source = CountedXml(self.reader.archive.open(strings.PartName[1:]), budget)
                with io.BufferedReader(source) as buffered:
                    self.reader.shared_strings = read_string_table(buffered)
            self.reader.read_workbook()
            apply_stylesheet(self.reader.archive, self.reader.wb)
            book = self.reader.wb
            views = book.views or []
            active = views[0].activeTab if views else 0
            self.paths = [
                (sheet.name, rel.target)
                for sheet, rel in self.reader.parser.find_sheets()
                if rel.target in self.reader.valid_files and "chartsheet" not in rel.Type
            ]
            names = [name for name, _ in self.paths]
            self.active = min(active or 0, len(names) - 1) if names else 0
            self.sheet_names = names
            self.codes, self.text_styles = _format_codes(book), _text_styles(book)
            self.recalculate = self._recalculates_on_load()
        except FileRefused:
            raise
        except Exception as exc:  # openpyxl and the XML parser raise many kinds of error on a damaged workbook
            raise FileRefused(DAMAGED) from exc
        if not self.paths:
            raise FileRefused("This workbook has no sheet of cells to read.")
        self.merged: list[tuple[int, int, int, int]] = []

    def _recalculates_on_load(self) -> bool:
        """Whether the workbook asks to be recalculated when opened (fullCalcOnLoad), read from its XML:
        openpyxl's CalcProperties would say True for a <calcPr> that does not say."""
        part = self.reader.parser.workbook_part_name
        with self.reader.archive.open(part) as source:
            self.budget.unpack(self.reader.archive.getinfo(part).file_size)
            for _, element in iterparse(source):
                if element.tag == _CALC_TAG:
                    return element.get("fullCalcOnLoad") in ("1", "true")
        return False

    def close(self) -> None:
        self.reader.archive.close()

    def rows(self, index: int) -> Iterator[tuple[int, list]]:
        """(row number, cells as shown) for each row of sheet `index` that holds something, in the sheet's
        order. Cells that only carry formatting are passed over unparsed, and each row is dropped from the
        parsed tree once read, so memory does not grow with the sheet; merged ranges are in `merged` once
        the rows are read (the sheet lists them after its cells)."""
        book = self.reader.wb
        parser = _CellParser(
            None,
            self.reader.shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
            recalculate=self.recalculate,
        )
        self.merged = []
        try:
            source = CountedXml(self.reader.archive.open(self.paths[index][1]), self.budget)
            with io.BufferedReader(source) as buffered:
                number = 0
                for _, element in iterparse(buffered):
                    if element.tag == _MERGE_TAG:
                        self._merge(element.get("ref") or "")
                        continue
                    if element.tag != _ROW_TAG:
                        continue
                    number = int(element.get("r") or number + 1)
                    filled = [cell for cell in element if len(cell)]
                    if filled:
                        self.budget.row(len(filled), number)
                        parser.row_counter, parser.col_counter = number, 0
                        values = {}
                        for cell in filled:
                            found = parser.parse_cell(cell)
                            column = found["column"]
                            self.budget.column(column, ref(column, number))
                            values[column] = self._shown(found, column, number)
                        yield number, [values.get(column) for column in range(1, max(values) + 1)]
                    element.clear()  # the emptied row stays in the tree: a few bytes each, whatever it held
        except FileRefused:
            raise
        except Exception as exc:
            raise FileRefused(DAMAGED) from exc

    def _shown(self, found: dict, column: int, row: int):
        value, at = found["value"], ref(column, row)
        if isinstance(value, str):
            self.budget.text(len(value))
            return shown_text(value, at=at)
        if isinstance(value, int | float) and not isinstance(value, bool):
            style = found["style_id"] or 0
            if style in self.text_styles:
                return shown_value(value, at=at)
            return displayed_number(value, self.codes.get(style, "General"), at=at)
        return shown_value(value, at=at)

    def _merge(self, text: str) -> None:
        try:
            self.merged.append(range_boundaries(text))
        except (TypeError, ValueError):
            return  # a range we cannot read merges nothing
