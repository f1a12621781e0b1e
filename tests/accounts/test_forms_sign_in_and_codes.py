"""Sign-in and two-factor pages answer odd input with a message, never a 500 (issue 16).

Case 15-totp-throttle-message.py (tests/data/cases/): five wrong codes, then the right code at once:
django-otp refuses any code while the device is throttled, so the page must say to wait, and how
long, not "did not match". Case without a file: a 256-character username on the sign-in page (axes
stores attempts in a 255-character column; PostgreSQL refused the row with a 500)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from csa_tracker.accounts.models import Role
from tests.factories import PASSWORD
from tests.paths import DATA

from .test_two_factor import current_code, plan_page, sign_in

CASE = DATA / "cases" / "15-totp-throttle-message.py"


@pytest.mark.parametrize("length", [151, 255, 256, 5_000])
def test_an_overlong_username_is_refused_like_a_wrong_one(world, client, length):
    response = client.post(reverse("login"), {"username": "u" * length, "password": "whatever"})
    assert response.status_code == 200
    assert "Your username and password did not match. Please try again." in response.content.decode()
    assert not AccessAttempt.objects.exists()  # nothing to record: no account has such a name


def test_a_normal_wrong_password_is_still_counted_for_the_lockout(world, client):
    client.post(reverse("login"), {"username": "partner", "password": "wrong"})
    assert AccessAttempt.objects.get().username == "partner"


def test_a_right_username_and_password_still_sign_in(world, client):
    response = client.post(reverse("login"), {"username": "partner", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.two_factor
def test_right_code_right_after_five_wrong_ones_says_to_wait_and_how_long(world, client):
    assert "for i in range(5)" in CASE.read_text()  # the reported sequence, replayed below
    reviewer = world.users[Role.WORKING_GROUP]
    device = TOTPDevice.objects.create(user=reviewer, name="Phone")
    sign_in(client, reviewer)
    good = current_code(device)
    for attempt in range(5):
        wrong = f"{(int(good) + 1 + attempt) % 1_000_000:06d}"
        response = client.post(reverse("two_factor_verify"), {"token": wrong})
        assert "That code did not match." in response.content.decode()
        if attempt < 4:  # the case waits out each pause (1.2 × 2^i s) before the next wrong code
            device.refresh_from_db()
            TOTPDevice.objects.filter(pk=device.pk).update(
                throttling_failure_timestamp=timezone.now() - timedelta(minutes=10)
            )
    response = client.post(reverse("two_factor_verify"), {"token": current_code(device), "next": plan_page(world)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "did not match" not in page
    assert re.search(r"Too many wrong codes in a row: wait 1[56] seconds, then enter the newest code", page)

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("two_factor_verify"), {"token": current_code(device), "next": plan_page(world)})
    assert response["Location"] == plan_page(world)
