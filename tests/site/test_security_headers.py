"""Production settings: HTTPS only, strict headers, __Host- cookies, and `check --deploy` clean."""

import os
import secrets
import subprocess
import sys

from django.urls import reverse

from csa_tracker.accounts.models import Role
from tests.factories import PASSWORD
from tests.paths import ROOT


def test_pages_carry_the_security_headers(world, client_as):
    client = client_as(world.users[Role.PARTNER])
    response = client.get(reverse("plan_detail", kwargs={"partnership": "kent-test", "plan": "2017-18"}), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_csrf_cookie_is_host_only_and_secure(client):
    csrf = client.get(reverse("login"), secure=True).cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]


def test_session_cookie_is_host_only_secure_and_http_only(world, client):
    response = client.post(
        reverse("login"), {"username": world.users[Role.PARTNER].username, "password": PASSWORD}, secure=True
    )
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/" and not session["domain"]


def test_plain_http_is_redirected_to_https_except_the_health_check(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get(reverse("healthz")).status_code == 200


def test_deploy_check_is_clean_with_production_settings():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DJANGO_ALLOWED_HOSTS"] = "csa.example.org"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
