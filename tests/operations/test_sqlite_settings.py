"""On the SQLite default, a double click on Submit must not answer "database is locked" (issue 16):
WAL mode, transactions that take the write lock at BEGIN, and a busy timeout."""

import os
import subprocess
import sys
import threading

from django.db.utils import ConnectionHandler

from tests.paths import ROOT


def test_the_default_database_is_sqlite_with_wal_immediate_transactions_and_a_busy_timeout():
    """Settings as a server without DATABASE_URL loads them."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='csa_tracker.settings'; django.setup(); "
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | {"DJANGO_DEBUG": "1"}
    result = subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == (
        "{'init_command': 'PRAGMA journal_mode=WAL;', 'transaction_mode': 'IMMEDIATE', 'timeout': 20}"
    )


def connect(path, options):
    """A new Django connection to the SQLite file `path` with `options`, as settings would make it."""
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}}
    )
    wrapper = handler["default"]
    wrapper.ensure_connection()
    return wrapper


def test_a_connection_with_these_options_is_in_wal_mode_and_waits_for_the_lock(tmp_path, django_db_blocker):
    """A throwaway database file of the test's own (outside the test database, hence the unblock)."""
    with django_db_blocker.unblock():
        two_writers(tmp_path)


def two_writers(tmp_path):
    from csa_tracker.settings import SQLITE_OPTIONS

    first = connect(tmp_path / "db.sqlite3", SQLITE_OPTIONS)
    with first.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert cursor.execute("PRAGMA busy_timeout").fetchone() == (20_000,)
        cursor.execute("CREATE TABLE clicks (n integer)")
    # Two writers at once, as a double click makes: the second waits for the first, both succeed.
    first.set_autocommit(False)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO clicks VALUES (1)")
    done = []

    def second_click():
        second = connect(tmp_path / "db.sqlite3", SQLITE_OPTIONS)
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO clicks VALUES (2)")
        second.close()
        done.append(True)

    thread = threading.Thread(target=second_click)
    thread.start()
    thread.join(0.3)
    assert done == []  # waiting, not failing
    first.commit()
    thread.join(10)
    assert done == [True]
    with first.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM clicks").fetchone() == (2,)
    first.close()
