"""Request ids and JSON log lines, so one request can be followed across instances and log files;
the secrets some addresses carry (invitation, password-reset and unsubscribe tokens) never reach a log."""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
request_log = logging.getLogger("csa_tracker.request")

# A proxy's id is kept only if it looks like an id, so log lines cannot be forged through the header.
SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# URL parameters that are secrets: whoever holds the address may act on it (csa_tracker/urls.py,
# cycles/urls.py and calendars/urls.py: the invitation link, Django's password-reset link, the digest's
# unsubscribe link, the calendar feeds a calendar program fetches without signing in).
TOKEN_PARAMETERS = frozenset({"token", "uidb64"})
# A separator in an address, also as it appears percent-encoded in a query string (`?next=%2Faccounts…`).
_SLASH = r"(?:/|%2[Ff])"
# One segment: anything up to the next separator, quote or space; percent-escapes other than a slash.
_SEGMENT = r"(?:[^/?#&=\s\"'\\%]|%(?!2[Ff])[0-9A-Fa-f]{2})+"
# The addresses carrying them, with what they keep: tests/operations/test_hostile_logs_and_serving.py reverses every
# route with such a parameter and fails if this misses one.
TOKEN_IN_PATH = re.compile(
    rf"(?P<keep>{_SLASH}accounts{_SLASH}invitation{_SLASH}|{_SLASH}notifications{_SLASH}digest{_SLASH}unsubscribe{_SLASH}"
    rf"|{_SLASH}calendars{_SLASH})"
    rf"{_SEGMENT}|(?P<keep_reset>{_SLASH}accounts{_SLASH}password-reset{_SLASH}){_SEGMENT}{_SLASH}{_SEGMENT}"
)
REDACTED = "[token]"


def redact(text: str) -> str:
    """`text` with every token in an address replaced by "[token]" ("/accounts/invitation/[token]/")."""
    return TOKEN_IN_PATH.sub(lambda found: (found["keep"] or found["keep_reset"]) + REDACTED, text)


def carries_token(request) -> bool:
    """True when the request's address holds a secret (a URL parameter in `TOKEN_PARAMETERS`)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and not TOKEN_PARAMETERS.isdisjoint(match.kwargs)


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID (or make one), log the request with it, and echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if SAFE_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            request_log.info(
                "request",
                extra={
                    "request_id": request.id,
                    "method": request.method,
                    "path": redact(request.path),
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamp every log line written while a request is handled (by any logger) with its id."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else was passed in `extra` and belongs in the line.
STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, the record's extras and any
    exception, with tokens in addresses redacted (`redact`) wherever they appear: Django's "Not Found:
    /accounts/invitation/…" warnings, gunicorn's error lines, a traceback's request."""

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items() if key not in STANDARD_ATTRS})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(line, default=str))
