"""Computed published figures, cached per partnership, audience and publication generation (issue 18).

Comparisons, directions of travel and trends change only when something is published: the indicator
list, the indicator page and the governing dashboard's headline cards are computed once per
(partnership, generation, audience, what) and then read from Django's cache (Redis when `REDIS_URL` is
set, local memory otherwise). `csa_tracker.accounts.figures.figures_changed` starts a new generation
when a reading is published or corrected, a report is published, or the indicators, areas or
populations change; the old entries are then never read again. Nothing is invalidated by time: the
expiry below only frees memory taken by generations nobody reads any more.

The key names the partnership and what the reader's roles let them do (`Access.capabilities`), so one
partnership's (or one audience's) figures are never served to another, even if what they may read
later differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from csa_tracker.accounts.policies import audience_key

T = TypeVar("T")
# Seconds an unread generation's entries may stay in the cache (memory housekeeping only: 30 days).
UNUSED_ENTRY_SECONDS = 30 * 24 * 3600
_MISSING = object()


def audience(access) -> str:
    """Who the figures are for: what the reader may do in the partnership (`policies.audience_key`)."""
    return audience_key(access)


def figure_key(access, what: str) -> str:
    partnership = access.partnership
    return f"figures:{partnership.pk}:{partnership.figures_generation}:{audience(access)}:{what}"


def cached_figures(access, what: str, build: Callable[[], T]) -> T:
    """`build()`'s result for this partnership, audience and generation, computed at most once per
    generation (per cache: each process when the cache is local memory)."""
    key = figure_key(access, what)
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(key, found, timeout=UNUSED_ENTRY_SECONDS)
    return found
