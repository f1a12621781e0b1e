"""My actions names the other plans by when they run (a tester read "Earlier plans' cycles: Kent Community
Safety Agreement 2018/19" for next year's plan, which had no cycle yet): "Later plans:" and "Earlier plans:"
split by the plan's start, and a plan with no cycle says "(no cycle yet)" (`cycles.choice.CycleChoice`)."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from cycles.models import CycleState
from tests.factories import PlanFactory, ReportingCycleFactory


@pytest.fixture
def plans(world):
    later = PlanFactory(
        partnership=world.partnership,
        slug="2018-19",
        title="Test Agreement 2018/19",
        starts=date(2018, 4, 1),
        ends=date(2019, 3, 31),
    )
    earlier = PlanFactory(
        partnership=world.partnership,
        slug="2016-17",
        title="Test Agreement 2016/17",
        starts=date(2016, 4, 1),
        ends=date(2017, 3, 31),
    )
    ReportingCycleFactory(
        plan=earlier,
        name="Q4 2016/17",
        state=CycleState.PUBLISHED,
        period_start=date(2017, 1, 1),
        period_end=date(2017, 3, 31),
        update_deadline=date(2017, 2, 16),
    )
    return later, earlier


def chosen_sentence(client, world, query="") -> str:
    page = client.get(reverse("my_work", kwargs={"partnership": world.partnership.slug}) + query).content.decode()
    (found,) = re.findall(r'<p class="chosen-cycle">(.*?)</p>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found)).split())


def test_my_actions_names_later_and_earlier_plans_and_a_plan_with_no_cycle(world, plans, client_as):
    sentence = chosen_sentence(client_as(world.users["partner"]), world)
    assert sentence.endswith(
        "Later plans: Test Agreement 2018/19 (no cycle yet). Earlier plans: Test Agreement 2016/17."
    )
    assert "cycles:" not in sentence


def test_the_plan_links_go_to_each_plan(world, plans, client_as):
    page = client_as(world.users["partner"]).get(reverse("my_work", kwargs={"partnership": world.partnership.slug}))
    text = page.content.decode()
    assert '<a href="?plan=2018-19">Test Agreement 2018/19</a> (no cycle yet)' in text
    assert '<a href="?plan=2016-17">Test Agreement 2016/17</a>.' in text


def test_from_the_earliest_plan_the_others_are_later(world, plans, client_as):
    sentence = chosen_sentence(client_as(world.users["partner"]), world, "?plan=2016-17")
    assert sentence.endswith("Later plans: Test Agreement 2018/19 (no cycle yet).")
    assert "Earlier plans" not in sentence
