"""Password reset (signed out, by e-mail) and change (signed in), with sign-in lockout and two-factor."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csa_tracker.accounts.models import Role
from tests.factories import PASSWORD

NEW_PASSWORD = "a-long-new-password-42"


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/\S+/)", message.body).group(1)


def test_sign_in_page_links_to_password_reset(db):
    page = Client().get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page


def test_a_forgotten_password_is_reset_by_e_mail_and_the_new_one_signs_in(world):
    partner = world.users[Role.PARTNER]
    visitor = Client()
    assert visitor.get(reverse("password_reset")).status_code == 200  # no sign-in needed
    sent = visitor.post(reverse("password_reset"), {"email": partner.email.upper()})
    assert sent["Location"] == reverse("password_reset_done")
    assert "Check your e-mail" in visitor.get(sent["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == [partner.email]
    assert message.subject == "Reset your CSA Tracker password"
    assert "http://127.0.0.1:8000/accounts/password-reset/" in message.body  # the configured site address

    form_page = visitor.get(reset_link(message), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = visitor.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    partner.refresh_from_db()
    assert partner.check_password(NEW_PASSWORD)
    # The reset does not sign anyone in; the new password does.
    assert "_auth_user_id" not in visitor.session
    assert visitor.post(reverse("login"), {"username": "partner", "password": NEW_PASSWORD}).status_code == 302

    used = visitor.get(reset_link(message), follow=True).content.decode()
    assert "This link does not work any more" in used


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(world):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_reset_ends_the_sign_in_lockout_for_that_username(world, settings):
    partner = world.users[Role.PARTNER]
    visitor = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        visitor.post(reverse("login"), {"username": "partner", "password": "wrong"})
    locked = visitor.post(reverse("login"), {"username": "partner", "password": PASSWORD})
    assert locked.status_code == 429
    assert f'href="{reverse("password_reset")}"' in locked.content.decode()

    visitor.post(reverse("password_reset"), {"email": partner.email})
    form_page = visitor.get(reset_link(mail.outbox[0]), follow=True)
    visitor.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not AccessAttempt.objects.filter(username="partner").exists()
    assert visitor.post(reverse("login"), {"username": "partner", "password": NEW_PASSWORD}).status_code == 302


def test_everyone_signed_in_can_change_their_password(world, client_as):
    governing = world.users[Role.GOVERNING]
    client = client_as(governing)
    plans = client.get(reverse("plan_list", kwargs={"partnership": world.partnership.slug})).content.decode()
    assert f'href="{reverse("password_change")}"' in plans  # in the user menu
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "old_password" in wrong.context["form"].errors
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    governing.refresh_from_db()
    assert governing.check_password(NEW_PASSWORD)
    assert client.get(response["Location"]).status_code == 200  # still signed in


@pytest.mark.two_factor
def test_changing_a_password_needs_the_second_factor_first(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    TOTPDevice.objects.create(user=reviewer, name="Phone")
    client.post(reverse("login"), {"username": reviewer.username, "password": PASSWORD})
    response = client.get(reverse("password_change"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    reviewer.refresh_from_db()
    assert reviewer.check_password(PASSWORD)
