"""Every list downloads as CSV and XLSX with the page's permissions, and no cell can run as a formula."""

from datetime import date

import pytest
from django.urls import reverse

from csa_tracker.audit.models import AuditEntry
from csa_tracker.audit.services import audit_record
from tests.factories import ActionFactory, PublishedUpdateFactory, ReadingFactory
from tests.spreadsheet_files import csv_rows, xlsx_rows

LISTS = ["actions", "updates", "readings", "audit"]


def export(client, world, name, fmt):
    return client.get(reverse("export_list", kwargs={"partnership": world.partnership.slug, "name": name, "fmt": fmt}))


def rows_of(response, fmt):
    return xlsx_rows(response.content) if fmt == "xlsx" else csv_rows(response.content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_is_exported_as_text(world, client, fmt):
    ActionFactory(
        plan_priority=world.plan_priority, wording='=HYPERLINK("http://evil.example","Click")', leads=[world.own_org]
    )
    ActionFactory(plan_priority=world.plan_priority, wording="@SUM(1+1)", leads=[world.own_org])
    ActionFactory(plan_priority=world.plan_priority, wording="\t-2+3", leads=[world.own_org])
    client.force_login(world.users["governing"])
    response = export(client, world, "actions", fmt)
    assert response["Content-Disposition"] == f'attachment; filename="kent-test-actions.{fmt}"'
    wordings = [row[3] for row in rows_of(response, fmt)[1:]]
    if fmt == "csv":  # an apostrophe, which spreadsheets show as text
        assert response.content.startswith("\ufeff".encode())
        assert '\'=HYPERLINK("http://evil.example","Click")' in wordings
        assert "'@SUM(1+1)" in wordings
        assert "'\t-2+3" in wordings
        assert not any(
            str(cell).startswith(("=", "+", "-", "@", "\t", "\r"))
            for row in rows_of(response, fmt)
            for cell in row
            if cell
        )
    else:  # text cells, exactly as written: no apostrophe to see
        assert '=HYPERLINK("http://evil.example","Click")' in wordings
        assert "@SUM(1+1)" in wordings
        assert "\t-2+3" in wordings


def test_xlsx_text_that_looks_like_a_formula_is_a_text_cell_shown_as_typed(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    ActionFactory(plan_priority=world.plan_priority, wording="- first bullet", leads=[world.own_org])
    client.force_login(world.users["working_group"])
    book = load_workbook(BytesIO(export(client, world, "actions", "xlsx").content))
    [cell] = [row[3] for row in book.active.iter_rows(min_row=2) if row[3].value == "- first bullet"]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_xlsx_export_holds_no_formula_cells(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    ActionFactory(plan_priority=world.plan_priority, wording="=1+1", leads=[world.own_org])
    client.force_login(world.users["working_group"])
    book = load_workbook(BytesIO(export(client, world, "actions", "xlsx").content))
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_partner_export_of_readings_leaves_out_other_organisations_work_in_progress(world, client):
    client.force_login(world.users["partner"])
    rows = csv_rows(export(client, world, "readings", "csv").content)
    states = {(row[0], row[-1]) for row in rows[1:]}
    assert ("Road casualties", "Submitted") in states
    assert ("Other council's figure", "Published") in states
    assert ("Other council's figure", "Submitted") not in states


def test_governing_export_of_updates_is_published_only(world, client):
    client.force_login(world.users["governing"])
    rows = csv_rows(export(client, world, "updates", "csv").content)
    assert {row[-1] for row in rows[1:]} == {"Published"}


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("governing", 403), ("admin", 200)])
def test_only_the_working_group_and_administrators_export_the_audit_trail(world, client, role, status):
    client.force_login(world.users[role])
    assert export(client, world, "audit", "csv").status_code == status


def test_audit_trail_export_holds_this_partnerships_events_only(world, client):
    for case in ("own", "other_partnership"):
        audit_record(
            world.submitted_readings[case],
            actor=world.users["partner"],
            verb="submit",
            summary="Submitted",
            reason=case,
        )
    client.force_login(world.users["working_group"])
    rows = csv_rows(export(client, world, "audit", "csv").content)
    assert AuditEntry.objects.count() == 2
    column = {name: index for index, name in enumerate(rows[0])}
    assert [(row[column["ID"]], row[column["What"]], row[column["Reason or comment"]]) for row in rows[1:]] == [
        (str(world.submitted_readings["own"].pk), "Submitted", "own")
    ]


@pytest.mark.parametrize("name", LISTS)
def test_export_page_lists_only_what_the_role_may_download(world, client, name):
    for role in ("partner", "working_group"):
        client.force_login(world.users[role])
        page = client.get(reverse("export_index", kwargs={"partnership": world.partnership.slug}))
        url = reverse("export_list", kwargs={"partnership": world.partnership.slug, "name": name, "fmt": "csv"})
        assert (url in page.content.decode()) == (role == "working_group" or name != "audit")


@pytest.mark.parametrize("name", LISTS)
def test_export_queries_do_not_grow_with_the_list(world, client, django_assert_max_num_queries, name):
    for number in range(5):
        action = ActionFactory(plan_priority=world.plan_priority, wording=f"Action {number}", leads=[world.own_org])
        PublishedUpdateFactory(action=action, cycle=world.cycle)
        reading = ReadingFactory(
            indicator=world.indicator, period_end=date(2000 + number, 12, 31), period_start=date(2000 + number, 1, 1)
        )
        audit_record(reading, actor=world.users["partner"], verb="submit", summary="Submitted")
        audit_record(action.updates.get(), actor=world.users["partner"], verb="submit", summary="Submitted")
    client.force_login(world.users["working_group"])
    with django_assert_max_num_queries(10):
        assert export(client, world, name, "xlsx").status_code == 200
