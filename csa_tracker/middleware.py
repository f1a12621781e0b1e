"""Site-wide guards: a refusal no view caught, an address no page can read, and what browsers and
proxies may keep."""

import logging
import re
from urllib.parse import unquote

from django.db import connections
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.defaults import bad_request

from .observability import carries_token
from .refusals import Refusal

log = logging.getLogger(__name__)

# Control characters no link or search box sends (tab and line breaks are whitespace, normalised where
# text is read). PostgreSQL refuses NUL in any text, so one in a query string was a 500 wherever a
# parameter reaches a query (search, open data's ?indicator=); the others are refused alike.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RefusalMiddleware:
    """Render a `Refusal` that escaped a view as the 403 page, saying why (the view's `except` is where
    refusals are normally shown; this is the frame for any it does not expect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refusal):
            return None
        return render(request, "403.html", {"refusal": str(exception)}, status=403)


class ControlCharactersMiddleware:
    """Answer 400 with the site's page (`templates/400.html`) when the address or its query string
    holds a control character (`%00` and the like), before any view or query reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if CONTROL_CHARACTERS.search(request.path) or CONTROL_CHARACTERS.search(query):
            return bad_request(request, exception=None)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every response someone signed in receives (pages, exports,
    open data read as a member), every response that sets a cookie, and every page whose address
    carries a token (invitations, password resets): neither the browser's disk nor a proxy keeps them.

    A view that sets its own Cache-Control keeps it (report downloads: `private, no-cache` with an
    ETag; `/healthz`); pages a public partnership shows to anyone signed out, and static files (served
    by WhiteNoise before this runs), keep their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.cookies or carries_token(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


class LostConnectionRetryMiddleware:
    """Answer a GET or HEAD once more, on a new database connection, when the first answer was a 500
    and a database connection it used no longer works (the server restarted, a failover, a connection
    killed mid-request). Reading twice changes nothing, so the reader never sees the fault; anything
    else (a form sent, a bug) is answered as it was, since a write may have been made before the fault.

    A connection dropped *between* requests costs nothing even without this: `CONN_HEALTH_CHECKS`
    (settings) checks a kept connection before its first use in each request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and response.status_code == 500 and _closed_lost_connections():
            log.warning("Database connection lost while answering; answering again on a new connection")
            response = self.get_response(request)  # the first answer is the 500 page: nothing to close
        return response


def _closed_lost_connections() -> bool:
    """Close every database connection of this thread that had an error and no longer answers; True
    when there was one."""
    lost = [
        connection
        for connection in connections.all(initialized_only=True)
        if connection.connection is not None and connection.errors_occurred and not connection.is_usable()
    ]
    for connection in lost:
        connection.close()
    return bool(lost)
