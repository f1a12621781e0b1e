"""Areas (issue 25, "Also seen"): a joint area of two boroughs is its own kind, "Combined area (two or more
districts)", not a "County"; and an area's ONS code is checked on the area form and the areas import: its
shape (a letter and 8 digits), its first three characters against the kind, and that no other area of the
partnership has it. Messages name the field's label and keep what was typed."""

import pytest
from django.urls import reverse

from csa_tracker.audit.models import AuditEntry
from indicators.models import Geography, IndicatorReading
from spreadsheets.police import COLUMNS
from tests.factories import GeographyFactory, IndicatorFactory
from tests.spreadsheet_files import csv_bytes, preview, row_errors, row_outcomes, settings_preview

AREA_HEADER = ["Name", "ONS code", "Kind", "Within"]


def url(world, route, **kwargs):
    return reverse(route, kwargs={"partnership": world.partnership.slug, **kwargs})


@pytest.fixture
def ashford(world):
    return GeographyFactory(partnership=world.partnership, name="Ashford", kind="district", code="E07000105")


def add_area(reviewer, world, **fields):
    return reviewer.post(url(world, "settings_vocabulary_new", kind="areas"), {"name": "New area", **fields})


@pytest.fixture
def districts(world):
    """Canterbury and Swale, districts within Kent, and Maidstone."""
    kent = GeographyFactory(partnership=world.partnership, name="Kent", kind="county")
    return {
        name: GeographyFactory(partnership=world.partnership, name=name, kind="district", parent=kent, code=code)
        for name, code in (("Canterbury", "E07000106"), ("Swale", "E07000113"), ("Maidstone", "E07000110"))
    }


def test_a_joint_area_of_two_boroughs_is_a_combined_area_naming_the_districts_it_combines(world, reviewer, districts):
    form = reviewer.get(url(world, "settings_vocabulary_new", kind="areas")).content.decode()
    assert '<option value="combined">Combined area (two or more districts)</option>' in form
    chosen = [districts["Canterbury"].pk, districts["Swale"].pk]
    answer = add_area(reviewer, world, name="Canterbury and Swale", kind="combined", code="", districts=chosen)
    assert answer.status_code == 302
    joint = Geography.objects.get(partnership=world.partnership, name="Canterbury and Swale")
    assert sorted(joint.districts.values_list("name", flat=True)) == ["Canterbury", "Swale"]
    assert AuditEntry.objects.for_object(joint).get().changes["Districts"] == ["", "Canterbury, Swale"]
    page = reviewer.get(url(world, "settings_vocabulary", kind="areas")).content.decode()
    assert "Combined area (two or more districts)" in page
    assert '<td data-label="Districts it combines">Canterbury, Swale</td>' in page


@pytest.mark.parametrize(
    ("kind", "chosen", "message"),
    [
        (
            "combined",
            ["Canterbury"],
            "Choose two or more under “Districts it combines”: a combined area combines at least two.",
        ),
        ("combined", [], "Choose two or more under “Districts it combines”: a combined area combines at least two."),
        (
            "county",
            ["Canterbury", "Swale"],
            "Only a combined area combines districts: choose the kind “Combined area (two or more districts)”, or "
            "clear “Districts it combines”.",
        ),
    ],
)
def test_a_combined_area_without_two_districts_or_another_kind_with_districts_is_refused_on_the_field(
    world, reviewer, districts, kind, chosen, message
):
    typed = [districts[name].pk for name in chosen]
    answer = add_area(reviewer, world, name="Canterbury and Swale", kind=kind, districts=typed)
    assert answer.status_code == 200
    assert answer.context["form"].errors == {"districts": [message]}
    assert answer.context["form"]["districts"].value() == [str(pk) for pk in typed]
    assert 'value="Canterbury and Swale"' in answer.content.decode()
    assert not Geography.objects.filter(partnership=world.partnership, name="Canterbury and Swale").exists()


def test_only_the_partnership_s_own_districts_may_be_combined(world, reviewer, districts):
    theirs = GeographyFactory(partnership=world.other_partnership, name="Elsewhere", kind="district")
    kent = districts["Canterbury"].parent
    for outside in (theirs, kent):
        answer = add_area(reviewer, world, kind="combined", districts=[districts["Swale"].pk, outside.pk])
        assert answer.context["form"].errors == {"districts": ["Choose from this partnership's own districts."]}


def test_a_district_a_combined_area_combines_stays_a_district(world, reviewer, districts):
    joint = GeographyFactory(partnership=world.partnership, name="Canterbury and Swale", kind="combined")
    joint.districts.set([districts["Canterbury"], districts["Swale"]])
    swale = districts["Swale"]
    edit = url(world, "settings_vocabulary_edit", kind="areas", pk=swale.pk)
    seen = reviewer.get(edit).context["form"]["seen"].value()
    data = {"name": "Swale", "code": "", "kind": "unitary", "parent": "", "seen": seen}
    answer = reviewer.post(edit, data)
    assert answer.context["form"].errors == {
        "kind": [
            "Canterbury and Swale combines this area as a district, so it stays a district; take it out of "
            "Canterbury and Swale first."
        ]
    }
    swale.refresh_from_db()
    assert swale.kind == "district"


def test_a_district_a_combined_area_combines_is_not_deleted(world, reviewer, districts):
    joint = GeographyFactory(partnership=world.partnership, name="Canterbury and Swale", kind="combined")
    joint.districts.set([districts["Canterbury"], districts["Swale"]])
    delete = url(world, "settings_vocabulary_delete", kind="areas", pk=districts["Swale"].pk)
    assert "“Swale” cannot be deleted: it is used by 1 combined area." in reviewer.get(delete).content.decode()
    reviewer.post(delete)
    assert sorted(joint.districts.values_list("name", flat=True)) == ["Canterbury", "Swale"]


def test_the_areas_import_keeps_a_combined_area_s_districts_and_checks_them(world, reviewer, districts):
    header = [*AREA_HEADER, "Districts it combines"]
    rows = [
        header,
        ["Canterbury and Swale", "", "Combined area (two or more districts)", "", "Canterbury; Swale"],
        ["Maidstone alone", "", "Combined area (two or more districts)", "", "Maidstone"],
    ]
    page, _ = settings_preview(reviewer, world.partnership, csv_bytes(rows), kind="areas")
    assert row_errors(page) == [
        (
            3,
            "Districts it combines",
            "Choose two or more under “Districts it combines”: a combined area combines at least two.",
        )
    ]
    page, confirm = settings_preview(reviewer, world.partnership, csv_bytes(rows[:2]), kind="areas")
    assert row_outcomes(page) == [(2, "new")]
    reviewer.post(confirm)
    joint = Geography.objects.get(partnership=world.partnership, name="Canterbury and Swale")
    assert sorted(joint.districts.values_list("name", flat=True)) == ["Canterbury", "Swale"]
    exported = reviewer.get(url(world, "settings_spreadsheet_export", kind="areas", fmt="csv")).content.decode()
    assert "Canterbury and Swale,,Combined area (two or more districts),,Canterbury;Swale" in exported
    # A file made before the column keeps what is recorded.
    before = [AREA_HEADER, ["Canterbury and Swale", "", "Combined area (two or more districts)", ""]]
    page, _ = settings_preview(reviewer, world.partnership, csv_bytes(before), kind="areas")
    assert row_outcomes(page) == []  # unchanged rows are not listed
    assert page.context["preview"].counts["unchanged"] == 1


def test_the_police_file_gives_a_combined_area_the_total_of_its_districts(world, client_as):
    joint = GeographyFactory(partnership=world.partnership, name="Canterbury and Swale", kind="combined")
    for name in ("Canterbury", "Swale"):
        GeographyFactory(partnership=world.partnership, name=name, kind="district", parent=joint)
    indicator = IndicatorFactory(partnership=world.partnership, name="ASB", period_type="month", geography=joint)
    indicator.leads.set([world.own_org])
    line = ["", "2018-01", "Kent Police", "Kent Police", "0.5", "51.2", "On or near", "E01024348"]
    data = csv_bytes(
        [
            COLUMNS,
            [*line, "Canterbury 001A", "Anti-social behaviour", "", ""],
            [*line, "Swale 002B", "Anti-social behaviour", "", ""],
            [*line, "Swale 003C", "Anti-social behaviour", "", ""],
        ]
    )
    partner = client_as(world.users["partner"])
    page, confirm = preview(
        partner, world.partnership, data, kind="police", crime_type="Anti-social behaviour", indicator=indicator.pk
    )
    assert [(row.label, row.changes[0][2]) for row in page.context["preview"].rows] == [
        ("ASB, Canterbury and Swale, January 2018", "3"),
        ("ASB, Canterbury, January 2018", "1"),
        ("ASB, Swale, January 2018", "2"),
    ]
    partner.post(confirm)
    assert IndicatorReading.objects.get(indicator=indicator, geography=joint).value == 3


@pytest.mark.parametrize(
    ("typed", "kind", "message"),
    [
        ("E0700010", "district", "The ONS code is a letter and 8 digits, such as E07000105; “E0700010” is not."),
        ("07000107", "district", "The ONS code is a letter and 8 digits, such as E07000105; “07000107” is not."),
        (
            "E07000107",
            "county",
            "The ONS code E07000107 begins E07, which is not the code of a county: the codes of counties begin "
            "E10 or E11. Check the ONS code or the kind.",
        ),
        (
            "E10000016",
            "district",
            "The ONS code E10000016 begins E10, which is not the code of a district: the codes of districts begin "
            "E07, E08 or E09. Check the ONS code or the kind.",
        ),
        (
            "E07000107",
            "combined",
            "The ONS code E07000107 begins E07, which is not the code of a combined area (two or more districts): "
            "the codes of combined areas begin E22, W22 or E47. Check the ONS code or the kind.",
        ),
    ],
)
def test_a_code_of_the_wrong_shape_or_kind_is_refused_on_the_field_and_kept(world, reviewer, typed, kind, message):
    answer = add_area(reviewer, world, code=typed, kind=kind)
    assert answer.status_code == 200
    assert answer.context["form"].errors["code"] == [message]
    assert set(answer.context["form"].errors) == {"code", *(["districts"] if kind == "combined" else [])}
    assert f'value="{typed}"' in answer.content.decode()
    assert not Geography.objects.filter(partnership=world.partnership, name="New area").exists()


@pytest.mark.parametrize(
    ("code", "kind"),
    [("W06000015", "unitary"), ("E06000035", "unitary"), ("E09000001", "district"), ("K04000001", "national")],
)
def test_codes_of_the_kind_are_saved(world, reviewer, code, kind):
    assert add_area(reviewer, world, code=code.lower(), kind=kind).status_code == 302
    assert Geography.objects.get(partnership=world.partnership, name="New area").code == code


def test_a_code_another_area_has_is_refused_naming_that_area(world, reviewer, ashford):
    answer = add_area(reviewer, world, code="e07000105", kind="district")
    assert answer.context["form"].errors == {
        "code": ["The ONS code E07000105 is already Ashford's; each area has its own."]
    }
    theirs = GeographyFactory(partnership=world.other_partnership, name="Elsewhere", kind="district", code="E07000106")
    assert add_area(reviewer, world, code=theirs.code, kind="district").status_code == 302  # another partnership's


def test_an_area_recorded_before_the_check_is_saved_unchanged(world, reviewer):
    old = GeographyFactory(partnership=world.partnership, name="Old area", kind="county", code="E07000105")
    edit = url(world, "settings_vocabulary_edit", kind="areas", pk=old.pk)
    form = reviewer.get(edit).context["form"]
    data = {"name": old.name, "code": old.code, "kind": old.kind, "parent": "", "seen": form["seen"].value()}
    assert reviewer.post(edit, data).status_code == 302
    answer = reviewer.post(edit, {**data, "kind": "unitary"})
    assert answer.context["form"].errors["code"] == [
        "The ONS code E07000105 begins E07, which is not the code of a unitary authority: the codes of unitary "
        "authorities begin E06, E08, E09 or W06. Check the ONS code or the kind."
    ]


def test_the_areas_import_checks_codes_as_the_form_does(world, reviewer, ashford):
    rows = [
        AREA_HEADER,
        ["Dover", "E07000108", "District", ""],
        ["Folkestone", "E0700011", "District", ""],
        ["Canterbury", "E07000105", "District", ""],
        ["Testshire", "E07000110", "County", ""],
    ]
    page, _ = settings_preview(reviewer, world.partnership, csv_bytes(rows), kind="areas")
    assert row_errors(page) == [
        (3, "ONS code", "The ONS code is a letter and 8 digits, such as E07000105; “E0700011” is not."),
        (4, "ONS code", "The ONS code E07000105 is already Ashford's; each area has its own."),
        (
            5,
            "ONS code",
            "The ONS code E07000110 begins E07, which is not the code of a county: the codes of counties begin "
            "E10 or E11. Check the ONS code or the kind.",
        ),
    ]
