"""The Working Group edits a plan's title, dates and introduction after adding it, and puts its
priorities in order with "Move up" / "Move down" (issue 25); the order is the one every page lists."""

from datetime import date

import pytest
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from priorities.models import Plan, PlanPriority
from priorities.services import plan_update
from tests.audit_entries import entries
from tests.factories import PlanFactory, PlanPriorityFactory
from tests.html_forms import page_forms

EDIT = reverse("plan_edit", kwargs={"partnership": "kent-test", "plan": "2017-18"})
PLAN_PAGE = reverse("plan_detail", kwargs={"partnership": "kent-test", "plan": "2017-18"})


def move_url(plan_priority) -> str:
    kwargs = {"partnership": "kent-test", "plan": "2017-18", "priority": plan_priority.priority.slug}
    return reverse("priority_move", kwargs=kwargs)


def shown(client) -> dict:
    """The edit form's fields as the page shows them (the hidden `seen` included)."""
    forms = page_forms(client.get(EDIT).content.decode())
    (form,) = [form for form in forms if form.method == "post" and (form.action or EDIT) == EDIT]
    return dict(form.values)


def plan(world) -> Plan:
    return Plan.objects.get(pk=world.plan.pk)


@pytest.fixture
def working_group(world, client_as):
    return client_as(world.users[Role.WORKING_GROUP])


def test_the_working_group_edits_the_plans_title_dates_and_introduction(world, working_group):
    data = shown(working_group) | {
        "title": "Safer Kent 2017/19",
        "starts": "2017-05-01",
        "ends": "2019-03-31",
        "introduction": "This plan runs for two years.",
        "reason": "Extended by the governing group.",
    }
    response = working_group.post(EDIT, data)
    assert response.status_code == 302
    assert response.url == PLAN_PAGE
    saved = plan(world)
    assert (saved.title, saved.slug, saved.starts, saved.ends, saved.introduction) == (
        "Safer Kent 2017/19",
        "2017-18",
        date(2017, 5, 1),
        date(2019, 3, 31),
        "This plan runs for two years.",
    )
    (entry,) = entries(saved)
    assert (entry.verb, entry.summary, entry.reason, entry.actor) == (
        "edit",
        "Plan changed",
        "Extended by the governing group.",
        world.users[Role.WORKING_GROUP],
    )
    assert entry.changes == {
        "Title": ["Test Agreement 2017/18", "Safer Kent 2017/19"],
        "Starts": ["2017-04-01", "2017-05-01"],
        "Ends": ["2018-03-31", "2019-03-31"],
        "Introduction": ["The Working Group manages this plan.", "This plan runs for two years."],
    }


def test_the_plan_page_links_to_its_edit_page_for_the_working_group_only(world, client_as):
    for role in (Role.PARTNER, Role.WORKING_GROUP, Role.GOVERNING, Role.ADMIN):
        page = client_as(world.users[role]).get(PLAN_PAGE).content.decode()
        assert (f'href="{EDIT}"' in page) is (role == Role.WORKING_GROUP), role


def test_the_plan_saved_unchanged_changes_nothing(world, working_group):
    response = working_group.post(EDIT, shown(working_group), follow=True)
    assert "Nothing was changed, so nothing was saved." in response.content.decode()
    assert plan(world).title == "Test Agreement 2017/18"
    assert not entries(plan(world)).exists()


def test_a_stale_plan_edit_is_refused_and_keeps_what_was_typed(world, working_group):
    data = shown(working_group) | {"title": "Safer Kent", "reason": "Renamed."}
    other = plan(world)
    plan_update(
        access=access_for(world.users[Role.WORKING_GROUP], world.partnership),
        plan=other,
        title="Kent Together",
        starts=other.starts,
        ends=other.ends,
        introduction=other.introduction,
        reason="Renamed by the board.",
    )
    response = working_group.post(EDIT, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone saved this plan since you opened it" in page
    assert 'value="Safer Kent"' in page
    assert plan(world).title == "Kent Together"
    assert [entry.reason for entry in entries(plan(world))] == ["Renamed by the board."]


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"ends": "2017-03-31"}, "ends", "The plan ends before it starts: give an end date after 1 April 2017."),
        (
            {"title": "Kent Agreement 2018/19"},
            "title",
            "This partnership already has a plan called “Kent Agreement 2018/19”: give this one another title.",
        ),
        ({"title": ""}, "title", "Enter the title."),
    ],
)
def test_bad_plan_values_are_refused_on_their_field(world, working_group, typed, field, message):
    PlanFactory(partnership=world.partnership, slug="2018-19", title="Kent Agreement 2018/19")
    response = working_group.post(EDIT, shown(working_group) | typed | {"reason": "Corrected."})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert plan(world).title == "Test Agreement 2017/18"
    assert not entries(plan(world)).exists()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.GOVERNING, Role.ADMIN])
def test_only_the_working_group_edits_a_plan_or_moves_its_priorities(world, client_as, role):
    client = client_as(world.users[role])
    second = PlanPriorityFactory(plan=world.plan, title="Knife Crime", order=world.plan_priority.order + 1)
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, {"title": "Taken over", "reason": "No."}).status_code == 403
    assert client.post(move_url(second), {"direction": "up"}).status_code == 403
    assert plan(world).title == "Test Agreement 2017/18"
    assert list(world.plan.plan_priorities.values_list("title", flat=True)) == ["Road Safety", "Knife Crime"]


def test_another_partnerships_plan_is_not_found(world, working_group):
    elsewhere = {"partnership": "kent-test", "plan": "no-such-plan"}
    assert working_group.get(reverse("plan_edit", kwargs=elsewhere)).status_code == 404
    other = PlanPriority.objects.exclude(plan__partnership=world.partnership).get()
    kwargs = {"partnership": "kent-test", "plan": "2017-18", "priority": "not-ours"}
    assert other.priority.slug != "not-ours"
    assert working_group.post(reverse("priority_move", kwargs=kwargs), {"direction": "up"}).status_code == 404


@pytest.fixture
def three(world):
    """The plan's priorities: Road Safety, Knife Crime, Miscellaneous, in that order."""
    first = world.plan_priority
    return [
        first,
        PlanPriorityFactory(plan=world.plan, title="Knife Crime", order=first.order + 1),
        PlanPriorityFactory(plan=world.plan, title="Miscellaneous", order=first.order + 2),
    ]


def titles(world) -> list[str]:
    return list(world.plan.plan_priorities.values_list("title", flat=True))


def test_each_priority_has_named_move_buttons_but_the_ends(world, working_group, three):
    page = working_group.get(PLAN_PAGE).content.decode()
    assert page.count('aria-label="Move “Road Safety” up"') == 0
    assert page.count('aria-label="Move “Road Safety” down"') == 1
    assert page.count('aria-label="Move “Knife Crime” up"') == 1
    assert page.count('aria-label="Move “Knife Crime” down"') == 1
    assert page.count('aria-label="Move “Miscellaneous” up"') == 1
    assert page.count('aria-label="Move “Miscellaneous” down"') == 0
    assert page.count('<button type="submit" name="direction"') == 4


def test_moving_a_priority_up_swaps_it_with_the_one_before_everywhere(world, working_group, three):
    response = working_group.post(move_url(three[2]), {"direction": "up"}, follow=True)
    assert "“Miscellaneous” moved up: it is now priority 2." in response.content.decode()
    assert titles(world) == ["Road Safety", "Miscellaneous", "Knife Crime"]
    (entry,) = entries(PlanPriority.objects.get(pk=three[2].pk))
    assert (entry.verb, entry.summary, entry.changes, entry.actor) == (
        "edit",
        "Priority moved up",
        {"Position": ["3", "2"]},
        world.users[Role.WORKING_GROUP],
    )
    assert not entries(PlanPriority.objects.get(pk=three[1].pk)).exists()
    page = working_group.get(PLAN_PAGE).content.decode()
    assert page.index(">Miscellaneous</a>") < page.index(">Knife Crime</a>")
    dashboard = working_group.get(reverse("dashboard", kwargs={"partnership": "kent-test"})).content.decode()
    assert dashboard.index("Miscellaneous") < dashboard.index("Knife Crime")


def test_moving_down_then_up_restores_the_order(world, working_group, three):
    working_group.post(move_url(three[0]), {"direction": "down"})
    assert titles(world) == ["Knife Crime", "Road Safety", "Miscellaneous"]
    working_group.post(move_url(three[0]), {"direction": "up"})
    assert titles(world) == ["Road Safety", "Knife Crime", "Miscellaneous"]


@pytest.mark.parametrize(
    ("index", "direction", "message"),
    [
        (0, "up", "“Road Safety” is already the first priority of its plan."),
        (2, "down", "“Miscellaneous” is already the last priority of its plan."),
        (1, "sideways", "Choose whether to move the priority up or down."),
    ],
)
def test_a_move_past_the_end_is_refused_and_changes_nothing(world, working_group, three, index, direction, message):
    response = working_group.post(move_url(three[index]), {"direction": direction}, follow=True)
    assert message in response.content.decode()
    assert titles(world) == ["Road Safety", "Knife Crime", "Miscellaneous"]
    assert not any(entries(plan_priority).exists() for plan_priority in three)
