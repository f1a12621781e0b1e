"""Sessions and password resets against someone who is not the account's owner (issue 24).

- the session key changes when the second factor is given (an authenticator code, a first enrolment, a
  recovery code): a key seen before the code (a shared computer, a log) does not carry the sign-in;
- a signed-in session ends `CSA_SESSION_IDLE_MINUTES` (480) after its last request, not 14 days after
  sign-in, and use keeps it alive while writing the session at most once a minute;
- password-reset links: at most 3 an hour for one address and 20 from one client, whether the address
  has an account or not (46 requests queued 46 e-mails before); the answer does the same work for a
  known and an unknown address, none of it in the database: the account is looked up and the e-mail
  queued after the answer is sent. (Timed through a live server, 40 requests each at a load average of
  8 to 11, the medians differed by 0.9 and 2.1 ms before and by 0.4 and 0.7 ms after, within the noise of
  such timings; so the test counts the work rather than timing it.)
"""

import re
import time
from base64 import b32decode
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from csa_tracker import sessions
from csa_tracker.accounts import recovery
from csa_tracker.accounts.models import Role
from csa_tracker.accounts.passwords import PasswordResetView
from tests.accounts.test_two_factor import current_code, plan_page, sign_in
from tests.factories import UserFactory

RESET = "/accounts/password-reset/"


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.two_factor
def test_the_session_key_changes_when_the_authenticators_code_is_given(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    device = TOTPDevice.objects.create(user=reviewer, name="Phone")
    before = session_key(sign_in(client, reviewer))
    client.post(reverse("two_factor_verify"), {"token": current_code(device), "next": plan_page(world)})
    after = session_key(client)
    assert after != before
    assert client.get(plan_page(world)).status_code == 200
    assert not Session.objects.filter(session_key=before).exists()  # the old key signs nobody in


@pytest.mark.two_factor
def test_the_session_key_changes_at_a_first_enrolment_and_with_a_recovery_code(world, client):
    reviewer = world.users[Role.WORKING_GROUP]
    before = session_key(sign_in(client, reviewer))
    setup = client.get(reverse("two_factor_setup")).content.decode()
    secret = re.search(r"secret=([A-Z2-7]+)", setup).group(1)
    device = TOTPDevice(user=reviewer, key=b32decode(secret).hex())
    client.post(reverse("two_factor_setup"), {"token": current_code(device)})
    assert session_key(client) != before

    codes = recovery.replace_codes(reviewer)
    client.logout()
    before = session_key(sign_in(client, reviewer))
    client.post(reverse("recovery_verify"), {"code": codes[0], "next": plan_page(world)})
    assert session_key(client) != before
    assert client.get(plan_page(world)).status_code == 200


def test_a_session_ends_after_the_idle_time_and_use_keeps_it_alive(world, client):
    assert settings.CSA_SESSION_IDLE_MINUTES == 480
    assert settings.SESSION_COOKIE_AGE == 480 * 60
    client.force_login(world.users[Role.PARTNER])
    key = session_key(client)
    stored = Session.objects.get(session_key=key)
    soon = timezone.now() + timedelta(minutes=480)
    assert abs((stored.expire_date - soon).total_seconds()) < 60  # a working day from signing in, not 14 days

    # Within a minute of the last save, pages write nothing to the session.
    assert client.get(plan_page(world)).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == stored.expire_date

    # A page more than a minute later starts the idle time again.
    data = stored.get_decoded() | {sessions.LAST_SEEN_KEY: int(time.time()) - 61}
    Session.objects.filter(session_key=key).update(
        session_data=Session.objects.encode(data), expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get(plan_page(world)).status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert abs((renewed - (timezone.now() + timedelta(minutes=480))).total_seconds()) < 60

    # Idle past its end, the session no longer signs anyone in.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(plan_page(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Password resets -----------------------------------------------------------------------------


def ask_reset(client, email, **extra):
    return client.post(RESET, {"email": email}, **extra)


@pytest.mark.parametrize("known", [True, False], ids=["known address", "unknown address"])
def test_three_reset_links_an_hour_for_one_address_whether_it_has_an_account_or_not(db, client, known):
    if known:
        UserFactory(email="pat@example.org")
    answers = [ask_reset(client, "pat@example.org") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [302, 302, 302]
    assert len(mail.outbox) == (3 if known else 0)
    fourth = ask_reset(client, "PAT@example.org")  # the same address in another case
    assert fourth.status_code == 429
    page = fourth.content.decode()
    assert "A reset link for this address has been asked for 3 times in the last hour" in page
    assert 'value="PAT@example.org"' in page  # what was typed is kept
    assert len(mail.outbox) == (3 if known else 0)


def test_twenty_reset_links_an_hour_from_one_client(db, client):
    for number in range(20):
        assert ask_reset(client, f"person{number}@example.org").status_code == 302
    refused = ask_reset(client, "person20@example.org")
    assert refused.status_code == 429
    assert "Too many reset links have been asked for from your network" in refused.content.decode()
    other_client = ask_reset(client, "person20@example.org", REMOTE_ADDR="192.0.2.7")
    assert other_client.status_code == 302  # another address on the internet is counted apart


def test_resets_go_on_without_a_limit_while_the_cache_is_down(db, client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    UserFactory(email="pat@example.org")
    assert [ask_reset(client, "pat@example.org").status_code for _ in range(4)] == [302] * 4
    assert len(mail.outbox) == 4


def answer_without_sending(email):
    """The reset view's answer as a server has it before sending it, and the SQL it ran."""
    request = RequestFactory().post(RESET, {"email": email})
    request._dont_enforce_csrf_checks = True
    with CaptureQueriesContext(connection) as queries:
        response = PasswordResetView.as_view()(request)
    return response, [query["sql"] for query in queries]


def test_the_answer_does_the_same_work_for_a_known_and_an_unknown_address(db):
    UserFactory(email="pat@example.org")
    known, known_sql = answer_without_sending("pat@example.org")
    unknown, unknown_sql = answer_without_sending("nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_sql == unknown_sql == []  # the account is not even looked up yet
    assert mail.outbox == []
    known.close()  # what the server does once the answer is sent
    unknown.close()
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]
