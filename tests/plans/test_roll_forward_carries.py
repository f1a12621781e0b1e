"""Roll-forward carries everything that belongs to an action (issue 25): leads, supporters, themes,
funding, and dates moved on into the new year."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from actions.roll_forward import carried_date
from tests.factories import (
    ActionFactory,
    FundingSourceFactory,
    PublishedUpdateFactory,
    ReportingCycleFactory,
    ThemeFactory,
)


@pytest.fixture
def dressed(world):
    """The own council's action with a theme, funding, a supporter and last year's dates."""
    action = world.own_action
    action.themes.set(
        [
            ThemeFactory(partnership=world.partnership, name="Vulnerability"),
            ThemeFactory(partnership=world.partnership, name="Youth"),
        ]
    )
    action.funding = FundingSourceFactory(partnership=world.partnership, name="Police and Crime Commissioner")
    action.start_date = date(2017, 6, 1)
    action.due_date = date(2018, 3, 31)
    action.save()
    action.supporters.set([world.other_org])
    return action


def test_a_carried_action_keeps_leads_supporters_themes_and_funding(world, dressed, roll_last_year_forward):
    new_plan = roll_last_year_forward()
    carried = Action.objects.get(plan_priority__plan=new_plan, carried_from=dressed)
    assert list(carried.leads.all()) == list(dressed.leads.all())
    assert list(carried.supporters.all()) == [world.other_org]
    assert sorted(theme.name for theme in carried.themes.all()) == ["Vulnerability", "Youth"]
    assert carried.funding.name == "Police and Crime Commissioner"


def test_a_carried_action_s_dates_move_on_a_year_so_it_is_not_overdue_on_day_one(
    world, dressed, roll_last_year_forward
):
    new_plan = roll_last_year_forward()
    carried = Action.objects.get(plan_priority__plan=new_plan, carried_from=dressed)
    assert (carried.start_date, carried.due_date) == (date(2018, 6, 1), date(2019, 3, 31))
    assert Action.objects.get(pk=dressed.pk).due_date == date(2018, 3, 31)  # last year's action keeps its own


def test_a_date_still_before_the_new_plan_is_cleared_and_29_february_becomes_28():
    starts = date(2025, 4, 1)
    assert carried_date(date(2023, 5, 1), months=12, new_starts=starts) is None
    assert carried_date(date(2025, 3, 31), months=12, new_starts=starts) == date(2026, 3, 31)
    assert carried_date(date(2024, 2, 29), months=12, new_starts=date(2025, 1, 1)) == date(2025, 2, 28)
    assert carried_date(None, months=12, new_starts=starts) is None


def test_a_carried_action_s_first_update_starts_from_last_year_s_published_text(
    world, client_as, roll_last_year_forward, pages_built_every_time
):
    new_plan = roll_last_year_forward()
    carried = Action.objects.get(plan_priority__plan=new_plan, carried_from=world.own_action)
    ReportingCycleFactory(
        plan=new_plan,
        name="Q1 2018/19",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2018, 7, 14),
    )
    partner = client_as(world.users["partner"])
    page = partner.get(reverse("update_start", kwargs={"partnership": "kent-test", "pk": carried.pk}))
    assert page.status_code == 200
    assert page.context["form"].initial["text"] == "Own published progress."
    assert page.context["published"] is None  # the aside says nothing is published on this year's action
    assert "The form starts from the text last published for it in Test Agreement 2017/18." in page.content.decode()

    my_work = partner.get(reverse("my_work", kwargs={"partnership": "kent-test"}), {"plan": "2018-19"})
    row = next(row for row in my_work.context["page"] if row.action_pk == carried.pk)
    last_year = world.own_action.updates.published().get()  # "Own published progress."
    assert row.last_published_at == last_year.published_at
    assert row.last_published.startswith(f"{world.cycle.name}, ")
    assert row.last_published.endswith(" (in Test Agreement 2017/18)")
    assert "(in Test Agreement 2017/18)" in my_work.content.decode()


def test_my_actions_reads_last_year_s_progress_in_queries_that_do_not_grow_with_carried_actions(
    world, client_as, roll_last_year_forward, pages_built_every_time
):
    new_plan = roll_last_year_forward()
    new_priority = new_plan.plan_priorities.get()
    partner = client_as(world.users["partner"])
    url = reverse("my_work", kwargs={"partnership": "kent-test"})

    def queries(carried: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = partner.get(url, {"plan": "2018-19"})
        assert page.content.decode().count("(in Test Agreement 2017/18)") == carried
        return len(captured)

    partner.get(url)  # warm: sessions, content types
    cache.clear()  # both counts with nothing kept
    before = queries(carried=1)
    for _ in range(10):
        earlier = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
        PublishedUpdateFactory(action=earlier, cycle=world.cycle)
        ActionFactory(plan_priority=new_priority, leads=[world.own_org], carried_from=earlier)
    cache.clear()  # written by factories, behind the services: nothing kept since the first build may be read
    assert queries(carried=11) == before
