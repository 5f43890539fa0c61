# vitaal – the two commands of the README, and the steps they are made of.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
PG_URL ?= postgres://postgres@127.0.0.1:5432/vitaal
# Two workers: the CI machines have two cores. Each worker gets its own test database.
PYTEST_ARGS ?= -n 2
DEBIAN_PACKAGES := chromium libharfbuzz-subset0 poppler-utils fonts-liberation libpango-1.0-0 \
	libpangoft2-1.0-0 libfontconfig1 fonts-dejavu-core gettext

.PHONY: demo test env system-packages lint check test-sqlite test-postgres messages clean

## demo: install, migrate SQLite, build the demo sector and serve http://127.0.0.1:8000
demo: env
	DEBUG=true VITAAL_DEMO=true $(BIN)/vitaal demo --serve

## test: install what the tests need and run the whole suite on SQLite and PostgreSQL
test: env test-env system-packages lint check test-sqlite test-postgres
	@echo "All checks and tests passed on SQLite and PostgreSQL."

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

env: $(UV)
	$(UV) sync --frozen --quiet

system-packages:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy vitaal

check:
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	VITAAL_PROFILE=production SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-secret-value-for-the-check ALLOWED_HOSTS=vitaal.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

test-sqlite:
	DATABASE_URL=sqlite:///$(CURDIR)/data/test.sqlite3 $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not answering on 127.0.0.1:5432"; exit 1; }
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PYTEST_ARGS)

## messages: extract UI strings into the .po files and compile them
messages:
	cd vitaal && ../$(BIN)/python ../manage.py makemessages -l nl -l en --no-obsolete --no-location \
		--ignore "*/tests/*" --ignore "tests/*"
	$(BIN)/python scripts/fill_english_po.py vitaal/locale/en/LC_MESSAGES/django.po
	cd vitaal && ../$(BIN)/python ../manage.py compilemessages

clean:
	rm -rf $(VENV) $(TOOLS) data

.PHONY: bench
## bench: benchmark the floor, the ten key pages, the usage report and the insurer import (docs/benchmarks.md)
BENCH_ARGS ?=
bench: env
	$(BIN)/python -m bench run $(BENCH_ARGS)

# --- Load and fault tests (ops/; docs/fault-tests.md) -----------------------------------
.PHONY: load faults test-env
LOAD_DB ?= postgres://postgres@127.0.0.1:5432/vitaal_bench
LOAD_ARGS ?=

## load: 100 users for 60 s on gunicorn + PostgreSQL (LOAD_DB); goal 0 errors, p95 <= 5x the floor
load: $(UV)
	$(UV) sync --frozen --quiet --group load
	$(BIN)/python ops/load/run.py --database-url $(LOAD_DB) $(LOAD_ARGS)

## faults: PostgreSQL restart under load, a worker killed mid-job, a connection dropped mid-request
faults: env
	$(BIN)/python ops/faults/run_all.py

## test-env: the environment of the test suite: the default groups plus locust for the load smoke
test-env: $(UV)
	$(UV) sync --frozen --quiet --group load
