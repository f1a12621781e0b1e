"""Working Group members and administrators give a code from an authenticator after their password."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from csa_tracker.accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.two_factor


def current_code(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def plan_page(world):
    return reverse("plan_detail", kwargs={"partnership": world.partnership.slug, "plan": "2017-18"})


def sign_in(client, user):
    page = client.get(reverse("login")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", [Role.WORKING_GROUP, Role.ADMIN])
def test_reviewer_and_admin_with_an_authenticator_must_give_a_code(world, client, role):
    user = world.users[role]
    device = TOTPDevice.objects.create(user=user, name="Phone")
    sign_in(client, user)
    response = client.get(plan_page(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))

    right = client.post(reverse("two_factor_verify"), {"token": current_code(device), "next": plan_page(world)})
    assert right["Location"] == plan_page(world)
    assert client.get(plan_page(world)).status_code == 200


def test_a_wrong_code_is_refused_and_slows_the_next_try(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    device = TOTPDevice.objects.create(user=reviewer, name="Phone")
    sign_in(client, reviewer)
    wrong = client.post(reverse("two_factor_verify"), {"token": "000000", "next": plan_page(world)})
    assert wrong.status_code == 200
    assert "did not match" in wrong.content.decode()
    assert client.get(plan_page(world)).status_code == 302
    # django-otp throttles the device after a failure: even the right code waits a moment.
    assert client.post(reverse("two_factor_verify"), {"token": current_code(device)}).status_code == 200


@pytest.mark.parametrize("role", [Role.PARTNER, Role.GOVERNING])
def test_partner_and_governing_member_need_only_a_password(world, client, role):
    sign_in(client, world.users[role])
    assert client.get(plan_page(world)).status_code == 200


def test_staff_without_a_partnership_role_must_give_a_code_for_the_admin(db, client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_first_sign_in_enrols_an_authenticator_confirmed_by_one_code(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    sign_in(client, reviewer)
    response = client.get(plan_page(world), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))
    page = response.content.decode()
    # Nothing is stored until a code confirms the enrolment: the secret waits in the session.
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert response.context["secret"] in page
    assert "otpauth://totp/" in page
    assert "<svg" in page
    assert client.get(reverse("two_factor_setup")).context["secret"] == response.context["secret"]

    device = TOTPDevice(user=reviewer, key=client.session["two_factor_setup_key"])
    confirmed = client.post(reverse("two_factor_setup"), {"token": current_code(device), "next": plan_page(world)})
    assert confirmed["Location"].startswith(reverse("recovery_codes_new"))
    assert TOTPDevice.objects.get(user=reviewer).confirmed
    assert client.get(plan_page(world)).status_code == 200


def test_a_wrong_code_at_enrolment_stores_nothing(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    sign_in(client, reviewer)
    response = client.post(reverse("two_factor_setup"), {"token": "000000", "next": plan_page(world)})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert client.get(plan_page(world))["Location"].startswith(reverse("two_factor_setup"))


def test_verification_does_not_follow_the_next_link_off_site(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    device = TOTPDevice.objects.create(user=reviewer, name="Phone")
    sign_in(client, reviewer)
    response = client.post(
        reverse("two_factor_verify"), {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_two_factor_can_be_switched_off(world, client, settings):
    settings.CSA_REQUIRE_2FA = False
    sign_in(client, world.users[Role.WORKING_GROUP])
    assert client.get(plan_page(world)).status_code == 200


@pytest.mark.parametrize("route", ["two_factor_verify", "two_factor_setup"])
def test_code_form_carries_its_own_csrf_token(world, client, route):
    sign_in(client, world.users[Role.WORKING_GROUP])
    html = client.get(reverse(route)).content.decode()
    code_form = next(form.split("</form>")[0] for form in html.split("<form") if 'name="token"' in form)
    assert 'name="csrfmiddlewaretoken"' in code_form
