"""People pages: the list (search, pagination), changing a member's roles, removing a member."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Membership, Role
from csa_tracker.audit.models import AuditEntry
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def people_url(world, **query):
    url = reverse("people_list", kwargs={"partnership": world.partnership.slug})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def edit_url(world, person):
    return reverse("member_edit", kwargs={"partnership": world.partnership.slug, "pk": person.pk})


def remove_url(world, person):
    return reverse("member_deactivate", kwargs={"partnership": world.partnership.slug, "pk": person.pk})


def test_list_shows_each_member_with_roles_and_organisation(world, client_as):
    page = client_as(world.users[Role.WORKING_GROUP]).get(people_url(world))
    rows = {person.username: person for person in page.context["page"].object_list}
    assert set(rows) == {"partner", "working_group", "governing", "admin"}
    assert [m.get_role_display() for m in rows["governing"].here] == ["Governing group"]
    html = page.content.decode()
    assert "Own District Council" in html
    assert "No invitations are waiting." in html


def test_search_finds_by_name_e_mail_or_organisation(world, client_as):
    helper = MembershipFactory(
        partnership=world.partnership,
        organisation=OrganisationFactory(name="Kent Fire and Rescue Service"),
        user=UserFactory(first_name="Samira", last_name="Okafor", email="s.okafor@fire.example"),
    ).user
    client = client_as(world.users[Role.ADMIN])
    for term in ("okafor", "FIRE.example", "Fire and Rescue"):
        found = [person.pk for person in client.get(people_url(world, q=term)).context["page"].object_list]
        assert found == [helper.pk], term
    nobody = client.get(people_url(world, q="zzz")).content.decode()
    assert "Nobody matches “zzz”" in nobody


def test_long_lists_are_paginated_in_a_fixed_number_of_queries(world, client_as):
    client = client_as(world.users[Role.ADMIN])
    client.get(people_url(world))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(people_url(world))
    for number in range(30):
        MembershipFactory(partnership=world.partnership, organisation=world.own_org, user__first_name=f"Zed{number:02}")
    with CaptureQueriesContext(connection) as many:
        first = client.get(people_url(world))
    assert len(many) == len(few)
    assert len(first.context["page"].object_list) == 25
    second = client.get(people_url(world, page=2)).context["page"]
    assert len(second.object_list) == 9
    assert "Page 1 of 2" in first.content.decode()


def test_changing_roles_gives_exactly_the_roles_chosen(world, client_as):
    governing = world.users[Role.GOVERNING]
    client = client_as(world.users[Role.WORKING_GROUP])
    form = client.get(edit_url(world, governing))
    assert form.context["form"].initial == {"roles": [Role.GOVERNING], "organisation": world.own_org}
    response = client.post(
        edit_url(world, governing), {"organisation": world.own_org.pk, "roles": [Role.PARTNER, Role.GOVERNING]}
    )
    assert response.status_code == 302
    assert access_for(governing, world.partnership).roles == {Role.PARTNER, Role.GOVERNING}
    assert AuditEntry.objects.get().summary == (
        f"Roles changed: {governing.get_full_name()} now has Partner, Governing group for Own District Council."
    )


def test_a_change_of_roles_takes_effect_at_the_persons_next_request(world, client_as):
    governing = world.users[Role.GOVERNING]
    theirs = Client()
    theirs.force_login(governing)
    dashboard = reverse("dashboard", kwargs={"partnership": world.partnership.slug})
    my_work = reverse("my_work", kwargs={"partnership": world.partnership.slug})
    page = theirs.get(dashboard)
    assert page.status_code == 200 and f'href="{dashboard}"' in page.content.decode()
    assert theirs.get(my_work).status_code == 403
    changer = client_as(world.users[Role.WORKING_GROUP])
    changer.post(edit_url(world, governing), {"organisation": world.own_org.pk, "roles": [Role.PARTNER]})
    assert theirs.get(dashboard).status_code == 403  # refused at once: nothing kept from before
    page = theirs.get(my_work)
    assert page.status_code == 200 and f'href="{dashboard}"' not in page.content.decode()  # nor in the menu


def test_saving_unchanged_changes_nothing(world, client_as):
    governing = world.users[Role.GOVERNING]
    before = list(Membership.objects.filter(user=governing).values_list("pk", flat=True))
    client = client_as(world.users[Role.ADMIN])
    response = client.post(
        edit_url(world, governing), {"organisation": world.own_org.pk, "roles": [Role.GOVERNING]}, follow=True
    )
    assert "Nothing changed for" in response.content.decode()
    assert list(Membership.objects.filter(user=governing).values_list("pk", flat=True)) == before
    assert not AuditEntry.objects.exists()


def test_working_group_cannot_take_the_administrator_role_away(world, client_as):
    admin = world.users[Role.ADMIN]
    client = client_as(world.users[Role.WORKING_GROUP])
    response = client.post(edit_url(world, admin), {"organisation": world.own_org.pk, "roles": [Role.PARTNER]})
    assert response.status_code == 200
    assert response.context["form"].errors["roles"] == [
        "Only an administrator can give or remove the administrator role."
    ]
    assert access_for(admin, world.partnership).roles == {Role.ADMIN}


def test_an_administrator_cannot_remove_their_own_administrator_role(world, client_as):
    admin = world.users[Role.ADMIN]
    response = client_as(admin).post(
        edit_url(world, admin), {"organisation": world.own_org.pk, "roles": [Role.PARTNER]}
    )
    assert response.context["form"].errors["roles"] == [
        "You cannot remove your own administrator role; ask another administrator."
    ]
    assert access_for(admin, world.partnership).roles == {Role.ADMIN}


def test_removing_a_member_asks_first_then_deactivates_their_only_account(world, client_as):
    governing = world.users[Role.GOVERNING]
    client = client_as(world.users[Role.WORKING_GROUP])
    confirm = client.get(remove_url(world, governing)).content.decode()
    assert "Remove Test Person" in confirm
    assert "their account is deactivated: they can no longer sign in" in confirm
    assert access_for(governing, world.partnership) is not None  # asking removes nothing

    response = client.post(remove_url(world, governing), follow=True)
    assert "no longer has a role in KTP and their account is deactivated." in response.content.decode()
    governing.refresh_from_db()
    assert not governing.is_active
    assert not Membership.objects.filter(user=governing).exists()
    assert client.get(edit_url(world, governing)).status_code == 404  # no longer a member here


def test_removing_someone_with_another_partnership_keeps_their_account(world, client_as):
    partner = world.users[Role.PARTNER]
    MembershipFactory(user=partner, partnership=world.other_partnership, organisation=world.other_org)
    client = client_as(world.users[Role.ADMIN])
    assert "their account stays open" in client.get(remove_url(world, partner)).content.decode()
    client.post(remove_url(world, partner))
    partner.refresh_from_db()
    assert partner.is_active
    assert access_for(partner, world.partnership) is None
    assert access_for(partner, world.other_partnership) is not None


@pytest.mark.parametrize(
    ("actor", "target", "message"),
    [
        (Role.WORKING_GROUP, Role.ADMIN, "Only an administrator can remove an administrator."),
        (Role.ADMIN, Role.ADMIN, "You cannot remove yourself; ask another administrator."),
    ],
)
def test_refused_removals_say_why_and_remove_nothing(world, client_as, actor, target, message):
    person = world.users[target]
    response = client_as(world.users[actor]).post(remove_url(world, person))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert access_for(person, world.partnership) is not None


def test_people_pages_are_in_the_menu_of_those_who_manage_people(world, client_as):
    link = f'href="{people_url(world)}"'
    plans = reverse("plan_list", kwargs={"partnership": world.partnership.slug})
    assert link in client_as(world.users[Role.ADMIN]).get(plans).content.decode()
    assert link not in client_as(world.users[Role.PARTNER]).get(plans).content.decode()
