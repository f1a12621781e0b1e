"""People pages: inviting by e-mail, accepting (new and existing accounts), the links' bad cases."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Invitation, Membership, Role
from csa_tracker.audit.models import AuditEntry
from csa_tracker.people import services
from csa_tracker.refusals import Invalid
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

User = get_user_model()
NEW_PASSWORD = "a-long-new-password-42"


def invite_url(world):
    return reverse("people_invite", kwargs={"partnership": world.partnership.slug})


def invite(client, world, **changes):
    data = {
        "name": "Priya Shah",
        "email": "priya.shah@example.org",
        "organisation": world.own_org.pk,
        "roles": [Role.PARTNER],
    } | changes
    return client.post(invite_url(world), data)


def link_in(message) -> str:
    """The invitation address in an e-mail, as a path on this site."""
    url = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)
    return url.split("127.0.0.1:8000", 1)[-1]


def sign_in(client, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_admin_invites_a_new_partner_who_sets_a_password_and_signs_in(world, client_as):
    admin = client_as(world.users[Role.ADMIN])
    form = admin.get(invite_url(world))
    assert form.status_code == 200
    assert "Administrator" in form.content.decode()  # an administrator may give every role

    response = invite(admin, world)
    assert response["Location"] == reverse("people_list", kwargs={"partnership": world.partnership.slug})
    [message] = mail.outbox
    assert message.to == ["priya.shah@example.org"]
    assert message.subject == "Invitation to Kent Test Partnership on CSA Tracker"
    assert "as Partner for Own District Council" in message.body
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is None
    assert invitation.invited_by == world.users[Role.ADMIN]
    assert invitation.expires - invitation.created == timedelta(days=7)
    # Nothing exists for the invitee until they accept.
    assert not User.objects.filter(email="priya.shah@example.org").exists()
    listing = admin.get(reverse("people_list", kwargs={"partnership": world.partnership.slug})).content.decode()
    assert "priya.shah@example.org" in listing  # among the invitations waiting

    invitee = Client()
    link = link_in(message)
    page = invitee.get(link)
    assert page.status_code == 200
    assert "Choose a password" in page.content.decode()
    accepted = invitee.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert accepted["Location"] == reverse("partnership_home", kwargs={"partnership": world.partnership.slug})

    person = User.objects.get(email="priya.shah@example.org")
    assert person.username == "priya.shah@example.org"
    assert person.get_full_name() == "Priya Shah"
    assert list(Membership.objects.filter(user=person).values_list("partnership", "organisation", "role")) == [
        (world.partnership.pk, world.own_org.pk, Role.PARTNER)
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_by == person

    # Later, the new person signs in with their e-mail address and lands where partners work.
    fresh = sign_in(Client(), "priya.shah@example.org", NEW_PASSWORD)
    home = fresh.get(reverse("partnership_home", kwargs={"partnership": world.partnership.slug}))
    assert home["Location"] == reverse("my_dashboard", kwargs={"partnership": world.partnership.slug})
    assert fresh.get(home["Location"]).status_code == 200
    assert access_for(person, world.partnership).roles == {Role.PARTNER}


def test_someone_with_an_account_signs_in_and_accepts(world, client_as):
    elsewhere = MembershipFactory(partnership=world.other_partnership, organisation=world.other_org).user
    invite(client_as(world.users[Role.WORKING_GROUP]), world, email=elsewhere.email.upper(), roles=[Role.GOVERNING])
    link = link_in(mail.outbox[0])
    users_before = User.objects.count()

    invitee = Client()
    page = invitee.get(link).content.decode()
    assert "There is already an account" in page
    login_url = f"{reverse('login')}?{urlencode({'next': link})}"
    assert login_url in page
    signed_in = invitee.post(login_url, {"username": elsewhere.username, "password": "a-test-password-1", "next": link})
    assert signed_in["Location"] == link
    assert "Accept the invitation" in invitee.get(link).content.decode()
    assert not Membership.objects.filter(user=elsewhere, partnership=world.partnership).exists()

    invitee.post(link)
    assert User.objects.count() == users_before
    assert access_for(elsewhere, world.partnership).roles == {Role.GOVERNING}
    assert access_for(elsewhere, world.other_partnership) is not None  # their other role is untouched


def test_a_deactivated_account_is_reactivated_with_a_new_password(world, client_as):
    former = UserFactory(email="former@example.org", is_active=False)
    invite(client_as(world.users[Role.ADMIN]), world, email="former@example.org")
    Client().post(link_in(mail.outbox[0]), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    former.refresh_from_db()
    assert former.is_active
    assert former.check_password(NEW_PASSWORD)
    assert User.objects.filter(email="former@example.org").count() == 1


def test_signed_in_as_someone_else_the_link_says_so_and_creates_nothing(world, client_as):
    invite(client_as(world.users[Role.ADMIN]), world)
    other = client_as(world.users[Role.GOVERNING])
    link = link_in(mail.outbox[0])
    page = other.get(link).content.decode()
    assert "This invitation is for priya.shah@example.org, but you are signed in as" in page
    other.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not User.objects.filter(email="priya.shah@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.two_factor
def test_a_new_working_group_member_enrols_two_factor_after_accepting(world, client_as):
    link = send(world, roles=[Role.WORKING_GROUP])
    invitee = Client()
    invitee.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = invitee.get(reverse("review_queue", kwargs={"partnership": world.partnership.slug}))
    assert response["Location"].startswith(reverse("two_factor_setup"))


# Bad input on the invitation form: a message on the field, what was typed kept, nothing sent.


def test_an_address_already_a_member_is_refused_on_the_field(world, client_as):
    member = world.users[Role.PARTNER]
    response = invite(client_as(world.users[Role.ADMIN]), world, email=f" {member.email.upper()} ", name="Kept Name")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "PARTNER@example.org is already a member of KTP: change their roles on their page instead."
    ]
    assert 'value="Kept Name"' in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_only_administrators_give_the_administrator_role(world, client_as):
    reviewer = client_as(world.users[Role.WORKING_GROUP])
    assert 'value="admin"' not in reviewer.get(invite_url(world)).content.decode()
    response = invite(reviewer, world, roles=[Role.PARTNER, Role.ADMIN])
    assert response.status_code == 200
    assert response.context["form"].errors["roles"] == [
        "Choose from the roles listed; only an administrator can give the administrator role."
    ]
    assert not Invitation.objects.exists()
    # The service holds the rule too, whatever page calls it.
    access = access_for(world.users[Role.WORKING_GROUP], world.partnership)
    with pytest.raises(Invalid) as refused:
        services.invitation_send(
            access=access, email="x@example.org", name="X", organisation=world.own_org, roles=[Role.ADMIN]
        )
    assert refused.value.message_dict["roles"] == ["Only an administrator can give or remove the administrator role."]


def test_an_organisation_of_another_partnership_is_refused(world, client_as):
    theirs = OrganisationFactory(name="Elsewhere Borough Council")
    MembershipFactory(partnership=world.other_partnership, organisation=theirs)
    admin = client_as(world.users[Role.ADMIN])
    assert "Elsewhere Borough Council" not in admin.get(invite_url(world)).content.decode()
    response = invite(admin, world, organisation=theirs.pk)
    assert response.context["form"].errors["organisation"] == ["Choose one of this partnership's organisations."]
    assert not Invitation.objects.exists()


def test_an_empty_form_names_every_missing_field(world, client_as):
    response = client_as(world.users[Role.ADMIN]).post(invite_url(world), {})
    assert response.context["form"].errors == {
        "name": ["Enter their full name, as colleagues know it."],
        "email": ["Enter the e-mail address to send the invitation to."],
        "organisation": ["Choose the organisation they act for."],
        "roles": ["Choose at least one of the roles."],
    }
    assert 'href="#id_email"' in response.content.decode()  # the error summary links to the field


# Bad links.


def send(world, *, now=None, email="priya.shah@example.org", roles=(Role.PARTNER,)):
    access = access_for(world.users[Role.ADMIN], world.partnership)
    services.invitation_send(
        access=access, email=email, name="Priya Shah", organisation=world.own_org, roles=roles, now=now
    )
    return link_in(mail.outbox[-1])


def test_an_expired_link_says_to_ask_for_a_new_one(world):
    link = send(world, now=timezone.now() - timedelta(days=8))
    page = Client().get(link)
    assert page.status_code == 410
    assert "This invitation has expired" in page.content.decode()
    assert "Ask Test Person" in page.content.decode()  # the inviter, by name
    Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not User.objects.filter(email="priya.shah@example.org").exists()


def test_a_used_link_cannot_be_used_again(world):
    link = send(world)
    Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().post(link, {"new_password1": "another-password-99", "new_password2": "another-password-99"})
    assert again.status_code == 410
    assert "This invitation has already been accepted" in again.content.decode()
    assert User.objects.get(email="priya.shah@example.org").check_password(NEW_PASSWORD)


def test_inviting_again_replaces_the_earlier_link(world):
    first = send(world)
    second = send(world)
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200


def test_an_unknown_link_is_not_found(db):
    page = Client().get(reverse("invitation_accept", kwargs={"token": "made-up"}))
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()


def test_a_weak_password_is_refused_on_the_field(world):
    link = send(world)
    response = Client().post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "This password is entirely numeric." in response.context["form"].errors["new_password2"]
    assert not User.objects.filter(email="priya.shah@example.org").exists()


def test_invitation_and_acceptance_are_audited(world):
    link = send(world)
    Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    messages = list(AuditEntry.objects.order_by("pk").values_list("summary", flat=True))
    assert messages == [
        "Invited: priya.shah@example.org as Partner for Own District Council.",
        "Accepted: priya.shah@example.org now has Partner for Own District Council.",
    ]


def test_when_the_e_mail_cannot_be_sent_nothing_is_saved(world, client_as, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(services, "notify_address", refuse)
    response = invite(client_as(world.users[Role.ADMIN]), world)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The invitation e-mail could not be sent, so nothing was saved. Try again in a few minutes."
    ]
    assert 'value="Priya Shah"' in response.content.decode()
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_withdrawn_invitation_stops_working(world, client_as):
    link = send(world)
    invitation = Invitation.objects.get()
    client = client_as(world.users[Role.WORKING_GROUP])
    url = reverse("invitation_withdraw", kwargs={"partnership": world.partnership.slug, "pk": invitation.pk})
    assert "Withdraw the invitation to priya.shah@example.org?" in client.get(url).content.decode()
    assert Client().get(link).status_code == 200  # asking withdraws nothing

    response = client.post(url, follow=True)
    assert "The invitation to priya.shah@example.org is withdrawn" in response.content.decode()
    assert "No invitations are waiting." in response.content.decode()
    page = Client().get(link)
    assert page.status_code == 410
    assert "This invitation was withdrawn" in page.content.decode()
    assert client.post(url).status_code == 404  # no longer pending
