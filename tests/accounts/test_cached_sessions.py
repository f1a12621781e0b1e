"""Sessions read from Redis (`csa_tracker.session_store`, the engine with `REDIS_URL`; issue 26): a page
reads no session row, and every way a session ends still ends it on every instance sharing the cache
(signing out, a password change, being removed, the new key of the second factor), also when the cache
does not answer. Skipped without Redis at `REDIS_URL` (default 127.0.0.1:6379)."""

import os
import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csa_tracker.accounts.models import Role
from tests.accounts.test_two_factor import current_code, plan_page, sign_in
from tests.factories import PASSWORD

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason="no Redis at REDIS_URL")


@pytest.fixture
def cached_sessions(settings):
    """The settings `REDIS_URL` gives, on a key prefix of this test's own (removed afterwards)."""
    prefix = f"csa-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.SESSION_ENGINE = "csa_tracker.session_store"
    yield redis.Redis.from_url(REDIS_URL)
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter(match=f"{prefix}:*"):
        store.delete(key)


def another_instance(client) -> Client:
    """A second browser holding the same session cookie, as another instance or worker would see it."""
    other = Client()
    other.cookies[django_settings.SESSION_COOKIE_NAME] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return other


def signed_in(client, world) -> bool:
    """True when the plan page answers; False when it sends the browser to sign in."""
    response = client.get(plan_page(world))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return True


def test_a_page_reads_its_session_from_the_cache_and_the_database_keeps_it(world, client, cached_sessions):
    sign_in(client, world.users[Role.PARTNER])
    assert signed_in(client, world)
    with CaptureQueriesContext(connection) as captured:
        assert signed_in(client, world)
    assert not [query for query in captured if "django_session" in query["sql"]]
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    # With its copy gone from the cache, the database alone carries the session on.
    for found in cached_sessions.scan_iter(match=f"*{KEY_PREFIX}{key}"):
        cached_sessions.delete(found)
    assert signed_in(another_instance(client), world)


def test_signing_out_ends_the_session_for_every_instance(world, client, cached_sessions):
    sign_in(client, world.users[Role.PARTNER])
    other = another_instance(client)
    assert signed_in(other, world)
    client.post(reverse("logout"))
    assert not signed_in(other, world)


def test_a_password_change_ends_the_persons_other_sessions(world, client, cached_sessions):
    governing = world.users[Role.GOVERNING]
    sign_in(client, governing)
    elsewhere = sign_in(Client(), governing)
    assert signed_in(elsewhere, world)
    new = "a-new-test-password-2"
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert signed_in(client, world)  # kept signed in where the password was changed
    assert not signed_in(elsewhere, world)


def test_someone_removed_from_the_partnership_is_signed_out_at_their_next_request(world, client, cached_sessions):
    governing = world.users[Role.GOVERNING]
    sign_in(client, governing)
    assert signed_in(client, world)
    remover = sign_in(Client(), world.users[Role.WORKING_GROUP])
    remove = reverse("member_deactivate", kwargs={"partnership": world.partnership.slug, "pk": governing.pk})
    assert remover.post(remove).status_code == 302
    assert not signed_in(client, world)


@pytest.mark.two_factor
def test_the_key_seen_before_the_second_factor_signs_nobody_in(world, client, cached_sessions):
    reviewer = world.users[Role.WORKING_GROUP]
    device = TOTPDevice.objects.create(user=reviewer, name="Phone")
    sign_in(client, reviewer)
    before = another_instance(client)
    client.post(reverse("two_factor_verify"), {"token": current_code(device), "next": plan_page(world)})
    assert signed_in(client, world)
    response = before.get(plan_page(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_while_the_cache_does_not_answer_sessions_are_read_and_ended_in_the_database(world, client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    settings.SESSION_ENGINE = "csa_tracker.session_store"
    sign_in(client, world.users[Role.PARTNER])
    other = another_instance(client)
    assert signed_in(client, world)
    client.post(reverse("logout"))
    assert not signed_in(other, world)
