"""Creating, editing and starting the next cycle: bad dates and overlaps are refused in words."""

from datetime import date

import pytest
from django.urls import reverse

from cycles.models import ReportingCycle
from cycles.services import next_cycle_values
from tests.factories import PlanFactory, ReportingCycleFactory


@pytest.fixture
def wg(world, client_as):
    return client_as(world.users["working_group"])


def cycle_data(world, **overrides):
    data = {
        "plan": world.plan.pk,
        "name": "Q3 2017/18",
        "period_start": "2017-10-01",
        "period_end": "2017-12-31",
        "update_deadline": "2018-01-20",
        "review_meeting": "2018-02-01",
        "governing_meeting": "",
    }
    return {**data, **overrides}


def new_url():
    return reverse("cycle_create", kwargs={"partnership": "kent-test"})


def test_working_group_creates_a_cycle(world, wg):
    response = wg.post(new_url(), cycle_data(world))
    cycle = ReportingCycle.objects.get(name="Q3 2017/18")
    assert response.status_code == 302
    assert (cycle.update_deadline, cycle.state) == (date(2018, 1, 20), "open")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"update_deadline": "2017-09-30"}, "The update deadline cannot be before the period starts."),
        ({"period_end": "2017-09-01"}, "The period must end on or after the day it starts."),
        ({"period_end": "2018-02-28"}, "This period overlaps Q4 2017/18 (1 January 2018 to 31 March 2018)"),
        ({"name": "Q4 2017/18"}, "already has a cycle called “Q4 2017/18”"),
        ({"period_start": "2018-04-01", "period_end": "2018-06-30"}, "the period must fall within it"),
        (
            {"governing_meeting": "2018-01-25"},
            "The governing group meeting must be on or after the Working Group review",
        ),
        ({"review_meeting": "2018-01-19"}, "The Working Group review meeting must be on or after the update deadline"),
        (
            {"review_meeting": "", "governing_meeting": "2018-01-19"},
            "The governing group meeting must be on or after the update deadline (20 January 2018)",
        ),
    ],
)
def test_bad_cycle_dates_are_refused_with_a_clear_message_and_nothing_saved(world, wg, overrides, message):
    response = wg.post(new_url(), cycle_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReportingCycle.objects.filter(plan=world.plan).count() == 1


def test_cycles_of_another_plan_may_share_dates(world, wg):
    other_plan = PlanFactory(
        partnership=world.partnership, slug="rolling", starts=date(2017, 4, 1), ends=date(2018, 3, 31)
    )
    data = {"plan": other_plan.pk, "period_start": "2018-01-01", "period_end": "2018-03-31", "name": "Q4 2017/18"}
    wg.post(new_url(), cycle_data(world, update_deadline="2018-04-20", review_meeting="", **data))
    assert ReportingCycle.objects.filter(plan=other_plan).exists()


def test_a_plan_of_another_partnership_cannot_be_chosen(world, wg):
    response = wg.post(new_url(), cycle_data(world, plan=world.other_plan.pk))
    assert "Choose the plan from the list; what was sent is not one of the options." in response.content.decode()
    assert not ReportingCycle.objects.filter(name="Q3 2017/18").exists()


def test_editing_keeps_the_cycle_clear_of_its_own_dates(world, wg):
    edit = reverse("cycle_edit", kwargs={"partnership": "kent-test", "pk": world.cycle.pk})
    data = cycle_data(world, name="Q4 2017/18", period_start="2018-01-01", period_end="2018-03-31")
    data["update_deadline"], data["review_meeting"] = "2018-04-20", "2018-05-01"
    assert wg.post(edit, data).status_code == 302
    world.cycle.refresh_from_db()
    assert world.cycle.update_deadline == date(2018, 4, 20)


def test_next_cycle_shifts_every_date_by_the_period_length(world):
    world.cycle.review_meeting = date(2018, 3, 1)
    values = next_cycle_values(world.cycle)
    assert values["name"] == "Q1 2018/19"
    assert (values["period_start"], values["period_end"]) == (date(2018, 4, 1), date(2018, 6, 30))
    assert values["update_deadline"] == date(2018, 5, 16)
    assert values["review_meeting"] == date(2018, 6, 1)
    assert values["governing_meeting"] is None


def test_next_cycle_of_a_period_not_in_whole_months_shifts_by_days(world):
    cycle = ReportingCycleFactory(
        plan=world.plan,
        name="Spring",
        period_start=date(2017, 4, 10),
        period_end=date(2017, 4, 23),
        update_deadline=date(2017, 4, 20),
    )
    values = next_cycle_values(cycle)
    assert (values["name"], values["period_start"], values["period_end"]) == (
        "Spring (next)",
        date(2017, 4, 24),
        date(2017, 5, 7),
    )


def test_next_cycle_after_the_plan_goes_into_the_plan_rolled_forward_from_it(world):
    following = PlanFactory(
        partnership=world.partnership, previous=world.plan, starts=date(2018, 4, 1), ends=date(2019, 3, 31)
    )
    assert next_cycle_values(world.cycle)["plan"] == following


def test_starting_the_next_cycle_prefills_the_form_and_saves_on_confirmation(world, wg):
    following = PlanFactory(
        partnership=world.partnership, previous=world.plan, starts=date(2018, 4, 1), ends=date(2019, 3, 31)
    )
    next_url = reverse("cycle_next", kwargs={"partnership": "kent-test", "pk": world.cycle.pk})
    page = wg.get(next_url).content.decode()
    assert 'value="Q1 2018/19"' in page and 'value="2018-04-01"' in page
    assert not ReportingCycle.objects.filter(name="Q1 2018/19").exists()
    dates = {"period_start": "2018-04-01", "period_end": "2018-06-30", "update_deadline": "2018-07-20"}
    wg.post(next_url, cycle_data(world, plan=following.pk, name="Q1 2018/19", review_meeting="2018-08-01", **dates))
    assert ReportingCycle.objects.filter(name="Q1 2018/19", plan=following).exists()


def test_a_next_cycle_after_the_plan_with_no_plan_to_follow_asks_for_the_roll_forward(world, wg):
    next_url = reverse("cycle_next", kwargs={"partnership": "kent-test", "pk": world.cycle.pk})
    dates = {"period_start": "2018-04-01", "period_end": "2018-06-30", "update_deadline": "2018-07-20"}
    page = wg.post(next_url, cycle_data(world, name="Q1 2018/19", **dates)).content.decode()
    assert "roll the plan forward first" in page
    assert not ReportingCycle.objects.filter(name="Q1 2018/19").exists()


def test_a_new_cycle_starts_on_the_newest_plan(world, wg):
    newer = PlanFactory(partnership=world.partnership, slug="2018-19", starts=date(2018, 4, 1), ends=date(2019, 3, 31))
    form = wg.get(new_url()).context["form"]
    assert form["plan"].value() == newer.pk


def test_a_deadline_far_after_the_period_is_questioned_then_saved_when_confirmed(world, wg):
    far = cycle_data(world, update_deadline="2018-05-20", review_meeting="2018-05-25")
    page = wg.post(new_url(), far).content.decode()
    assert "The update deadline (20 May 2018) is about 4 months after the period ends (31 December 2017)." in page
    assert 'value="2018-05-20"' in page
    assert 'type="checkbox" name="confirm_dates"' in page
    assert not ReportingCycle.objects.filter(name="Q3 2017/18").exists()
    response = wg.post(new_url(), {**far, "confirm_dates": "on"})
    assert response.status_code == 302
    assert ReportingCycle.objects.get(name="Q3 2017/18").update_deadline == date(2018, 5, 20)


def test_the_next_cycle_follows_the_latest_cycle_even_from_a_reopened_earlier_one(world, wg):
    earlier = ReportingCycleFactory(
        plan=world.plan,
        name="Q3 2017/18",
        period_start=date(2017, 10, 1),
        period_end=date(2017, 12, 31),
        update_deadline=date(2018, 9, 1),  # moved far on at a reopening
    )
    PlanFactory(partnership=world.partnership, previous=world.plan, starts=date(2018, 4, 1), ends=date(2019, 3, 31))
    page = wg.get(reverse("cycle_next", kwargs={"partnership": "kent-test", "pk": earlier.pk})).content.decode()
    assert "Start the cycle after Q4 2017/18" in page
    assert 'value="2018-04-01"' in page


def test_a_deadline_moved_far_at_a_reopening_is_not_copied_into_the_next_cycle(world):
    world.cycle.update_deadline = date(2018, 9, 1)
    world.cycle.save()
    values = next_cycle_values(world.cycle)
    assert (values["period_end"], values["update_deadline"]) == (date(2018, 6, 30), date(2018, 7, 14))
