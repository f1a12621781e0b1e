"""No page offers an action that the next page refuses (issue 25): after the Working Group locks the
cycle, and after it publishes the cycle's report, every link and button on each role's pages opens a
page that does what it says (200, no error message, not the "cannot be written" page), and the pages
that would offer "Write update" say which cycle is closed and whom to ask instead. The whole year, step
by step: tests/plans/test_whole_year.py."""

import pytest
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from cycles.services import cycle_lock
from reports.services import report_publish
from tests.factories import ActionFactory
from tests.links import REFUSALS, dead_ends, page_links

REFUSED = REFUSALS[0]


def _pages(world):
    kw = {"partnership": world.partnership.slug}
    home = reverse("partnership_home", kwargs=kw)
    pages = {
        Role.PARTNER: [
            reverse("my_work", kwargs=kw),
            reverse("my_dashboard", kwargs=kw),
            reverse("action_detail", kwargs={**kw, "pk": world.fresh.pk}),
            reverse("indicator_page", kwargs={**kw, "slug": world.indicator.slug}),
        ],
        Role.WORKING_GROUP: [
            reverse("working_group_dashboard", kwargs=kw),
            reverse("action_detail", kwargs={**kw, "pk": world.fresh.pk}),
        ],
        Role.GOVERNING: [
            reverse("dashboard", kwargs=kw),
            reverse("indicator_page", kwargs={**kw, "slug": world.indicator.slug}),
        ],
        Role.ADMIN: [],
    }
    return {role: [home, *shown] for role, shown in pages.items()}


@pytest.fixture
def closed_world(world):
    world.fresh = ActionFactory(plan_priority=world.plan_priority, wording="Fresh action", leads=[world.own_org])
    cycle_lock(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    return world


def _assert_no_dead_ends(world, client_as):
    prefix = f"/{world.partnership.slug}/"
    for role, pages in _pages(world).items():
        assert dead_ends(client_as(world.users[role]), pages, prefix, buttons=True) == [], role


def test_after_a_lock_every_link_leads_somewhere_that_works(closed_world, client_as):
    _assert_no_dead_ends(closed_world, client_as)


def test_after_the_report_is_published_every_link_leads_somewhere_that_works(closed_world, client_as):
    report_publish(
        access=access_for(closed_world.users["working_group"], closed_world.partnership), cycle=closed_world.cycle
    )
    _assert_no_dead_ends(closed_world, client_as)


def test_my_actions_says_which_cycle_is_closed_and_whom_to_ask(closed_world, client_as):
    world = closed_world
    world.users["working_group"].first_name, world.users["working_group"].last_name = "Wendy", "Group"
    world.users["working_group"].email = "wendy@example.org"
    world.users["working_group"].save()
    page = client_as(world.users["partner"]).get(reverse("my_work", kwargs={"partnership": "kent-test"}))
    html = page.content.decode()
    start = reverse("update_start", kwargs={"partnership": "kent-test", "pk": world.fresh.pk})
    assert start not in html
    assert "Q4 2017/18 is locked while the Working Group reviews it" in html
    assert '<a href="mailto:wendy@example.org">Wendy Group</a>' in html


def test_the_write_page_reached_directly_explains_and_links_onwards(closed_world, client_as):
    world = closed_world
    start = reverse("update_start", kwargs={"partnership": "kent-test", "pk": world.fresh.pk})
    response = client_as(world.users["partner"]).get(start)
    html = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in html
    assert start not in page_links(html, "/kent-test/")
    assert reverse("my_work", kwargs={"partnership": "kent-test"}) in page_links(html, "/kent-test/")
