"""The readers behind the one pipeline, against the pinned libraries: openpyxl's internals the .xlsx adapter
reads (number formats per style, date styles, quotePrefix, merged ranges, recalculate-on-load), odfdo's cells
in the .ods adapter (displayed text, spaces, merged cells, errors), and the cell rules every import shares
(numbers as displayed, the one period rule, decimal commas)."""

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import odfdo
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from spreadsheets import cells
from spreadsheets.cells import BadCell, CellError
from spreadsheets.files import read_table
from spreadsheets.limits import FileRefused
from tests.spreadsheet_files import edit_part, ods_bytes, ods_text_cell

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"
HEADER = ["Indicator", "Area", "Period end", "Value", "Approximate", "Source note"]


def pinned(package: str) -> str:
    return re.search(rf"^{package}==(\S+)$", REQUIREMENTS.read_text(), re.MULTILINE).group(1)


def test_the_readers_run_against_the_pinned_libraries():
    """An upgrade of either is a change to the readers: these tests are what it must pass."""
    assert openpyxl.__version__ == pinned("openpyxl")
    assert odfdo.__version__ == pinned("odfdo")


def workbook(build) -> bytes:
    book = Workbook()
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows(data: bytes, columns=HEADER):
    return read_table(data, columns=columns).rows


def test_xlsx_numbers_read_as_their_number_format_shows_them():
    def build(book):
        sheet = book.active
        sheet.append(HEADER)
        for value, number_format in [
            (0.12462311557788945, "0.0%"),
            (3449.6666666666665, "#,##0"),
            (3449.6666666666665, "#,##0.00"),
            (2.675, "0.00"),
            (-3449.6, '"£"#,##0;[Red]("£"#,##0)'),
            (1234.5, "General"),
            (42, "@"),
        ]:
            sheet.append(["x", "Kent", "2018-03", value, "No", ""])
            sheet.cell(row=sheet.max_row, column=4).number_format = number_format

    values = [cells[3] for _, cells in rows(workbook(build))]
    assert values == [
        Decimal("12.5"),
        Decimal("3450"),
        Decimal("3449.67"),
        Decimal("2.68"),
        Decimal("-3450"),
        Decimal("1234.5"),
        Decimal("42"),
    ]


def test_xlsx_formats_that_hide_the_figure_are_bad_cells_naming_the_cell():
    def build(book):
        sheet = book.active
        sheet.append(HEADER)
        sheet.append(["x", "Kent", "2018-03", 3449, "No", ""])
        sheet["D2"].number_format = "#,##0,"
        sheet.append(["x", "Kent", "2018-03", 0.5, "No", ""])
        sheet["D3"].number_format = "# ?/?"

    assert [cells[3] for _, cells in rows(workbook(build))] == [
        BadCell("D2: shows its number in thousands (format “#,##0,”); format the cell to show the whole number."),
        BadCell("D3: shows its number as a fraction; format the cell as a number (Format Cells → Number)."),
    ]


def test_xlsx_dates_text_typed_after_an_apostrophe_and_merged_cells():
    def build(book):
        sheet = book.active
        sheet.append(HEADER)
        sheet.append(["Merged name", "Kent", datetime(2018, 4, 1), "0123", "No", ""])
        sheet.append([None, "Medway", datetime(2018, 4, 30), 5, "No", ""])
        sheet["C2"].number_format = "mmm-yy"
        sheet["D2"].quotePrefix = True
        sheet.merge_cells("A2:A3")

    assert rows(workbook(build)) == [
        (2, ["Merged name", "Kent", date(2018, 4, 1), "0123", "No", None]),
        (3, ["Merged name", "Medway", date(2018, 4, 30), Decimal("5"), "No", None]),
    ]


def test_xlsx_formulas_in_a_workbook_set_to_recalculate_on_load_are_reported_not_read():
    def build(book):
        sheet = book.active
        sheet.append(HEADER)
        sheet.append(["x", "Kent", "2018-03", "PLACEHOLDER", "No", ""])

    data = edit_part(
        workbook(build),
        "xl/worksheets/sheet1.xml",
        b'<c r="D2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>',
        b'<c r="D2"><f>1+1</f><v>2</v></c>',
    )
    assert b'fullCalcOnLoad="1"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")  # openpyxl sets it
    (row,) = rows(data)
    assert row[1][3] == BadCell(
        "D2: the workbook is set to recalculate when it is opened, so this formula’s saved result cannot be "
        "trusted: open and save the file in Excel, then upload it again."
    )
    saved_by_excel = edit_part(data, "xl/workbook.xml", b' fullCalcOnLoad="1"', b"")
    assert rows(saved_by_excel)[0][1][3] == Decimal("2")


def test_xlsx_the_active_sheet_with_the_header_is_read_first():
    def build(book):
        book.active.title = "Q1"
        book.active.append(HEADER)
        book.active.append(["first", "Kent", "2018-03", 1, "No", ""])
        second = book.create_sheet("Q2")
        second.append(HEADER)
        second.append(["second", "Kent", "2018-06", 2, "No", ""])
        book.active = 1

    table = read_table(workbook(build), columns=HEADER)
    assert (table.sheet, table.rows[0][1][0]) == ("Q2", "second")


def ods(rows_xml: str, *, manifest: str = "") -> bytes:
    return ods_bytes(HEADER, rows_xml, manifest=manifest)


text_cell = ods_text_cell


def test_ods_cells_read_as_libreoffice_displayed_them():
    row = (
        "<table:table-row>"
        + text_cell('Two <text:s text:c="2"/>spaces and<text:line-break/>a line', ' table:number-rows-spanned="2"')
        + text_cell("Kent")
        + '<table:table-cell office:value-type="date" office:date-value="2018-04-30"><text:p>Apr-18</text:p>'
        "</table:table-cell>" + '<table:table-cell office:value-type="percentage" office:value="0.124623115577889" '
        'table:formula="of:=248/1990"><text:p>12.5%</text:p></table:table-cell>'
        + '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p>'
        "</table:table-cell>"
        + "</table:table-row><table:table-row><table:covered-table-cell/>"
        + text_cell("Medway")
        + text_cell("2018-04")
        + '<table:table-cell office:value-type="float" office:value="3449.66666666667"><text:p>3.450</text:p>'
        "</table:table-cell>"
        + '<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" '
        'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
        + '<table:table-cell table:formula="of:=1+1"/>'
        + "</table:table-row>"
    )
    assert rows(ods(row)) == [
        (2, ["Two   spaces and\na line", "Kent", date(2018, 4, 30), Decimal("12.5"), True, None]),
        (
            3,
            [
                "Two   spaces and\na line",
                "Medway",
                "2018-04",
                Decimal("3450"),
                BadCell("E3: the formula gives the error #DIV/0!; correct it in the spreadsheet."),
                BadCell(
                    "F3: a formula without a saved value (the file was written by a program, not saved by a "
                    "spreadsheet): open and save the file in LibreOffice, then upload it again."
                ),
            ],
        ),
    ]


def test_ods_a_number_shown_as_something_else_is_a_bad_cell():
    row = (
        "<table:table-row>"
        + text_cell("x")
        + text_cell("Kent")
        + text_cell("2018-03")
        + '<table:table-cell office:value-type="float" office:value="3449.6"><text:p>###</text:p></table:table-cell>'
        + "</table:table-row>"
    )
    assert rows(ods(row))[0][1][3] == BadCell(
        "D2: shows “###”, which is not the number it holds (3449.6); format the cell as a number and widen its column."
    )


def test_a_password_protected_ods_is_refused_by_name():
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
        "</manifest:manifest>"
    )
    with pytest.raises(FileRefused, match="This spreadsheet is password-protected"):
        read_table(ods("", manifest=manifest), columns=HEADER)


@pytest.mark.parametrize(
    ("value", "end", "kind"),
    [
        ("Apr-18", date(2018, 4, 30), "month"),
        ("30-Apr-18", date(2018, 4, 30), "day"),
        ("43220", date(2018, 4, 30), "day"),
        (Decimal("43220"), date(2018, 4, 30), "day"),
        ("April 2018", date(2018, 4, 30), "month"),
        ("Sept 2018", date(2018, 9, 30), "month"),
        ("2018-04", date(2018, 4, 30), "month"),
        ("30/04/2018", date(2018, 4, 30), "day"),
        ("Q1 2018/19", date(2018, 6, 30), "quarter"),
        ("Q4 2017/18", date(2018, 3, 31), "quarter"),
        (date(2018, 4, 1), date(2018, 4, 1), "day"),
    ],
)
def test_the_one_period_rule_reads_what_excel_writes(value, end, kind):
    found = cells.period(value)
    assert (found.end, found.kind) == (end, kind)


def test_a_quarter_follows_the_partnerships_year():
    assert cells.period("Q1 2017/18", year_start=10).end == date(2017, 12, 31)
    assert cells.period("Q1 2018", year_start=1).end == date(2018, 3, 31)
    with pytest.raises(CellError, match="write it as Q1 2018/19"):
        cells.period("Q1 2018", year_start=4)


@pytest.mark.parametrize("value", ["Apri 2018", "2018-13", "Q5 2018/19", "sometime"])
def test_what_is_not_a_period_is_refused_naming_the_forms(value):
    with pytest.raises(CellError, match=r"a month \(Mar 2018, 2018-03, Mar-18\)|not a real month|not a quarter"):
        cells.period(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("3610", Decimal("3610")),
        ("1 234,5", Decimal("1234.5")),
    ],
)
def test_decimal_commas_where_the_file_uses_them(text, expected):
    assert cells.number(text, decimal_comma=True) == expected


def test_a_number_that_reads_two_ways_is_refused_not_guessed():
    with pytest.raises(CellError, match="“1,234” could be 1,234 or 1.234; write it without a thousands separator"):
        cells.number("1,234", decimal_comma=True)
    assert cells.number("1,234") == Decimal("1234")


def test_a_count_must_be_whole():
    with pytest.raises(CellError, match="The year is 2017.5: it must be a whole number."):
        cells.whole_number("2017.5", what="The year")


ATTRIBUTE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value_type=st.sampled_from(["float", "percentage", "currency", "date", "time", "boolean", "string", "void"]),
    value=ATTRIBUTE_TEXT,
    shown=ATTRIBUTE_TEXT,
)
def test_fuzz_any_ods_cell_reads_as_a_value_or_a_message(value_type, value, shown):
    """Whatever a program writes into a cell's attributes, the reader answers with a value or a message."""
    from xml.sax.saxutils import escape, quoteattr

    attributes = (
        f"office:value-type={quoteattr(value_type)} office:value={quoteattr(value)} "
        f"office:date-value={quoteattr(value)} office:time-value={quoteattr(value)} "
        f"office:boolean-value={quoteattr(value)}"
    )
    cell = f"<table:table-cell {attributes}><text:p>{escape(shown)}</text:p></table:table-cell>"
    row = f"<table:table-row>{text_cell('x')}{cell}</table:table-row>"
    try:
        table = read_table(ods(row), columns=HEADER)
    except FileRefused as exc:
        assert str(exc)
    else:
        for _, found in table.rows:
            assert all(c is None or isinstance(c, str | Decimal | date | bool | BadCell) for c in found)
