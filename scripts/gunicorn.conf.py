"""gunicorn's settings for `make serve` (scripts/serve.sh), from the environment (README "Running in
production"): BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS, GUNICORN_ACCESS_LOG."""

import os

from gunicorn.glogging import Logger

from csa_tracker.observability import redact

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two workers per core plus one is gunicorn's rule of thumb.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# The app is imported once, in the master, and forked: a worker started or restarted costs no import
# (0.8 s of CPU each, measured; a 60 s load test paid it about once per worker at 1,000 requests).
# Nothing opens a connection at import (connections are per request, per worker), so forking is safe.
preload_app = True
# A worker is replaced after this many requests (a guard against slow leaks); its local caches start cold.
max_requests = 5000
max_requests_jitter = 500
# JSON lines like the app's, on standard error.
logconfig_json = "scripts/gunicorn-logging.json"
# Its one default path would be shared by every instance on a machine.
control_socket_disable = True

# gunicorn believes X-Forwarded-Proto (and sets the request's scheme to https) only from these
# addresses: none unless FORWARDED_ALLOW_IPS names the proxy in front (gunicorn's own default trusts
# 127.0.0.1, so any local process, or a local proxy passing the client's header on, could claim https).
# Django reads the header itself when DJANGO_SECURE_PROXY_SSL_HEADER=1, which is all the app needs.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")

# Requests are logged by the app (JSON, with request id), so there is no access log unless
# GUNICORN_ACCESS_LOG names a file ("-" for standard output); its lines carry no tokens either.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


class RedactingLogger(Logger):
    """gunicorn's logger with the invitation, password-reset and unsubscribe tokens of every address
    (request line, path, query, referrer, headers) replaced by "[token]" (`csa_tracker.observability.redact`)."""

    def atoms(self, resp, req, environ, request_time):
        found = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in found.items()}


logger_class = RedactingLogger
