"""The one cell reader behind every import (actions, progress updates, readings, police files): each kind of
fault from the 2026-11-30 hunt tried on every import type through the upload and preview pages, a fuzz run
of the reader, and the files built to make a worker work for nothing (refused quickly, memory bounded)."""

import io
import tracemalloc
import zipfile
from datetime import date, datetime
from decimal import Decimal
from types import NoneType

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from indicators.models import IndicatorReading
from spreadsheets import cells, limits
from spreadsheets.cells import BadCell, CellError
from spreadsheets.files import read_table
from spreadsheets.limits import FileRefused
from spreadsheets.police import COLUMNS as POLICE_COLUMNS
from tests.factories import GeographyFactory, IndicatorFactory, ReadingFactory
from tests.spreadsheet_files import (
    READING_HEADER,
    UPDATE_HEADER,
    csv_bytes,
    edit_part,
    preview,
    row_errors,
    upload,
    xlsx_bytes,
)
from workflow.models import ReviewState

ACTION_HEADER = ["Action ID", "Plan", "Priority", "Action", "Leads", "Supporters", "Status", "Funding", "Start", "Due"]
ASB = "Anti-social behaviour"


@pytest.fixture
def monthly(world):
    kent = world.indicator.geography
    for name in ("Maidstone", "Shepway"):
        GeographyFactory(name=name, kind="district", parent=kent)
    indicator = IndicatorFactory(
        partnership=world.partnership, name="ASB incidents", period_type="month", geography=kent
    )
    indicator.leads.set([world.own_org])
    return indicator


def crime(month, lsoa_name="Maidstone 014C"):
    return [
        "",
        month,
        "Kent Police",
        "Kent Police",
        "0.5",
        "51.2",
        "On or near High Street",
        "E0",
        lsoa_name,
        ASB,
        "",
        "",
    ]


def workbook(rows, *, formats: dict | None = None, formatted_rows: int = 0) -> bytes:
    """An XLSX of `rows`; `formats` maps a cell ("D2") to a number format; then `formatted_rows` rows
    that only carry a border, as Excel leaves them after a selection was formatted."""
    from openpyxl.styles import Border, Side

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    border = Border(bottom=Side(style="thin"))
    for number in range(len(rows) + 1, len(rows) + 1 + formatted_rows):
        sheet.cell(row=number, column=1).border = border
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def formula_without_value(data: bytes, ref: str, placeholder: bytes) -> bytes:
    """Cell `ref` (holding `placeholder` text) becomes a formula Excel has never calculated."""
    return edit_part(
        data,
        "xl/worksheets/sheet1.xml",
        f'<c r="{ref}" t="inlineStr"><is><t>'.encode() + placeholder + b"</t></is></c>",
        f'<c r="{ref}"><f>1+1</f><v></v></c>'.encode(),
    )


# Each import type: its file, the kind on the upload form, and what the police file needs besides.


def import_files(world, monthly):
    """kind -> (rows, extra form fields, cell a formula goes in, what the cell held)."""
    own = world.own_action
    return {
        "readings": ([READING_HEADER, ["Road casualties", "Kent", "31/12/2012", "FORMULA", "No", ""]], {}, "D2"),
        "updates": ([UPDATE_HEADER, [own.pk, "", "FORMULA"]], {}, "C2"),
        "actions": ([ACTION_HEADER, [own.pk, "", "", "FORMULA", "", "", "", "", "", ""]], {}, "D2"),
        "police": (
            [POLICE_COLUMNS, crime("FORMULA")],
            {"crime_type": ASB, "indicator": monthly.pk},
            "B2",
        ),
    }


@pytest.mark.parametrize("kind", ["readings", "updates", "actions", "police"])
def test_a_formula_without_a_saved_value_is_never_a_blank_in_any_import(world, reviewer, monthly, kind):
    rows, extra, ref = import_files(world, monthly)[kind]
    data = formula_without_value(workbook(rows), ref, b"FORMULA")
    message = (
        f"{ref}: a formula without a saved value (the file was written by a program, not saved by a spreadsheet): "
        "open and save the file in Excel, then upload it again."
    )
    if kind == "police":
        response = upload(reviewer, world.partnership, data, kind=kind, name="f.xlsx", **extra)
        assert f"Month, row 2: {message}" in response.context["form"].errors["file"][0]
        return
    page, _ = preview(reviewer, world.partnership, data, kind=kind, name="f.xlsx", **extra)
    assert [reason for _, _, reason in row_errors(page)] == [message]
    assert "Confirm" not in page.content.decode()


@pytest.mark.parametrize("kind", ["readings", "updates", "actions", "police"])
def test_rows_that_only_carry_formatting_are_not_rows_in_any_import(world, reviewer, monthly, kind):
    rows, extra, ref = import_files(world, monthly)[kind]
    rows = [rows[0], [cell if cell != "FORMULA" else {"police": "2018-01"}.get(kind, "5") for cell in rows[1]]]
    data = workbook(rows, formatted_rows=3000)
    with_limit = pytest.MonkeyPatch.context()
    with with_limit as patch:
        patch.setattr(limits, "MAX_ROWS", 10)  # 3,000 formatted rows would be far over it, were they counted
        page, _ = preview(reviewer, world.partnership, data, kind=kind, name="f.xlsx", **extra)
    result = page.context["preview"]
    # One row read; a police month also gives the county's total and 0 for the other district (issue 25).
    assert sum(result.counts.values()) == (3 if kind == "police" else 1), result.counts


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_dates_percentages_and_numbers_as_the_sheet_shows_them_in_readings(world, reviewer, fmt):
    """A date cell, a percent cell, a number typed as text with a no-break space: read as shown."""
    percent = IndicatorFactory(partnership=world.partnership, name="Share (%)", unit="percentage")
    if fmt == "xlsx":
        data = workbook(
            [
                READING_HEADER,
                ["Road casualties", "Kent", datetime(2012, 12, 31), "1\u00a0234", "No", ""],
                ["Share (%)", "Kent", datetime(2012, 12, 31), 0.125, "No", ""],
            ],
            formats={"C2": "dd/mm/yyyy", "C3": "dd/mm/yyyy", "D3": "0.0%"},
        )
    else:
        data = csv_bytes(
            [
                READING_HEADER,
                ["Road casualties", "Kent", "31/12/2012", "1\u202f234", "No", ""],
                ["Share (%)", "Kent", "2012-12-31", "12.5%", "No", ""],
            ]
        )
    page, url = preview(reviewer, world.partnership, data, name=f"f.{fmt}")
    assert [row.changes[0] for row in page.context["preview"].rows] == [
        ("Value", None, "1234"),
        ("Value", None, "12.5"),
    ]
    reviewer.post(url)
    assert IndicatorReading.objects.get(indicator=percent).value == Decimal("12.5")
    assert IndicatorReading.objects.get(indicator=world.indicator, period_end=date(2012, 12, 31)).value == 1234


def test_dates_as_excel_stores_them_in_actions(world, reviewer):
    data = workbook(
        [ACTION_HEADER, [world.own_action.pk, "", "", "", "", "", "", "", datetime(2018, 4, 1), datetime(2019, 3, 31)]],
        formats={"I2": "d mmmm yyyy", "J2": "dd/mm/yy"},
    )
    page, url = preview(reviewer, world.partnership, data, kind="actions", name="a.xlsx")
    (row,) = page.context["preview"].rows
    assert row.changes[-2:] == [("Start", "(blank)", "2018-04-01"), ("Due", "(blank)", "2019-03-31")]
    reviewer.post(url)
    world.own_action.refresh_from_db()
    assert (world.own_action.start_date, world.own_action.due_date) == (date(2018, 4, 1), date(2019, 3, 31))


def test_names_match_whatever_the_apostrophe_case_or_spaces_in_every_import(world, reviewer, monthly):
    """Typed in Word (curly apostrophe), in capitals, with a no-break space: the same names."""
    readings = csv_bytes([READING_HEADER, ["OTHER COUNCIL’S\u00a0FIGURE", "kent", "31/12/2012", "7", "", ""]])
    page, _ = preview(reviewer, world.partnership, readings)
    assert [(row.status, row.label) for row in page.context["preview"].rows] == [
        ("new", "Other council's figure, Kent, 2012 (Jan–Dec)")
    ]
    actions = csv_bytes(
        [
            ACTION_HEADER,
            [
                world.own_action.pk,
                "test  agreement 2017/18",
                "ROAD safety",
                "",
                "own district council; other  council",
                "",
                "in progress",
                "",
                "",
                "",
            ],
        ]
    )
    page, _ = preview(reviewer, world.partnership, actions, kind="actions")
    (row,) = page.context["preview"].rows
    assert row.errors == [] and row.changes == [
        ("Leads", "Own District Council", "Other Council; Own District Council")
    ]
    police = csv_bytes([POLICE_COLUMNS, crime("2018-01", "Maidstone\u00a0014C")])
    page, _ = preview(reviewer, world.partnership, police, kind="police", crime_type=ASB, indicator=monthly.pk)
    # The one crime counts for Maidstone (its name with a no-break space), and so in Kent's total; Shepway,
    # the indicator's other district, gets 0.
    assert [(row.label, row.changes[0][2]) for row in page.context["preview"].rows] == [
        ("ASB incidents, Kent, January 2018", "1"),
        ("ASB incidents, Maidstone, January 2018", "1"),
        ("ASB incidents, Shepway, January 2018", "0"),
    ]


@pytest.mark.parametrize("kind", ["readings", "updates", "actions", "police"])
def test_windows_1252_files_arrive_as_typed_in_every_import(world, reviewer, monthly, kind):
    typed = "“Quoted” – £5 • café"
    rows, extra, _ = import_files(world, monthly)[kind]
    column = {"readings": 5, "updates": 2, "actions": 3, "police": 6}[kind]  # a text column of each
    row = [cell if cell != "FORMULA" else {"police": "2018-01", "readings": "5"}.get(kind, "x") for cell in rows[1]]
    row[column] = typed
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows([rows[0], row])
    page, _ = preview(reviewer, world.partnership, buffer.getvalue().encode("cp1252"), kind=kind, **extra)
    result = page.context["preview"]
    if kind == "police":  # the location is not imported, but the file was read: one count (Kent, Maidstone, Shepway)
        assert [row.changes[0][2] for row in result.rows] == ["1", "1", "0"]
    else:
        assert any(new == typed for row in result.rows for _, _, new in row.changes), result.rows


@pytest.mark.parametrize("kind", ["readings", "updates", "actions", "police"])
def test_a_nul_byte_anywhere_refuses_the_file_at_upload_in_every_import(world, reviewer, monthly, kind):
    rows, extra, _ = import_files(world, monthly)[kind]
    filler = [[*rows[1][:-1], "x" * 100] for _ in range(100)]  # past the first 8 KB
    data = csv_bytes([rows[0], *filler])
    assert len(data) > 9000
    data = data[:9000] + b"\x00" + data[9000:]
    before = IndicatorReading.objects.count()
    response = upload(reviewer, world.partnership, data, kind=kind, **extra)
    assert "It holds a NUL byte at byte 9,001" in response.context["form"].errors["file"][0]
    assert IndicatorReading.objects.count() == before


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("Indicator,Area\r\n".encode("utf-16"), "UTF-16"),
        ("Indicator,Area\r\n".encode("utf-16-le"), "UTF-16"),
        ("Indicator,Area\r\n".encode("utf-32"), "UTF-32"),
        (b"\xef\xbb\xbfIndicator,Area\r\n\xe9t\xe9\r\n", "says it is UTF-8 but byte 20 is not"),
        (b"Indicator,Area\r\nRoad\x81casualties,Kent\r\n", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_other_encodings_are_refused_by_name(world, reviewer, data, named):
    response = upload(reviewer, world.partnership, data)
    assert named in response.context["form"].errors["file"][0]


def test_windows_1252_is_never_read_as_latin_1():
    table = read_table("Action ID,Status,Progress\r\n1,Done,“a” – b’s €5\r\n".encode("cp1252"), columns=UPDATE_HEADER)
    assert table.rows == [(2, ["1", "Done", "“a” – b’s €5"])]


# The area a reading is for (indicators.areas): the indicator's geography and the areas within it.


@pytest.fixture
def medway(world):
    return GeographyFactory(
        name="Medway",
        kind="unitary",
        parent=GeographyFactory(partnership=world.partnership, name="Kent and Medway", kind="force_area"),
    )


def test_a_reading_for_an_area_outside_the_indicators_is_refused_in_the_import(world, reviewer, medway):
    GeographyFactory(name="Maidstone", kind="district", parent=world.indicator.geography)
    data = csv_bytes(
        [
            READING_HEADER,
            ["Road casualties", "Medway", "31/12/2012", "5", "", ""],
            ["Road casualties", "Kent and Medway", "31/12/2012", "5", "", ""],
            ["Road casualties", "Maidstone", "31/12/2012", "5", "", ""],
        ]
    )
    page, _ = preview(reviewer, world.partnership, data)
    assert row_errors(page) == [
        (
            2,
            "Area",
            "“Road casualties” is reported for Kent and the areas within it, not for Medway; choose one of those "
            "areas.",
        ),
        (
            3,
            "Area",
            "“Road casualties” is reported for Kent and the areas within it, not for Kent and Medway; choose one of "
            "those areas.",
        ),
    ]
    assert page.context["preview"].counts["new"] == 1  # Maidstone is within Kent


def test_a_reading_for_an_area_outside_the_indicators_is_refused_in_the_form(world, client, medway):
    client.force_login(world.users["partner"])
    url = reverse("reading_start", kwargs={"partnership": world.partnership.slug, "indicator": world.indicator.slug})
    page = client.get(url)
    assert "Medway" not in page.content.decode()
    response = client.post(url, {"geography": medway.pk, "period_end": "2012-12-31", "value": "5", "flag": ""})
    assert response.context["form"].errors["geography"] == [
        "Choose an area “Road casualties” is reported for: Kent or an area within it."
    ]
    assert not IndicatorReading.objects.filter(geography=medway).exists()


# The preview is computed once, at upload.


def test_the_preview_is_read_once_and_confirm_commits_what_was_previewed(world, reviewer, monkeypatch):
    data = csv_bytes([READING_HEADER, ["Road casualties", "Kent", "31/12/2012", "5", "", ""]])
    page, url = preview(reviewer, world.partnership, data)

    def no_second_reading(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr("spreadsheets.pipeline.read_table", no_second_reading)
    monkeypatch.setattr("spreadsheets.files.read_table", no_second_reading)
    for _ in range(3):
        again = reviewer.get(url)
        assert again.context["preview"].counts == page.context["preview"].counts
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert storages["imports"].exists(f"{token}.json")
    reviewer.post(url)
    assert IndicatorReading.objects.get(period_end=date(2012, 12, 31)).state == ReviewState.SUBMITTED
    # The cells go; what was imported is kept, so Back says so instead of importing again.
    assert not storages["imports"].exists(f"{token}.table")
    assert "Already imported" in reviewer.get(url).content.decode()


def test_confirm_refuses_when_what_is_recorded_changed_since_the_preview(world, reviewer):
    data = csv_bytes([READING_HEADER, ["Road casualties", "Kent", "31/12/2012", "5", "", ""]])
    _, url = preview(reviewer, world.partnership, data)
    ReadingFactory(indicator=world.indicator, period_start=date(2012, 1, 1), period_end=date(2012, 12, 31), value=5)
    response = reviewer.post(url)
    text = response.content.decode()
    assert "What is recorded changed since this preview was made" in text
    assert response.context["preview"].counts["unchanged"] == 1
    assert IndicatorReading.objects.filter(period_end=date(2012, 12, 31)).count() == 1


# Fuzz: whatever a cell holds, the reader and the parsers answer with a value or a message.

CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.decimals(allow_nan=True),
    st.text(max_size=200),
    st.datetimes(),
    st.dates(),
    st.times(),
)
PARSERS = [cells.text, cells.number, cells.day, cells.period, cells.yes_no, cells.readable]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=CELLS, percent=st.booleans())
def test_fuzz_every_cell_reads_as_a_value_or_a_message(value, percent):
    cell = (
        cells.displayed_number(value, "0.0%", at="C7")
        if percent and isinstance(value, float | int) and not isinstance(value, bool)
        else cells.shown_value(value, at="C7")
    )
    assert isinstance(cell, NoneType | str | Decimal | date | bool | BadCell)
    for parse in PARSERS:
        try:
            parse(cell)
        except CellError as exc:
            assert str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=2000), st.lists(st.lists(st.text(max_size=30), max_size=8), max_size=10).map(csv_bytes)
    )
)
def test_fuzz_any_bytes_read_as_a_table_or_a_message(data):
    try:
        table = read_table(data, columns=READING_HEADER)
    except FileRefused as exc:
        assert str(exc)
    else:
        for _, cells in table.rows:
            assert all(c is None or isinstance(c, str | Decimal | date | bool | BadCell) for c in cells)
            assert not any(
                isinstance(c, str) and any("\x80" <= ch <= "\x9f" or ch == "\x00" for ch in c) for c in cells
            )


# Files built to make a worker work: refused at upload, with little memory, through the page.


def shared_string_workbook(text: bytes) -> bytes:
    """A readings workbook whose first indicator name is a shared string holding `text`."""
    data = xlsx_bytes([READING_HEADER, ["PLACEHOLDER", "Kent", "31/12/2012", 1, "No", ""]])
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    content_type = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", content_type + b"</Types>")
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b'<c r="A2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>', b'<c r="A2" t="s"><v>0</v></c>'
                )
            target.writestr(info.filename, content)
        target.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            b"<si><t>" + text + b"</t></si></sst>",
        )
    return out.getvalue()


def wide_workbook(rows: int, columns: int) -> bytes:
    """`rows` rows of `columns` numbers under a readings header, written as XML (openpyxl would take minutes)."""
    data = xlsx_bytes([READING_HEADER])
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>'
        + b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode() for name in READING_HEADER)
        + b"</row>"
        + (b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>") * rows
        + b"</sheetData></worksheet>"
    )
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            is_sheet = info.filename == "xl/worksheets/sheet1.xml"
            target.writestr(info.filename, sheet if is_sheet else source.read(info.filename))
    return out.getvalue()


def uploaded_with_peak_memory(client, world, data: bytes):
    tracemalloc.start()
    try:
        response = upload(client, world.partnership, data, name="big.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response, peak


def test_a_50_mb_string_in_one_cell_is_refused_without_reading_it(world, reviewer):
    data = shared_string_workbook(b"x" * 50_000_000)
    assert len(data) < 100_000
    response, peak = uploaded_with_peak_memory(reviewer, world, data)
    assert "holds more than 32,767 characters" in response.context["form"].errors["file"][0]
    assert peak < 20 * 1024 * 1024


def test_text_as_long_as_a_cell_holds_is_read_and_longer_is_a_row_error(world, reviewer):
    page, _ = preview(reviewer, world.partnership, shared_string_workbook(b"x" * 40_000), name="long.xlsx")
    assert row_errors(page) == [(2, "Indicator", "A2: holds 40,000 characters; a cell holds at most 32,767.")]


def test_50000_rows_of_130_cells_are_refused_at_the_first_wide_row(world, reviewer):
    data = wide_workbook(20_000, 130)
    assert len(data) < 1_000_000
    response, peak = uploaded_with_peak_memory(reviewer, world, data)
    assert response.context["form"].errors["file"] == [
        "On sheet “Sheet”: Row 2 has 130 filled cells; an import has at most 16 columns (the template's). "
        "Remove the other columns, or download the template and copy your rows into it."
    ]
    assert peak < 20 * 1024 * 1024


def test_more_filled_cells_than_the_budget_are_refused(world, reviewer, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 1_000)
    response = upload(reviewer, world.partnership, wide_workbook(200, 6), name="many.xlsx")
    assert response.context["form"].errors["file"] == [
        "On sheet “Sheet”: The file has more than 1,000 filled cells; split it into smaller files."
    ]


def test_a_reading_recorded_before_the_area_rule_still_saves_unchanged(world, client, medway):
    reading = ReadingFactory(
        indicator=world.indicator,
        geography=medway,
        period_start=date(2012, 1, 1),
        period_end=date(2012, 12, 31),
        value=5,
        state=ReviewState.DRAFT,
        author=world.users["partner"],
        organisation=world.own_org,
        published_at=None,
    )
    client.force_login(world.users["partner"])
    url = reverse("reading_edit", kwargs={"partnership": world.partnership.slug, "pk": reading.pk})
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(geography=medway.pk, period_end="2012-12-31", value="5")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    reading.refresh_from_db()
    assert (reading.geography, reading.value) == (medway, 5)
