"""Once a plan has rolled forward, last year's pages say where things went (issue 25: links only went
backwards): the plan page "Rolled forward into …", each priority page whether it continues, was
dropped or was merged, and the cycles and roll-forward pages no longer offer a second roll-forward."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PlanPriorityFactory
from tests.plans import test_roll_forward_drop_merge as drop_merge
from tests.plans.test_roll_forward_drop_merge import WG, form_data, roll_forward, url

three = drop_merge.three  # the fixture: three priorities of last year's plan

NEW = "Agreement 2018/19"


@pytest.fixture
def rolled(world, three, client_as):
    """Road Safety renamed "Safer Roads", Domestic Abuse dropped, Reoffending merged into Road Safety."""
    road, abuse, reoffending = three["road"], three["abuse"], three["reoffending"]
    choices = {
        f"title_{road.pk}": "Safer Roads",
        f"next_{abuse.pk}": "drop",
        f"next_{reoffending.pk}": f"merge-{road.pk}",
    }
    return roll_forward(world, client_as, form_data(three, **choices))


def _get(client, name, **kwargs):
    response = client.get(reverse(name, kwargs={"partnership": "kent-test", **kwargs}))
    assert response.status_code == 200
    return response.content.decode()


def _new_priority_link(slug):
    return reverse("priority_detail", kwargs={"partnership": "kent-test", "plan": "2018-19", "priority": slug})


NEW_PLAN_LINK = f'<a href="/kent-test/plans/2018-19/">{NEW}</a>'


@pytest.mark.parametrize("role", ["partner", "working_group", "governing"])
def test_last_year_s_plan_page_says_where_it_rolled_forward(world, rolled, client_as, role):
    assert reverse("plan_detail", kwargs={"partnership": "kent-test", "plan": "2018-19"}) == "/kent-test/plans/2018-19/"
    page = _get(client_as(world.users[role]), "plan_detail", plan="2017-18")
    assert f"Rolled forward into {NEW_PLAN_LINK}" in page
    new_page = _get(client_as(world.users[role]), "plan_detail", plan="2018-19")
    assert "Rolled forward into" not in new_page


def test_each_priority_page_of_last_year_says_where_it_went(world, rolled, client_as):
    client = client_as(world.users["partner"])
    road = _get(client, "priority_detail", plan="2017-18", priority="road-safety")
    assert f'Continues in {NEW} as <a href="{_new_priority_link("road-safety")}">“Safer Roads”</a>' in road
    abuse = _get(client, "priority_detail", plan="2017-18", priority="domestic-abuse")
    assert f"Dropped at the roll-forward into {NEW_PLAN_LINK}: its open actions stay here" in abuse
    reoffending = _get(client, "priority_detail", plan="2017-18", priority="reoffending")
    assert f'Merged into <a href="{_new_priority_link("road-safety")}">“Safer Roads” in {NEW}</a>' in reoffending
    plan = _get(client, "plan_detail", plan="2017-18")
    assert plan.count("Continues in") == 1 and plan.count("Dropped at") == 1 and plan.count("Merged into") == 1


def test_where_priorities_went_is_read_in_the_same_queries_however_many_there_are(world, rolled, client_as):
    client = client_as(world.users["partner"])
    url = reverse("plan_detail", kwargs={"partnership": "kent-test", "plan": "2017-18"})
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for order in (4, 5, 6):
        PlanPriorityFactory(plan=world.plan, title=f"Later {order}", priority__slug=f"later-{order}", order=order)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert page.count("Dropped at the roll-forward") == 4
    assert len(after) == len(before)


def test_the_cycles_page_offers_a_roll_forward_only_for_a_plan_not_rolled_yet(world, rolled, client_as):
    page = _get(client_as(world.users[WG]), "cycle_list")
    assert f"Rolled forward into {NEW_PLAN_LINK}" in page
    assert url("2017-18") not in page
    assert f'<a href="{url("2018-19")}">Start next year\'s plan from this one</a>' in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_roll_forward_page_of_a_rolled_plan_says_where_it_went_without_the_form(
    world, rolled, client_as, three, method
):
    client = client_as(world.users[WG])
    data = form_data(three, title="Agreement 2018/19 again", slug="2018-19-again") if method == "post" else None
    response = getattr(client, method)(url("2017-18"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Test Agreement 2017/18 has already been rolled forward into {NEW_PLAN_LINK}" in page
    assert 'method="post"' not in page.split("<main", 1)[1]
