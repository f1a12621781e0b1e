"""A message that shows only the start of a long wording says so with an ellipsis, never a word cut off
mid-way with nothing to show it (issue 25); one rule, `csa_tracker.text.shortened`."""

from datetime import date

from django.contrib.messages import get_messages
from django.urls import reverse

from csa_tracker.text import shortened
from tests.factories import ActionFactory, ReportingCycleFactory

LONG = (
    "Deliver a county-wide programme of road safety talks in every secondary school, with follow-up "
    "sessions for new drivers and their parents"
)


def test_asking_for_an_update_names_a_long_action_with_an_ellipsis(world, client_as, mailoutbox):
    cycle = ReportingCycleFactory(
        plan=world.plan,
        name="Q1 2018/19",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2099, 7, 20),
    )
    action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording=LONG)
    client = client_as(world.users["working_group"])
    url = reverse("cycle_request_update", kwargs={"partnership": "kent-test", "pk": cycle.pk, "action": action.pk})
    response = client.post(url)
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "Asked 1 partner for an update on “Deliver a county-wide programme of road safety talks in every "
        "secondary school,…”."
    )
    assert mailoutbox[0].subject == "Please update: Deliver a county-wide programme of road safety talks in eve…"


def test_text_that_fits_is_left_whole_and_longer_text_ends_with_an_ellipsis():
    assert shortened("Road safety", 11) == "Road safety"
    assert shortened("Road safety talks", 11) == "Road safet…"
    assert len(shortened(LONG, 80)) == 80
