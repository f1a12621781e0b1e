"""Real-browser tests: Debian's Chromium driven by pytest-playwright against pytest-django's live server.

The app runs in a thread of this process while Playwright's event loop runs here too, so Django's
async-safety check (which sees a running loop) is switched off for these tests only.
"""

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded one; quiet, so tests make no calls home."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(run scripts/system-deps.sh as root, or: apt-get install chromium)."
        )
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB"}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(scope="session", autouse=True)
def views_imported():
    """Import every view (the URLconf) before the browser's first request: on a busy machine that import
    alone took more than the 10 s a page may take to load, failing whichever test came first."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns
