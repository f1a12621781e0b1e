"""Two gunicorn instances (`scripts/serve.sh`, as `make serve` runs it) on one PostgreSQL and one Redis:
sessions carry over, an edit on one shows on the other at once, and killing one mid-load costs the
other's clients nothing.

Runs in CI's PostgreSQL pass; skipped on SQLite or without Redis (REDIS_URL, default 127.0.0.1:6379).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from html.parser import HTMLParser
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg2
import pytest
import redis
from django.conf import settings
from django_otp.oath import TOTP

from tests.paths import ROOT

PASSWORD = "multi-instance-demo-pw"
pytestmark = pytest.mark.postgres


class FormFields(HTMLParser):
    """The values a browser would submit for each form on a page, as lists of (name, value) pairs."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image"):
                self.forms[-1].append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.forms[-1].append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.forms[-1].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str) -> list[tuple[str, str]]:
    """The page's main form: the one with most fields (the sign-out form in the header has one)."""
    parser = FormFields()
    parser.feed(html)
    return [(name, value.removeprefix("\n")) for name, value in max(parser.forms, key=len)]


class Browser:
    """Just enough of a browser: one cookie jar, sent to whichever instance it talks to, over the proxy's
    HTTPS (X-Forwarded-Proto), so the production cookies (__Host-, Secure) are used as they are."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, fields=None):
        connection = HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def get(self, port, path):
        return self.request(port, "GET", path)

    def submit(self, port, path, **changes):
        """GET the page's form and POST it back with `changes`, as a person filling it in would."""
        status, _, html = self.get(port, path)
        assert status == 200, (path, status)
        fields = [(name, value) for name, value in form_fields(html) if name not in changes]
        return self.request(port, "POST", path, fields + list(changes.items()))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def fresh_database():
    """A PostgreSQL database of its own for the instances, dropped afterwards."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.skip("needs PostgreSQL (DATABASE_URL): several instances cannot share a SQLite file")
    try:
        redis.Redis.from_url(redis_url(), socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {redis_url()}: {error}")
    name = f"host_instances_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or None, port=db["PORT"] or None
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(os.environ["DATABASE_URL"])
    try:
        yield urlunsplit(url._replace(path=f"/{name}")), name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def instances(fresh_database, tmp_path):
    """Two instances started by scripts/serve.sh on free loopback ports: {"a": port, "b": port}."""
    database_url, database_name = fresh_database
    prefix = f"csa-test-{uuid.uuid4().hex}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url(),
        DJANGO_CACHE_PREFIX=prefix,
        DJANGO_SECRET_KEY=uuid.uuid4().hex * 2,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_REQUIRE_2FA="1",
        WEB_CONCURRENCY="2",
        BIN=str(Path(sys.executable).parent),
    )
    setup = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], **setup)
    load_demo = [sys.executable, "manage.py", "load_demo", "--force", "--password", PASSWORD]
    subprocess.run(load_demo, **setup)  # noqa: S603 - our own command and arguments
    ports, processes = {"a": free_port(), "b": free_port()}, {}
    try:
        for label, port in ports.items():
            instance_env = {**env, "BIND": f"127.0.0.1:{port}", "DJANGO_STATIC_ROOT": str(tmp_path / label)}
            log = (tmp_path / f"{label}.log").open("w")
            processes[label] = subprocess.Popen(  # noqa: S603 - our own script
                [ROOT / "scripts" / "serve.sh"],
                cwd=ROOT,
                env=instance_env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        for label, port in ports.items():
            wait_until_healthy(port, processes[label], tmp_path / f"{label}.log")
        yield ports, processes, database_url
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        client = redis.Redis.from_url(redis_url())
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def wait_until_healthy(port, process, log_path, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text()
        try:
            status, _, body = Browser().get(port, "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"instance on {port} not healthy: {log_path.read_text()}")


def current_code(database_url, username) -> str:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT key, step, t0, digits, drift FROM otp_totp_totpdevice d JOIN auth_user u ON u.id = d.user_id"
            " WHERE u.username = %s",
            [username],
        )
        key, step, t0, digits, drift = cursor.fetchone()
    return f"{TOTP(bytes.fromhex(key), step, t0, digits, drift).token():0{digits}d}"


def sign_in(browser, port, username, database_url, verify_port):
    """Password on one instance; the second factor (Working Group, admin) on `verify_port`."""
    status, headers, _ = browser.submit(port, "/accounts/login/", username=username, password=PASSWORD)
    assert status == 302, "sign-in refused"
    status, headers, _ = browser.get(verify_port, "/kent/plans/2017-18/")
    assert status == 302 and headers["Location"].startswith("/accounts/two-factor/")
    status, headers, _ = browser.submit(verify_port, headers["Location"], token=current_code(database_url, username))
    assert status == 302, "second factor refused"


def brand(html: str) -> str:
    """The partnership the page is in: beside the brand, or on the switcher for someone in several."""
    found = re.search(r'<span class="brand-partnership">([^<]*)</span>|Switch partnership, now </span>([^<]*)<', html)
    return found.group(1) or found.group(2)


def test_two_instances_share_sessions_and_data_and_survive_losing_one(instances):
    (ports, processes, database_url) = instances
    a, b = ports["a"], ports["b"]

    # A reviewer signs in on A, gives the second factor on B and carries on there.
    reviewer = Browser()
    sign_in(reviewer, a, "reviewer", database_url, verify_port=b)
    status, _, html = reviewer.get(b, "/kent/plans/2017-18/")
    assert status == 200 and re.search(r"Signed in as</span> <span[^>]*>Robert Reid<", html)
    assert brand(html) == "KCSP"

    # An administrator edits on A; the reviewer's next page on B shows it, with nothing stale.
    admin = Browser()
    sign_in(admin, b, "admin", database_url, verify_port=a)
    change_list = admin.get(a, "/admin/accounts/partnership/")[2]
    kent = re.search(r'/admin/accounts/partnership/(\d+)/change/">Kent', change_list).group(1)
    status, _, _ = admin.submit(a, f"/admin/accounts/partnership/{kent}/change/", short_name="Kent CSP")
    assert status == 302, "admin edit refused"
    status, _, html = reviewer.get(b, "/kent/plans/2017-18/")
    assert brand(html) == "Kent CSP"

    # Load on both; A is killed part-way. Every request to B, before and after, is answered.
    results = {"a": [], "b": []}
    stop = threading.Event()
    killed_at = []

    def load(label, port):
        browser = Browser()
        browser.cookies = dict(reviewer.cookies)
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = browser.get(port, "/kent/plans/2017-18/road-safety/")[0]
            except (OSError, HTTPException) as error:  # a killed server drops or cuts off its answers
                status = repr(error)
            results[label].append((started, status))

    workers = [threading.Thread(target=load, args=(label, ports[label])) for label in ("a", "a", "b", "b")]
    for worker in workers:
        worker.start()
    time.sleep(1.5)
    os.killpg(processes["a"].pid, signal.SIGKILL)
    killed_at.append(time.monotonic())
    processes["a"].wait(timeout=10)
    time.sleep(2.5)
    stop.set()
    for worker in workers:
        worker.join(timeout=15)

    b_statuses = [status for _, status in results["b"]]
    assert b_statuses and set(b_statuses) == {200}, b_statuses
    assert sum(1 for started, _ in results["b"] if started > killed_at[0]) >= 5
    assert any(status != 200 for started, status in results["a"] if started > killed_at[0] + 0.5)
    assert Browser().get(b, "/healthz")[0] == 200
