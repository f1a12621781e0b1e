"""Configuration spreadsheets (issue 14): organisations, areas, populations and indicators exported and
imported through django-import-export Resources, with a preview of every row and an all-or-nothing
commit; a row naming another partnership's organisation or area is an error."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csa_tracker.accounts.models import Organisation
from indicators.models import Indicator, Population
from tests.factories import GeographyFactory, OrganisationFactory, PopulationFactory


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


@pytest.fixture
def reviewer(world, client_as):
    return client_as(world.users["working_group"])


def upload(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("config.csv", out.getvalue().encode(), content_type="text/csv")


def exported(client, kind):
    response = client.get(url("settings_spreadsheet_export", kind=kind, fmt="csv"))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_organisations_export_lists_only_our_own(world, reviewer):
    OrganisationFactory(partnership=world.other_partnership, name="Someone Else's Council")
    rows = exported(reviewer, "organisations")
    assert rows[0] == ["Name", "Short name", "Kind"]
    names = [row[0] for row in rows[1:]]
    assert "Own District Council" in names and "Other Council" in names
    assert "Someone Else's Council" not in names


def test_exported_organisations_imported_back_unchanged_change_nothing(world, reviewer):
    rows = exported(reviewer, "organisations")
    response = reviewer.post(url("settings_spreadsheets"), {"kind": "organisations", "file": upload(rows)})
    assert {row["outcome"] for row in response.context["rows"]} == {"Unchanged"}
    assert "there is nothing to import" in response.content.decode()


def test_every_export_imported_back_unchanged_changes_nothing_even_with_empty_optional_cells(world, reviewer):
    """An area without an ONS code, or an organisation without a short name, is an empty cell in the
    export; imported back it is the same empty text, not a missing value the database refuses."""
    GeographyFactory(partnership=world.partnership, name="Kent and Medway", kind="force_area", code="")
    OrganisationFactory(partnership=world.partnership, name="No Short Name Trust", short_name="")
    for kind in ("organisations", "areas", "populations", "indicators", "people"):
        rows = exported(reviewer, kind)
        response = reviewer.post(url("settings_spreadsheets"), {"kind": kind, "file": upload(rows)})
        page = response.content.decode()
        assert "there is nothing to import" in page, kind
        assert not any(row["errors"] for row in response.context["rows"]), kind


def test_lists_are_written_in_words_and_a_wrong_word_says_which_are_allowed(world, reviewer):
    rows = exported(reviewer, "organisations")
    own = next(row for row in rows if row[0] == "Own District Council")
    assert own[2] == "District council"
    bad = [["Name", "Short name", "Kind"], ["Parish Council", "", "Parish"]]
    response = reviewer.post(url("settings_spreadsheets"), {"kind": "organisations", "file": upload(bad)})
    [row] = response.context["rows"]
    assert row["errors"] and "“Parish” is not a kind of organisation: write one of" in row["errors"][0]
    assert "District council" in row["errors"][0]
    good = [["Name", "Short name", "Kind"], ["Parish Council", "", "district COUNCIL"]]
    reviewer.post(url("settings_spreadsheets"), {"kind": "organisations", "file": upload(good)})
    reviewer.post(url("settings_spreadsheets"), {"confirm": "1"})
    parish = Organisation.objects.get(partnership=world.partnership, name="Parish Council")
    assert (parish.kind, parish.short_name) == ("district_council", "")


def test_organisations_are_previewed_then_imported(world, reviewer):
    rows = [
        ["Name", "Short name", "Kind"],
        ["Kent Fire and Rescue Service", "KFRS", "fire"],
        ["Own District Council", "ODC", "district_council"],
    ]
    response = reviewer.post(url("settings_spreadsheets"), {"kind": "organisations", "file": upload(rows)})
    assert [row["outcome"] for row in response.context["rows"]] == ["New", "Changed"]
    assert not Organisation.objects.filter(name="Kent Fire and Rescue Service").exists()
    response = reviewer.post(url("settings_spreadsheets"), {"confirm": "1"}, follow=True)
    assert "2 rows imported." in response.content.decode()
    fire = Organisation.objects.get(name="Kent Fire and Rescue Service")
    assert (fire.partnership, fire.kind) == (world.partnership, "fire")
    assert Organisation.objects.get(partnership=world.partnership, name="Own District Council").short_name == "ODC"


def test_one_bad_row_imports_nothing(world, reviewer):
    rows = [
        ["Name", "Short name", "Kind"],
        ["Good Council", "GC", "district_council"],
        ["Bad Council", "BC", "martian"],
    ]
    response = reviewer.post(url("settings_spreadsheets"), {"kind": "organisations", "file": upload(rows)})
    page = response.content.decode()
    [error] = response.context["rows"][1]["errors"]
    assert error.startswith("Kind: “martian” is not a kind of organisation: write one of County council,")
    assert "nothing can be imported" in page and 'name="confirm"' not in page
    reviewer.post(url("settings_spreadsheets"), {"confirm": "1"})
    assert not Organisation.objects.filter(name="Good Council").exists()


def test_an_indicator_row_naming_another_partnerships_area_or_lead_is_an_error(world, reviewer):
    GeographyFactory(partnership=world.other_partnership, name="Elsewhere")
    OrganisationFactory(partnership=world.other_partnership, name="Their Council")
    header = exported(reviewer, "indicators")[0]
    assert header[:6] == ["Name", "Unit", "Rate per", "Polarity", "Period type", "Main area"]
    row = dict.fromkeys(header, "")
    row |= {
        "Name": "Burglary", "Unit": "count", "Rate per": "1000", "Polarity": "lower_is_better",
        "Period type": "quarter", "Main area": "Elsewhere", "Lead organisations": "Their Council",
        "Stable band %": "2", "Flag change above %": "10",
    }  # fmt: skip
    response = reviewer.post(
        url("settings_spreadsheets"), {"kind": "indicators", "file": upload([header, [row[h] for h in header]])}
    )
    errors = " ".join(response.context["rows"][0]["errors"])
    assert "“Elsewhere” is not the name of one of this partnership's areas." in errors
    assert not Indicator.objects.filter(name="Burglary").exists()


def test_an_indicator_is_created_from_a_spreadsheet(world, reviewer):
    header = exported(reviewer, "indicators")[0]
    row = dict.fromkeys(header, "")
    row |= {
        "Name": "Burglary", "Unit": "rate_per_1000", "Rate per": "1000", "Polarity": "lower_is_better",
        "Period type": "quarter", "Main area": world.indicator.geography.name,
        "Lead organisations": "Own District Council", "Source": "Police",
        "Stable band %": "2", "Flag change above %": "10",
    }  # fmt: skip
    reviewer.post(
        url("settings_spreadsheets"), {"kind": "indicators", "file": upload([header, [row[h] for h in header]])}
    )
    reviewer.post(url("settings_spreadsheets"), {"confirm": "1"})
    indicator = Indicator.objects.get(partnership=world.partnership, name="Burglary")
    assert (indicator.slug, indicator.period_type, indicator.unit) == ("burglary", "quarter", "rate_per_1000")
    assert list(indicator.leads.all()) == [world.own_org]


def test_populations_export_and_import_through_their_resource(world, reviewer):
    area = world.indicator.geography
    PopulationFactory(geography=area, year=2017, value=1_554_600)
    rows = exported(reviewer, "populations")
    assert rows == [["Area code", "Area name", "Year", "Population"], [area.code, area.name, "2017", "1554600"]]
    rows.append([area.code, area.name, "2018", "0"])
    response = reviewer.post(url("settings_spreadsheets"), {"kind": "populations", "file": upload(rows)})
    assert response.context["rows"][1]["errors"] == ["A population must be more than 0."]
    assert not Population.objects.filter(year=2018).exists()


def test_a_file_with_the_wrong_columns_is_refused_on_the_file_field(world, reviewer):
    response = reviewer.post(url("settings_spreadsheets"), {"kind": "areas", "file": upload([["Area", "Size"]])})
    assert "The columns do not match the template" in response.content.decode()


def test_an_unknown_export_is_not_found(world, reviewer):
    assert reviewer.get(url("settings_spreadsheet_export", kind="passwords", fmt="csv")).status_code == 404
