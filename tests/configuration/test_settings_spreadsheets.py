"""Configuration spreadsheets (issue 14): organisations, areas, populations and indicators exported through
django-import-export Resources and imported back on the one import pipeline, through the settings pages'
forms and services, with a preview of every row and an all-or-nothing commit; a row naming another
partnership's organisation or area is an error."""

import csv
import io

from django.urls import reverse

from csa_tracker.accounts.models import Organisation
from csa_tracker.audit.models import AuditEntry
from indicators.models import Indicator, Population
from tests.factories import GeographyFactory, OrganisationFactory, PopulationFactory
from tests.spreadsheet_files import csv_bytes, row_errors, row_outcomes, settings_preview, settings_upload


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


def send(client, world, kind, rows):
    """Upload `rows` as a CSV of the list `kind`; (preview page, its address)."""
    return settings_preview(client, world.partnership, csv_bytes(rows), kind=kind)


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
    page, _ = send(reviewer, world, "organisations", rows)
    assert page.context["preview"].counts["unchanged"] == len(rows) - 1 == 2
    assert row_outcomes(page) == []
    assert "there is nothing to import" in page.content.decode()


def test_every_export_imported_back_unchanged_changes_nothing_even_with_empty_optional_cells(world, reviewer):
    """An area without an ONS code, or an organisation without a short name, is an empty cell in the
    export; imported back it is the same empty text, not a missing value the database refuses."""
    GeographyFactory(partnership=world.partnership, name="Kent and Medway", kind="force_area", code="")
    OrganisationFactory(partnership=world.partnership, name="No Short Name Trust", short_name="")
    for kind in ("organisations", "areas", "populations", "indicators", "people"):
        rows = exported(reviewer, kind)
        page, _ = send(reviewer, world, kind, rows)
        assert "there is nothing to import" in page.content.decode(), kind
        assert page.context["preview"].counts["unchanged"] == len(rows) - 1, kind
        assert row_errors(page) == [], kind


def test_lists_are_written_in_words_and_a_wrong_word_says_which_are_allowed(world, reviewer):
    rows = exported(reviewer, "organisations")
    own = next(row for row in rows if row[0] == "Own District Council")
    assert own[2] == "District council"
    bad = [["Name", "Short name", "Kind"], ["Parish Council", "", "Parish"]]
    page, _ = send(reviewer, world, "organisations", bad)
    [(number, column, error)] = row_errors(page)
    assert (number, column) == (2, "Kind")
    assert error.startswith("“Parish” is not a kind of organisation: write one of") and "District council" in error
    good = [["Name", "Short name", "Kind"], ["Parish Council", "", "district COUNCIL"]]
    _, confirm = send(reviewer, world, "organisations", good)
    reviewer.post(confirm)
    parish = Organisation.objects.get(partnership=world.partnership, name="Parish Council")
    assert (parish.kind, parish.short_name) == ("district_council", "")


def test_organisations_are_previewed_then_imported(world, reviewer):
    rows = [
        ["Name", "Short name", "Kind"],
        ["Kent Fire and Rescue Service", "KFRS", "fire"],
        ["Own District Council", "ODC", "district_council"],
    ]
    page, confirm = send(reviewer, world, "organisations", rows)
    assert row_outcomes(page) == [(2, "new"), (3, "changed")]
    assert page.context["preview"].rows[1].changes == [("Short name", world.own_org.short_name, "ODC")]
    assert not Organisation.objects.filter(name="Kent Fire and Rescue Service").exists()
    response = reviewer.post(confirm, follow=True)
    assert "2 rows imported." in response.content.decode()
    summaries = set(AuditEntry.objects.filter(actor=world.users["working_group"]).values_list("summary", flat=True))
    assert {
        "Organisation “Kent Fire and Rescue Service” added",
        "Organisation “Own District Council” changed",
    } <= summaries
    fire = Organisation.objects.get(name="Kent Fire and Rescue Service")
    assert (fire.partnership, fire.kind) == (world.partnership, "fire")
    assert Organisation.objects.get(partnership=world.partnership, name="Own District Council").short_name == "ODC"


def test_one_bad_row_imports_nothing(world, reviewer):
    rows = [
        ["Name", "Short name", "Kind"],
        ["Good Council", "GC", "district_council"],
        ["Bad Council", "BC", "martian"],
    ]
    page, confirm = send(reviewer, world, "organisations", rows)
    [(number, column, error)] = row_errors(page)
    assert (number, column) == (3, "Kind")
    assert error.startswith("“martian” is not a kind of organisation: write one of County council,")
    text = page.content.decode()
    assert "nothing can be imported" in text and 'name="confirm"' not in text
    reviewer.post(confirm)
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
    page, _ = send(reviewer, world, "indicators", [header, [row[h] for h in header]])
    errors = row_errors(page)
    assert [(number, column) for number, column, _ in errors] == [(2, "Main area"), (2, "Lead organisations")]
    assert errors[0][2].startswith("No area called “Elsewhere”")
    assert errors[1][2].startswith("No organisation called “Their Council”")
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
    _, confirm = send(reviewer, world, "indicators", [header, [row[h] for h in header]])
    reviewer.post(confirm)
    indicator = Indicator.objects.get(partnership=world.partnership, name="Burglary")
    assert (indicator.slug, indicator.period_type, indicator.unit) == ("burglary", "quarter", "rate_per_1000")
    assert list(indicator.leads.all()) == [world.own_org]


def test_populations_export_and_import_through_their_resource(world, reviewer):
    area = world.indicator.geography
    PopulationFactory(geography=area, year=2017, value=1_554_600)
    rows = exported(reviewer, "populations")
    assert rows == [["Area code", "Area name", "Year", "Population"], [area.code, area.name, "2017", "1554600"]]
    rows.append([area.code, area.name, "2018", "0"])
    page, _ = send(reviewer, world, "populations", rows)
    assert row_errors(page) == [(3, "Population", "0 is refused: a population must be more than 0.")]
    assert not Population.objects.filter(year=2018).exists()


def test_a_file_with_the_wrong_columns_is_refused_on_the_file_field(world, reviewer):
    response = settings_upload(reviewer, world.partnership, csv_bytes([["Area", "Size"]]), kind="areas")
    assert "The columns do not match the template" in response.context["form"].errors["file"][0]


def test_an_unknown_export_is_not_found(world, reviewer):
    assert reviewer.get(url("settings_spreadsheet_export", kind="passwords", fmt="csv")).status_code == 404


def test_a_settings_file_already_imported_says_so_and_links_to_where_it_landed(world, reviewer):
    rows = [["Name", "Short name", "Kind"], ["Kent Fire and Rescue Service", "KFRS", "fire"]]
    _, confirm = send(reviewer, world, "organisations", rows)
    landing = reviewer.post(confirm)["Location"]
    again = reviewer.post(confirm)
    assert again.status_code == 200
    assert "Already imported: config.csv" in again.content.decode()
    assert f'<a href="{landing}">See what it wrote</a>' in again.content.decode()
    assert Organisation.objects.filter(name="Kent Fire and Rescue Service").count() == 1
