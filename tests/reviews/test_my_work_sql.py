"""My actions filtered, sorted and paginated in the database (issue 18): the page reads one page of actions,
and its query count does not grow with the number of actions."""

from datetime import date, timedelta
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate
from csa_tracker.accounts.access import access_for
from reviews.selectors import requests_of
from reviews.views import PAGE_SIZE
from tests.factories import (
    ActionFactory,
    PlanFactory,
    PlanPriorityFactory,
    ProgressUpdateFactory,
    PublishedUpdateFactory,
    ReadingFactory,
    ReportingCycleFactory,
)
from workflow.models import ReviewState

URL = reverse("my_work", kwargs={"partnership": "kent-test"})


@pytest.fixture
def partner(world, client_as, pages_built_every_time):
    """The partner, with My actions built on every request (these tests count the page's own queries)."""
    return client_as(world.users["partner"])


def queries_for(client, params=None) -> int:
    client.get(URL, params or {})  # warm: sessions, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params or {}).status_code == 200
    return len(captured)


def add_actions(world, count: int):
    """`count` actions of the partner's organisation: one in three with a draft, one in three submitted,
    the rest with nothing for the cycle; every one with a published update in an earlier cycle."""
    made = []
    start = timezone.now() - timedelta(days=90)
    for number in range(count):
        action = ActionFactory(
            plan_priority=world.plan_priority, leads=[world.own_org], wording=f"Bulk action {number:03d}"
        )
        PublishedUpdateFactory(action=action, cycle=world.cycle, published_at=start + timedelta(hours=number))
        if number % 3 == 0:
            ProgressUpdateFactory(action=action, cycle=world.cycle, state=ReviewState.DRAFT)
        elif number % 3 == 1:
            ProgressUpdateFactory(action=action, cycle=world.cycle, state=ReviewState.SUBMITTED)
        made.append(action)
    return made


@pytest.mark.parametrize("params", [{}, {"state": "draft"}, {"sort": "published"}, {"sort": "-state", "page": "2"}])
def test_query_count_is_the_same_at_seed_size_and_with_many_actions(world, partner, params):
    # Seed size: one action in each state, so no list is empty, and a second page when one is asked for
    # (a page beyond the end costs a count of its own to find the last page).
    add_actions(world, PAGE_SIZE + 3 if "page" in params else 3)
    at_seed = queries_for(partner, params)
    add_actions(world, 3 * PAGE_SIZE)
    assert queries_for(partner, params) == at_seed


def test_the_page_holds_one_page_of_rows_and_the_count_is_of_all(world, partner):
    add_actions(world, 2 * PAGE_SIZE)
    page = partner.get(URL).context["page"]
    assert len(page.object_list) == PAGE_SIZE
    assert page.paginator.count == 2 * PAGE_SIZE + 1  # and the world's own action
    last = partner.get(URL, {"page": "3"}).context["page"]
    shown = [row.action_pk for row in [*page.object_list, *last.object_list]]
    assert len(shown) == len(set(shown))


def test_the_page_and_the_total_are_read_in_one_query(world, partner):
    """Issue 26: the total comes with the page's rows (a window count), not from a count of its own."""
    add_actions(world, 2 * PAGE_SIZE)
    partner.get(URL)  # warm: the menu's unread count is kept from here on
    with CaptureQueriesContext(connection) as captured:
        page = partner.get(URL, {"page": "2"}).context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, 2 * PAGE_SIZE + 1, PAGE_SIZE)
    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1 and " OVER " in counts[0].upper()


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("0", 1), ("-1", 1), ("x", 1), ("", 1), ("9" * 20, 3)])
def test_a_page_that_is_not_there_shows_what_it_did(world, partner, asked, shown):
    """The nearest page (csa_tracker.paging): the first for a number below 1 or what is not a number, the
    last for a number beyond the end, each with the whole list's count."""
    add_actions(world, 2 * PAGE_SIZE)
    page = partner.get(URL, {"page": asked}).context["page"]
    assert (page.number, page.paginator.count) == (shown, 2 * PAGE_SIZE + 1)
    assert len(page.object_list) == (1 if shown == 3 else PAGE_SIZE)


@pytest.mark.parametrize(
    ("asked", "notice"),
    [
        ("99", "There is no page 99 in this list; showing page 3 of 3."),
        ("0", "There is no page 0 in this list; showing page 1 of 3."),
        ("x", "“x” is not a page number; showing page 1 of 3."),
        ("2", None),
        ("", None),
    ],
)
def test_a_page_that_is_not_there_is_said_so(world, partner, asked, notice):
    """As on the completeness board, where a tester met page 999 shown without a word."""
    add_actions(world, 2 * PAGE_SIZE)
    body = partner.get(URL, {"page": asked}).content.decode()
    if notice is None:
        assert "page-notice" not in body
    else:
        assert f'<p class="alert alert-warning page-notice" role="status">{escape(notice)}</p>' in body


def test_a_partner_with_nothing_to_do_sees_an_empty_first_page(world, partner):
    page = partner.get(URL, {"state": "returned"}).context["page"]
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


def test_open_readings_are_listed_for_the_indicators_the_partner_supplies(world, partner):
    draft = ReadingFactory(indicator=world.indicator, state=ReviewState.DRAFT, published_at=None)
    ReadingFactory(indicator=world.other_indicator, state=ReviewState.DRAFT, published_at=None)
    body = partner.get(URL).content.decode()
    edit = reverse("reading_edit", kwargs={"partnership": "kent-test", "pk": draft.pk})
    start = reverse("reading_start", kwargs={"partnership": "kent-test", "indicator": world.indicator.slug})
    assert f'href="{edit}">Road casualties, ' in body and "Other council" not in body  # not theirs
    assert f'href="{start}">Road casualties</a>' in body


def test_a_partner_who_supplies_no_indicator_reads_no_readings(world, partner):
    """Issue 26: most partners supply no figures; their page reads the (empty) list of indicators and
    no readings."""
    world.indicator.leads.clear()
    ReadingFactory(indicator=world.indicator, state=ReviewState.DRAFT, published_at=None)
    partner.get(URL)  # warm: the menu's unread count is kept from here on
    with CaptureQueriesContext(connection) as captured:
        body = partner.get(URL).content.decode()
    assert "Your organisations do not supply figures for any indicator." in body
    assert not [query for query in captured if "indicators_indicatorreading" in query["sql"]]


def test_the_state_filter_is_where_each_action_stands_in_the_cycle(world, partner):
    made = add_actions(world, 9)
    drafts = partner.get(URL, {"state": "draft"}).context["page"]
    assert {row.action_pk for row in drafts.object_list} == {action.pk for action in made[::3]}
    assert {row.state for row in drafts.object_list} == {"draft"}
    submitted = partner.get(URL, {"state": "submitted"}).context["page"]
    assert {row.action_pk for row in submitted.object_list} == {world.own_action.pk} | {a.pk for a in made[1::3]}
    assert {row.state for row in submitted.object_list} == {"submitted"}


def test_sorting_by_last_published_and_state_happens_in_the_database(world, partner):
    add_actions(world, 6)
    newest_first = partner.get(URL, {"sort": "-published"}).context["page"].object_list
    published = [row.last_published_at for row in newest_first]
    assert published == sorted(published, reverse=True)
    by_state = partner.get(URL, {"sort": "state"}).context["page"].object_list
    order = ["none", "draft", "submitted", "returned", "published"]
    assert [order.index(row.state) for row in by_state] == sorted(order.index(row.state) for row in by_state)


def page_queries(client, params=None) -> list[str]:
    """The SQL of a request of My actions, after a warm one (sessions, the menu's unread count)."""
    client.get(URL, params or {})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params or {}).status_code == 200
    return [query["sql"] for query in captured]


def test_each_rows_published_and_open_updates_are_read_in_one_query(world, partner):
    """Issue 26: the last published update each row starts from and its open update, from one query."""
    made = add_actions(world, 6)
    sql = page_queries(partner)
    assert len([query for query in sql if query.startswith('SELECT "actions_progressupdate"')]) == 1
    rows = {row.action_pk: row for row in partner.get(URL).context["page"].object_list}
    for action in made:
        published = action.updates.published().get()
        opened = action.updates.open().first()
        assert rows[action.pk].last_published_at == published.published_at
        assert rows[action.pk].open_pk == (opened.pk if opened else None)


@pytest.mark.parametrize("correction_written", ["after", "before"])
def test_of_an_open_update_and_an_open_correction_the_row_continues_the_newest(world, partner, correction_written):
    """An action may have an open correction beside its open update: the row's "Continue" is the one
    written last (as it was when the open updates had a query of their own)."""
    submitted = world.submitted_updates["own"]
    correction = ProgressUpdateFactory(
        action=world.own_action, cycle=world.cycle, state=ReviewState.DRAFT, corrects=world.published_updates["own"]
    )
    moved = timedelta(days=1 if correction_written == "after" else -1)
    ProgressUpdate.objects.filter(pk=correction.pk).update(created_at=submitted.created_at + moved)
    (row,) = [row for row in partner.get(URL).context["page"].object_list if row.action_pk == world.own_action.pk]
    assert row.open_pk == (correction.pk if correction_written == "after" else submitted.pk)


def test_with_one_plan_shown_the_state_is_one_subquery_and_no_order_of_plans(world, partner):
    """Issue 26: the state expressions cost more to compile than to run; with one plan (the usual case)
    the rows query has one subquery for the state and no CASE choosing a plan's cycle or ordering plans."""
    (rows,) = [query for query in page_queries(partner) if " OVER " in query.upper()]
    assert "CASE" not in rows.upper()
    assert rows.upper().count('FROM "ACTIONS_PROGRESSUPDATE"') == 1


def test_with_two_plans_open_each_action_stands_in_its_own_plans_cycle(world, partner):
    """At the year's end two plans have an open cycle: each row's state is read in its own plan's cycle,
    and the earlier plan's rows come first."""
    later = PlanFactory(partnership=world.partnership, slug="2018-19", title="Test Agreement 2018/19")
    later_cycle = ReportingCycleFactory(
        plan=later,
        name="Q1 2018/19",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2018, 7, 20),
    )
    later_priority = PlanPriorityFactory(plan=later, title="Road Safety", priority=world.plan_priority.priority)
    drafted = ActionFactory(plan_priority=later_priority, wording="Later plan's drafted action", leads=[world.own_org])
    untouched = ActionFactory(plan_priority=later_priority, wording="Later plan's new action", leads=[world.own_org])
    ProgressUpdateFactory(action=drafted, cycle=later_cycle, state=ReviewState.DRAFT)
    # An update in the other plan's cycle is not where the action stands.
    ProgressUpdateFactory(action=untouched, cycle=world.cycle, state=ReviewState.SUBMITTED)
    rows = partner.get(URL).context["page"].object_list
    assert [(row.action_pk, row.state) for row in rows] == [
        (world.own_action.pk, "submitted"),
        (drafted.pk, "draft"),
        (untouched.pk, "none"),
    ]
    assert [row.action_pk for row in partner.get(URL, {"state": "none"}).context["page"].object_list] == [untouched.pk]


def test_a_partner_asked_nothing_is_told_so_by_one_query_without_joins(world):
    """Issue 26: the open requests of the governing group made of the person's organisations are usually
    none; a query of the requests alone says so before the one with the list's joins."""
    access = access_for(world.users["partner"], world.partnership)
    with CaptureQueriesContext(connection) as captured:
        assert requests_of(access) == []
    (query,) = [query["sql"] for query in captured]
    assert "workflow_governingrequest" in query and "JOIN" not in query.upper()
