#!/usr/bin/env bash
# Load test (run by `make bench` after each size's page timings): LOAD_USERS (50) signed-in users request
# the role pages of the generated bench partnership for LOAD_SECONDS (60) against gunicorn on loopback, as
# `make serve` runs it. Prints throughput, p50/p95/p99 and errors (any status >= 400 counts), keeps them
# in load-results.txt and records them, with the load average, in bench-results.json under the database
# and LOAD_SIZE (large or many: the size `manage.py bench --size` generated). Needs the bench database
# that `make bench` generated and wrk (scripts/system-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite:////tmp/csa-bench.sqlite3}"
export DJANGO_SECRET_KEY=bench-only-not-secret DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1
# Plain HTTP on loopback, and sessions made directly (so no second sign-in factor to give).
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_REQUIRE_2FA=0 DJANGO_LOG_LEVEL=WARNING
port="${LOAD_PORT:-8799}"
users="${LOAD_USERS:-50}"
seconds="${LOAD_SECONDS:-60}"
size="${LOAD_SIZE:-large}"

command -v wrk >/dev/null || { echo "wrk is not installed: run scripts/system-deps.sh as root." >&2; exit 1; }
targets="$(mktemp)"
"$BIN/python" manage.py load_sessions --output "$targets"
log="$(mktemp /tmp/csa-load-server-XXXXXX.log)"  # each run its own log
# A server already answering on the port would be measured instead of ours (and its CPU not counted).
if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then
  echo "Something already serves 127.0.0.1:$port: stop it, or choose another LOAD_PORT." >&2
  exit 1
fi
# Its own process group, so that stopping it stops gunicorn and its workers too, not only serve.sh.
CSA_WORKER=0 BIND="127.0.0.1:$port" setsid scripts/serve.sh > "$log" 2>&1 &
server=$!
trap 'kill -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$targets"' EXIT
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "gunicorn did not start; see $log" >&2; exit 1; }

before="$(cat /proc/loadavg 2>/dev/null || true)"
cpu_before="$("$BIN/python" manage.py bench_cpu --pid "$server")"
echo "Load test ($size): $users users for ${seconds}s against gunicorn on 127.0.0.1:$port ($(nproc) cores; load average $before)"
LOAD_TARGETS="$targets" wrk --threads 2 --connections "$users" --duration "${seconds}s" --timeout 10s \
  --script scripts/load.lua "http://127.0.0.1:$port/" | tee load-results.txt
cpu_after="$("$BIN/python" manage.py bench_cpu --pid "$server")"
cpu="$(python3 -c "print(round($cpu_after - $cpu_before, 3))")"
echo "Server CPU during the run: ${cpu}s (gunicorn and PostgreSQL on this machine)"
"$BIN/python" manage.py bench_record_load load-results.txt --size "$size" --users "$users" \
  --load-average-before "$before" --cpu-seconds "$cpu" --cores "$(nproc)"
