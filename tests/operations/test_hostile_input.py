"""Hostile input costs the server nothing and the user nothing (issue 24): what a production-mode probe
answered with a 500, or kept where it should not be, each reproduced with what it must now give.

- a NUL (`%00`) or other control character in a query string or an address: the site's 400 page, on
  every route of the URL matrix, as the role that may open it, and anonymously on a public partnership's
  open data (on PostgreSQL the search and `?indicator=` were 500s: it refuses NUL in any text);
- `Cache-Control: private, no-store` on every signed-in answer and export, and on pages whose address
  is a token; public pages, report downloads (ETag) and static files keep their own caching;
- two partnerships' invitations to one new address accepted at once give one account with both roles.

Field lengths from form to audit are in tests/site/test_hostile_field_lengths.py.
"""

import contextlib
import secrets
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Invitation, Membership, Partnership, Role
from csa_tracker.people import services
from reports.services import report_publish
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.url_matrix import MATRIX

User = get_user_model()
PASSWORD = "a-long-new-password-42"
# What the probe sent, and the other characters no link or search box sends.
CONTROL_QUERIES = ["q=a%00b", "page=%00", "sort=%01name", "plan=%1b", "cycle=%7f", "indicator=x%00"]
BAD_REQUEST_PAGE = '<h1 class="h2 mb-3">This address cannot be read</h1>'


def opened_by(name: str) -> str | None:
    """A role that gets 200 (or a redirect) on the route for its own partnership's objects, if any."""
    row = MATRIX[name]
    return next((role for role, status in row.expect[row.cases[0]].items() if status in (200, 302)), None)


def refused_politely(response) -> bool:
    return response.status_code == 400 and BAD_REQUEST_PAGE in response.content.decode()


def test_a_control_character_in_the_query_string_of_any_route_gets_the_400_page(world, client):
    refused, tried = {}, 0
    for name, row in sorted(MATRIX.items()):
        role = opened_by(name)
        if role is None:
            continue
        client.force_login(world.users[role])
        url = reverse(name, kwargs=row.kwargs(world, row.cases[0]))
        for query in CONTROL_QUERIES:
            response = getattr(client, row.methods[0])(f"{url}?{query}")
            refused[(name, query)] = refused_politely(response)
            tried += 1
    assert tried > 500  # every route of the matrix that some role opens, six ways
    assert [key for key, ok in refused.items() if not ok] == []


@pytest.mark.parametrize("address", ["/kent-test/search%00/", "/accounts/invitation/a%00b/", "/kent-test/%1b/"])
def test_a_control_character_in_the_address_itself_gets_the_400_page(world, client, address):
    client.force_login(world.users[Role.WORKING_GROUP])
    assert refused_politely(client.get(address))


def test_the_searches_of_the_probe_are_refused_and_ordinary_ones_still_answer(world, client):
    client.force_login(world.users[Role.PARTNER])
    search = reverse("search", kwargs={"partnership": world.partnership.slug})
    assert refused_politely(client.get(search, {"q": "road\x00casualties"}))
    # Tab and line breaks are whitespace a pasted search may hold; they are searched for, not refused.
    found = client.get(search, {"q": "Own\tcouncil's"})
    assert found.status_code == 200 and "Own council&#x27;s action" in found.content.decode()
    assert client.get(search, {"q": "“quoted” – dashes & ümlauts"}).status_code == 200


def test_open_data_of_a_public_partnership_refuses_nul_to_anyone_signed_out(world, client):
    report_publish(access=access_for(world.users[Role.WORKING_GROUP], world.partnership), cycle=world.cycle)
    Partnership.objects.filter(pk=world.partnership.pk).update(open_data_public=True)
    figures = reverse("opendata_figures_json", kwargs={"partnership": world.partnership.slug})
    assert client.get(figures, {"indicator": world.indicator.slug}).status_code == 200
    response = client.get(f"{figures}?indicator=road%00casualties")
    assert refused_politely(response)
    assert "Sign out" not in response.content.decode()  # the page for anyone: no person's menu


# --- What browsers and proxies may keep -------------------------------------------------------------


def test_every_signed_in_page_and_export_is_private_and_not_stored(world, client):
    client.force_login(world.users[Role.WORKING_GROUP])
    slug = world.partnership.slug
    for address in [
        reverse("plan_list", kwargs={"partnership": slug}),
        reverse("indicator_list", kwargs={"partnership": slug}),
        reverse("export_list", kwargs={"partnership": slug, "name": "audit", "fmt": "csv"}),
        reverse("export_list", kwargs={"partnership": slug, "name": "actions", "fmt": "xlsx"}),
        reverse("opendata_figures_csv", kwargs={"partnership": slug}),
        reverse("review_queue", kwargs={"partnership": slug}),
    ]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["Cache-Control"] == "private, no-store", address


def test_pages_whose_address_is_a_token_are_not_stored_even_for_someone_signed_out(world, client):
    token = secrets.token_urlsafe(32)
    invitation(world.partnership, world.own_org, world.users[Role.ADMIN], "new.person@example.org", token)
    client.cookies["csrftoken"] = "x" * 32  # no cookie is set in the answer, so only the address says so
    response = client.get(reverse("invitation_accept", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_static_files_and_report_downloads_keep_their_own_caching(world, client):
    report, _ = report_publish(access=access_for(world.users[Role.WORKING_GROUP], world.partnership), cycle=world.cycle)
    Partnership.objects.filter(pk=world.partnership.pk).update(open_data_public=True)
    public = client.get(report.get_absolute_url())
    assert public.status_code == 200 and not public.has_header("Cache-Control")  # a resident's page
    assert "no-store" not in client.get("/static/css/app.css").get("Cache-Control", "")
    client.force_login(world.users[Role.GOVERNING])
    download = client.get(reverse("report_pdf", kwargs=report.address_kwargs))
    assert download["Cache-Control"] == "private, no-cache"  # stored by the browser, asked again: 304


# --- Two invitations to one new address, accepted at once ----------------------------------------


def invitation(partnership, organisation, sender, email, token, roles=(Role.PARTNER,)):
    now = timezone.now()
    return Invitation.objects.create(
        partnership=partnership,
        email=email,
        name="Sam Okafor",
        organisation=organisation,
        roles=list(roles),
        invited_by=sender,
        created=now,
        expires=now + timedelta(days=7),
        token_hash=services.token_hash(token),
    )


def two_invitations(world, email, other_email=None):
    """The world's partnership invites `email` and the other one `other_email` (the same by default);
    no account exists yet. Their tokens."""
    elsewhere_org = OrganisationFactory(partnership=world.other_partnership, name="Elsewhere Council")
    elsewhere_admin = MembershipFactory(
        partnership=world.other_partnership, organisation=elsewhere_org, role=Role.ADMIN
    ).user
    tokens = [secrets.token_urlsafe(32), secrets.token_urlsafe(32)]
    invitation(world.partnership, world.own_org, world.users[Role.ADMIN], email, tokens[0])
    other_email = other_email or email
    invitation(world.other_partnership, elsewhere_org, elsewhere_admin, other_email, tokens[1], roles=(Role.GOVERNING,))
    return tokens


@pytest.mark.parametrize("other_email", ["sam.okafor@example.org", "Sam.Okafor@example.org"])
@pytest.mark.django_db(transaction=True)  # two threads, two connections: each acceptance commits for real
def test_two_invitations_to_one_new_address_accepted_at_once_give_one_account(world, other_email):
    """Both acceptances look for an account, and only then may either make one (a barrier holds each
    after its look until the other has looked too, or 3 s have passed): without the lock on the address
    both find none and make two accounts, or one is a 500 on the unique username."""
    if connections["default"].vendor == "sqlite":
        pytest.skip(
            "SQLite runs one writing transaction at a time (IMMEDIATE), and its shared in-memory test "
            "database refuses a second thread's write instead of queueing it: run with DATABASE_URL"
        )
    email = "sam.okafor@example.org"
    tokens = two_invitations(world, email, other_email)
    both_looked = threading.Barrier(2, timeout=3)
    looked_up = services.account_for

    def look_then_wait(address):
        found = looked_up(address)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other waits for the lock: go on
            both_looked.wait()
        return found

    answers = {}

    def accept(token):
        try:
            link = reverse("invitation_accept", kwargs={"token": token})
            answers[token] = Client().post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        finally:
            connections.close_all()

    with mock.patch.object(services, "account_for", side_effect=look_then_wait):
        threads = [threading.Thread(target=accept, args=(token,)) for token in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert {token: answers[token].status_code for token in tokens} == dict.fromkeys(tokens, 302)
    [account] = User.objects.filter(email__iexact=email)
    assert set(Membership.objects.filter(user=account).values_list("partnership", "role")) == {
        (world.partnership.pk, Role.PARTNER),
        (world.other_partnership.pk, Role.GOVERNING),
    }
    assert Invitation.objects.filter(accepted_by=account).count() == 2


def test_an_existing_account_is_never_duplicated_by_case(world):
    """Accepting with no account is for an address nobody has, whatever its case."""
    UserFactory(email="Sam.Okafor@Example.org", username="sam")
    two_invitations(world, "sam.okafor@example.org")
    first = Invitation.objects.order_by("pk").first()
    taken = services.invitation_accept(invitation=first, password=PASSWORD)
    assert taken.username == "sam"
    assert User.objects.filter(email__iexact="sam.okafor@example.org").count() == 1


# --- Digits that are not numbers --------------------------------------------------------------------


def test_superscript_digits_where_a_number_is_expected_are_refused_not_a_500(world, client):
    """ "²" is a digit to `str.isdigit` but not a number to `int`: both were 500s."""
    client.force_login(world.users[Role.WORKING_GROUP])
    queue = reverse("review_queue", kwargs={"partnership": world.partnership.slug})
    publish = reverse("review_publish_many", kwargs={"partnership": world.partnership.slug})
    response = client.post(publish, {"item": "update:²:1"}, follow=True)
    assert response.redirect_chain == [(queue, 302)]
    assert "One of the checked items was not understood; nothing was published." in response.content.decode()
    setup = client.post(reverse("two_factor_setup"), {"token": "¹²³⁴⁵⁶"})
    assert setup.status_code == 200
    assert "That code did not match" in setup.content.decode()
