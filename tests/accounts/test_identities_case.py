"""People's identities ignore letter case (issue 23, kind 3; README "People"): signing in by username or
e-mail address, inviting, the people sheet and password reset treat "Jo@X.org" and "jo@x.org" as one
person. Two accounts that differ only by case are left alone: signing in by the shared address says to
ask the administrator (only once the password is right), the exact username still works, invitations and
the people sheet refuse the address, and the People page marks both for merging. Case without a file:
"signing in with the same e-mail address in another letter case fails"."""

import importlib
import re

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csa_tracker.accounts.identities import SHARED_ADDRESS_MESSAGE
from csa_tracker.accounts.models import Invitation, Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.spreadsheet_files import csv_bytes, settings_preview

User = get_user_model()
DID_NOT_MATCH = "Your username and password did not match. Please try again."
SHEET_HEADER = ["Name", "E-mail address", "Organisation", "Roles"]


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def twins(world):
    """Two members whose addresses differ only by case (made before the rule), with their own passwords."""
    first = UserFactory(username="jo.first", email="Jo.Bloggs@example.org")
    second = UserFactory(username="jo.second", email="jo.bloggs@example.org")
    second.set_password("the-second-password-7")
    second.save()
    for user in (first, second):
        MembershipFactory(user=user, partnership=world.partnership, organisation=world.own_org, role=Role.PARTNER)
    return first, second


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("typed", ["{username}", "{USERNAME}", "{email}", "{EMAIL}", " {Email} "])
def test_everyone_signs_in_by_username_or_address_in_any_letter_case(world, role, typed):
    user = world.users[role]
    identifier = typed.format(
        username=user.username,
        USERNAME=user.username.upper(),
        email=user.email,
        EMAIL=user.email.upper(),
        Email=user.email.title(),
    )
    client = Client()
    response = sign_in(client, identifier)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_in_any_case_did_not_match(world):
    response = sign_in(Client(), world.users[Role.PARTNER].email.upper(), "wrong")
    assert response.status_code == 200
    assert DID_NOT_MATCH in response.content.decode()


def test_the_sign_in_field_says_it_takes_an_address(db):
    assert '<label class="form-label" for="id_username">Username or e-mail address</label>' in (
        Client().get(reverse("login")).content.decode()
    )


def test_the_lockout_counts_one_account_by_username_or_address_in_every_case_as_one(world, settings):
    client = Client()
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, ["partner", "PARTNER", "Partner@Example.org"][number % 3], "wrong")
    assert AccessAttempt.objects.get().username == "partner"
    assert sign_in(client, "partner@example.org").status_code == 429
    assert sign_in(client, "partner").status_code == 429


def test_the_lockout_counts_a_name_no_account_has_by_what_was_typed(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "Nobody@Example.org", "wrong")
    assert AccessAttempt.objects.get().username == "nobody@example.org"
    assert sign_in(client, "partner").status_code == 302  # another account is not locked


def test_a_shared_address_refuses_sign_in_with_the_reason_only_to_someone_with_a_password(twins):
    first, second = twins
    for password in (PASSWORD, "the-second-password-7"):
        client = Client()
        refused = sign_in(client, "JO.BLOGGS@example.org", password)
        page = refused.content.decode()
        assert refused.status_code == 200
        assert SHARED_ADDRESS_MESSAGE.replace("'", "&#x27;") in page
        assert "_auth_user_id" not in client.session
    guessed = sign_in(Client(), "jo.bloggs@example.org", "wrong").content.decode()
    assert DID_NOT_MATCH in guessed
    assert "More than one account" not in guessed  # nothing about the accounts without a password
    # Each account's exact username still signs in, as before the rule.
    exact = Client()
    assert sign_in(exact, "jo.second", "the-second-password-7").status_code == 302
    assert exact.session["_auth_user_id"] == str(second.pk)
    assert (first.email, second.email) == ("Jo.Bloggs@example.org", "jo.bloggs@example.org")  # neither changed


def test_the_people_page_marks_both_accounts_for_merging(world, twins, client_as):
    page = client_as(world.users[Role.ADMIN]).get(reverse("people_list", kwargs={"partnership": "kent-test"}))
    rows = re.findall(r"<tr>.*?</tr>", page.content.decode(), re.S)
    marked = [row for row in rows if "To merge: another account has this address" in row]
    assert [re.search(r"<td data-label=\"E-mail address\">([^<]+)", row)[1] for row in marked] == [
        "Jo.Bloggs@example.org",
        "jo.bloggs@example.org",
    ]


def test_the_people_page_asks_the_same_queries_with_or_without_shared_addresses(
    world, client_as, django_assert_num_queries
):
    client = client_as(world.users[Role.ADMIN])
    url = reverse("people_list", kwargs={"partnership": "kent-test"})
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(3):
        for email in (f"Same{number}@example.org", f"same{number}@example.org"):
            user = UserFactory(email=email)
            MembershipFactory(user=user, partnership=world.partnership, organisation=world.own_org)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("role", [Role.WORKING_GROUP, Role.ADMIN])
def test_inviting_an_address_in_another_case_is_the_same_person(world, client_as, role):
    client = client_as(world.users[role])
    response = client.post(
        reverse("people_invite", kwargs={"partnership": "kent-test"}),
        {"name": "Partner", "email": "PARTNER@Example.ORG", "organisation": world.own_org.pk, "roles": [Role.PARTNER]},
    )
    assert response.status_code == 200
    assert "PARTNER@example.org is already a member of KTP" in response.content.decode()
    assert not Invitation.objects.exists()


def sam_twins():
    """Two accounts, in no partnership yet, whose addresses differ only by case."""
    return UserFactory(username="sam.first", email="Sam@example.org"), UserFactory(email="sam@example.org")


@pytest.mark.parametrize("role", [Role.WORKING_GROUP, Role.ADMIN])
def test_inviting_a_shared_address_is_refused_on_the_field(world, client_as, role):
    sam_twins()
    response = client_as(world.users[role]).post(
        reverse("people_invite", kwargs={"partnership": "kent-test"}),
        {"name": "Sam", "email": "SAM@example.org", "organisation": world.own_org.pk, "roles": [Role.PARTNER]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Two accounts have the address SAM@example.org, written with different capital letters. Ask the "
        "site administrator to merge them (the People page marks both); until then this address cannot be "
        "invited or given roles."
    ]
    assert not Invitation.objects.exists()


def test_an_invitation_to_a_shared_address_cannot_be_accepted_until_merged(world, client_as):
    first, _ = sam_twins()
    first.email = "sam.jones@example.org"
    first.save()
    client_as(world.users[Role.ADMIN]).post(
        reverse("people_invite", kwargs={"partnership": "kent-test"}),
        {"name": "Sam", "email": "sam@example.org", "organisation": world.own_org.pk, "roles": [Role.PARTNER]},
    )
    link = re.search(r"https?://\S+(/accounts/invitation/\S+/)", mail.outbox[-1].body)[1]
    first.email = "Sam@example.org"  # a second account with the address appears meanwhile
    first.save()
    page = Client().get(link)
    assert page.status_code == 410
    assert "Two accounts have the address sam@example.org" in page.content.decode()


@pytest.mark.parametrize("role", [Role.WORKING_GROUP, Role.ADMIN])
def test_the_people_sheet_matches_addresses_in_any_case_and_refuses_a_shared_one(world, twins, client_as, role):
    client = client_as(world.users[role])
    rows = [
        SHEET_HEADER,
        ["Partner", "PARTNER@EXAMPLE.ORG", world.own_org.name, "Partner"],
        ["Jo", "JO.BLOGGS@example.org", world.own_org.name, "Partner"],
    ]
    page, _ = settings_preview(client, world.partnership, csv_bytes(rows), kind="people")
    preview = page.context["preview"]
    assert (preview.counts["unchanged"], preview.counts["new"]) == (1, 0)  # PARTNER@EXAMPLE.ORG is the partner
    assert [(row.number, row.status) for row in preview.rows] == [(3, "error")]
    assert preview.rows[0].errors == [
        (
            "E-mail address",
            "two accounts have the address JO.BLOGGS@example.org, written with different capital letters. Ask "
            "the site administrator to merge them (the People page marks both); until then this address cannot "
            "be invited or given roles.",
        )
    ]


def test_a_password_reset_by_an_address_in_another_case_then_signs_in_by_it(world):
    partner = world.users[Role.PARTNER]
    visitor = Client()
    visitor.post(reverse("password_reset"), {"email": partner.email.title()})
    [message] = mail.outbox
    assert message.to == [partner.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/\S+/)", message.body)[1]
    form_page = visitor.get(link, follow=True)
    new = "a-long-new-password-42"
    visitor.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert sign_in(visitor, partner.email.upper(), new).status_code == 302


def test_the_migration_lower_cases_domains_and_leaves_case_twins_apart(world, twins):
    migration = importlib.import_module("csa_tracker.accounts.migrations.0010_email_domains_lower_case")
    shouting = UserFactory(username="shouting", email="Pat.Jones@KENT.Police.UK")
    Invitation.objects.all().delete()
    first, second = twins
    migration.lower_case_domains(apps, None)
    shouting.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (shouting.email, first.email, second.email) == (
        "Pat.Jones@kent.police.uk",
        "Jo.Bloggs@example.org",
        "jo.bloggs@example.org",
    )
    assert sign_in(Client(), "pat.jones@KENT.police.uk").status_code == 302
