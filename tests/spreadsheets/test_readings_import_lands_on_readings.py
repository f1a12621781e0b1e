"""A confirmed readings import lands on a page that shows the readings it wrote, with its success message (a
tester landed on My actions and saw no readings): the review queue's indicator readings for the Working
Group, My actions at its readings for a partner; a progress import still lands on My actions
(`SheetImport.landing`)."""

import html

import pytest
from django.urls import reverse

from tests.factories import ActionFactory
from tests.spreadsheet_files import READING_HEADER, UPDATE_HEADER, csv_bytes, preview


def reading_file(world, end: str) -> bytes:
    return csv_bytes([READING_HEADER, [world.indicator.name, world.indicator.geography.name, end, "3450", "No", ""]])


@pytest.mark.parametrize(
    ("role", "landing"),
    [("working_group", "/kent-test/review/?kind=reading"), ("partner", "/kent-test/my-work/#indicator-readings")],
)
def test_a_confirmed_readings_import_lands_on_the_imported_readings(world, client, role, landing):
    client.force_login(world.users[role])
    _, url = preview(client, world.partnership, reading_file(world, "31/12/2019"))
    answer = client.post(url)
    assert answer.status_code == 302 and answer["Location"] == landing
    page = html.unescape(client.get(answer["Location"]).content.decode())
    assert "Imported 1 indicator reading as submitted for review; 0 rows unchanged." in page
    assert "Road casualties" in page.split("<main", 1)[1]


def test_the_working_group_sees_the_imported_reading_in_the_queue(world, client):
    client.force_login(world.users["working_group"])
    _, url = preview(client, world.partnership, reading_file(world, "31/12/2019"))
    page = client.get(client.post(url)["Location"]).content.decode()
    queue = page.split("<main", 1)[1]
    assert "Road casualties, Kent, 2019 (Jan–Dec)</a>" in queue
    assert "Own council&#x27;s action" not in queue  # readings only: the progress updates are filtered out


def test_a_progress_import_still_lands_on_my_actions(world, client):
    client.force_login(world.users["partner"])
    action = ActionFactory(plan_priority=world.plan_priority, wording="Speed watch", leads=[world.own_org])
    rows = [UPDATE_HEADER, [action.pk, "", "New progress this quarter."]]
    _, url = preview(client, world.partnership, csv_bytes(rows), kind="updates")
    answer = client.post(url)
    assert answer["Location"] == reverse("my_work", kwargs={"partnership": world.partnership.slug})
