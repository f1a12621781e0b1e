"""Hostile input costs the server nothing (issue 24): files built to make a worker work, uploaded through the
page of every import as the person who may use it, refused as a whole with a sentence, quickly and with little
memory, keeping nothing (no preview stored, nothing in the session). Time is the CPU the upload took
(`time.process_time`, measured without tracing); memory is the peak of Python's allocations while it ran
(`tracemalloc`, measured on a second upload). Bounds are generous for a shared two-core machine but far below
what the same files cost before the limits (a 116 KB workbook: +939 MB and 5.6 s)."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.urls import reverse

from configuration.spreadsheets import LISTS
from spreadsheets.importers import IMPORTERS
from spreadsheets.limits import MAX_CELLS, MAX_ROWS, MAX_TEXT_CHARS
from spreadsheets.police import COLUMNS as POLICE_COLUMNS
from tests.factories import IndicatorFactory
from tests.spreadsheet_files import ods_bytes, ods_text_cell, settings_upload, upload

MB = 1024 * 1024
CPU_SECONDS = 2.0
PEAK_BYTES = 100 * MB
LONG = 32_000  # characters: just within a cell's limit, so only the total can stop it
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def shared_string_workbook(header: list[str], rows: int, *, text_columns: int | None = None) -> bytes:
    """An .xlsx of `header` over `rows` rows whose cells all point at one shared string of LONG characters
    (as a partner's 116 KB progress-update file did)."""
    width = text_columns or len(header)
    head = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in header)
    letters = "ABCDEFGHIJKLMNOP"[:width]
    body = "".join(
        f'<row r="{number}">' + "".join(f'<c r="{letter}{number}" t="s"><v>0</v></c>' for letter in letters) + "</row>"
        for number in range(2, rows + 2)
    )
    sheet = f'<worksheet xmlns="{SHEET_NS}"><sheetData><row>{head}</row>{body}</sheetData></worksheet>'
    strings = f'<sst xmlns="{SHEET_NS}" count="1" uniqueCount="1"><si><t>{"x" * LONG}</t></si></sst>'
    return _zip(
        {
            "[Content_Types].xml": (
                b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                b'<Default Extension="xml" ContentType="application/xml"/>'
                b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                b'spreadsheetml.sheet.main+xml"/>'
                b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.worksheet+xml"/>'
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
            ),
            "_rels/.rels": (
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'<workbook xmlns="{SHEET_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'worksheet" Target="worksheets/sheet1.xml"/>'
                b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
            ),
            "xl/worksheets/sheet1.xml": sheet.encode(),
            "xl/sharedStrings.xml": strings.encode(),
        }
    )


def ods_repeated_row(header: list[str], repeated: int) -> bytes:
    """An .ods whose one data row is repeated `repeated` times (table:number-rows-repeated): a few hundred
    bytes that a naive reader expands into millions of rows."""
    cells = "".join(ods_text_cell("1") for _ in header)
    return ods_bytes(header, f'<table:table-row table:number-rows-repeated="{repeated}">{cells}</table:table-row>')


# Every import: (kind, its header, the role that uses it, how its page is posted to).
def _imports(world, monthly):
    item_imports = [
        (kind, importer().headers, "partner" if kind != "actions" else "working_group", {})
        for kind, importer in IMPORTERS.items()
    ]
    police = ("police", POLICE_COLUMNS, "partner", {"crime_type": "Anti-social behaviour", "indicator": monthly.pk})
    settings = [
        (f"settings:{kind}", importer(world.partnership).columns, "working_group", {})
        for kind, (_, _, importer) in LISTS.items()
    ]
    return [
        *item_imports,
        police,
        *settings,
        ("settings:populations-page", ["Area code", "Area name", "Year", "Population"], "working_group", {}),
    ]


KINDS = (
    ["readings", "updates", "actions", "police"]
    + [f"settings:{kind}" for kind in LISTS]
    + ["settings:populations-page"]
)


@pytest.fixture
def monthly(world):
    indicator = IndicatorFactory(partnership=world.partnership, name="ASB incidents", period_type="month")
    indicator.leads.set([world.own_org])
    return indicator


def send(client, world, kind: str, data: bytes, extra: dict, name: str):
    if kind.startswith("settings:"):
        return settings_upload(client, world.partnership, data, kind=kind.split(":", 1)[1], name=name)
    return upload(client, world.partnership, data, kind=kind, name=name, **extra)


def measured(client, world, kind, data, extra, name):
    """(response, CPU seconds, peak traced bytes) of uploading `data` twice: once timed, once traced."""
    started = time.process_time()
    response = send(client, world, kind, data, extra, name)
    seconds = time.process_time() - started
    tracemalloc.start()
    try:
        send(client, world, kind, data, extra, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response, seconds, peak


def assert_nothing_kept(client, spreadsheet_uploads):
    stored = list(spreadsheet_uploads.iterdir()) if spreadsheet_uploads.exists() else []
    assert stored == []
    assert sum(len(str(value)) for value in client.session.values()) < 2_000


@pytest.mark.parametrize("kind", KINDS)
def test_one_long_shared_string_in_every_cell_is_refused_cheaply_in_every_import(
    world, client, monthly, spreadsheet_uploads, kind
):
    """The 116 KB progress-update file, rebuilt for each import: 12,000 rows whose every cell is the same
    32,000-character string. Each cell is within a cell's limit; the total is not."""
    _, header, role, extra = next(found for found in _imports(world, monthly) if found[0] == kind)
    data = shared_string_workbook(header, 12_000, text_columns=min(len(header), 3))
    assert 60_000 < len(data) < 200_000
    client.force_login(world.users[role])
    response, seconds, peak = measured(client, world, kind, data, extra, "hostile.xlsx")
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error == (
        f"On sheet “Sheet1”: The file holds more than {MAX_TEXT_CHARS:,} characters of text, more than an "
        "import takes (a cell repeated many times counts each time). Split it into smaller files."
    )
    assert seconds < CPU_SECONDS, seconds
    assert peak < PEAK_BYTES, peak / MB
    assert_nothing_kept(client, spreadsheet_uploads)


def test_the_shared_string_file_at_the_row_limit_is_refused_as_cheaply(world, client, spreadsheet_uploads):
    """The same file grown to the row limit (569 KB then; a 500 after +3.1 GB): refused at the same point."""
    data = shared_string_workbook(["Action ID", "Status", "Progress"], MAX_ROWS)
    assert len(data) > 400_000
    client.force_login(world.users["partner"])
    response, seconds, peak = measured(client, world, "updates", data, {}, "hostile.xlsx")
    assert "characters of text, more than an import takes" in response.context["form"].errors["file"][0]
    assert seconds < CPU_SECONDS, seconds
    assert peak < PEAK_BYTES, peak / MB
    assert_nothing_kept(client, spreadsheet_uploads)


def test_a_people_sheet_of_4000_rows_of_one_long_string_is_refused_and_never_in_the_session(
    world, client, spreadsheet_uploads
):
    """It made a 129 MB preview kept in the session (every later page cost 28×)."""
    data = shared_string_workbook(["Name", "E-mail address", "Organisation", "Roles"], 4_000)
    client.force_login(world.users["working_group"])
    response, seconds, peak = measured(client, world, "settings:people", data, {}, "people.xlsx")
    assert "characters of text, more than an import takes" in response.context["form"].errors["file"][0]
    assert seconds < CPU_SECONDS and peak < PEAK_BYTES, (seconds, peak / MB)
    assert_nothing_kept(client, spreadsheet_uploads)
    page = client.get(reverse("settings_home", kwargs={"partnership": world.partnership.slug}))
    assert page.status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_a_row_repeated_a_million_times_in_an_ods_is_refused_at_the_row_limit_in_every_import(
    world, client, monthly, spreadsheet_uploads, kind
):
    _, header, role, extra = next(found for found in _imports(world, monthly) if found[0] == kind)
    data = ods_repeated_row(header, 1_048_000)
    assert len(data) < 2_000
    client.force_login(world.users[role])
    response, seconds, peak = measured(client, world, kind, data, extra, "hostile.ods")
    # The first limit a row of this width meets: the rows, or (12 police columns) the filled cells.
    limit = f"{MAX_ROWS:,} rows" if len(header) * (MAX_ROWS + 1) <= MAX_CELLS else f"{MAX_CELLS:,} filled cells"
    assert response.context["form"].errors["file"] == [
        f"On sheet “Data”: The file has more than {limit}; split it into smaller files."
    ]
    assert seconds < CPU_SECONDS, seconds
    assert peak < PEAK_BYTES, peak / MB
    assert_nothing_kept(client, spreadsheet_uploads)


def test_an_ods_that_inflates_past_the_limit_is_refused_before_it_is_read(world, client, spreadsheet_uploads):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b"<a>" + b" " * (60 * MB) + b"</a>")
    data = buffer.getvalue()
    assert len(data) < 100_000
    client.force_login(world.users["partner"])
    response, seconds, peak = measured(client, world, "readings", data, {}, "bomb.ods")
    assert response.context["form"].errors["file"] == [
        "This workbook unpacks to more than 50 MB, which is more than an import can take. Remove other sheets or "
        "split the file."
    ]
    assert seconds < 0.5 and peak < 5 * MB, (seconds, peak / MB)


def test_a_csv_of_one_long_text_repeated_is_refused_by_the_same_total(world, client, spreadsheet_uploads):
    row = b'1,Done,"' + b"y" * 30_000 + b'"\r\n'
    data = b"Action ID,Status,Progress\r\n" + row * 300  # 9 MB: under the upload's 10 MB
    client.force_login(world.users["partner"])
    response, seconds, peak = measured(client, world, "updates", data, {}, "long.csv")
    assert "characters of text, more than an import takes" in response.context["form"].errors["file"][0]
    assert seconds < CPU_SECONDS, seconds
    assert peak < 3 * len(data) + 20 * MB, peak / MB  # the upload itself, decoded once, and little else
    assert_nothing_kept(client, spreadsheet_uploads)


def test_the_largest_file_the_limits_allow_is_read_at_a_bounded_cost_per_byte(world, client, spreadsheet_uploads):
    """A readings CSV of as many rows as an import takes (MAX_ROWS), each row naming an unknown indicator:
    read, checked and previewed, with CPU and memory in proportion to its size."""
    rows = MAX_ROWS
    data = b"Indicator,Area,Period end,Value,Approximate,Source note\r\n" + b"Unknown,Kent,2018-03,1,No,\r\n" * rows
    client.force_login(world.users["partner"])
    started = time.process_time()
    response = upload(client, world.partnership, data, name="large.csv")
    seconds = time.process_time() - started
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.context["preview"].counts["error"] == rows
    per_megabyte = seconds / (len(data) / MB)
    assert per_megabyte < 15, per_megabyte  # about 3 s a megabyte on the shared machine
