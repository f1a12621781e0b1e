"""Typed text survives the end of a session (issue 23, kind 2).

Case B21-session-ended-mid-form.py (tests/data/cases/, from the 2026-12-06 hunt): a partner types 2,200
characters of progress, the session ends (signed out in another tab), they press Submit and sign in
again. Expected: the sign-in page says the text is kept, and after signing in the form shows what they
typed, not yet saved. Found: the sign-in page said nothing and the form showed the old text.
"""

import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import ProgressUpdate
from csa_tracker import typed_text
from csa_tracker.sessions import LAST_SEEN_KEY
from tests.accounts.test_two_factor import current_code
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.html_forms import post_forms

TYPED = "ASB workshops: four sessions delivered to 96 officers. " * 40  # 2,200 characters, as in B21


def test_the_case_types_as_many_characters_as_the_hunt():
    assert len(TYPED) == 2200


@pytest.fixture
def form_url(world):
    """The partner's progress form on an action with nothing open on it."""
    world.submitted_updates["own"].delete()
    return reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": world.own_action.pk})


def token(client) -> str:
    """The browser's CSRF token (the cookie's secret, which Django takes as the form's token)."""
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def sign_in(client, user, next_url):
    """Through the sign-in page, as a person does (its POST, with the `next` the page was given)."""
    login = client.get(f"{reverse('login')}?next={next_url}")
    data = {"username": user.username, "password": PASSWORD, "next": login.context["next"]}
    return client.post(reverse("login"), {**data, "csrfmiddlewaretoken": token(client)})


def typed_form(client, form_url):
    """The progress form as the partner leaves it: open, the text typed, Submit not yet pressed."""
    page = client.get(form_url).content.decode()
    (form,) = post_forms(page, form_url)
    return form.data(button="submit", text=TYPED)


def sign_out_in_another_tab(client):
    client.get(reverse("login"))  # the CSRF cookie, as any page sets it
    client.post(reverse("logout"), {"csrfmiddlewaretoken": token(client)})


def shown_text(client, form_url) -> tuple[int, str, str]:
    response = client.get(form_url)
    page = response.content.decode()
    (form,) = post_forms(page, form_url)
    return response.status_code, dict(form.values)["text"], page


@pytest.fixture
def partner(world):
    client = Client()
    client.force_login(world.users["partner"])
    return client


def test_form_sent_after_signing_out_elsewhere_is_kept_and_back_after_sign_in(world, partner, form_url):
    data = typed_form(partner, form_url)
    sign_out_in_another_tab(partner)

    response = partner.post(form_url, data, HTTP_REFERER=f"http://testserver{form_url}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={form_url}"
    login_page = partner.get(response["Location"]).content.decode()
    assert typed_text.ENDED in login_page
    assert ProgressUpdate.objects.open().filter(action=world.own_action).count() == 0

    signed_in = sign_in(partner, world.users["partner"], form_url)
    assert signed_in["Location"] == form_url
    status, text, page = shown_text(partner, form_url)
    assert status == 200
    assert text == TYPED
    assert typed_text.RESTORED in page
    assert ProgressUpdate.objects.open().filter(action=world.own_action).count() == 0

    # Shown once: the page read again is as the view makes it.
    assert shown_text(partner, form_url)[1] == "Own published progress."


def test_restored_text_submits_as_typed(world, partner, form_url):
    data = typed_form(partner, form_url)
    sign_out_in_another_tab(partner)
    partner.post(form_url, data)
    sign_in(partner, world.users["partner"], form_url)
    (form,) = post_forms(partner.get(form_url).content.decode(), form_url)

    partner.post(form_url, form.data(button="submit"))
    update = ProgressUpdate.objects.open().get(action=world.own_action)
    assert update.text == TYPED.strip()
    assert update.state == "submitted"


def test_someone_else_signing_in_on_that_browser_does_not_see_it(world, partner, form_url):
    data = typed_form(partner, form_url)
    sign_out_in_another_tab(partner)
    partner.post(form_url, data)
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, partnership=world.partnership, organisation=world.own_org, role="partner")
    sign_in(partner, colleague, form_url)

    status, text, page = shown_text(partner, form_url)
    assert status == 200
    assert text == "Own published progress."
    assert typed_text.RESTORED not in page
    assert typed_text.SESSION_KEY not in partner.session

    # ... nor the partner, signing in after them.
    sign_out_in_another_tab(partner)
    sign_in(partner, world.users["partner"], form_url)
    assert shown_text(partner, form_url)[1] == "Own published progress."


def test_idle_expiry_keeps_the_text_too(world, partner, form_url):
    data = typed_form(partner, form_url)
    session = partner.session
    session[LAST_SEEN_KEY] = int(time.time())
    session.set_expiry(-1)  # the session ended while they typed
    session.save()

    response = partner.post(form_url, data)
    assert response["Location"].startswith(reverse("login"))
    sign_in(partner, world.users["partner"], form_url)
    assert shown_text(partner, form_url)[1] == TYPED


def test_form_whose_token_changed_when_signing_in_again_elsewhere_comes_back(world, form_url):
    """Signed out and in again in another tab: the CSRF token changed, so the old tab's form is refused;
    what it sent is kept and shown at once, since the same person is signed in."""
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.users["partner"], form_url)
    data = typed_form(client, form_url)
    sign_out_in_another_tab(client)
    sign_in(client, world.users["partner"], form_url)  # a new CSRF token

    response = client.post(form_url, data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302
    assert response["Location"] == form_url
    status, text, page = shown_text(client, form_url)
    assert (status, text) == (200, TYPED)
    assert typed_text.ENDED_SIGNED_IN in page
    assert typed_text.RESTORED in page
    assert ProgressUpdate.objects.open().filter(action=world.own_action).count() == 0


def test_refused_token_from_another_site_keeps_nothing(world, form_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["partner"])
    response = client.post(form_url, {"text": "Planted by another site."}, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 403
    assert typed_text.SESSION_KEY not in client.session


def test_passwords_and_the_token_are_never_kept(world, partner, form_url):
    sign_out_in_another_tab(partner)
    partner.post(form_url, {"text": "Words.", "password": "secret-1", "csrfmiddlewaretoken": "x"})
    (kept,) = partner.session[typed_text.SESSION_KEY].values()
    assert kept["fields"] == {"text": ["Words."]}


def test_a_file_cannot_be_kept_and_the_message_says_so(world, partner, form_url):
    sign_out_in_another_tab(partner)
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = partner.post(form_url, {"text": "Words.", "file": upload}, follow=True)
    assert typed_text.ENDED + typed_text.FILES_NOT_KEPT in response.content.decode()


def test_text_too_long_to_keep_is_said(world, partner, form_url):
    sign_out_in_another_tab(partner)
    response = partner.post(form_url, {"text": "x" * (typed_text.MAX_CHARACTERS + 1)}, follow=True)
    assert typed_text.TOO_LONG in response.content.decode()
    assert typed_text.SESSION_KEY not in partner.session


def test_a_signed_out_post_with_nothing_typed_is_sent_to_sign_in_without_a_message(world, partner, form_url):
    sign_out_in_another_tab(partner)
    response = partner.post(form_url, {"text": "  "}, follow=True)
    page = response.content.decode()
    assert typed_text.ENDED not in page
    assert typed_text.SESSION_KEY not in partner.session


def test_only_the_newest_forms_are_kept(world, partner, form_url):
    sign_out_in_another_tab(partner)
    pages = [f"/kent-test/page-{number}/" for number in range(typed_text.MAX_FORMS + 1)]
    for page in pages:  # forms on other pages posting to this address, as a button's route does
        partner.post(form_url, {"text": f"Form on {page}."}, HTTP_REFERER=f"http://testserver{page}")
    assert list(partner.session[typed_text.SESSION_KEY]) == pages[1:]


def test_kept_text_expires(world, partner, form_url):
    data = typed_form(partner, form_url)
    sign_out_in_another_tab(partner)
    partner.post(form_url, data)
    session = partner.session
    session[typed_text.SESSION_KEY][form_url]["at"] -= typed_text.KEEP_MINUTES * 60 + 1
    session.save()
    sign_in(partner, world.users["partner"], form_url)
    assert shown_text(partner, form_url)[1] == "Own published progress."


def test_keep_alive_starts_the_idle_clock_again(world, partner):
    session = partner.session
    session[LAST_SEEN_KEY] = int(time.time()) - 3600
    session.save()
    response = partner.post(reverse("session_keep_alive"))
    assert response.json() == {"seconds_left": 480 * 60}
    assert int(time.time()) - partner.session[LAST_SEEN_KEY] < 5


def test_pages_say_how_long_the_session_has_left(world, partner, form_url):
    session = partner.session
    session[LAST_SEEN_KEY] = int(time.time()) - 600  # this page saves the session again: a full day left
    session.save()
    page = partner.get(form_url).content.decode()
    assert 'data-session-seconds-left="28800"' in page
    assert 'id="session-warning" role="alert"' in page


@pytest.mark.two_factor
def test_text_comes_back_after_the_two_factor_step(world, form_url):
    reviewer = world.users["working_group"]
    device = TOTPDevice.objects.create(user=reviewer, name="Phone")
    client = Client()
    sign_in(client, reviewer, form_url)
    client.post(reverse("two_factor_verify"), {"token": current_code(device), "next": form_url})
    data = typed_form(client, form_url)  # the Working Group may write progress on any action
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the next code may be this one: let it count again
    sign_out_in_another_tab(client)
    client.post(form_url, data)

    signed_in = sign_in(client, reviewer, form_url)
    assert signed_in["Location"] == form_url
    asked = client.get(form_url)
    assert asked["Location"].startswith(reverse("two_factor_verify"))
    verified = client.post(asked["Location"], {"token": current_code(device), "next": form_url})
    assert verified["Location"] == form_url
    assert shown_text(client, form_url)[1] == TYPED


def test_every_project_form_gets_its_text_back_not_only_progress(world, partner):
    """The same for another form (a reading): kept by the middleware, shown by the forms' shared base."""
    url = reverse("reading_start", kwargs={"partnership": world.partnership.slug, "indicator": world.indicator.slug})
    (form,) = post_forms(partner.get(url).content.decode(), url)
    sign_out_in_another_tab(partner)
    partner.post(url, form.data(button="submit", value="140", period_end="2019-12-31", source_note="Police figures."))
    sign_in(partner, world.users["partner"], url)

    (shown,) = post_forms(partner.get(url).content.decode(), url)
    values = dict(shown.values)
    assert (values["value"], values["period_end"], values["source_note"]) == ("140", "2019-12-31", "Police figures.")


def test_a_form_sent_with_no_csrf_cookie_at_all_keeps_nothing(world, form_url):
    """Cookies blocked: the text could not come back either, so the page says what happened instead."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["partner"])
    response = client.post(form_url, {"text": "Words."}, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    assert typed_text.SESSION_KEY not in client.session
