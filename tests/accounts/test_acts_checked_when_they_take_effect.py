"""Acts that take effect later are checked again then, against the rules then (issue 22): an invitation
whose sender lost the role, a correction under the four-eyes rule, accounts with site-wide rights."""

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from csa_tracker.accounts.models import Invitation, Membership, Role
from csa_tracker.accounts.people import display_name
from csa_tracker.audit.models import AuditEntry
from csa_tracker.people import services
from tests.accounts.test_people_invitations import NEW_PASSWORD, invite, link_in
from tests.factories import MembershipFactory, UserFactory
from workflow.models import ReviewState

User = get_user_model()


def sent_invitation(world, client_as, *, by, roles):
    response = invite(client_as(by), world, roles=roles)
    assert response.status_code == 302
    [message] = mail.outbox
    return Invitation.objects.get(), link_in(message)


def test_an_invitation_whose_sender_lost_the_role_is_refused_and_says_whom_to_ask(world, client_as):
    sender = UserFactory(username="sender", first_name="Sam", last_name="Sender")
    MembershipFactory(user=sender, partnership=world.partnership, organisation=world.own_org, role=Role.WORKING_GROUP)
    invitation, link = sent_invitation(world, client_as, by=sender, roles=[Role.WORKING_GROUP])
    Membership.objects.filter(user=sender, role=Role.WORKING_GROUP).update(role=Role.PARTNER)

    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 410
    text = page.content.decode()
    assert "This invitation can no longer be accepted" in text
    assert "Sam Sender, who can no longer give these roles in KTP" in text
    # Whom to ask: the people who manage people there now (the world's Working Group member and administrator).
    managers = sorted([world.users[Role.WORKING_GROUP], world.users[Role.ADMIN]], key=lambda u: u.last_name)
    assert f"Ask {display_name(managers[0])} or {display_name(managers[1])} to invite you again." in text

    posted = invitee.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert posted.status_code == 410
    assert not User.objects.filter(email="priya.shah@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_service_refuses_the_acceptance_too_when_the_sender_left_meanwhile(world, client_as):
    invitation, _ = sent_invitation(world, client_as, by=world.users[Role.WORKING_GROUP], roles=[Role.PARTNER])
    world.users[Role.WORKING_GROUP].is_active = False
    world.users[Role.WORKING_GROUP].save()

    try:
        services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    except services.InvitationSenderCannot as refusal:
        assert "can no longer give these roles" in str(refusal)
    else:
        raise AssertionError("the acceptance was not refused")
    assert Membership.objects.filter(user__email="priya.shah@example.org").count() == 0


def test_an_invitation_from_someone_still_in_the_role_is_accepted(world, client_as):
    _, link = sent_invitation(world, client_as, by=world.users[Role.WORKING_GROUP], roles=[Role.PARTNER])
    accepted = Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert accepted.status_code == 302
    assert list(Membership.objects.filter(user__email="priya.shah@example.org").values_list("role", flat=True)) == [
        Role.PARTNER
    ]


def correct_as(client, world, item, **changes):
    url = reverse("update_correct", kwargs={"partnership": world.partnership.slug, "pk": item.pk})
    data = {
        "text": item.text,
        "status": item.status_id,
        "flag": "",
        "flag_reason": "",
        "version": item.version,
        "correction-reason": "The figure in the second sentence was wrong.",
    } | changes
    return client.post(url, data)


def test_a_correction_waits_for_another_member_of_the_working_group_when_four_eyes_are_on(world, client_as):
    assert world.partnership.separate_publisher
    published = world.published_updates["own"]
    writer = world.users[Role.WORKING_GROUP]
    response = correct_as(client_as(writer), world, published, text="Own published progress, corrected.")
    assert response.status_code == 302
    correction = type(published).objects.get(corrects=published)
    assert correction.state == ReviewState.SUBMITTED
    assert correction.author == writer

    # The writer cannot publish it: not from the review page, nor in a bulk publish.
    review = reverse("review_update", kwargs={"partnership": world.partnership.slug, "pk": correction.pk})
    refused = client_as(writer).post(review, {"decision": "publish", "version": correction.version})
    assert refused.status_code == 302
    correction.refresh_from_db()
    assert correction.state == ReviewState.SUBMITTED

    colleague = UserFactory(username="colleague")
    MembershipFactory(
        user=colleague, partnership=world.partnership, organisation=world.own_org, role=Role.WORKING_GROUP
    )
    published_now = client_as(colleague).post(review, {"decision": "publish", "version": correction.version})
    assert published_now.status_code == 302
    correction.refresh_from_db()
    assert correction.state == ReviewState.PUBLISHED
    verbs = list(AuditEntry.objects.for_object(correction).values_list("verb", "actor__username"))
    assert verbs == [("correct", "working_group"), ("publish", "colleague")]


def test_a_correction_is_published_at_once_where_the_partnership_needs_no_second_person(world, client_as):
    world.partnership.separate_publisher = False
    world.partnership.save()
    published = world.published_updates["own"]
    response = correct_as(client_as(world.users[Role.WORKING_GROUP]), world, published, text="Corrected at once.")
    assert response.status_code == 302
    correction = type(published).objects.get(corrects=published)
    assert correction.state == ReviewState.PUBLISHED
    assert list(AuditEntry.objects.for_object(correction).values_list("verb", flat=True)) == ["correct", "publish"]


def superuser_member(world, role=Role.PARTNER):
    owner = UserFactory(username="owner", is_staff=True, is_superuser=True)
    MembershipFactory(user=owner, partnership=world.partnership, organisation=world.own_org, role=role)
    return owner


def test_only_an_administrator_removes_an_account_with_site_wide_rights(world, client_as):
    owner = superuser_member(world)
    url = reverse("member_deactivate", kwargs={"partnership": world.partnership.slug, "pk": owner.pk})

    refused = client_as(world.users[Role.WORKING_GROUP]).post(url)
    assert refused.status_code == 400
    assert "only an administrator can remove it" in refused.content.decode()
    assert Membership.objects.filter(user=owner).count() == 1

    removed = client_as(world.users[Role.ADMIN]).post(url)
    assert removed.status_code == 302
    owner.refresh_from_db()
    assert (owner.is_active, owner.is_staff, owner.is_superuser) == (False, False, False)


def test_an_account_with_site_wide_rights_is_invited_only_by_an_administrator_and_never_gets_them_back(
    world, client_as
):
    owner = superuser_member(world)
    client_as(world.users[Role.ADMIN]).post(
        reverse("member_deactivate", kwargs={"partnership": world.partnership.slug, "pk": owner.pk})
    )
    owner.refresh_from_db()
    owner.is_staff = owner.is_superuser = True  # rights given again outside the app (the admin, a shell)
    owner.save()

    refused = invite(client_as(world.users[Role.WORKING_GROUP]), world, email=owner.email, name="Owner")
    assert refused.status_code == 200
    assert "only an administrator can invite it" in refused.content.decode()
    assert Invitation.objects.count() == 0

    invitation, link = sent_invitation(world, client_as, by=world.users[Role.ADMIN], roles=[Role.PARTNER])
    Invitation.objects.filter(pk=invitation.pk).update(email=owner.email)
    accepted = Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert accepted.status_code == 302
    owner.refresh_from_db()
    assert (owner.is_active, owner.is_staff, owner.is_superuser) == (True, False, False)
