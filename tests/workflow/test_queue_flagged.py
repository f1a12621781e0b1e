"""The stored `flagged` column (issue 18): the review engine keeps it in step with `flag` and `rule_flags`,
the queue orders by it, and the queue's order and query count do not grow with the data."""

import importlib
from datetime import date, timedelta

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate
from csa_tracker.accounts.access import access_for
from reviews.selectors import queue_summary
from reviews.views import PAGE_SIZE
from tests.factories import ActionFactory, ProgressUpdateFactory, ReadingFactory
from tests.reviewing import corrected_and_published
from workflow.models import ReviewState
from workflow.services import item_publish, item_return, item_save, item_submit

QUEUE = reverse("review_queue", kwargs={"partnership": "kent-test"})


def access_of(world, role):
    return access_for(world.users[role], world.partnership)


def fresh_action(world, **kwargs):
    return ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], **kwargs)


def test_every_transition_keeps_flagged_in_step(world):
    partner, reviewer = access_of(world, "partner"), access_of(world, "working_group")
    action = world.own_action
    world.submitted_updates["own"].delete()  # one open update per action
    fields = {"action": action, "cycle": world.cycle, "text": "Going well.", "status": action.status}
    draft = item_save(access=partner, model=ProgressUpdate, fields={**fields, "flag": "area_of_concern"})
    assert ProgressUpdate.objects.get(pk=draft.pk).flagged  # created flagged
    draft = item_save(access=partner, model=ProgressUpdate, fields={"flag": ""}, item=draft, version=draft.version)
    assert not ProgressUpdate.objects.get(pk=draft.pk).flagged  # the edit took the flag off
    submitted = item_submit(access=partner, item=draft, version=draft.version)
    assert submitted.flagged == bool(submitted.rule_flags)  # the rules' flags count
    returned = item_return(access=reviewer, item=submitted, version=submitted.version, comment="Dates?")
    edited = item_save(
        access=partner,
        model=ProgressUpdate,
        fields={"flag": "significant_change", "flag_reason": "New funding"},
        item=returned,
        version=returned.version,
        submit=True,
    )
    assert ProgressUpdate.objects.get(pk=edited.pk).flagged
    published = item_publish(access=reviewer, item=edited, version=edited.version)
    corrected = corrected_and_published(
        access=reviewer, item=published, fields={"flag": ""}, reason="Flag raised in error"
    )
    assert not ProgressUpdate.objects.get(pk=corrected.pk).flagged  # a correction has no rule flags


def test_the_data_step_fills_flagged_for_existing_rows(world):
    flagged = ProgressUpdateFactory(action=fresh_action(world), cycle=world.cycle, rule_flags=[{"rule": "overdue"}])
    plain = ProgressUpdateFactory(action=fresh_action(world), cycle=world.cycle, state=ReviewState.SUBMITTED)
    ProgressUpdate.objects.update(flagged=False)
    migration = importlib.import_module("actions.migrations.0010_queue_flagged")
    migration.fill_flagged(apps, connection.schema_editor())
    assert ProgressUpdate.objects.get(pk=flagged.pk).flagged
    plain = ProgressUpdate.objects.get(pk=plain.pk)
    assert not plain.flagged and plain.submitted_at == plain.created_at  # waits since it was made


def add_submitted(world, count: int, start):
    return [
        ProgressUpdateFactory(
            action=fresh_action(world),
            cycle=world.cycle,
            state=ReviewState.SUBMITTED,
            author=world.users["partner"],
            submitted_at=start + timedelta(hours=number),
        )
        for number in range(count)
    ]


def queue_queries(client, params=None) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE, params or {})
    assert response.status_code == 200
    return len(captured), [(item.kind.name, item.pk) for item in response.context["page"].object_list]


def test_queue_order_and_query_count_do_not_grow_with_data(world, client_as, pages_built_every_time):
    reviewer = client_as(world.users["working_group"])
    start = timezone.now() - timedelta(days=30)
    add_submitted(world, 3, start)
    reviewer.get(QUEUE)  # warm: the menu's unread count is kept from here on
    # Progress updates only: the page's details are read once per kind on the page, so the kinds must match.
    queries_small, _ = queue_queries(reviewer, {"kind": "update"})
    older = add_submitted(world, 60, start - timedelta(days=10))
    # Submitted last but flagged (by the engine, through the form's service): first in the queue.
    newest = fresh_action(world)
    flagged = item_save(
        access=access_of(world, "partner"),
        model=ProgressUpdate,
        fields={
            "action": newest,
            "cycle": world.cycle,
            "text": "Late.",
            "status": newest.status,
            "flag": "area_of_concern",
        },
        submit=True,
        notify=False,
    )
    queries_large, _ = queue_queries(reviewer, {"kind": "update"})
    assert queries_large == queries_small
    _, shown = queue_queries(reviewer)
    assert shown[0] == ("update", flagged.pk)
    assert shown[1] == ("update", older[0].pk)  # then the longest waiting
    flagged_only = reviewer.get(QUEUE, {"flagged": "1"}).context["page"].object_list
    assert [item.pk for item in flagged_only] == [flagged.pk]


def test_the_queue_counts_each_kind_as_it_reads_its_page(world, client_as, pages_built_every_time):
    """Issue 26: each kind's count comes with its rows for the merge (a window count), not from a count
    of its own; the total covers both kinds and every page, and a page beyond the end shows the last."""
    reviewer = client_as(world.users["working_group"])
    add_submitted(world, 30, timezone.now() - timedelta(days=30))
    reading = ReadingFactory(indicator=world.indicator, state=ReviewState.SUBMITTED, published_at=None)
    waiting = queue_summary(access_of(world, "working_group")).waiting  # with the world's own
    reviewer.get(QUEUE)  # warm: the menu's unread count is kept from here on
    with CaptureQueriesContext(connection) as captured:
        response = reviewer.get(QUEUE, {"page": "2"})
    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 2 and all(" OVER " in sql.upper() for sql in counts)
    page = response.context["page"]
    assert waiting > 31 and (page.number, page.paginator.count) == (2, waiting)
    assert len(page.object_list) == waiting - PAGE_SIZE
    assert f"{waiting} items waiting" in response.content.decode()
    for far in ("9", "9" * 20):  # the second beyond the database's integers
        beyond = reviewer.get(QUEUE, {"page": far})
        assert (beyond.context["page"].number, beyond.context["page"].paginator.count) == (2, waiting)
        assert f"There is no page {far} in the queue; showing page 2 of 2." in beyond.content.decode()
    readings = reviewer.get(QUEUE, {"kind": "reading"}).context["page"]
    assert reading in readings.object_list and readings.paginator.count == len(readings.object_list) < waiting
    assert {item.kind.name for item in readings.object_list} == {"reading"}
    # A row reads nothing more of its item (its subject's title and period, author, organisation).
    one, _ = queue_queries(reviewer, {"kind": "reading"})
    for year in (2030, 2031):
        ReadingFactory(
            indicator=world.indicator,
            state=ReviewState.SUBMITTED,
            published_at=None,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
        )
    assert queue_queries(reviewer, {"kind": "reading"})[0] == one


def test_the_queue_reads_its_order_from_the_index(world):
    """The database orders by the stored column: no CASE over flag and rule_flags in the SQL."""
    from reviews.selectors import submitted
    from workflow.kinds import KINDS

    sql = str(submitted(KINDS["update"], access_of(world, "working_group")).query)
    assert "CASE" not in sql.upper() and '"flagged" DESC' in sql


def test_the_queue_summary_counts_every_kind_and_its_flagged_in_one_query(world):
    """Issue 26: both kinds' submitted items counted by their flag in one query; other states and other
    partnerships' items are not counted."""
    action = fresh_action(world)
    ProgressUpdateFactory(action=action, cycle=world.cycle, state=ReviewState.SUBMITTED, flagged=True)
    ProgressUpdateFactory(action=fresh_action(world), cycle=world.cycle, state=ReviewState.DRAFT, flagged=True)
    for year, flagged in ((2010, True), (2011, False)):
        ReadingFactory(
            indicator=world.indicator,
            state=ReviewState.SUBMITTED,
            published_at=None,
            flagged=flagged,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
        )
    # The world's own: a submitted update and reading of each of its two organisations (and of the other
    # partnership, not counted), none flagged.
    access = access_of(world, "working_group")
    with CaptureQueriesContext(connection) as captured:
        summary = queue_summary(access)
    assert len(captured) == 1
    assert (summary.waiting, summary.flagged) == (4 + 1 + 2, 2)
