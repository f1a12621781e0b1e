"""Each role's dashboard: what it shows, to whom, in a fixed number of queries."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.services import action_update
from csa_tracker.accounts.access import access_for
from cycles.services import cycle_lock
from dashboards.selectors import stale_indicators
from indicators.models import Geography, Target
from tests.factories import (
    ActionFactory,
    GeographyFactory,
    IndicatorFactory,
    PlanFactory,
    PlanPriorityFactory,
    ProgressUpdateFactory,
    PublishedUpdateFactory,
    ReadingFactory,
    StatusFactory,
    ThemeFactory,
)
from tests.pages import chart_values, json_script
from workflow.models import ReviewState
from workflow.services import item_publish

DASHBOARD = reverse("dashboard", kwargs={"partnership": "kent-test"})
WG_DASHBOARD = reverse("working_group_dashboard", kwargs={"partnership": "kent-test"})
MINE = reverse("my_dashboard", kwargs={"partnership": "kent-test"})


@pytest.mark.parametrize("role", ["governing", "working_group", "admin"])
def test_governing_dashboard_has_a_card_per_priority_with_figures_direction_trend_and_statuses(world, client_as, role):
    page = client_as(world.users[role]).get(DASHBOARD).content.decode()
    assert page.count("<h1>") == 1
    assert "Road Safety" in page
    assert "Road casualties" in page
    assert "up 5.6% from 5,799 to 6,122, 323 more" in page
    assert '<span aria-hidden="true">↑</span> Worsening' in page
    assert chart_values(json_script(page, "trend-road-safety")) == [5799.0, 6122.0]
    assert 'data-chart="trend-road-safety"' in page
    assert "Figures in the trend chart" in page  # the chart's table alternative
    assert "In progress: <strong>2</strong>" in page
    assert "Nothing has been escalated." in page


def test_the_trend_is_the_latest_13_published_periods_with_corrections(world, client_as):
    """The trend reads only its last 13 periods (issue 26): a correction of the 13th latest shows, and
    neither work in progress nor another area's reading moves where the trend starts."""
    indicator = world.indicator
    for year in range(2001, 2015):  # with the world's 2015 and 2016: 16 years published
        ReadingFactory(indicator=indicator, value=year, period_start=date(year, 1, 1), period_end=date(year, 12, 31))
    # 2004 is the 13th latest period: its correction, published after it, is shown instead.
    ReadingFactory(indicator=indicator, value=4004, period_start=date(2004, 1, 1), period_end=date(2004, 12, 31))
    ReadingFactory(
        indicator=indicator,
        value=2017,
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 31),
        state=ReviewState.SUBMITTED,
        published_at=None,
    )
    district = GeographyFactory(
        partnership=world.partnership, name="Dover", kind=Geography.Kind.DISTRICT, parent=indicator.geography
    )
    ReadingFactory(
        indicator=indicator, geography=district, value=77, period_start=date(2018, 1, 1), period_end=date(2018, 12, 31)
    )
    page = client_as(world.users["governing"]).get(DASHBOARD).content.decode()
    expected = [4004.0, *(float(year) for year in range(2005, 2015)), 5799.0, 6122.0]
    assert chart_values(json_script(page, "trend-road-safety")) == expected


def test_governing_dashboard_shows_only_headline_indicators(world, client_as):
    IndicatorFactory(partnership=world.partnership, priority=world.plan_priority.priority, name="Minor", headline=False)
    page = client_as(world.users["governing"]).get(DASHBOARD).content.decode()
    assert "Minor" not in page


def test_a_priority_with_no_indicators_says_so(world, client_as):
    PlanPriorityFactory(plan=world.plan, title="Serious and Organised Crime")
    page = client_as(world.users["governing"]).get(DASHBOARD).content.decode()
    assert "Serious and Organised Crime" in page
    assert "No headline indicators for this priority." in page


def test_partner_cannot_read_the_governing_or_working_group_dashboard(world, client_as):
    client = client_as(world.users["partner"])
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(WG_DASHBOARD).status_code == 403


def test_working_group_dashboard_lists_overdue_unreported_and_stale(world, client_as):
    yesterday = timezone.localdate() - timedelta(days=1)
    done = StatusFactory(partnership=world.partnership, name="Completed", order=4, is_complete=True)
    overdue = ActionFactory(plan_priority=world.plan_priority, wording="Overdue thing", due_date=yesterday)
    ActionFactory(plan_priority=world.plan_priority, wording="Finished thing", due_date=yesterday, status=done)
    ActionFactory(plan_priority=world.plan_priority, wording="Future thing", due_date=date(2999, 1, 1))
    submitted = ActionFactory(plan_priority=world.plan_priority, wording="Submitted thing")
    ProgressUpdateFactory(action=submitted, cycle=world.cycle, state="submitted")
    drafted = ActionFactory(plan_priority=world.plan_priority, wording="Drafted thing")
    ProgressUpdateFactory(action=drafted, cycle=world.cycle)
    fresh = IndicatorFactory(partnership=world.partnership, name="Fresh monthly", period_type="month")
    this_month = timezone.localdate().replace(day=1)
    ReadingFactory(indicator=fresh, period_start=this_month, period_end=this_month)

    page = client_as(world.users["working_group"]).get(WG_DASHBOARD).content.decode()
    overdue_section = page[page.index('id="overdue-heading"') : page.index('id="stale-heading"')]
    assert "Overdue thing" in overdue_section
    assert "Finished thing" not in overdue_section and "Future thing" not in overdue_section
    unreported = page[page.index('id="unreported-heading"') : page.index('id="overdue-heading"')]
    assert "Drafted thing" in unreported and "Overdue thing" in unreported
    assert "Submitted thing" not in unreported and "Own council&#x27;s action" not in unreported
    stale = page[page.index('id="stale-heading"') :]
    assert "Road casualties" in stale and "2016 (Jan–Dec)" in stale
    assert "Fresh monthly" not in stale
    assert "items waiting for review" in page  # the world's submitted updates and readings
    assert overdue.wording in page


def test_stale_is_judged_against_the_given_day(world):
    access = type("A", (), {"partnership": world.partnership})()
    assert [s.name for s in stale_indicators(access, date(2018, 6, 30))] == []
    assert [s.name for s in stale_indicators(access, date(2018, 7, 1))] == [world.indicator.name]


def test_an_indicator_with_no_published_figure_is_stale(world, client_as):
    IndicatorFactory(partnership=world.partnership, name="Never reported")
    page = client_as(world.users["admin"]).get(WG_DASHBOARD).content.decode()
    assert "Never reported" in page and "No published figure" in page


def stale_section(client) -> str:
    page = client.get(WG_DASHBOARD).content.decode()
    return page[page.index('id="stale-heading"') :]


def test_the_stale_sources_are_read_once_per_publication_generation_and_follow_a_publication(
    world, client_as, pages_built_every_time
):
    """The stale list comes from the cache of published figures (issue 26): a page built again for a
    change to the work reads no indicator, and a publication shows at once."""
    client = client_as(world.users["working_group"])
    assert "2016 (Jan–Dec)" in stale_section(client)
    with CaptureQueriesContext(connection) as captured:
        assert "2016 (Jan–Dec)" in stale_section(client)
    assert not any("stale_from" in query["sql"] for query in captured)

    reading = world.submitted_readings["own"]  # Road casualties, 2018
    item_publish(access=access_for(world.users["working_group"], world.partnership), item=reading, version=1)
    stale = stale_section(client)
    assert "Road casualties" in stale and "2018 (Jan–Dec)" in stale and "2016 (Jan–Dec)" not in stale


def chosen_cycle(client) -> str:
    page = client.get(WG_DASHBOARD).content.decode()
    return page[page.index('class="chosen-cycle"') :][:200]


def test_the_cycle_chooser_is_kept_while_shared_work_is_unchanged_and_follows_a_change(
    world, client_as, pages_built_every_time, monkeypatch
):
    """The chooser's plans and cycles, and its HTML, are kept per shared work generation (issue 26): a
    page built again, even after a publication of progress, reads and renders neither; a cycle locked (an
    audited change to the cycle, a new generation) shows at once."""
    client = client_as(world.users["working_group"])
    access = access_for(world.users["working_group"], world.partnership)
    assert "(open; updates due" in chosen_cycle(client)
    item_publish(access=access, item=world.submitted_updates["own"], version=world.submitted_updates["own"].version)
    rendered = []
    monkeypatch.setattr("cycles.choice.render_to_string", lambda *args, **kwargs: rendered.append(args) or "")
    with CaptureQueriesContext(connection) as captured:
        assert "the cycle with open work" in chosen_cycle(client)
    assert not any('"has_cycles"' in query["sql"] for query in captured)
    assert rendered == []

    monkeypatch.undo()
    cycle_lock(access=access, cycle=world.cycle, reason="Done.")
    assert "(locked; updates due" in chosen_cycle(client) and "the latest" in chosen_cycle(client)


def overdue_leads(client) -> list[str]:
    page = client.get(WG_DASHBOARD).content.decode()
    overdue = page[page.index('id="overdue-heading"') : page.index('id="stale-heading"')]
    return re.findall(r'<td data-label="Lead">([^<]*)</td>', overdue)


def test_the_action_lists_leads_are_read_once_per_shared_generation_and_follow_a_change(
    world, client_as, pages_built_every_time
):
    """The lead agencies of the plan's actions are read once per shared work generation (issue 26): a
    page built again after a publication of progress reads none, and an action's new lead (an audited
    change to the action, which moves that generation) shows at once."""
    late = ActionFactory(
        plan_priority=world.plan_priority, wording="Late", due_date=date(2017, 1, 1), leads=[world.own_org]
    )
    access = access_for(world.users["working_group"], world.partnership)
    client = client_as(world.users["working_group"])
    assert overdue_leads(client) == [world.own_org.display_name]

    item_publish(access=access, item=world.submitted_updates["own"], version=world.submitted_updates["own"].version)
    with CaptureQueriesContext(connection) as captured:
        assert overdue_leads(client) == [world.own_org.display_name]
    assert not any("actions_action_leads" in query["sql"] for query in captured)

    action_update(access=access, action=late, fields={"leads": [world.other_org]}, reason="Handed over.")
    assert overdue_leads(client) == [world.other_org.display_name]


def published_count(page: str) -> int:
    """How many actions the cycle's counts say are published."""
    return int(re.search(r'<p class="cycle-counts">[^<]*?(\d+) published', page).group(1))


def overdue_section(client, **query) -> str:
    page = client.get(WG_DASHBOARD, query).content.decode()
    return page[page.index('id="overdue-heading"') : page.index('id="stale-heading"')]


def test_the_working_group_s_actions_are_kept_per_shared_generation_but_not_their_status_or_state(
    world, client_as, pages_built_every_time
):
    """The Working Group dashboard keeps the plan's actions (wording, due date, priority) and which are
    on a theme per shared work generation, in the piece the board keeps (issue 26,
    `actions.kept.plan_actions`): a page built again after a publication of progress reads neither, yet shows
    the status and the state the publication gave the action at once; an audited change to an action's
    wording, due date or themes shows at once."""
    late = ActionFactory(plan_priority=world.plan_priority, wording="Late one", due_date=date(2017, 1, 1))
    other = ActionFactory(plan_priority=world.plan_priority, wording="Late two", due_date=date(2017, 2, 1))
    update = ProgressUpdateFactory(
        action=late,
        cycle=world.cycle,
        state="submitted",
        author=world.users["partner"],
        organisation=world.own_org,
        submitted_at=timezone.now(),
        status=StatusFactory(partnership=world.partnership, name="Completed", order=5, is_complete=True),
    )
    theme = ThemeFactory(partnership=world.partnership, name="Youth")
    access = access_for(world.users["working_group"], world.partnership)
    client = client_as(world.users["working_group"])
    assert "Late one" in overdue_section(client) and "Late two" in overdue_section(client)
    assert "Overdue actions (0)" in overdue_section(client, theme=theme.pk)
    published = published_count(client.get(WG_DASHBOARD).content.decode())

    item_publish(access=access, item=update, version=update.version)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(WG_DASHBOARD).content.decode()
    assert not any('"actions_action"."wording"' in query["sql"] for query in captured)
    assert not any("actions_action_themes" in query["sql"] for query in captured)
    overdue = page[page.index('id="overdue-heading"') : page.index('id="stale-heading"')]
    assert "Late one" not in overdue and "Late two" in overdue  # complete now: no longer overdue
    assert published_count(page) == published + 1

    action_update(access=access, action=other, fields={"wording": "Reworded late"}, reason="Clearer.")
    assert "Reworded late" in overdue_section(client) and "Late two" not in overdue_section(client)
    action_update(access=access, action=other, fields={"due_date": date(2099, 1, 1)}, reason="Later.")
    assert "Reworded late" not in overdue_section(client)
    action_update(
        access=access, action=other, fields={"due_date": date(2017, 2, 1), "themes": [theme]}, reason="Youth."
    )
    assert "Reworded late" in overdue_section(client, theme=theme.pk)


@pytest.mark.parametrize("dashboard_first", [True, False])
def test_the_dashboard_and_the_board_keep_the_plan_s_actions_in_one_piece(
    world, client_as, pages_built_every_time, dashboard_first
):
    """The Working Group dashboard and the completeness board read one kept piece of the plan's actions
    (`actions.kept.plan_actions`), so whichever page is built second reads neither the actions' wording
    nor their themes, and the board built second not their leads."""
    board = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": world.cycle.pk})
    first, second = (WG_DASHBOARD, board) if dashboard_first else (board, WG_DASHBOARD)
    client = client_as(world.users["working_group"])
    assert client.get(first).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(second).status_code == 200
    assert not any('"actions_action"."wording"' in query["sql"] for query in captured)
    assert not any("actions_action_themes" in query["sql"] for query in captured)
    # The dashboard's rows name their leads from the same piece (`dashboards.selectors.PlanLists.leads`).
    assert not any("actions_action_leads" in query["sql"] for query in captured)


def test_the_stale_sources_are_judged_on_each_day(world, client_as, pages_built_every_time, monkeypatch):
    """The day is in the stale list's key: a source that goes stale overnight shows the next morning,
    counted in the heading."""
    client = client_as(world.users["working_group"])
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2018, 6, 30))
    stale = stale_section(client)
    assert "Indicators with a stale source (0)" in stale and "Every indicator is up to date." in stale
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2018, 7, 1))
    stale = stale_section(client)
    assert "Indicators with a stale source (1)" in stale and "Road casualties" in stale
    assert "Every indicator is up to date." not in stale


def test_partner_sees_actions_their_organisation_leads_or_supports_and_what_is_due(
    world, client_as, pages_built_every_time
):
    supported = ActionFactory(
        plan_priority=world.plan_priority,
        wording="Supported thing",
        leads=[world.other_org],
        supporters=[world.own_org],
    )
    page = client_as(world.users["partner"]).get(MINE).content.decode()
    assert "Own council&#x27;s action" in page and "Supported thing" in page
    assert "Other council&#x27;s action" not in page
    due = page[page.index('id="due-heading"') : page.index('id="returned-heading"')]
    assert "Supported thing" in due and "Own council&#x27;s action" not in due
    assert "Nothing has been returned to you." in page

    PublishedUpdateFactory(action=supported, cycle=world.cycle)
    page = client_as(world.users["partner"]).get(MINE).content.decode()
    due = page[page.index('id="due-heading"') : page.index('id="returned-heading"')]
    assert "Supported thing" not in due
    assert "Nothing is due" in due


def action_row(page: str, wording: str) -> str:
    """The table row of the action worded `wording` in `page` (its first)."""
    start = page.index(wording)
    return page[start : page.index("</tr>", start)]


def test_the_partners_actions_are_read_once_per_shared_generation_and_follow_an_audited_change(
    world, client_as, pages_built_every_time
):
    """The partner's dashboard keeps its actions (wording, dates, priority, leads) per shared work
    generation (issue 26, `dashboards.selectors.my_action_values`): a page built again reads neither them
    nor their leads, and a change to an action through its service (a new generation) shows at once."""
    client = client_as(world.users["partner"])
    working_group = access_for(world.users["working_group"], world.partnership)
    assert "Own council&#x27;s action" in client.get(MINE).content.decode()
    with CaptureQueriesContext(connection) as captured:
        assert "Own council&#x27;s action" in client.get(MINE).content.decode()
    assert not any("actions_action_leads" in query["sql"] for query in captured)

    action_update(access=working_group, action=world.own_action, fields={"wording": "Reworded"}, reason="Clearer.")
    page = client.get(MINE).content.decode()
    assert "Reworded" in page and "Own council&#x27;s action" not in page
    action_update(access=working_group, action=world.own_action, fields={"leads": [world.other_org]}, reason="Moved.")
    assert "Reworded" not in client.get(MINE).content.decode()


def test_a_published_updates_status_shows_at_once_on_the_partners_dashboard(world, client_as, pages_built_every_time):
    """Publishing sets the action's status (`ProgressUpdate.on_published`) and moves only the
    organisations' work generations, not the shared one the dashboard's actions are kept by: their
    statuses are read with their states on every build (issue 26)."""
    client = client_as(world.users["partner"])
    update = world.submitted_updates["own"]
    assert "Completed" not in action_row(client.get(MINE).content.decode(), "Own council&#x27;s action")
    update.status = StatusFactory(partnership=world.partnership, name="Completed", order=5)
    update.save()  # written by a factory's hand: the publication below is the audited change
    item_publish(access=access_for(world.users["working_group"], world.partnership), item=update, version=1)
    assert "Completed" in action_row(client.get(MINE).content.decode(), "Own council&#x27;s action")


@pytest.mark.parametrize(
    ("role", "target"),
    [("partner", MINE), ("working_group", WG_DASHBOARD), ("governing", DASHBOARD), ("admin", DASHBOARD)],
)
def test_partnership_home_sends_each_role_to_its_dashboard(world, client_as, role, target):
    assert client_as(world.users[role]).get("/kent-test/")["Location"] == target


def test_navigation_links_each_role_to_its_pages(world, client_as):
    partner_nav = client_as(world.users["partner"]).get(MINE).content.decode()
    assert 'href="/kent-test/dashboard/mine/"' in partner_nav and 'href="/kent-test/indicators/"' in partner_nav
    assert 'href="/kent-test/dashboard/"' not in partner_nav
    wg_nav = client_as(world.users["working_group"]).get(DASHBOARD).content.decode()
    assert 'href="/kent-test/dashboard/working-group/"' in wg_nav


def add_plan_data(world, number: int):
    """More priorities, actions, updates, indicators and readings: none of it may add queries."""
    district = GeographyFactory(partnership=world.partnership, name="Dover", kind=Geography.Kind.DISTRICT)
    for n in range(number):
        plan_priority = PlanPriorityFactory(plan=world.plan)
        for _ in range(3):
            action = ActionFactory(
                plan_priority=plan_priority,
                leads=[world.own_org],
                supporters=[world.other_org],
                due_date=date(2017, 1, 1),
            )
            PublishedUpdateFactory(action=action, cycle=world.cycle)
        indicator = IndicatorFactory(
            partnership=world.partnership, priority=plan_priority.priority, period_type="month"
        )
        for month in range(1, 13):
            end = date(2016 + n % 2, month, 28)
            ReadingFactory(indicator=indicator, value=month, period_start=end.replace(day=1), period_end=end)
            Target.objects.create(indicator=indicator, period_end=end, value=month)  # rated beside each figure
            ReadingFactory(indicator=indicator, geography=district, value=month, period_start=end, period_end=end)


@pytest.mark.parametrize(
    ("role", "url", "most"),
    # Each page's own, built with nothing kept (issue 26: the Working Group's counts and both action lists in
    # one query; the partner's actions, the plan's lead agencies and the theme options are kept per shared
    # generation after the first build). The Working Group's plan actions are the piece the board keeps
    # (`actions.kept.plan_actions`): its first build reads their leads (with whether anyone there can be
    # reminded) and themes too, two queries more, which the board then reads from the cache.
    [
        ("governing", DASHBOARD, 18),
        ("working_group", WG_DASHBOARD, 15),
        ("partner", MINE, 13),
        ("admin", DASHBOARD, 18),
    ],
)
def test_dashboard_query_count_does_not_grow_with_the_plan(
    world, client_as, role, url, most, django_assert_max_num_queries, pages_built_every_time
):
    client = client_as(world.users[role])
    # Every list starts non-empty, so each of its prefetches runs at the small size too.
    ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], due_date=date(2017, 1, 1))
    # The cycle chooser reads the shown plan's cycles; the menu, the unread notifications.
    with django_assert_max_num_queries(most) as small:
        assert client.get(url).status_code == 200
    add_plan_data(world, 6)
    # Written by factories, behind the services: nothing kept since the first build may be read.
    cache.clear()
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_working_group_lists_are_cut_at_25_longest_overdue_first_with_the_total(world, client_as):
    today = timezone.localdate()
    for days in range(1, 31):
        ActionFactory(
            plan_priority=world.plan_priority, wording=f"Late by {days} days.", due_date=today - timedelta(days)
        )
    page = client_as(world.users["working_group"]).get(WG_DASHBOARD).content.decode()
    overdue = page[page.index('id="overdue-heading"') : page.index('id="stale-heading"')]
    assert "Overdue actions (30)" in overdue
    assert "Showing the 25 longest overdue; 5 more are overdue." in overdue
    assert "Late by 30 days." in overdue and "Late by 6 days." in overdue
    assert "Late by 5 days." not in overdue
    assert overdue.index("Late by 30 days.") < overdue.index("Late by 6 days.")


def test_working_group_overdue_list_follows_the_theme_and_needs_no_cycle(world, client_as):
    """The overdue list is worked out from the same reading of the plan's actions as the cycle's counts
    (issue 26): only actions on the chosen theme, ties on the due date in the order they were made, and
    listed for a plan with no reporting cycle too."""
    yesterday = timezone.localdate() - timedelta(days=1)
    theme = ThemeFactory(partnership=world.partnership, name="Youth")
    tagged = [
        ActionFactory(plan_priority=world.plan_priority, wording=f"Tagged late {n}", due_date=yesterday, order=9 - n)
        for n in range(3)
    ]
    for action in tagged:
        action.themes.set([theme])
    ActionFactory(plan_priority=world.plan_priority, wording="Untagged late", due_date=yesterday)
    # Made before the first request: the cycle chooser keeps the plans per work generation.
    later = PlanFactory(partnership=world.partnership, slug="2018-19", starts=date(2018, 4, 1), ends=date(2019, 3, 31))
    ActionFactory(
        plan_priority=PlanPriorityFactory(plan=later), wording="Late in a plan with no cycle", due_date=yesterday
    )
    client = client_as(world.users["working_group"])

    page = client.get(WG_DASHBOARD, {"theme": theme.pk}).content.decode()
    overdue = page[page.index('id="overdue-heading"') : page.index('id="stale-heading"')]
    assert "Overdue actions (3)" in overdue and "Untagged late" not in overdue
    assert overdue.index("Tagged late 0") < overdue.index("Tagged late 1") < overdue.index("Tagged late 2")
    unreported = page[page.index('id="unreported-heading"') : page.index('id="overdue-heading"')]
    assert "(3)</h2>" in unreported and "Untagged late" not in unreported

    page = client.get(WG_DASHBOARD, {"plan": "2018-19"}).content.decode()
    overdue = page[page.index('id="overdue-heading"') : page.index('id="stale-heading"')]
    assert "Overdue actions (1)" in overdue and "Late in a plan with no cycle" in overdue
    assert "has no reporting cycle yet" in page and 'class="cycle-counts"' not in page


def test_an_action_tables_wording_is_cut_at_160_characters_as_truncatechars_cuts_it(world, client_as):
    """Issue 26: the rows skip Django's walk over every character when a wording is short enough; the
    text is the same: composed (NFC), combining marks not counted, cut with "…" only past 160."""
    from django.utils.text import Truncator

    today = timezone.localdate()
    wordings = ["Cafe\u0301 " * 31 + "end.", "Long " * 40 + "tail.", "A" * 160, "B" * 161, "C" + "e\u0301" * 165]
    for wording in wordings:
        ActionFactory(plan_priority=world.plan_priority, wording=wording, due_date=today - timedelta(days=1))
    page = client_as(world.users["working_group"]).get(WG_DASHBOARD).content.decode()
    overdue = page[page.index('id="overdue-heading"') : page.index('id="stale-heading"')]
    for wording in wordings:
        assert f">{Truncator(wording).chars(160)}</a>" in overdue
    assert ">" + "Café " * 31 + "end.<" in overdue and "B" * 159 + "…" in overdue and "A" * 160 + "</a>" in overdue


def test_the_partners_lists_are_cut_at_25_with_the_total_and_a_way_to_all_of_them(world, client_as):
    for number in range(1, 31):
        ActionFactory(plan_priority=world.plan_priority, wording=f"Owed number {number:02}.", leads=[world.own_org])
    page = client_as(world.users["partner"]).get(MINE).content.decode()
    due = page[page.index('id="due-heading"') : page.index('id="returned-heading"')]
    assert due.count("Owed number ") == 25
    # The world's own action has a submitted update: the 30 new ones are due, cut at 25.
    assert "Showing the first 25; 5 more need an update:" in due
    assert f'href="/kent-test/my-work/?cycle={world.cycle.pk}">see them all in My actions' in due
    assert "30 due in the open reporting cycle" in page


def test_county_dashboard_shows_district_partnerships_published_figures_side_by_side(world, client_as):
    from datetime import date

    from tests.factories import IndicatorFactory, PartnershipFactory, ReadingFactory

    district = PartnershipFactory(name="Swale Community Safety Partnership", slug="swale", parent=world.partnership)
    shared = IndicatorFactory(partnership=district, slug=world.indicator.slug, name="Road casualties in Swale")
    ReadingFactory(indicator=shared, value=410, period_start=date(2015, 1, 1), period_end=date(2015, 12, 31))
    ReadingFactory(indicator=shared, value=380, period_start=date(2016, 1, 1), period_end=date(2016, 12, 31))
    # A draft figure is never shown, however recent.
    ReadingFactory(
        indicator=shared, value=999, period_start=date(2017, 1, 1), period_end=date(2017, 12, 31), state="draft"
    )
    # An unrelated partnership with the same indicator is not a district of this county.
    stranger = IndicatorFactory(partnership=world.other_partnership, slug=world.indicator.slug)
    ReadingFactory(indicator=stranger, value=777)
    page = client_as(world.users["governing"]).get(f"/{world.partnership.slug}/dashboard/").content.decode()
    section = page.split('id="districts-heading"')[1]
    assert "Swale Community Safety Partnership" in section
    assert "down 7.3% from 410 to 380, 30 fewer" in section
    assert "999" not in section and "777" not in section


def test_district_figures_below_the_threshold_are_suppressed_on_the_county_dashboard(world, client_as):
    from tests.factories import GeographyFactory, IndicatorFactory, PartnershipFactory, ReadingFactory

    district = PartnershipFactory(slug="dover", parent=world.partnership)
    dover = GeographyFactory(partnership=world.partnership, name="Dover", kind="district")
    shared = IndicatorFactory(partnership=district, slug=world.indicator.slug, geography=dover)
    ReadingFactory(indicator=shared, value=3)
    page = client_as(world.users["governing"]).get(f"/{world.partnership.slug}/dashboard/").content.decode()
    section = page.split('id="districts-heading"')[1]
    assert "fewer than 5" in section
    assert ">3<" not in section
