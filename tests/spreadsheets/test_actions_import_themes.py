"""The actions import reads the Themes column the actions export writes (issue 25, "Also seen": it was
ignored without a word), and every import's preview names the columns it does not read."""

import pytest
from django.urls import reverse

from csa_tracker.audit.models import AuditEntry
from tests.factories import ThemeFactory
from tests.spreadsheet_files import READING_HEADER, csv_bytes, preview, row_errors, xlsx_bytes, xlsx_rows

ACTION_HEADER = [
    "Action ID", "Plan", "Priority", "Action", "Leads", "Supporters", "Status", "Funding", "Start", "Due", "Themes",
]  # fmt: skip


@pytest.fixture
def themes(world):
    return {
        name: ThemeFactory(partnership=world.partnership, name=name, order=order)
        for order, name in enumerate(["Vulnerability", "Youth", "Exploitation, modern slavery"])
    }


def themes_row(world, cell: str) -> list:
    return [world.own_action.pk, "", "", "", "", "", "", "", "", "", cell]


def test_a_themes_cell_sets_the_actions_themes_by_name_in_any_case(world, reviewer, themes):
    data = xlsx_bytes([ACTION_HEADER, themes_row(world, "vulnerability; YOUTH")])
    page, url = preview(reviewer, world.partnership, data, kind="actions", name="actions.xlsx")
    (row,) = page.context["preview"].rows
    assert (row.status, row.changes) == ("changed", [("Themes", "(none)", "Vulnerability; Youth")])
    assert reviewer.post(url).status_code == 302
    assert set(world.own_action.themes.all()) == {themes["Vulnerability"], themes["Youth"]}
    entry = AuditEntry.objects.filter(verb="edit", object_id=str(world.own_action.pk)).get()
    assert entry.reason == "Imported from a spreadsheet"


def test_comma_separated_names_and_a_name_with_a_comma_are_read(world, reviewer, themes):
    data = csv_bytes([ACTION_HEADER, themes_row(world, "Youth, Vulnerability")])
    page, url = preview(reviewer, world.partnership, data, kind="actions")
    assert page.context["preview"].rows[0].changes == [("Themes", "(none)", "Vulnerability; Youth")]
    data = csv_bytes([ACTION_HEADER, themes_row(world, "Exploitation, Modern Slavery")])
    page, url = preview(reviewer, world.partnership, data, kind="actions")
    assert page.context["preview"].rows[0].changes == [("Themes", "(none)", "Exploitation, modern slavery")]


def test_an_unknown_theme_is_a_row_error_naming_it_and_the_known_ones(world, reviewer, themes):
    data = csv_bytes([ACTION_HEADER, themes_row(world, "Youth; Vulnerabilty")])
    page, url = preview(reviewer, world.partnership, data, kind="actions")
    assert row_errors(page) == [
        (
            2,
            "Themes",
            "“Vulnerabilty” is not one of this partnership’s themes, which are: Exploitation, modern slavery; "
            "Vulnerability; Youth.",
        )
    ]
    assert reviewer.post(url).status_code == 200
    assert list(world.own_action.themes.all()) == []


def test_a_blank_themes_cell_or_no_themes_column_keeps_the_themes(world, reviewer, themes):
    world.own_action.themes.set([themes["Youth"]])
    blank = csv_bytes([ACTION_HEADER, themes_row(world, "")])
    page, _ = preview(reviewer, world.partnership, blank, kind="actions")
    assert page.context["preview"].counts["unchanged"] == 1
    without = csv_bytes([ACTION_HEADER[:-1], themes_row(world, "")[:-1]])
    page, _ = preview(reviewer, world.partnership, without, kind="actions")
    assert page.context["preview"].counts["unchanged"] == 1
    assert "Not read" not in page.content.decode()


def test_a_new_action_takes_its_themes(world, reviewer, themes):
    status = world.own_action.status.name
    row = ["", "Test Agreement 2017/18", "Road Safety", "Youth diversion", "Own District Council", "", status]
    data = csv_bytes([ACTION_HEADER, [*row, "", "", "", "Youth"]])
    _, url = preview(reviewer, world.partnership, data, kind="actions")
    reviewer.post(url)
    created = world.plan_priority.actions.get(wording="Youth diversion")
    assert list(created.themes.all()) == [themes["Youth"]]


def test_the_exported_themes_import_back_unchanged(world, reviewer, themes):
    world.own_action.themes.set([themes["Youth"], themes["Exploitation, modern slavery"]])
    kwargs = {"partnership": world.partnership.slug, "name": "actions", "fmt": "xlsx"}
    exported = reviewer.get(reverse("export_list", kwargs=kwargs)).content
    assert xlsx_rows(exported)[0] == ACTION_HEADER
    page, _ = preview(reviewer, world.partnership, exported, kind="actions", name="export.xlsx")
    counts = page.context["preview"].counts
    assert (counts["changed"], counts["error"]) == (0, 0)


def test_the_preview_names_the_columns_it_does_not_read(world, reviewer):
    header = [*READING_HEADER, "Period", "State"]
    data = csv_bytes([header, ["Road casualties", "Kent", "31/12/2017", "1,234", "No", "", "2017 (Jan–Dec)", "Draft"]])
    page, _ = preview(reviewer, world.partnership, data)
    assert page.context["preview"].notes == [
        "Not read: the columns “Period” and “State”; they are in the export for reading only, so a change "
        "there is not imported."
    ]
    assert "Not read: the columns “Period” and “State”" in page.content.decode()
    data = csv_bytes([["Action ID", "Status", "Progress", "State"], [world.own_action.pk, "", "", "Draft"]])
    page, _ = preview(reviewer, world.partnership, data, kind="updates")
    assert page.context["preview"].notes == [
        "Not read: the column “State”; it is in the export for reading only, so a change there is not imported."
    ]
