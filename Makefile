# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run serve backup restore test lint system-deps clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

system-deps:
	./scripts/system-deps.sh

## make run: set up, load the Kent 2017/18 plan and demo users, serve on http://127.0.0.1:8000
run: $(STAMP) system-deps
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Open http://$(HOST)/ and sign in as partner, reviewer, board or admin."
	@# The background worker (report files, e-mail) runs beside the server and stops with it.
	DJANGO_DEBUG=1 $(BIN)/python manage.py tasks_worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	  DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

## make serve: production serving with gunicorn (settings from the environment; README "Running in production")
serve: $(STAMP)
	BIN=$(BIN) ./scripts/serve.sh

## make backup: every record to backups/<UTC time>.xml; make restore FILE=backups/....xml into an empty migrated DB
backup: $(STAMP)
	$(BIN)/python manage.py backup

restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<time>.xml" >&2; exit 1; }
	$(BIN)/python manage.py restore "$(FILE)"

# The apps from the bottom layer up: an app imports only apps listed before it (README "Layout").
LAYERS := csa_tracker.accounts,csa_tracker.audit,csa_tracker.notifications,csa_tracker.people,priorities,cycles,calendars,workflow,actions,indicators,evidence,spreadsheets,reviews,configuration,reports,plandocs,opendata,dashboards,search,demo,benchmarks,csa_tracker.operations

lint: $(STAMP)
	$(BIN)/ruff check .
	@python3 tools/layers.py --order $(LAYERS) || { echo "Layering broken: fix the imports above (README, Layout)." >&2; exit 1; }
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

## make test: the whole suite (SQLite unless DATABASE_URL points at PostgreSQL)
test: $(STAMP) system-deps lint
	$(BIN)/pytest $(PYTEST_ARGS)

## make bench: generate each size (a large plan; then 30 partnerships; then 300) in a throwaway database of
## the run's own, time the pages in shuffled rounds (wall and CPU) and load-test them (never the dev
## database); everything goes into bench-results.json
BENCH_SQLITE := /tmp/csa-bench-$(shell date +%s).sqlite3
BENCH_DATABASE_URL ?= sqlite:///$(BENCH_SQLITE)
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SECRET_KEY=bench-only-not-secret DJANGO_DEBUG=0 \
  DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_STATIC_MANIFEST=0 DJANGO_REQUIRE_2FA=0
bench: $(STAMP)
	$(if $(findstring sqlite,$(BENCH_DATABASE_URL)),rm -f $(BENCH_SQLITE))
	$(BENCH_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	$(BENCH_ENV) $(BIN)/python manage.py bench --size large $(BENCH_ARGS)
	LOAD_SIZE=large BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) ./scripts/load_test.sh
	$(BENCH_ENV) $(BIN)/python manage.py flush --no-input
	$(BENCH_ENV) $(BIN)/python manage.py bench --size many $(BENCH_ARGS)
	LOAD_SIZE=many BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) ./scripts/load_test.sh
	$(BENCH_ENV) $(BIN)/python manage.py flush --no-input
	$(BENCH_ENV) $(BIN)/python manage.py bench --size crowd $(BENCH_ARGS)
	LOAD_SIZE=crowd BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) ./scripts/load_test.sh
	$(BENCH_ENV) $(BIN)/python manage.py bench_import
	$(if $(findstring sqlite,$(BENCH_DATABASE_URL)),rm -f $(BENCH_SQLITE))

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
