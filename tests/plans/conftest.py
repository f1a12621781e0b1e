"""Set-ups shared by the plan tests."""

import pytest
from django.urls import reverse

from priorities.models import Plan


@pytest.fixture
def roll_last_year_forward(world, client_as):
    """`roll_last_year_forward()`: last year's plan rolled into "Agreement 2018/19" (1 April 2018 to 31 March 2019)
    by the Working Group, through the roll-forward page, its one priority keeping its title; returns the new
    plan. A function rather than the plan itself, so a test dresses last year's plan first."""

    def roll() -> Plan:
        data = {
            "title": "Agreement 2018/19",
            "slug": "2018-19",
            "starts": "2018-04-01",
            "ends": "2019-03-31",
            "confirm": "on",
            f"title_{world.plan_priority.pk}": world.plan_priority.title,
        }
        page = reverse("plan_roll_forward", kwargs={"partnership": "kent-test", "plan": world.plan.slug})
        response = client_as(world.users["working_group"]).post(page, data)
        assert response.status_code == 302
        return Plan.objects.get(slug="2018-19")

    return roll
