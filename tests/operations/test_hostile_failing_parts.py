"""Every failing part degrades, never breaks (issue 24).

- The cache (Redis) unreachable: the probe had the indicator pages, their CSV and the dashboard answer
  500 for every role. Now every role's pages answer 200 with the same figures, computed for the request;
  the cache is asked once, then left alone for 30 s (not a connection attempt per figure per request);
  `/healthz` says "degraded" (tests/operations/test_health_and_logs.py).
- A database connection dropped between two requests (a restart, a failover, an idle connection
  killed): the next request answers 200 on a new connection (`CONN_HEALTH_CHECKS`). Dropped in the
  middle of a read: the read is answered again, 200 (`LostConnectionRetryMiddleware`); the probe killed
  98 connections under load and 79 of 2,760 requests answered 500. PostgreSQL only: SQLite has no
  connection to lose.
- A stored file gone: tests/reports/test_hostile_word_template.py (the Word template) and
  tests/reports/test_reports_downloads.py (a stored PDF or .docx, made again).
"""

import logging
from unittest import mock

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from csa_tracker.urls import urlpatterns as site_urls
from reports.services import report_publish
from tests.html_forms import same_every_time

CLOSED_PORT = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}
# What each role opens that reads the cache (`indicators.figure_cache`), besides the indicator pages.
DASHBOARDS = {
    Role.PARTNER: "my_dashboard",
    Role.WORKING_GROUP: "working_group_dashboard",
    Role.GOVERNING: "dashboard",
    Role.ADMIN: "dashboard",
}


def pages_of(world, role) -> list[str]:
    slug, indicator = world.partnership.slug, world.indicator.slug
    return [
        reverse(DASHBOARDS[role], kwargs={"partnership": slug}),
        reverse("indicator_list", kwargs={"partnership": slug}),
        reverse("indicator_page", kwargs={"partnership": slug, "slug": indicator}),
        reverse("indicator_csv", kwargs={"partnership": slug, "slug": indicator}),
    ]


def answers(client, world) -> dict:
    """Every role's cached pages: {(role, address): (status, body without what is per request)}."""
    found = {}
    for role in DASHBOARDS:
        client.force_login(world.users[role])
        for address in pages_of(world, role):
            response = client.get(address)
            found[(role, address)] = (response.status_code, same_every_time(response.content.decode()))
    return found


def test_with_the_cache_unreachable_every_roles_pages_answer_with_the_same_figures(world, client, settings):
    report_publish(access=access_for(world.users[Role.WORKING_GROUP], world.partnership), cycle=world.cycle)
    cached = answers(client, world)
    settings.CACHES = CLOSED_PORT
    backend = type(caches["default"])
    with mock.patch.object(backend, "get", autospec=True, side_effect=backend.get) as asked:
        computed = answers(client, world)
    assert {key: status for key, (status, _) in computed.items()} == dict.fromkeys(cached, 200)
    assert computed == cached  # the same pages, figures and all, computed for each request
    assert asked.call_count == 1  # then left alone: 16 pages asked it for nothing more


def test_the_cache_is_asked_again_once_its_pause_is_over(world, client, settings):
    settings.CACHES = CLOSED_PORT
    client.force_login(world.users[Role.GOVERNING])
    page = reverse("indicator_list", kwargs={"partnership": world.partnership.slug})
    backend = type(caches["default"])
    with mock.patch.object(backend, "get", autospec=True, side_effect=backend.get) as asked:
        assert client.get(page).status_code == 200
        caches["default"]._csa_down_until = 0  # as when RETRY_SECONDS have passed
        assert client.get(page).status_code == 200
    assert asked.call_count == 2


# --- The database connection ---------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (DATABASE_URL): a SQLite file has no server connection to lose",
)


def kill(backend_pid: int) -> None:
    """End a server process of ours from another connection, as a restart or an operator would."""
    db = django_settings.DATABASES["default"]
    admin = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or None, port=db["PORT"] or None
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        assert cursor.fetchone() == (True,)
    admin.close()


def served(handler, address: str, cookie: str) -> int:
    """One request through Django's WSGI handler as a server runs it: the request_started and
    request_finished signals, which keep or check the connection, included (the test client skips them)."""
    environ = RequestFactory().get(address).environ | {"HTTP_COOKIE": cookie}
    statuses = []
    response = handler(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


@needs_postgres
@pytest.mark.django_db(transaction=True)  # the connection is the server's, committed, as in production
def test_a_connection_dropped_between_two_requests_costs_no_request(world, client, caplog):
    assert django_settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # connections are kept between requests
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    client.force_login(world.users[Role.PARTNER])
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    handler, page = WSGIHandler(), reverse("plan_list", kwargs={"partnership": world.partnership.slug})
    assert served(handler, page, cookie) == 200
    kept = connection.connection.info.backend_pid
    kill(kept)
    with caplog.at_level(logging.WARNING, logger="csa_tracker.middleware"):
        assert served(handler, page, cookie) == 200
    assert connection.connection.info.backend_pid != kept  # a new connection, found before it was used
    assert "answering again" not in caplog.text  # the health check did it; no request failed first


def drop_my_connection(request):
    """A page whose database connection is killed while it reads (once), then reads again."""
    if not getattr(drop_my_connection, "dropped", False):
        drop_my_connection.dropped = True
        kill(connection.connection.info.backend_pid)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_partnership")
        return HttpResponse(str(cursor.fetchone()[0]))


urlpatterns = [path("test/drop-my-connection/", drop_my_connection), *site_urls]


@needs_postgres
@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_read_whose_connection_drops_midway_is_answered_again_not_a_500(world, caplog):
    drop_my_connection.dropped = False
    client = Client(raise_request_exception=False)  # as a server: the first, failed attempt is only logged
    client.force_login(world.users[Role.PARTNER])
    with caplog.at_level(logging.WARNING, logger="csa_tracker.middleware"):
        response = client.get("/test/drop-my-connection/")
    assert drop_my_connection.dropped
    assert (response.status_code, response.content) == (200, b"2")
    assert "Database connection lost while answering; answering again" in caplog.text


@needs_postgres
@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_form_sent_when_its_connection_drops_is_not_sent_again(world):
    """A write may have been made before the fault; sending it again could make it twice."""
    drop_my_connection.dropped = False
    client = Client(raise_request_exception=False)
    client.force_login(world.users[Role.PARTNER])
    assert client.post("/test/drop-my-connection/").status_code == 500
    connection.close()  # what the server's end of request does with a connection that errs and is gone
