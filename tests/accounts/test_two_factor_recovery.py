"""Recovery codes: made at enrolment and shown once, each accepted once in place of the authenticator's
code, and replaced (old ones invalidated) from their own page."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from csa_tracker.accounts.models import Role

from .test_two_factor import current_code, plan_page, sign_in

pytestmark = pytest.mark.two_factor


def enrol(client, world, user):
    """Sign in, enrol an authenticator through the setup page; return the page of new codes."""
    sign_in(client, user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice(user=user, key=client.session["two_factor_setup_key"])
    confirmed = client.post(reverse("two_factor_setup"), {"token": current_code(device), "next": plan_page(world)})
    return client.get(confirmed["Location"])


def codes_on(page) -> list[str]:
    listing = page.content.decode().split('aria-label="Recovery codes"')[1].split("</ul>")[0]
    return re.findall(r"<li>(\w+)</li>", listing)


def test_enrolment_shows_ten_codes_once_after_a_saved_step(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    page = enrol(client, world, reviewer)
    codes = codes_on(page)
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True))

    unticked = client.post(page.request["PATH_INFO"], {"next": plan_page(world)})
    assert unticked.status_code == 200
    assert "Tick the box once you have saved the codes" in unticked.content.decode()
    done = client.post(page.request["PATH_INFO"], {"saved": "on", "next": plan_page(world)})
    assert done["Location"] == plan_page(world)
    # Never shown again: the page now sends people to make new codes instead.
    assert client.get(reverse("recovery_codes_new"))["Location"] == reverse("recovery_codes")


def test_a_recovery_code_signs_in_once(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    code = codes_on(enrol(client, world, reviewer))[0]

    lost_phone = Client()
    sign_in(lost_phone, reviewer)
    verify = lost_phone.get(lost_phone.get(plan_page(world))["Location"]).content.decode()
    assert "Use a recovery code" in verify
    used = lost_phone.post(reverse("recovery_verify"), {"code": f" {code.upper()} ", "next": plan_page(world)})
    assert used["Location"] == plan_page(world)
    signed_in = lost_phone.get(plan_page(world))
    assert signed_in.status_code == 200
    assert "You signed in with a recovery code; 9 unused codes left." in signed_in.content.decode()
    assert not StaticToken.objects.filter(token=code).exists()

    again = Client()
    sign_in(again, reviewer)
    reused = again.post(reverse("recovery_verify"), {"code": code, "next": plan_page(world)})
    assert reused.status_code == 200
    assert "That recovery code did not match, or it has been used already." in reused.content.decode()
    assert again.get(plan_page(world)).status_code == 302


def test_making_new_codes_invalidates_the_old_ones(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    old = codes_on(enrol(client, world, reviewer))
    client.post(reverse("recovery_codes_new"), {"saved": "on"})
    page = client.get(reverse("recovery_codes"))
    assert "You have 10 unused codes." in page.content.decode()
    new = codes_on(client.get(client.post(reverse("recovery_codes"))["Location"]))
    assert len(new) == 10
    assert not set(old) & set(new)
    assert sorted(StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True)) == sorted(new)

    later = Client()
    sign_in(later, reviewer)
    assert later.post(reverse("recovery_verify"), {"code": old[0]}).status_code == 200
    assert later.get(plan_page(world)).status_code == 302


def test_managing_codes_needs_the_second_factor(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    TOTPDevice.objects.create(user=reviewer, name="Phone")
    sign_in(client, reviewer)
    assert client.get(reverse("recovery_codes"))["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("recovery_codes"))
    assert not StaticToken.objects.exists()


def test_after_a_lost_phone_a_recovery_code_lets_people_enrol_a_new_app(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    code = codes_on(enrol(client, world, reviewer))[0]
    old_device = TOTPDevice.objects.get(user=reviewer)

    new_phone = Client()
    sign_in(new_phone, reviewer)
    # Before the second factor, the setup page does not offer a new app: it asks for the code.
    assert new_phone.get(reverse("two_factor_setup"))["Location"].startswith(reverse("two_factor_verify"))
    new_phone.post(reverse("recovery_verify"), {"code": code})
    page = new_phone.get(reverse("two_factor_setup"))
    assert "Set up a new authenticator app" in page.content.decode()
    assert TOTPDevice.objects.get(user=reviewer) == old_device  # nothing changes until confirmed

    device = TOTPDevice(user=reviewer, key=new_phone.session["two_factor_setup_key"])
    confirmed = new_phone.post(reverse("two_factor_setup"), {"token": current_code(device)})
    assert confirmed["Location"].startswith(reverse("recovery_codes_new"))
    [current] = TOTPDevice.objects.filter(user=reviewer)
    assert current.key == device.key
    assert StaticToken.objects.filter(device__user=reviewer).count() == 10
