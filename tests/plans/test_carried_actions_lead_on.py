"""After a roll-forward, last year's carried actions lead on to where they continue (issue 25): the
progress page of last year's action, the import of its number, the pages of last year's plan and
priorities, and the review queue's "new action" flag."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action
from cycles.models import CycleState
from tests.factories import ActionFactory, ProgressUpdateFactory, ReportingCycleFactory
from tests.spreadsheet_files import csv_bytes, preview, row_errors


@pytest.fixture
def rolled(world, roll_last_year_forward):
    """Last year's Q4 published, the new plan's first cycle open: (new plan, its open cycle)."""
    new_plan = roll_last_year_forward()
    world.own_action.updates.open().delete()  # last year's submitted work was reviewed and published
    world.cycle.state = CycleState.PUBLISHED
    world.cycle.save()
    cycle = ReportingCycleFactory(
        plan=new_plan,
        name="Q1 2018/19",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2018, 7, 15),
    )
    return new_plan, cycle


def _progress(pk):
    return reverse("update_start", kwargs={"partnership": "kent-test", "pk": pk})


def test_last_year_s_progress_link_leads_to_the_carried_action_s(world, rolled, client_as):
    carried = Action.objects.get(carried_from=world.own_action)
    client = client_as(world.users["partner"])
    response = client.get(_progress(world.own_action.pk))
    assert response.status_code == 302
    assert response["Location"] == _progress(carried.pk)
    page = client.get(response["Location"]).content.decode()
    assert (
        f"Action {world.own_action.pk} continues in Agreement 2018/19 as action {carried.pk}: "
        "write its progress there." in page
    )


def test_someone_who_may_not_write_the_carried_action_is_told_where_it_went(world, rolled, client_as):
    carried = Action.objects.get(carried_from=world.own_action)
    carried.leads.set([world.other_org])  # the new year's lead is another council
    response = client_as(world.users["partner"]).get(_progress(world.own_action.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Action {world.own_action.pk} continues in Agreement 2018/19 as action {carried.pk}:" in page
    detail = reverse("action_detail", kwargs={"partnership": "kent-test", "pk": carried.pk})
    assert f'<a href="{detail}">see action {carried.pk} in Agreement 2018/19</a>' in page


def test_an_action_never_carried_still_says_no_cycle_is_open(world, rolled, client_as):
    Action.objects.filter(carried_from=world.own_action).delete()
    response = client_as(world.users["partner"]).get(_progress(world.own_action.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "No reporting cycle is open for Test Agreement 2017/18" in page
    assert "continues in" not in page


def _write_and_submit(world, client_as, action, text):
    data = {"text": text, "status": action.status_id, "flag": "", "flag_reason": "", "submit": "1"}
    response = client_as(world.users["partner"]).post(_progress(action.pk), data)
    assert response.status_code == 302


def test_a_carried_action_s_first_update_is_not_flagged_as_a_new_action_s(world, rolled, client_as):
    carried = Action.objects.get(carried_from=world.own_action)
    _write_and_submit(world, client_as, carried, "Carried on into the new year.")
    queue = client_as(world.users["working_group"]).get(reverse("review_queue", kwargs={"partnership": "kent-test"}))
    page = queue.content.decode()
    assert "Own council&#x27;s action" in page  # the update is in the queue
    assert "First update of a new action." not in page
    assert carried.updates.get().rule_flags == []


def test_a_new_action_s_first_update_is_still_flagged(world, rolled, client_as):
    new_action = Action.objects.get(carried_from=world.own_action)
    new_action.carried_from = None  # as if added this year
    new_action.save()
    _write_and_submit(world, client_as, new_action, "Started this year.")
    queue = client_as(world.users["working_group"]).get(reverse("review_queue", kwargs={"partnership": "kent-test"}))
    assert "First update of a new action." in queue.content.decode()


IMPORT_HEADER = ["Action ID", "Status", "Progress", "Cycle"]


@pytest.mark.parametrize("cycle", ["", "Q1 2018/19"])
def test_importing_last_year_s_number_of_a_carried_action_names_the_new_number(world, rolled, client_as, cycle):
    carried = Action.objects.get(carried_from=world.own_action)
    client = client_as(world.users["partner"])
    data = csv_bytes([IMPORT_HEADER, [world.own_action.pk, "", "More done this quarter.", cycle]])
    page, _ = preview(client, world.partnership, data, kind="updates")
    assert row_errors(page) == [
        (
            2,
            "",
            f"Action {world.own_action.pk} was carried into Agreement 2018/19 as action {carried.pk}: "
            "use that Action ID.",
        )
    ]
    data = csv_bytes([IMPORT_HEADER, [carried.pk, "", "More done this quarter.", cycle]])
    page, _ = preview(client, world.partnership, data, kind="updates")
    assert row_errors(page) == []


def test_importing_into_a_published_cycle_says_it_is_published_not_locked(world, rolled, client_as):
    action = ActionFactory(plan_priority=world.plan_priority, wording="Speed watch", leads=[world.own_org])
    ProgressUpdateFactory(action=action, cycle=world.cycle, state="draft", text="Draft left behind.")
    data = csv_bytes([IMPORT_HEADER, [action.pk, "", "Finished it.", ""]])
    page, _ = preview(client_as(world.users["partner"]), world.partnership, data, kind="updates")
    assert row_errors(page) == [
        (2, "", "The reporting cycle “Q4 2017/18” is published, so its progress updates can no longer change.")
    ]
