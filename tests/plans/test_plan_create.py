"""The Working Group's pages for a new plan and a new priority in a plan (issue 14: a partnership sets
itself up without a developer): who may use them, the slug made from the title, the field errors that
keep what was typed, and the audit trail."""

from datetime import date

import pytest
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from csa_tracker.audit.models import AuditEntry
from csa_tracker.refusals import NotAllowed
from priorities.models import Plan, PlanPriority, Priority
from priorities.services import plan_create, plan_priority_create
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, PlanFactory, UserFactory

PLAN = {"title": "Coastshire Community Safety Plan 2026/27", "slug": "", "starts": "2026-10-01", "ends": "2027-09-30"}


def new_plan_url(world):
    return reverse("plan_create", kwargs={"partnership": world.partnership.slug})


def new_priority_url(world, plan="2017-18"):
    return reverse("priority_create", kwargs={"partnership": world.partnership.slug, "plan": plan})


@pytest.mark.parametrize("role", [Role.PARTNER, Role.GOVERNING, Role.ADMIN])
def test_only_the_working_group_adds_a_plan(world, client_as, role):
    client = client_as(world.users[role])
    assert client.get(new_plan_url(world)).status_code == 403
    assert client.post(new_plan_url(world), PLAN).status_code == 403
    assert client.post(new_priority_url(world), {"title": "Knife crime"}).status_code == 403
    assert not Plan.objects.filter(title=PLAN["title"]).exists()
    assert not PlanPriority.objects.filter(title="Knife crime").exists()


def test_another_partnership_is_not_found(world, client_as):
    client = client_as(world.users[Role.WORKING_GROUP])
    elsewhere = {"partnership": world.other_partnership.slug}
    assert client.get(reverse("plan_create", kwargs=elsewhere)).status_code == 404
    assert (
        client.post(reverse("priority_create", kwargs={**elsewhere, "plan": "2017-18"}), {"title": "X"}).status_code
        == 404
    )


def test_the_working_group_adds_a_plan_whose_slug_comes_from_its_title(world, client_as):
    client = client_as(world.users[Role.WORKING_GROUP])
    assert (
        "New plan" in client.get(reverse("plan_list", kwargs={"partnership": world.partnership.slug})).content.decode()
    )
    response = client.post(new_plan_url(world), PLAN)
    plan = Plan.objects.get(title=PLAN["title"])
    assert plan.slug == "coastshire-community-safety-plan-202627"
    assert plan.partnership == world.partnership
    assert (plan.starts, plan.ends) == (date(2026, 10, 1), date(2027, 9, 30))
    assert response["Location"] == reverse(
        "plan_detail", kwargs={"partnership": world.partnership.slug, "plan": plan.slug}
    )
    entry = AuditEntry.objects.get(object_id=plan.pk, verb="create", summary="Plan added")
    assert entry.actor == world.users[Role.WORKING_GROUP] and entry.partnership == world.partnership
    page = client.get(response["Location"]).content.decode()
    assert "Add a priority" in page and "no priorities yet" in page


def test_bad_input_is_named_on_its_field_and_kept(world, client_as):
    client = client_as(world.users[Role.WORKING_GROUP])
    typed = {**PLAN, "slug": "2017-18", "ends": "2026-09-30", "introduction": "Our first plan."}
    page = client.post(new_plan_url(world), typed).content.decode()
    assert "already has a plan with the short name “2017-18”" in page
    assert "The plan ends before it starts" in page
    assert 'value="Coastshire Community Safety Plan 2026/27"' in page
    assert 'value="2026-09-30"' in page and "Our first plan." in page
    assert 'href="#id_slug"' in page  # the error summary links to the field
    assert not Plan.objects.filter(title=PLAN["title"]).exists()
    reserved = client.post(new_plan_url(world), {**PLAN, "slug": "new"}).content.decode()
    assert "addresses use: choose another short name" in reserved
    not_a_slug = client.post(new_plan_url(world), {**PLAN, "slug": "our plan!"}).content.decode()
    assert 'value="our plan!"' in not_a_slug
    assert not Plan.objects.filter(title=PLAN["title"]).exists()


def test_the_same_slug_in_another_partnership_is_fine(world, client_as):
    PlanFactory(partnership=world.other_partnership, slug="2026-27")
    client = client_as(world.users[Role.WORKING_GROUP])
    client.post(new_plan_url(world), {**PLAN, "slug": "2026-27"})
    assert Plan.objects.get(partnership=world.partnership, slug="2026-27").title == PLAN["title"]


def test_the_working_group_adds_priorities_in_order(world, client_as):
    client = client_as(world.users[Role.WORKING_GROUP])
    plan_page = client.get(reverse("plan_detail", kwargs={"partnership": world.partnership.slug, "plan": "2017-18"}))
    assert new_priority_url(world) in plan_page.content.decode()
    response = client.post(new_priority_url(world), {"title": "Knife crime", "slug": "", "context": "Rising."})
    added = PlanPriority.objects.get(plan=world.plan, title="Knife crime")
    assert added.priority.slug == "knife-crime" and added.priority.partnership == world.partnership
    assert added.order == world.plan_priority.order + 1 and added.context == "Rising."
    assert response["Location"] == reverse(
        "priority_detail", kwargs={"partnership": world.partnership.slug, "plan": "2017-18", "priority": "knife-crime"}
    )
    assert AuditEntry.objects.filter(object_id=added.pk, summary="Priority added").exists()
    assert "Add an action" in client.get(response["Location"]).content.decode()


def test_a_priority_slug_used_in_an_earlier_plan_is_the_same_priority(world, client_as):
    client = client_as(world.users[Role.WORKING_GROUP])
    client.post(new_plan_url(world), {**PLAN, "slug": "2026-27"})
    client.post(new_priority_url(world, "2026-27"), {"title": "Safer roads", "slug": "road-safety"})
    again = PlanPriority.objects.get(plan__slug="2026-27", plan__partnership=world.partnership)
    assert again.priority == world.plan_priority.priority
    assert Priority.objects.filter(partnership=world.partnership, slug="road-safety").count() == 1


def test_a_priority_already_in_the_plan_is_refused_keeping_what_was_typed(world, client_as):
    client = client_as(world.users[Role.WORKING_GROUP])
    before = PlanPriority.objects.count()
    page = client.post(new_priority_url(world), {"title": "Roads again", "slug": "road-safety"}).content.decode()
    assert "already has a priority with the short name “road-safety”" in page
    assert 'value="Roads again"' in page
    empty = client.post(new_priority_url(world), {"title": "", "slug": ""}).content.decode()
    assert "Title" in empty and 'href="#id_title"' in empty
    reserved = client.post(new_priority_url(world), {"title": "Roll forward"}).content.decode()
    assert "addresses use: choose another short name" in reserved
    assert PlanPriority.objects.count() == before


def test_the_services_refuse_anyone_but_the_working_group(world):
    partner = access_for(world.users[Role.PARTNER], world.partnership)
    with pytest.raises(NotAllowed):
        plan_create(access=partner, title="A plan", starts=date(2026, 10, 1), ends=date(2027, 9, 30))
    with pytest.raises(NotAllowed):
        plan_priority_create(access=partner, plan=world.plan, title="Knife crime")
    working_group = access_for(world.users[Role.WORKING_GROUP], world.partnership)
    with pytest.raises(NotAllowed):
        plan_priority_create(access=working_group, plan=world.other_plan, title="Knife crime")


def test_an_empty_plan_list_says_what_to_do_next(world, client_as):
    fresh = PartnershipFactory(slug="fresh")
    org = OrganisationFactory(partnership=fresh)
    reviewer, board = UserFactory(), UserFactory()
    MembershipFactory(user=reviewer, partnership=fresh, organisation=org, role=Role.WORKING_GROUP)
    MembershipFactory(user=board, partnership=fresh, organisation=org, role=Role.GOVERNING)
    url = reverse("plan_list", kwargs={"partnership": "fresh"})
    wg_page = client_as(reviewer).get(url).content.decode()
    assert "No plans yet." in wg_page and reverse("plan_create", kwargs={"partnership": "fresh"}) in wg_page
    board_page = client_as(board).get(url).content.decode()
    assert "The Working Group adds the partnership's plan here" in board_page
    assert reverse("plan_create", kwargs={"partnership": "fresh"}) not in board_page
    dashboard = client_as(reviewer).get(reverse("working_group_dashboard", kwargs={"partnership": "fresh"}))
    assert reverse("plan_create", kwargs={"partnership": "fresh"}) in dashboard.content.decode()


def test_a_title_already_used_is_refused_for_plans_and_for_priorities_in_a_plan(world, client_as):
    """Menus and lists name plans and priorities by title: two of the same could not be told apart."""
    client = client_as(world.users[Role.WORKING_GROUP])
    plans = Plan.objects.count()
    page = client.post(new_plan_url(world), {**PLAN, "title": world.plan.title.upper(), "slug": ""}).content.decode()
    assert f"already has a plan called “{world.plan.title.upper()}”" in page
    assert Plan.objects.count() == plans
    titled = world.plan_priority.title
    page = client.post(new_priority_url(world), {"title": f" {titled} ", "slug": "other-slug"}).content.decode()
    assert f"already has a priority called “{titled}”" in page
    assert not PlanPriority.objects.filter(priority__slug="other-slug").exists()
