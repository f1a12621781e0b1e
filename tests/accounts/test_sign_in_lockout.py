"""Ten wrong passwords for one username from one address pause sign-in for that pair, for a while."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.models import Role
from tests.factories import PASSWORD


def attempt(client, username, password="wrong-password", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


@pytest.fixture
def reviewer(world):
    return world.users[Role.WORKING_GROUP]


def test_tenth_failure_locks_the_username_from_that_address_with_a_friendly_page(client, reviewer):
    for _ in range(9):
        assert attempt(client, reviewer.username).status_code == 200
    locked = attempt(client, reviewer.username)
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    assert attempt(client, reviewer.username, PASSWORD).status_code == 429


def test_lockout_does_not_stop_the_same_user_from_another_address_or_others_from_this_one(world, client, reviewer):
    for _ in range(10):
        attempt(client, reviewer.username)
    assert attempt(client, reviewer.username, PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert attempt(client, world.users[Role.PARTNER].username, PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, reviewer):
    for _ in range(10):
        attempt(client, reviewer.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, reviewer.username, PASSWORD).status_code == 302


def test_forwarded_header_is_ignored_unless_configured(client, reviewer):
    for number in range(10):
        attempt(client, reviewer.username, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_configured_header_gives_the_address_our_proxy_appended(client, reviewer, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for _ in range(10):
        attempt(client, reviewer.username, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    other_client = attempt(client, reviewer.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other_client.status_code == 302
