"""What each role reads on the plan pages."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES


@pytest.mark.parametrize("role", ROLES)
def test_priority_page_shows_context_notes_actions_and_figures(world, client_as, role):
    url = reverse("priority_detail", kwargs={"partnership": "kent-test", "plan": "2017-18", "priority": "road-safety"})
    page = client_as(world.users[role]).get(url).content.decode()
    assert "Priority: Road Safety" in page
    assert 'href="#road-safety-note-1"' in page  # context links to its note
    assert 'id="road-safety-note-1"' in page
    assert "Own council&#x27;s action" in page and "Other council&#x27;s action" in page
    assert "Own published progress." in page
    assert "Lead" in page and "Own District Council" in page
    assert "up 5.6% from 5,799 to 6,122, 323 more" in page
    assert "Worsening" in page


def test_plan_page_lists_priorities_with_action_counts(world, client_as):
    page = client_as(world.users["governing"]).get(
        reverse("plan_detail", kwargs={"partnership": "kent-test", "plan": "2017-18"})
    )
    assert page.status_code == 200
    assert "Road Safety" in page.content.decode()
    assert "2 actions" in page.content.decode()


def test_unpublished_progress_is_not_shown_on_the_plan(world, client_as):
    url = reverse("priority_detail", kwargs={"partnership": "kent-test", "plan": "2017-18", "priority": "road-safety"})
    for user in world.users.values():
        page = client_as(user).get(url).content.decode()
        assert "Submitted progress (own)." not in page
        assert "Own published progress." in page


def test_home_sends_a_single_partnership_member_to_it(world, client_as):
    response = client_as(world.users["partner"]).get("/")
    assert response["Location"] == "/kent-test/"


def test_home_tells_someone_with_no_role_what_to_do(world, client_as):
    page = client_as(world.outsider).get("/").content.decode()
    assert "do not have a role in any partnership" in page


def test_priority_page_query_count_does_not_grow_with_actions(world, client_as, django_assert_max_num_queries):
    from tests.factories import ActionFactory, PublishedUpdateFactory

    url = reverse("priority_detail", kwargs={"partnership": "kent-test", "plan": "2017-18", "priority": "road-safety"})
    client = client_as(world.users["partner"])
    client.get(url)
    for _ in range(20):
        action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org, world.other_org])
        PublishedUpdateFactory(action=action, cycle=world.cycle)
    # 18: one of them asks whether the partnership has themes (the action table's Theme column), one counts
    # the menu's unread notifications.
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
