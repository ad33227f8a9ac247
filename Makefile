# motcua — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=
# Two workers on these 2-core machines; set PYTEST_WORKERS=0 to debug serially.
PYTEST_WORKERS ?= 2

.PHONY: run test setup lint types openapi compile-messages test-sqlite test-postgres chromium bench messages

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.lock
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

setup: $(VENV)/.installed

run: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (back office: /office/, API docs: /api/docs)"
	@# The worker (outbox: e-mails, national sync; deadline re-planning) runs beside the server.
	$(PY) manage.py run_worker --loop & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests use Debian's Chromium; install it when missing (root, or sudo).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: setup
	$(VENV)/bin/mypy

# Regenerate the committed OpenAPI description (a test fails when it drifts).
openapi: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py export_openapi_schema --api config.api.api --indent 2 --sorted --output openapi/v1.json

test-sqlite: setup chromium
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: setup chromium
	MOTCUA_TEST_DB=postgres $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: setup chromium lint types test-sqlite
	@if [ "$${MOTCUA_TEST_POSTGRES:-0}" = 1 ]; then $(MAKE) --no-print-directory test-postgres; fi

# Benchmarks (not tests): each prints ratios against a baseline measured in the same run.
# Every benchmark runs (PostgreSQL ones need the server); the status is 1 if any missed its target.
bench: setup
	@status=0; for b in "bench/clock.py" "bench/lifecycle.py" "bench/portal.py" \
	  "bench/portal.py --postgres" "bench/stats_import.py" "bench/stats.py"; do \
	  echo "== $$b"; $(PY) $$b || status=1; done; exit $$status

messages: setup
	$(PY) manage.py makemessages -l en -l es --ignore='.venv/*' --ignore='*/tests/*' --ignore='var/*' --ignore='bench/*'
	@echo "Now translate the new entries of locale/en and locale/es, then: make compile-messages"

compile-messages: setup
	$(PY) manage.py compilemessages -l en -l es --ignore='.venv/*'
