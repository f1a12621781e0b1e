import os
import subprocess
import sys

from tests.paths import ROOT


def test_unreachable_database_gives_one_line_naming_the_host():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.9:1/nowhere", "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "127.0.0.9:1" in lines[0]


def run_python(code: str, env_changes: dict) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    env.update(env_changes)
    return subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_without_a_secret_key_and_debug_off_nothing_can_be_signed():
    code = [
        "-c",
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='csa_tracker.settings'; django.setup(); "
        "from django.conf import settings; settings.SECRET_KEY",
    ]
    result = run_python(code, {})
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr


def test_checks_and_migration_checks_run_without_a_secret_key():
    assert run_python(["manage.py", "check"], {}).returncode == 0
    assert run_python(["manage.py", "makemigrations", "--check", "--dry-run"], {}).returncode == 0


def test_debug_gives_a_development_key():
    code = [
        "-c",
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='csa_tracker.settings'; django.setup(); "
        "from django.conf import settings; print(settings.SECRET_KEY)",
    ]
    assert run_python(code, {"DJANGO_DEBUG": "1"}).stdout.strip() == "development-only-not-secret"


def test_with_redis_every_cache_key_carries_the_release_of_the_code():
    """Redis outlives a deploy: a new release must not read what the one before built (csa_tracker/release.py)."""
    code = [
        "-c",
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='csa_tracker.settings'; django.setup(); "
        "from django.conf import settings; from csa_tracker.release import code_release; "
        "print(settings.CACHES['default']['KEY_PREFIX'], code_release(settings.BASE_DIR))",
    ]
    redis = {"DJANGO_DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    prefix, release = run_python(code, redis).stdout.split()
    assert prefix == f"csa:{release}"
    named = run_python(code, {**redis, "CSA_RELEASE": "2026.12.1", "DJANGO_CACHE_PREFIX": "kent"}).stdout.split()
    assert named[0] == "kent:2026.12.1"
