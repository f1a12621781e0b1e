"""Starting next year's plan from this one: identities kept, open actions carried, completed closed."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action
from actions.roll_forward import plan_roll_forward
from csa_tracker.accounts.access import access_for
from csa_tracker.refusals import NotAllowed
from priorities.models import Note, Plan, PlanPriority
from tests.factories import ActionFactory, NoteFactory, PlanFactory, PlanPriorityFactory, StatusFactory


@pytest.fixture
def plan(world):
    """Road safety (own and other action, one note) plus a second priority with a completed action."""
    abuse = PlanPriorityFactory(plan=world.plan, title="Domestic Abuse", priority__slug="domestic-abuse")
    NoteFactory(plan_priority=abuse, number=1, text="SafeLives, 2017")
    done = StatusFactory(partnership=world.partnership, name="Completed", is_complete=True)
    ActionFactory(plan_priority=abuse, leads=[world.own_org], wording="Finished work", status=done)
    ActionFactory(plan_priority=abuse, leads=[world.own_org], supporters=[world.other_org], wording="Ongoing work")
    return world.plan


def url(world):
    return reverse("plan_roll_forward", kwargs={"partnership": "kent-test", "plan": world.plan.slug})


def form_data(plan, **overrides):
    data = {"title": "Agreement 2018/19", "slug": "2018-19", "starts": "2018-04-01", "ends": "2019-03-31"}
    data["confirm"] = "on"
    for plan_priority in plan.plan_priorities.all():
        data[f"title_{plan_priority.pk}"] = plan_priority.title
    return {**data, **overrides}


def test_roll_forward_keeps_priorities_carries_open_actions_and_closes_completed_ones(world, plan, client_as):
    road = world.plan_priority
    data = form_data(plan, **{f"title_{road.pk}": "Safer Roads", f"notes_{road.pk}": "on"})
    response = client_as(world.users["working_group"]).post(url(world), data)
    new_plan = Plan.objects.get(slug="2018-19")
    assert response.status_code == 302
    assert new_plan.previous == plan
    new_road = new_plan.plan_priorities.get(priority=road.priority)
    assert new_road.title == "Safer Roads"
    assert PlanPriority.objects.get(pk=road.pk).title == "Road Safety"  # the old plan keeps its wording
    assert [note.text for note in new_road.notes.all()] == [road.notes.get().text]
    assert not new_plan.plan_priorities.get(priority__slug="domestic-abuse").notes.exists()  # dropped
    carried = Action.objects.filter(plan_priority__plan=new_plan)
    assert sorted(carried.values_list("wording", flat=True)) == [
        "Ongoing work",
        "Other council's action",
        "Own council's action",
    ]
    ongoing = carried.get(wording="Ongoing work")
    assert ongoing.carried_from.plan_priority.plan == plan
    assert list(ongoing.leads.all()) == [world.own_org] and list(ongoing.supporters.all()) == [world.other_org]


def test_keep_all_notes_keeps_every_priority_s_notes(world, plan):
    access = access_for(world.users["working_group"], world.partnership)
    new_plan = plan_roll_forward(
        access=access,
        plan=plan,
        title="Next",
        slug="next",
        starts=date(2018, 4, 1),
        ends=date(2019, 3, 31),
        keep_notes={pp.pk for pp in plan.plan_priorities.all()},
    )
    assert Note.objects.filter(plan_priority__plan=new_plan).count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"slug": "2017-18"}, "“2017-18” is already the short name of a plan"),
        ({"ends": "2018-03-01"}, "The plan must end after it starts."),
        ({"starts": "2018-03-01"}, "These dates overlap Test Agreement 2017/18 (1 April 2017 to 31 March 2018)."),
        ({"confirm": ""}, "Tick “I understand this creates the new plan now"),
    ],
)
def test_bad_roll_forward_input_is_refused_with_a_message_and_nothing_saved(world, plan, client_as, overrides, message):
    response = client_as(world.users["working_group"]).post(url(world), form_data(plan, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Plan.objects.filter(partnership=world.partnership).count() == 1
    assert Action.objects.filter(plan_priority__plan__partnership=world.partnership).count() == 4


def test_a_plan_rolls_forward_only_once(world, plan, client_as):
    PlanFactory(partnership=world.partnership, previous=plan, starts=date(2019, 4, 1), ends=date(2020, 3, 31))
    response = client_as(world.users["working_group"]).post(url(world), form_data(plan))
    assert "already been rolled forward" in response.content.decode()


def test_only_the_working_group_rolls_a_plan_forward(world, plan):
    access = access_for(world.users["governing"], world.partnership)
    with pytest.raises(NotAllowed):
        plan_roll_forward(access=access, plan=plan, title="X", slug="x", starts=date(2018, 4, 1), ends=date(2019, 3, 1))
    assert not Plan.objects.filter(slug="x").exists()
