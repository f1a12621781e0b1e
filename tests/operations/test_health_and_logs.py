"""`/healthz` says whether the database and cache answer; every request is logged as JSON with its id."""

import json
import logging

import pytest
from django.urls import reverse

from csa_tracker.observability import JsonFormatter, RequestIdFilter


def test_health_check_reports_database_and_cache_without_sign_in(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_check_names_an_unreachable_cache_degraded_and_stays_in_service(db, client, settings):
    """Pages work without the cache (csa_tracker/cache.py), so the instance stays in the load balancer."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "degraded"}


@pytest.mark.django_db(databases=[])
def test_health_check_names_an_unreachable_database_with_503(client):
    # No database access is allowed in this test, so the check's query fails as a broken database would.
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "failed", "cache": "ok"}


def test_request_id_from_the_proxy_is_kept_and_echoed(db, client, caplog):
    with caplog.at_level(logging.INFO, logger="csa_tracker.request"):
        response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="lb-1234.abc")
    assert response["X-Request-ID"] == "lb-1234.abc"
    record = next(r for r in caplog.records if r.name == "csa_tracker.request")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "lb-1234.abc"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)


def test_a_request_id_that_could_forge_log_lines_is_replaced(db, client):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}')
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"].isalnum()
