"""Search within a partnership: actions, progress text, indicators and people, grouped, each through
its model's access rule (a partner never finds another organisation's drafts)."""

from django.urls import reverse

from csa_tracker.accounts.models import Role
from search.selectors import search_partnership, snippet
from tests.factories import ActionFactory, MembershipFactory, ProgressUpdateFactory, UserFactory


def search(client, world, query):
    return client.get(reverse("search", kwargs={"partnership": world.partnership.slug}), {"q": query})


def test_search_finds_each_kind_of_thing_in_its_group(world, client_as):
    world.own_action.wording = "Reduce speeding near schools in Tonbridge"
    world.own_action.save()
    world.indicator.name = "Speeding offences recorded"
    world.indicator.save()
    world.published_updates["own"].text = "We ran three speeding campaigns this quarter."
    world.published_updates["own"].save()
    MembershipFactory(
        user=UserFactory(first_name="Sam", last_name="Speeding"),
        partnership=world.partnership,
        organisation=world.other_org,
    )
    response = search(client_as(world.users[Role.GOVERNING]), world, "speeding")
    assert response.status_code == 200
    results = response.context["results"]
    assert [action.pk for action in results.actions.items] == [world.own_action.pk]
    assert [update.pk for update, _ in results.updates.items] == [world.published_updates["own"].pk]
    assert [indicator.pk for indicator in results.indicators.items] == [world.indicator.pk]
    assert [person["user"].last_name for person in results.people.items] == ["Speeding"]
    html = response.content.decode()
    assert "4 results for “speeding”." in html
    for heading in ("Actions", "Progress updates", "Indicators", "People"):
        assert f">{heading} <span" in html


def test_a_partner_never_finds_another_organisations_draft(world, client_as):
    world.submitted_updates["own"].text = "Zebra crossing survey, our draft."
    world.submitted_updates["own"].save()
    world.submitted_updates["other_org"].text = "Zebra crossing survey, their draft."
    world.submitted_updates["other_org"].save()
    partner = search(client_as(world.users[Role.PARTNER]), world, "zebra").context["results"]
    assert [update.pk for update, _ in partner.updates.items] == [world.submitted_updates["own"].pk]
    governing = search(client_as(world.users[Role.GOVERNING]), world, "zebra").context["results"]
    assert governing.updates.items == []  # neither is published
    working_group = search(client_as(world.users[Role.WORKING_GROUP]), world, "zebra").context["results"]
    assert {update.pk for update, _ in working_group.updates.items} == {
        world.submitted_updates["own"].pk,
        world.submitted_updates["other_org"].pk,
    }


def test_search_stays_inside_the_partnership(world, client_as):
    world.other_partnership_action.wording = "Elsewhere only: kayak safety"
    world.other_partnership_action.save()
    response = search(client_as(world.users[Role.WORKING_GROUP]), world, "kayak")
    assert response.context["results"].count == 0
    assert "Nothing matches “kayak”" in response.content.decode()


def test_every_word_must_match(world, client_as):
    ActionFactory(plan_priority=world.plan_priority, wording="Night-time economy patrols", leads=[world.own_org])
    ActionFactory(plan_priority=world.plan_priority, wording="Daytime patrols in parks", leads=[world.own_org])
    results = search(client_as(world.users[Role.PARTNER]), world, "night patrols").context["results"]
    assert [action.wording for action in results.actions.items] == ["Night-time economy patrols"]


def test_an_empty_search_runs_no_query_and_says_what_to_type(world, client_as, django_assert_max_num_queries):
    client = client_as(world.users[Role.PARTNER])
    search(client, world, "warm up the session")
    # session, user, memberships (with their partnerships), the menu's unread notifications: no search query
    with django_assert_max_num_queries(4):
        response = search(client, world, "   ")
    assert response.context["results"].count == 0
    assert "Type a word or two" in response.content.decode()


def test_a_long_group_is_cut_and_says_so(world, client_as):
    for number in range(25):
        ActionFactory(plan_priority=world.plan_priority, wording=f"Lighting scheme {number}", leads=[world.own_org])
    response = search(client_as(world.users[Role.PARTNER]), world, "lighting")
    results = response.context["results"]
    assert len(results.actions.items) == 20 and results.actions.more
    assert "Only the first 20 are shown" in response.content.decode()


def test_snippet_shows_the_words_around_the_match():
    text = "a " * 200 + "the needle is here " + "b " * 200
    extract = snippet(text, "needle")
    assert extract.startswith("…") and extract.endswith("…")
    assert "the needle is here" in extract
    assert len(extract) <= 2 * 90 + 2


def test_search_is_on_every_page_menu(world, client_as):
    html = client_as(world.users[Role.ADMIN]).get(reverse("dashboard", kwargs={"partnership": "kent-test"})).content
    assert b'href="/kent-test/search/"' in html


def test_search_query_count_does_not_grow_with_results(world, client_as, django_assert_max_num_queries):
    for number in range(15):
        update = ProgressUpdateFactory(
            action=ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org]),
            cycle=world.cycle,
            state="published",
            text=f"Bridge repairs {number}",
        )
        assert update.pk
    client = client_as(world.users[Role.WORKING_GROUP])
    with django_assert_max_num_queries(12):
        results = search(client, world, "bridge").context["results"]
    assert len(results.updates.items) == 15


def test_selector_is_usable_without_a_request(world):
    from csa_tracker.accounts.access import access_for

    access = access_for(world.users[Role.PARTNER], world.partnership)
    assert search_partnership(access=access, query="").count == 0
