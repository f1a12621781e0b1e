"""Areas and their populations (issue 14): areas belong to one partnership; populations are typed or
imported from an ONS-style file with a preview and an all-or-nothing commit; 0 or negative is refused;
a reading import names the area and year a rate lacks a population for."""

import pytest
from django.urls import reverse

from csa_tracker.audit.models import AuditEntry
from indicators.models import Geography, Population
from tests.factories import GeographyFactory, IndicatorFactory, PopulationFactory
from tests.spreadsheet_files import (
    READING_HEADER,
    csv_bytes,
    preview,
    row_errors,
    row_outcomes,
    settings_preview,
    settings_upload,
)


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


@pytest.fixture
def county(world):
    return GeographyFactory(partnership=world.partnership, name="Testshire", kind="county", code="E10000099")


HEADER = ["Area code", "Area name", "Year", "Population"]


def test_working_group_adds_a_district_within_the_county(world, county, reviewer):
    reviewer.post(
        url("settings_vocabulary_new", kind="areas"),
        {"name": "Testborough", "code": "e07000999", "kind": "district", "parent": county.pk},
    )
    district = Geography.objects.get(partnership=world.partnership, name="Testborough")
    assert (district.code, district.kind, district.parent) == ("E07000999", "district", county)


def test_an_area_cannot_be_within_another_partnerships_area(world, reviewer):
    theirs = GeographyFactory(partnership=world.other_partnership, name="Elsewhere")
    response = reviewer.post(
        url("settings_vocabulary_new", kind="areas"), {"name": "Testborough", "kind": "district", "parent": theirs.pk}
    )
    assert "Choose from this partnership&#x27;s own areas." in response.content.decode()
    assert not Geography.objects.filter(name="Testborough").exists()


def test_an_area_in_use_is_not_deleted(world, reviewer):
    area = world.indicator.geography
    page = reviewer.get(url("settings_vocabulary_delete", kind="areas", pk=area.pk)).content.decode()
    assert "cannot be deleted: it is used by" in page
    assert "indicator reading" in page
    reviewer.post(url("settings_vocabulary_delete", kind="areas", pk=area.pk))
    assert Geography.objects.filter(pk=area.pk).exists()


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_population_of_zero_or_less_is_refused_and_kept_as_typed(world, county, reviewer, value):
    response = reviewer.post(url("settings_populations", pk=county.pk), {"year": "2017", "value": value})
    page = response.content.decode()
    assert "A population must be more than 0." in page
    assert f'value="{value}"' in page
    assert not Population.objects.filter(geography=county).exists()


def test_a_population_is_typed_and_then_changed(world, county, reviewer):
    populations = url("settings_populations", pk=county.pk)
    reviewer.post(populations, {"year": "2017", "value": "1554600"})
    response = reviewer.post(populations, {"year": "2017", "value": "1560000"}, follow=True)
    assert "Testshire&#x27;s 2017 population changed." in response.content.decode()
    assert Population.objects.get(geography=county, year=2017).value == 1_560_000


def test_another_partnerships_area_has_no_populations_page_here(world, reviewer):
    theirs = GeographyFactory(partnership=world.other_partnership, name="Elsewhere")
    assert reviewer.get(url("settings_populations", pk=theirs.pk)).status_code == 404


def test_a_population_file_is_previewed_then_written_as_a_whole(world, county, reviewer):
    PopulationFactory(geography=county, year=2016, value=1_540_000)
    district = GeographyFactory(partnership=world.partnership, name="Testborough", kind="district", parent=county)
    rows = [
        HEADER,
        ["E10000099", "Testshire", "2016", "1,545,000"],
        ["E10000099", "Testshire", "2017", "1554600"],
        ["", "testborough", "2017", "169900"],
    ]
    page, confirm = settings_preview(reviewer, world.partnership, csv_bytes(rows), kind="populations-page")
    assert row_outcomes(page) == [(2, "changed"), (3, "new"), (4, "new")]
    assert page.context["preview"].rows[0].changes == [("Population", "1,540,000", "1,545,000")]
    assert Population.objects.count() == 1  # nothing written by the preview
    response = reviewer.post(confirm, follow=True)
    assert "3 rows imported." in response.content.decode()
    assert Population.objects.get(geography=county, year=2016).value == 1_545_000
    assert Population.objects.get(geography=district, year=2017).value == 169_900
    entries = AuditEntry.objects.filter(verb="edit", summary__contains="population").order_by("pk")
    assert [entry.summary for entry in entries] == [
        "2016 population of Testshire changed: 1,545,000",
        "2017 population of Testshire added: 1,554,600",
        "2017 population of Testborough added: 169,900",
    ]


def test_a_population_file_with_one_bad_row_writes_nothing(world, county, reviewer):
    rows = [
        HEADER,
        ["E10000099", "Testshire", "2017", "1554600"],
        ["E10000099", "Testshire", "2018", "0"],
        ["E06000001", "Hartlepool", "2017", "92000"],
        ["E10000099", "Testshire", "17", "10"],
    ]
    page, confirm = settings_preview(reviewer, world.partnership, csv_bytes(rows), kind="populations-page")
    assert row_errors(page) == [
        (3, "Population", "0 is refused: a population must be more than 0."),
        (
            4,
            "Area code",
            "No area of this partnership has the code “E06000001” or the name “Hartlepool”: add it first.",
        ),
        (5, "Year", "17 is not a year from 1900 to 2100."),
    ]
    text = page.content.decode()
    assert "nothing can be imported" in text and 'name="confirm"' not in text
    response = reviewer.post(confirm, follow=True)
    assert "Nothing was imported: the file has rows in error." in response.content.decode()
    assert not Population.objects.exists()


def test_a_population_file_with_wrong_columns_is_refused_on_the_field(world, county, reviewer):
    response = settings_upload(
        reviewer, world.partnership, csv_bytes([["Code", "Year", "People"]]), kind="populations-page"
    )
    assert "The columns do not match the template" in response.context["form"].errors["file"][0]


def test_reading_import_names_the_area_and_year_a_rate_lacks_a_population_for(world, county, reviewer):
    indicator = IndicatorFactory(partnership=world.partnership, name="ASB rate", unit="rate_per_1000", geography=county)
    PopulationFactory(geography=county, year=2017, value=1_554_600)
    other = GeographyFactory(partnership=world.partnership, name="Unreported", kind="district")
    data = csv_bytes(
        [
            READING_HEADER,
            ["ASB rate", "Testshire", "31/12/2017", "40151", "", ""],
            ["ASB rate", "Testshire", "31/12/2018", "39000", "", ""],
            ["ASB rate", "Unreported", "31/12/2017", "12", "", ""],
        ]
    )
    page, _ = preview(reviewer, world.partnership, data)
    errors = [(column, reason) for row in page.context["preview"].rows for column, reason in row.errors]
    assert errors == [
        ("Area", "There is no population for Testshire in 2018; add it first."),
        (
            "Area",
            "“ASB rate” is reported for Testshire and the areas within it, not for Unreported; "
            "choose one of those areas.",
        ),
    ]
    assert indicator.areas.count() == 0 and other.pk not in indicator.reported_area_ids()


def test_an_area_is_within_an_area_of_a_larger_kind_only(world, reviewer):
    """Issue 25: a "National" area was saved within Ashford, a district."""
    ashford = GeographyFactory(partnership=world.partnership, name="Ashford", kind="district", code="")
    typed = {"name": "England and Wales", "code": "", "kind": "national", "parent": ashford.pk}
    response = reviewer.post(url("settings_vocabulary_new", kind="areas"), typed)
    assert response.context["form"].errors["parent"] == [
        "An area of kind “National” cannot be within Ashford (“District”): for Within choose an area of a larger "
        "kind, or none."
    ]
    assert 'value="England and Wales"' in response.content.decode()
    assert not Geography.objects.filter(name="England and Wales").exists()


def test_an_areas_kind_cannot_become_no_larger_than_an_area_within_it(world, county, reviewer):
    GeographyFactory(partnership=world.partnership, name="Testborough", kind="district", parent=county, code="")
    typed = {"name": "Testshire", "code": "", "kind": "district", "parent": ""}
    response = reviewer.post(url("settings_vocabulary_edit", kind="areas", pk=county.pk), typed)
    assert response.context["form"].errors["kind"] == [
        "Testborough is within this area, so its kind must be larger than “District”; change their Within first."
    ]
    county.refresh_from_db()
    assert county.kind == "county"


def test_the_areas_import_refuses_a_row_within_a_smaller_area(world, county, reviewer):
    rows = [["Name", "ONS code", "Kind", "Within"], ["England and Wales", "", "National", "Testshire"]]
    page, confirm = settings_preview(reviewer, world.partnership, csv_bytes(rows), kind="areas")
    assert row_errors(page) == [
        (
            2,
            "Within",
            "An area of kind “National” cannot be within Testshire (“County”): for Within choose an area of a "
            "larger kind, or none.",
        )
    ]
    reviewer.post(confirm)
    assert not Geography.objects.filter(name="England and Wales").exists()
