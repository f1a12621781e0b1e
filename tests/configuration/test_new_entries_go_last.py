"""Something new the Working Group adds to a list it orders by hand goes last, not first: a status, a
theme, an indicator and an action are offered the position after the last (`csa_tracker.ordering.
next_order`), and saved so, they are listed last (issue 25)."""

from django.urls import reverse

from actions.models import Status, Theme
from indicators.models import Indicator
from tests.factories import ActionFactory, IndicatorFactory, StatusFactory, ThemeFactory


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


def offered_order(client, address) -> int:
    return client.get(address).context["form"]["order"].value()


def test_a_new_status_goes_last(world, reviewer):
    for order, name in enumerate(["Not started", "In progress", "Completed"], start=1):
        StatusFactory(partnership=world.partnership, name=name, order=order)
    StatusFactory(partnership=world.partnership, name="Delayed", order=7)  # gaps are kept
    new = url("settings_vocabulary_new", kind="statuses")
    assert offered_order(reviewer, new) == 8
    data = {"name": "Paused", "order": offered_order(reviewer, new), "severity": "2"}
    assert reviewer.post(new, data).status_code == 302
    assert list(Status.objects.in_partnership(world.partnership).values_list("name", flat=True))[-1] == "Paused"


def test_a_new_theme_goes_last_and_the_first_one_is_first(world, reviewer):
    new = url("settings_vocabulary_new", kind="themes")
    assert offered_order(reviewer, new) == 1
    ThemeFactory(partnership=world.partnership, name="Vulnerability", order=3)
    assert reviewer.post(new, {"name": "Alcohol", "order": offered_order(reviewer, new)}).status_code == 302
    assert list(Theme.objects.in_partnership(world.partnership).values_list("name", "order")) == [
        ("Vulnerability", 3),
        ("Alcohol", 4),
    ]


def test_a_new_indicator_is_offered_the_last_position(world, reviewer):
    IndicatorFactory(partnership=world.partnership, name="Later one", order=12)
    last = Indicator.objects.filter(partnership=world.partnership).order_by("order").last().order
    assert offered_order(reviewer, url("settings_indicator_new")) == last + 1 == 13


def test_a_new_action_is_offered_the_last_position_in_its_priority(world, reviewer):
    last = max(world.plan_priority.actions.values_list("order", flat=True))
    ActionFactory(plan_priority=world.plan_priority, order=last + 5, leads=[world.own_org])  # a gap is kept
    plan, priority = world.plan_priority.plan.slug, world.plan_priority.priority.slug
    assert offered_order(reviewer, url("action_new", plan=plan, priority=priority)) == last + 6
