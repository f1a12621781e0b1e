"""Open data is for programs: its CSV holds each value exactly as published (a progress text starting
with "=" or "-" has no spreadsheet apostrophe, which the exports meant for Excel keep), and actions.csv
carries the correction reason the JSON has (issue 25)."""

import csv
import io

import pytest
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from reports.services import report_publish
from tests.factories import ActionFactory, PublishedUpdateFactory

SLUG = "kent-test"


def url(route: str, **kwargs) -> str:
    return reverse(route, kwargs={"partnership": SLUG, **kwargs})


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def published(world):
    """Two actions whose published progress starts like a formula, one of them a correction with its
    reason; the cycle's report published, so the plan is open data."""
    formula = ActionFactory(plan_priority=world.plan_priority, wording="Formula action", leads=[world.own_org])
    PublishedUpdateFactory(action=formula, cycle=world.cycle, text="=1+1 cameras fitted")
    bullet = ActionFactory(plan_priority=world.plan_priority, wording="Bullet action", leads=[world.own_org])
    first = PublishedUpdateFactory(action=bullet, cycle=world.cycle, text="- one patrol")
    PublishedUpdateFactory(
        action=bullet, cycle=world.cycle, text="- two patrols", corrects=first, correction_reason="Miscounted."
    )
    report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle, reason="")
    return world


def test_progress_text_starting_like_a_formula_is_unchanged_in_the_open_data_csv(published, client_as):
    client = client_as(published.users["partner"])
    rows = {row["wording"]: row for row in csv_rows(client.get(url("opendata_actions_csv")))}
    assert rows["Formula action"]["progress_text"] == "=1+1 cameras fitted"
    assert rows["Bullet action"]["progress_text"] == "- two patrols"


def test_the_correction_reason_is_in_the_csv_and_the_json_alike(published, client_as):
    client = client_as(published.users["partner"])
    rows = {row["wording"]: row for row in csv_rows(client.get(url("opendata_actions_csv")))}
    assert (rows["Bullet action"]["progress_corrected"], rows["Bullet action"]["progress_correction_reason"]) == (
        "true",
        "Miscounted.",
    )
    assert rows["Formula action"]["progress_correction_reason"] == ""
    actions = {action["wording"]: action for action in client.get(url("opendata_actions_json")).json()["actions"]}
    (progress,) = actions["Bullet action"]["progress"]
    assert (progress["corrected"], progress["correction_reason"]) == (True, "Miscounted.")
    header = next(csv.reader(io.StringIO(client.get(url("opendata_actions_csv")).content.decode("utf-8-sig"))))
    # Added at the end (before carried_from, added after it): v1's columns keep their places.
    assert header[-2:] == ["progress_correction_reason", "carried_from"]


def test_the_spreadsheet_export_meant_for_excel_still_escapes_it(published, client_as):
    client = client_as(published.users["working_group"])
    exported = client.get(url("export_list", name="updates", fmt="csv"))
    texts = [row["Progress"] for row in csv_rows(exported)]
    assert "'=1+1 cameras fitted" in texts
