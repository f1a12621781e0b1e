"""Sessions read from the shared cache, kept in the database (issue 26): `SESSION_ENGINE` with `REDIS_URL`.

Django's `cached_db` store with the app's rules for the cache (`csa_tracker.cache`):

- a read the cache cannot answer is a miss: the session is read from the database, so an outage costs
  a query, not a request;
- a kept copy lives at most `CACHE_SECONDS` (renewed by each save, which the idle clock makes at least once
  a minute while someone works, so a person at work is read from the cache);
- forgetting a session (signing out, the old key when a new one is given at sign-in or with the second
  factor) deletes the database row, then the copy, always asking the cache (even in the 30 s
  `csa_tracker.cache` leaves it alone after a failure, when another instance may still be reading it).
  If the cache cannot be reached then, the person is signed out all the same, and the copy it kept can
  sign them in only if that cache answers again within `CACHE_SECONDS` of the session's last save: the
  price of not failing every sign-in and sign-out while the cache is down.

Only with a cache every instance and worker shares (Redis): in local memory each worker would keep its
own copy, and a sign-out answered by one would leave the others signing the person in.
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from csa_tracker.cache import MISSING, cache_get, cache_set

log = logging.getLogger(__name__)

# Seconds a kept copy of a session lives in the cache (or less, when the session ends sooner).
CACHE_SECONDS = 120


class SessionStore(CachedDBStore):
    def load(self) -> dict:
        data = cache_get(self.cache_key, MISSING)
        if data is not MISSING:
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        cache_set(self.cache_key, data, min(CACHE_SECONDS, self.get_expiry_age(expiry=row.expire_date)))
        return data

    def exists(self, session_key) -> bool:
        return super(CachedDBStore, self).exists(session_key)  # the database decides whether a key is taken

    def save(self, must_create=False) -> None:
        super(CachedDBStore, self).save(must_create)
        cache_set(self.cache_key, self._session, min(CACHE_SECONDS, self.get_expiry_age()))

    def delete(self, session_key=None) -> None:
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:  # any backend's failure: the row is gone; the copy expires within CACHE_SECONDS
            log.error("Could not remove a signed-out session from the cache", exc_info=True)
