"""Django's cache, used so that an outage costs speed and never a request.

Every cache read and write of the app goes through these functions. The cache only ever holds what
can be computed again (published figures) or counted again (rate limits), so when it cannot be reached
(Redis down, a network fault, a full memory) the caller is given its fallback: a miss, "not stored",
"no count". After a failure the cache is left alone for `RETRY_SECONDS`, so an outage costs one failed
call per process and half a minute, not a connection timeout on every request. `/healthz` reports the
cache as "degraded" meanwhile (`cache_answers`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches

log = logging.getLogger(__name__)

# Seconds the cache is left alone after it failed to answer (per process; a new backend starts afresh).
RETRY_SECONDS = 30
MISSING = object()


def _backend():
    return caches["default"]


def _call(operation: str, fallback, *args, **kwargs):
    backend = _backend()
    if getattr(backend, "_csa_down_until", 0) > time.monotonic():
        return fallback
    try:
        return getattr(backend, operation)(*args, **kwargs)
    except Exception as exc:  # any backend's failure (connection, timeout, out of memory) means "compute it"
        if operation == "incr" and isinstance(exc, ValueError):
            raise  # the key is not there: an answer, not an outage
        backend._csa_down_until = time.monotonic() + RETRY_SECONDS
        log.warning("Cache unavailable; computing without it for %s s", RETRY_SECONDS, exc_info=True)
        return fallback


def cache_get(key: str, default: Any = MISSING) -> Any:
    """The cached value of `key`, or `default` when it is not cached or the cache does not answer."""
    return _call("get", default, key, default)


def cache_set(key: str, value: Any, timeout: int) -> None:
    """Keep `value` under `key` for `timeout` seconds if the cache answers; otherwise nothing."""
    _call("set", None, key, value, timeout=timeout)


def cache_get_or_build(key: str, build: Callable[[], Any], timeout: int) -> Any:
    """The cached value of `key`; else `build()`, kept under `key` for `timeout` seconds. A cache that
    does not answer means building for this request: slower, never an error."""
    found = cache_get(key)
    if found is MISSING:
        found = build()
        cache_set(key, found, timeout)
    return found


def cache_count(key: str, window_seconds: int) -> int | None:
    """Add one to the count under `key`, which starts at 1 and is forgotten `window_seconds` after its
    first hit; the new count, or None when the cache does not answer (the caller then lets it through)."""
    if _call("add", MISSING, key, 1, timeout=window_seconds) is True:
        return 1
    try:
        return _call("incr", None, key)
    except ValueError:  # the count expired between add and incr: this hit starts a new window
        return 1 if _call("add", MISSING, key, 1, timeout=window_seconds) is True else None


def cache_answers() -> bool:
    """True when the cache stores and returns a value now (a direct probe, for `/healthz`)."""
    key, value = f"healthz:{time.monotonic_ns()}", "ok"
    try:
        backend = _backend()
        backend.set(key, value, timeout=10)
        found = backend.get(key)
        backend.delete(key)
    except Exception:  # unreachable is the answer, not an error of ours
        log.warning("Cache health check failed", exc_info=True)
        return False
    return found == value
