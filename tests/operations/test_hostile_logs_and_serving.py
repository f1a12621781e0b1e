"""What the logs, the backups and the server in front keep or believe (issue 24).

- Invitation, password-reset and unsubscribe tokens never reach a log line: not the request log, not
  Django's "Not Found" warnings (an expired invitation's link answers 410, a used one 410, an unknown
  one 404), not gunicorn's access log even with the token in a query string or the referrer.
- A backup holds password hashes and two-factor secrets: it is written readable by its owner only.
- gunicorn believes `X-Forwarded-Proto: https` only from the addresses FORWARDED_ALLOW_IPS names (by
  default none; gunicorn's own default trusts any local process).
"""

import io
import logging
import os
import secrets
import socket
import stat
import subprocess
import sys
import time
from http.client import HTTPConnection

import pytest
from django.core.management import call_command
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from csa_tracker.accounts.models import Role
from csa_tracker.observability import TOKEN_PARAMETERS, JsonFormatter, RequestIdFilter, redact
from tests.operations.test_hostile_input import invitation
from tests.paths import ROOT

SECRET = "Zq8-secret_TOKEN-value-9xY"
# Routes with a `token` parameter that is no secret, with the reason; a new route with one must be
# redacted (csa_tracker.observability.TOKEN_IN_PATH) or listed here.
NOT_SECRET = {
    "import_preview": "names an upload, honoured only for the person and partnership that uploaded it",
    "settings_import_preview": "names a configuration upload, honoured only for the person who uploaded it",
    "plan_import_preview": "names a Word upload, honoured only for the person and partnership that uploaded it",
}


def token_routes(resolver=None):
    """(route name, its parameters) of every URL whose address carries a token."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from token_routes(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            parameters = set(entry.pattern.converters)
            if parameters & TOKEN_PARAMETERS:
                yield entry.name, parameters


def test_every_address_carrying_a_token_is_redacted_however_it_is_written():
    routes = dict(token_routes())
    assert set(routes) - set(NOT_SECRET) == {
        "invitation_accept",
        "password_reset_confirm",
        "digest_unsubscribe",
        "calendar_person",
        "calendar_partnership",
    }
    for name, parameters in routes.items():
        if name in NOT_SECRET:
            continue
        address = reverse(name, kwargs={p: SECRET if p in TOKEN_PARAMETERS else "kent" for p in parameters})
        encoded = address.replace("/", "%2F")
        for line in (address, f"GET {address} HTTP/1.1", f"/accounts/login/?next={encoded}&x=1", f'"{address}"'):
            assert SECRET not in redact(line), (name, line)
    assert redact("/accounts/password-reset/sent/") == "/accounts/password-reset/sent/"
    assert redact("/kent/plans/2017-18/") == "/kent/plans/2017-18/"
    assert redact(f"/calendars/{SECRET}/partnership/kent.ics") == "/calendars/[token]/partnership/kent.ics"


def json_lines(caplog) -> str:
    """Every record as the production log writes it (one JSON object per line)."""
    formatter, stamp = JsonFormatter(), RequestIdFilter()
    return "\n".join(formatter.format(record) for record in caplog.records if stamp.filter(record))


def test_no_log_line_holds_an_invitation_or_reset_token(world, client, caplog):
    live, used = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    invitation(world.partnership, world.own_org, world.users[Role.ADMIN], "new@example.org", live)
    accepted = invitation(world.partnership, world.own_org, world.users[Role.ADMIN], "old@example.org", used)
    accepted.accepted_at = accepted.created
    accepted.save()
    with caplog.at_level(logging.INFO):
        assert client.get(reverse("invitation_accept", kwargs={"token": live})).status_code == 200
        assert client.get(reverse("invitation_accept", kwargs={"token": used})).status_code == 410
        assert client.get(reverse("invitation_accept", kwargs={"token": SECRET})).status_code == 404
        reset = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": SECRET})
        assert client.get(reset).status_code == 200
    written = json_lines(caplog)
    assert '"path": "/accounts/invitation/[token]/"' in written  # the request is logged, its token not
    assert "Gone: /accounts/invitation/[token]/" in written and "Not Found: /accounts/invitation/[token]/" in written
    for token in (live, used, SECRET):
        assert token not in written


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    """`start(**environment)`: gunicorn as `make serve` runs it (scripts/gunicorn.conf.py), production
    settings, one worker, on a free port of its own; gives (port, access log path)."""
    started = []

    def start(**environment):
        port, access_log = free_port(), tmp_path / f"access-{len(started)}.log"
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "FORWARDED"))}
        env |= {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_STATIC_MANIFEST": "0",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_ACCESS_LOG": str(access_log),
            **environment,
        }
        command = [sys.executable, "-m", "gunicorn", "csa_tracker.wsgi", "--config", "scripts/gunicorn.conf.py"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
        started.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port, access_log
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def get(port: int, address: str, **headers) -> int:
    server = HTTPConnection("127.0.0.1", port, timeout=30)
    server.request("GET", address, headers=headers)
    status = server.getresponse().status
    server.close()
    return status


def test_gunicorn_believes_a_forwarded_https_only_from_the_proxy_it_is_told_of(gunicorn):
    """Production redirects plain HTTP to HTTPS; a claim of https from an untrusted sender changes nothing."""
    port, _ = gunicorn()
    assert get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"}) == 301  # from 127.0.0.1: not believed
    told, _ = gunicorn(FORWARDED_ALLOW_IPS="127.0.0.1")
    assert get(told, "/accounts/login/", **{"X-Forwarded-Proto": "https"}) == 200  # our proxy on this machine


def test_gunicorns_access_log_holds_no_token(gunicorn):
    port, access_log = gunicorn()
    get(port, f"/accounts/invitation/{SECRET}/", Referer=f"https://csa.example.org/accounts/invitation/{SECRET}/")
    get(port, f"/accounts/login/?next=%2Faccounts%2Fpassword-reset%2FMQ%2F{SECRET}%2F")
    deadline = time.monotonic() + 10
    while access_log.read_text().count("\n") < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    written = access_log.read_text()
    assert written.count("GET /accounts/") == 2
    assert "/accounts/invitation/[token]/" in written
    assert SECRET not in written


def test_a_backup_is_readable_by_its_owner_only(db, tmp_path):
    folder = tmp_path / "backups"
    path = folder / "backup.xml"
    previous = os.umask(0o022)  # a usual umask, which would leave a new file readable by everyone
    try:
        call_command("backup", output=str(path), stdout=io.StringIO())
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert b"<django-objects" in path.read_bytes()
    path.chmod(0o644)  # a file left readable by an earlier backup is made private when written again
    call_command("backup", output=str(path), stdout=io.StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
