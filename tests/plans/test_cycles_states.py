"""A cycle is open, locked or published: who may move it, with what reason, and what a lock stops."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate
from csa_tracker.accounts.access import access_for
from csa_tracker.refusals import Refusal
from cycles.models import CycleState, ReportingCycle
from cycles.services import cycle_lock, cycle_mark_published, cycle_reopen, lock_overdue_cycles
from tests.audit_entries import entries
from tests.factories import ActionFactory, ProgressUpdateFactory, ReportingCycleFactory
from workflow.models import ReviewState

TODAY = timezone.localdate()
FUTURE = TODAY + timedelta(days=14)


def url(name, world, **kwargs):
    return reverse(name, kwargs={"partnership": world.partnership.slug, "pk": world.cycle.pk, **kwargs})


def wg_access(world):
    return access_for(world.users["working_group"], world.partnership)


def test_working_group_locks_an_open_cycle_and_it_is_recorded(world, client_as):
    response = client_as(world.users["working_group"]).post(
        url("cycle_lock", world), {"reason": "Meeting brought forward"}
    )
    assert response.status_code == 302
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.LOCKED
    event = entries(world.cycle).get()
    assert (event.from_state, event.to_state, event.reason) == ("open", "locked", "Meeting brought forward")
    assert event.actor == world.users["working_group"]


def test_reopening_needs_a_reason_and_saves_nothing_without_one(world, client_as):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    client = client_as(world.users["working_group"])
    response = client.post(url("cycle_reopen", world), {"reason": "  "})
    assert response.status_code == 200
    assert "Enter the reason." in response.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.LOCKED
    assert entries(world.cycle, to_state=CycleState.OPEN).count() == 0


def test_reopening_with_a_reason_records_it_and_shows_it_in_the_history(world, client_as):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    client = client_as(world.users["working_group"])
    client.post(url("cycle_reopen", world), {"reason": "Police figures arrived late", "update_deadline": FUTURE})
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.OPEN
    assert entries(world.cycle, to_state="open", reason="Police figures arrived late").exists()
    assert "Police figures arrived late" in client.get(url("cycle_board", world)).content.decode()


def test_reopen_without_reason_is_refused_by_the_service(world):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    with pytest.raises(Refusal, match="reason"):
        cycle_reopen(access=wg_access(world), cycle=world.cycle, reason="", update_deadline=FUTURE, today=TODAY)


@pytest.mark.parametrize("role", ["partner", "governing", "admin"])
@pytest.mark.parametrize(
    ("start", "change"),
    [("open", cycle_lock), ("locked", cycle_reopen), ("open", cycle_mark_published), ("locked", cycle_mark_published)],
)
def test_only_the_working_group_changes_a_cycle(world, role, start, change):
    world.cycle.state = start
    world.cycle.save()
    access = access_for(world.users[role], world.partnership)
    with pytest.raises(Refusal, match="Only the Working Group"):
        extra = {"reason": "Because", "update_deadline": FUTURE, "today": TODAY} if change is cycle_reopen else {}
        change(access=access, cycle=world.cycle, **extra)
    world.cycle.refresh_from_db()
    assert world.cycle.state == start
    assert not entries(world.cycle).exists()


@pytest.mark.parametrize("role", ["partner", "governing", "admin"])
@pytest.mark.parametrize("page", ["cycle_lock", "cycle_reopen"])
def test_lock_and_reopen_pages_refuse_other_roles(world, client_as, role, page):
    assert client_as(world.users[role]).post(url(page, world), {"reason": "Because"}).status_code == 403
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.OPEN


def test_working_group_publishes_a_locked_cycle_and_it_is_recorded(world):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    cycle_mark_published(access=wg_access(world), cycle=world.cycle)
    assert list(entries(world.cycle).values_list("from_state", "to_state")) == [
        ("open", "locked"),
        ("locked", "published"),
    ]


def test_an_open_cycle_cannot_be_reopened_nor_a_locked_one_locked(world, client_as):
    client = client_as(world.users["working_group"])
    response = client.post(url("cycle_reopen", world), {"reason": "Why not", "update_deadline": FUTURE})
    assert "cannot be reopened" in response.content.decode()
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    response = client.post(url("cycle_lock", world))
    assert "cannot be locked" in response.content.decode()
    assert entries(world.cycle).count() == 1


def test_a_published_cycle_is_frozen(world):
    cycle_mark_published(access=wg_access(world), cycle=world.cycle)
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.PUBLISHED
    with pytest.raises(Refusal, match="published"):
        cycle_lock(access=wg_access(world), cycle=world.cycle, reason="Try")
    with pytest.raises(Refusal, match="published"):
        cycle_reopen(access=wg_access(world), cycle=world.cycle, reason="Try", update_deadline=FUTURE, today=TODAY)


def test_cycles_lock_automatically_the_day_after_their_deadline(world):
    on_time = ReportingCycleFactory(
        plan=world.plan,
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2018, 7, 1),
    )
    locked = lock_overdue_cycles(today=date(2018, 2, 17))  # the world cycle's deadline is 16 February
    assert world.cycle in locked and on_time not in locked
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.LOCKED
    event = entries(world.cycle).get()
    assert event.actor is None and "deadline" in event.reason
    assert lock_overdue_cycles(today=date(2018, 2, 16)) == []


@pytest.fixture
def draft(world):
    action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
    return ProgressUpdateFactory(action=action, cycle=world.cycle, author=world.users["partner"], text="Draft text")


def test_partner_cannot_submit_into_a_locked_cycle(world, client_as, draft):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": draft.pk})
    data = {
        "text": "Changed text",
        "status": world.own_action.status_id,
        "flag": "",
        "version": draft.version,
        "submit": "1",
    }
    response = client_as(world.users["partner"]).post(edit, data)
    assert "locked" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == ReviewState.DRAFT


def test_partner_cannot_start_an_update_in_a_locked_cycle(world, client_as):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
    start = reverse("update_start", kwargs={"partnership": "kent-test", "pk": action.pk})
    data = {
        "text": "New progress",
        "status": world.own_action.status_id,
        "flag": "",
        "submit": "1",
    }
    response = client_as(world.users["partner"]).post(start, data, follow=True)
    assert "No reporting cycle is open" in response.content.decode()
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_working_group_still_publishes_in_a_locked_cycle(world, client_as):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    item = world.submitted_updates["own"]
    review = reverse("review_update", kwargs={"partnership": "kent-test", "pk": item.pk})
    client_as(world.users["working_group"]).post(review, {"decision": "publish", "version": item.version})
    item.refresh_from_db()
    assert item.state == ReviewState.PUBLISHED


def test_reopened_cycle_accepts_submissions_again(world, client_as, draft):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    cycle_reopen(
        access=wg_access(world), cycle=world.cycle, reason="Extension agreed", update_deadline=FUTURE, today=TODAY
    )
    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": draft.pk})
    data = {
        "text": "Changed text",
        "status": world.own_action.status_id,
        "flag": "",
        "version": draft.version,
        "submit": "1",
    }
    client_as(world.users["partner"]).post(edit, data)
    draft.refresh_from_db()
    assert draft.state == ReviewState.SUBMITTED
    assert entries(world.cycle).count() == 2


def test_reopening_asks_for_a_new_deadline_not_in_the_past_and_keeps_what_was_typed(world, client_as):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    client = client_as(world.users["working_group"])
    yesterday = TODAY - timedelta(days=1)
    response = client.post(url("cycle_reopen", world), {"reason": "Late figures", "update_deadline": yesterday})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The new deadline is in the past" in page and "Late figures" in page
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.LOCKED
    assert 'name="update_deadline"' in client.get(url("cycle_reopen", world)).content.decode()


def test_a_reopened_cycle_is_not_locked_again_by_the_daily_job_the_same_day(world, client_as):
    cycle_lock(access=wg_access(world), cycle=world.cycle)
    client = client_as(world.users["working_group"])
    client.post(url("cycle_reopen", world), {"reason": "Late figures", "update_deadline": FUTURE})
    world.cycle.refresh_from_db()
    assert (world.cycle.state, world.cycle.update_deadline) == (CycleState.OPEN, FUTURE)
    assert world.cycle not in lock_overdue_cycles(today=TODAY)
    assert world.cycle in lock_overdue_cycles(today=FUTURE + timedelta(days=1))


def test_a_transition_reads_the_cycles_plan_and_partnership_with_the_locked_row(world):
    """Not again for the policy or the audit entry (issue 26: the publish request takes one): the lock's query
    joins them, and reading back what was saved keeps them. The cycle comes back as saved."""
    access = wg_access(world)
    cycle = ReportingCycle.objects.get(pk=world.cycle.pk)
    with CaptureQueriesContext(connection) as captured:
        locked = cycle_lock(access=access, cycle=cycle, reason="Meeting brought forward")
    reads = [query["sql"] for query in captured if query["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if 'FROM "priorities_plan"' in sql or 'FROM "accounts_partnership"' in sql]
    assert (locked.state, locked.version) == (CycleState.LOCKED, world.cycle.version + 1)
    assert locked.plan.partnership == world.partnership
    assert entries(world.cycle).get().partnership == world.partnership
