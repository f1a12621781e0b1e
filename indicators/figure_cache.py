"""Computed published figures, cached per partnership, audience and publication generation (issue 18).

Comparisons, directions of travel and trends change only when something is published: the indicator
list, the indicator page and the governing dashboard's headline cards are computed once per
(partnership, generation, audience, what) and then read from Django's cache (Redis when `REDIS_URL` is
set, local memory otherwise), through `csa_tracker.cache`, so a cache outage means computing them
again. `csa_tracker.accounts.figures.figures_changed` starts a new generation
when a reading is published or corrected, a report is published, or the indicators, areas or
populations change; the old entries are then never read again. Nothing is invalidated by time: the
expiry below only frees memory taken by generations nobody reads any more.

The key names the partnership and what the reader's roles let them do (`Access.capabilities`), so one
partnership's (or one audience's) figures are never served to another, even if what they may read
later differs. What a report freezes (`reports.snapshot`) is keyed by an audience of its own,
`REPORT_AUDIENCE`: a report shows the same figures whoever publishes or reads it, and never a page's
entries (those hold what the page's reader is shown), nor a page one of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from csa_tracker.accounts.policies import audience_key
from csa_tracker.cache import cache_get_or_build

T = TypeVar("T")
# Seconds an unread generation's entries may stay in the cache (memory housekeeping only: 30 days).
UNUSED_ENTRY_SECONDS = 30 * 24 * 3600
# The audience part of a report's keys: `policies.audience_key` joins capabilities, so never gives it.
REPORT_AUDIENCE = "report"


def audience(access) -> str:
    """Who the figures are for: what the reader may do in the partnership (`policies.audience_key`)."""
    return audience_key(access)


def figure_key(access, what: str) -> str:
    partnership = access.partnership
    return f"figures:{partnership.pk}:{partnership.figures_generation}:{audience(access)}:{what}"


def cached_figures(access, what: str, build: Callable[[], T]) -> T:
    """`build()`'s result for this partnership, audience and generation, computed at most once per
    generation (per cache: each process when the cache is local memory). When the cache does not
    answer, `build()` is computed for this request (`csa_tracker.cache`): slower, never an error."""
    return cache_get_or_build(figure_key(access, what), build, UNUSED_ENTRY_SECONDS)


def cached_report_figures(partnership, what: str, build: Callable[[], T]) -> T:
    """As `cached_figures`, for what a report of `partnership` shows (`REPORT_AUDIENCE`): computed at most
    once per publication generation, whoever builds the report."""
    key = f"figures:{partnership.pk}:{partnership.figures_generation}:{REPORT_AUDIENCE}:{what}"
    return cache_get_or_build(key, build, UNUSED_ENTRY_SECONDS)
