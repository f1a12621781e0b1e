#!/usr/bin/env bash
# Production serving (`make serve`): refuse to start on an unmigrated database, collect the hashed and
# compressed static files, then run gunicorn. Settings come from the environment (README, "Running in
# production"). Several instances may run this against the same DATABASE_URL and REDIS_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"

if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  echo "Set DJANGO_SECRET_KEY (and DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL) before serving." >&2
  exit 1
fi
if [ "${DJANGO_DEBUG:-}" = "1" ]; then
  echo "DJANGO_DEBUG=1 is for development; unset it to serve." >&2
  exit 1
fi

if ! "$BIN/python" manage.py migrate --check >/dev/null; then
  echo "The database has unapplied migrations (or cannot be reached): run 'manage.py migrate' first." >&2
  exit 1
fi
"$BIN/python" manage.py collectstatic --noinput --verbosity 0

# The background worker (report files, e-mail: `manage.py tasks_worker`) runs beside gunicorn and stops
# with it; CSA_WORKER=0 leaves it to another machine. Several instances' workers share the one queue.
if [ "${CSA_WORKER:-1}" != "0" ]; then
  "$BIN/python" manage.py tasks_worker &
  worker=$!
  trap 'kill "$worker" 2>/dev/null' EXIT INT TERM
fi
# Workers, timeouts, logs and which proxy may say "https": scripts/gunicorn.conf.py, from the environment.
"$BIN/gunicorn" csa_tracker.wsgi --config scripts/gunicorn.conf.py
