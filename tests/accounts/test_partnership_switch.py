"""People in several partnerships can move between them; others see no switcher."""

from django.urls import reverse

from csa_tracker.accounts.models import Role
from tests.factories import MembershipFactory


def plan_page(world):
    return reverse("plan_detail", kwargs={"partnership": world.partnership.slug, "plan": "2017-18"})


def test_person_in_two_partnerships_sees_a_switcher_to_both(world, client_as):
    reviewer = world.users[Role.WORKING_GROUP]
    MembershipFactory(user=reviewer, partnership=world.other_partnership, role=Role.WORKING_GROUP)
    html = client_as(reviewer).get(plan_page(world)).content.decode()
    assert "Switch partnership" in html
    assert f'href="{reverse("partnership_home", kwargs={"partnership": "elsewhere"})}"' in html
    assert f'href="{reverse("partnership_home", kwargs={"partnership": "kent-test"})}" aria-current="true"' in html


def test_person_in_one_partnership_sees_no_switcher(world, client_as):
    assert "Switch partnership" not in client_as(world.users[Role.PARTNER]).get(plan_page(world)).content.decode()


def test_home_lists_both_partnerships_for_someone_in_two(world, client_as):
    partner = world.users[Role.PARTNER]
    MembershipFactory(user=partner, partnership=world.other_partnership, role=Role.PARTNER)
    response = client_as(partner).get(reverse("home"))
    assert response.status_code == 200
    assert [p.slug for p in response.context["partnerships"]] == ["elsewhere", "kent-test"]
