"""The public street-level crime CSV counted into monthly readings per district."""

from datetime import date

import pytest

from indicators.models import IndicatorReading
from spreadsheets.police import COLUMNS, district_of
from tests.factories import GeographyFactory, IndicatorFactory
from tests.spreadsheet_files import csv_bytes, preview, upload
from workflow.models import ReviewState

ASB = "Anti-social behaviour"


def crime(month: str, lsoa_name: str, crime_type: str = ASB) -> list[str]:
    return [
        "",
        month,
        "Kent Police",
        "Kent Police",
        "0.52",
        "51.27",
        "On or near High Street",
        "E01024348",
        lsoa_name,
        crime_type,
        "",
        "",
    ]


@pytest.fixture
def monthly(world):
    kent = GeographyFactory(partnership=world.partnership, name="Kent")
    districts = [
        GeographyFactory(partnership=world.partnership, name=name, kind="district", parent=kent)
        for name in ("Maidstone", "Shepway", "Dover")
    ]
    indicator = IndicatorFactory(
        partnership=world.partnership, name="ASB incidents", period_type="month", geography=kent
    )
    indicator.leads.set([world.own_org])
    indicator.areas.set(districts)  # the districts it is reported for
    return indicator


def police_file() -> bytes:
    return csv_bytes(
        [
            COLUMNS,
            crime("2018-01", "Maidstone 014C"),
            crime("2018-01", "Maidstone 001A"),
            crime("2018-01", "Maidstone 001A", crime_type="Burglary"),
            crime("2018-02", "Maidstone 003B"),
            crime("2018-01", "Folkestone and Hythe 005D"),
            crime("2018-01", "Wealden 010A"),
            crime("2018-01", "Wealden 011A"),
            crime("2018-01", ""),
        ]
    )


@pytest.mark.parametrize(
    ("lsoa_name", "district"),
    [
        ("Maidstone 014C", "Maidstone"),
        ("Tunbridge Wells 002A", "Tunbridge Wells"),
        ("Folkestone and Hythe 005D", "Shepway"),
        ("", "(no location)"),
        ("Somewhere", "(no location)"),
    ],
)
def test_district_is_the_lsoa_name_without_its_code(lsoa_name, district):
    assert district_of(lsoa_name) == district


def test_police_file_becomes_monthly_counts_per_district_submitted_for_review(world, client, monthly):
    client.force_login(world.users["partner"])
    page, url = preview(
        client, world.partnership, police_file(), kind="police", crime_type=ASB, indicator=monthly.pk, name="street.csv"
    )
    result = page.context["preview"]
    # Each month of the file: Kent's total (its districts' sum), then every district, 0 where none.
    assert [(row.label, row.changes[0][2]) for row in result.rows] == [
        ("ASB incidents, Kent, January 2018", "3"),
        ("ASB incidents, Dover, January 2018", "0"),
        ("ASB incidents, Maidstone, January 2018", "2"),
        ("ASB incidents, Shepway, January 2018", "1"),
        ("ASB incidents, Kent, February 2018", "1"),
        ("ASB incidents, Dover, February 2018", "0"),
        ("ASB incidents, Maidstone, February 2018", "1"),
        ("ASB incidents, Shepway, February 2018", "0"),
    ]
    assert result.skipped == [("(no location)", 1), ("Wealden", 2)]
    assert "Wealden: 2 crimes" in page.content.decode()
    assert not IndicatorReading.objects.filter(indicator=monthly).exists()
    client.post(url)
    readings = IndicatorReading.objects.filter(indicator=monthly).order_by("period_end", "geography__name")
    assert [(r.geography.name, r.period_end, r.value, r.state) for r in readings] == [
        ("Dover", date(2018, 1, 31), 0, ReviewState.SUBMITTED),
        ("Kent", date(2018, 1, 31), 3, ReviewState.SUBMITTED),
        ("Maidstone", date(2018, 1, 31), 2, ReviewState.SUBMITTED),
        ("Shepway", date(2018, 1, 31), 1, ReviewState.SUBMITTED),
        ("Dover", date(2018, 2, 28), 0, ReviewState.SUBMITTED),
        ("Kent", date(2018, 2, 28), 1, ReviewState.SUBMITTED),
        ("Maidstone", date(2018, 2, 28), 1, ReviewState.SUBMITTED),
        ("Shepway", date(2018, 2, 28), 0, ReviewState.SUBMITTED),
    ]
    assert readings.get(geography__name="Kent", period_end=date(2018, 1, 31)).source_note == (
        "data.police.uk street-level crime: Anti-social behaviour (total of its districts)"
    )


def test_a_month_with_no_crime_of_the_type_gives_every_district_0(world, client, monthly):
    """March holds only a burglary: the ASB counts for March are 0 in each district and in Kent."""
    client.force_login(world.users["working_group"])
    data = csv_bytes([COLUMNS, crime("2018-03", "Dover 002A", crime_type="Burglary"), crime("2018-04", "Dover 002A")])
    page, _ = preview(client, world.partnership, data, kind="police", crime_type=ASB, indicator=monthly.pk)
    assert [(row.label, row.changes[0][2]) for row in page.context["preview"].rows] == [
        ("ASB incidents, Kent, March 2018", "0"),
        ("ASB incidents, Dover, March 2018", "0"),
        ("ASB incidents, Maidstone, March 2018", "0"),
        ("ASB incidents, Shepway, March 2018", "0"),
        ("ASB incidents, Kent, April 2018", "1"),
        ("ASB incidents, Dover, April 2018", "1"),
        ("ASB incidents, Maidstone, April 2018", "0"),
        ("ASB incidents, Shepway, April 2018", "0"),
    ]


def test_no_county_total_when_the_indicator_is_not_for_the_county(world, client, monthly):
    """An indicator of a police force area is not the sum of one county's districts: districts only."""
    force = GeographyFactory(partnership=world.partnership, name="Kent Police area", kind="force_area")
    monthly.geography = force
    monthly.save()
    client.force_login(world.users["working_group"])
    data = csv_bytes([COLUMNS, crime("2018-01", "Maidstone 014C")])
    page, _ = preview(client, world.partnership, data, kind="police", crime_type=ASB, indicator=monthly.pk)
    assert [(row.label, row.changes[0][2]) for row in page.context["preview"].rows] == [
        ("ASB incidents, Dover, January 2018", "0"),
        ("ASB incidents, Maidstone, January 2018", "1"),
        ("ASB incidents, Shepway, January 2018", "0"),
    ]


def test_police_file_without_the_crime_type_lists_the_types_it_has(world, client, monthly):
    client.force_login(world.users["working_group"])
    response = upload(client, world.partnership, police_file(), kind="police", crime_type="Arson", indicator=monthly.pk)
    assert response.context["form"].errors["file"] == [
        "No crimes of type “Arson” in this file. It has: Anti-social behaviour, Burglary."
    ]


def test_police_counts_need_a_monthly_indicator(world, client, monthly):
    client.force_login(world.users["working_group"])
    response = upload(
        client, world.partnership, police_file(), kind="police", crime_type=ASB, indicator=world.indicator.pk
    )
    assert "choose a monthly indicator" in response.context["form"].errors["file"][0]


def test_partner_cannot_send_police_counts_to_another_organisations_indicator(world, client, monthly):
    client.force_login(world.users["partner"])
    response = upload(
        client, world.partnership, police_file(), kind="police", crime_type=ASB, indicator=world.other_indicator.pk
    )
    assert response.context["form"].errors["indicator"][0].startswith("Choose the indicator the counts are readings of")
