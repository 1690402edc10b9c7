# Two commands: `make run` (set up, migrate, seed the demo data, serve) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Test processes (pytest-xdist): one per core by default; PYTEST_WORKERS=0 runs in this process.
PYTEST_WORKERS ?= auto

.PHONY: run test lint graphiql-assets venia-documents format schema bench bench-segments bench-live bench-pricing bench-configurable bench-import bench-eligibility clean

# Checked with the shell so that any interpreter (even one too old to run our code) gets the line.
$(BIN)/python:
	@version=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || \
	  { echo "error: '$(PYTHON)' is not a Python interpreter; install Python 3.11+ and run make PYTHON=/path/to/python3.11 (or newer)" >&2; exit 1; }; \
	case "$$version" in 3.1[1-9]|3.[2-9][0-9]) ;; \
	  *) echo "error: mageseg needs Python 3.11 or newer, '$(PYTHON)' is $$version; run make PYTHON=python3.12 (any 3.11+ interpreter)" >&2; exit 1;; esac
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs exactly what the lock files pin, then mageseg itself without resolving again.
$(VENV)/.run-installed: requirements/run.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/run.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(MAKE) graphiql-assets
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(MAKE) graphiql-assets
	$(MAKE) venia-documents
	touch $@ $(VENV)/.run-installed

# GraphiQL's scripts, pinned by version and checksum (mageseg/graphiql.py), fetched with npm.
# Without npm, GraphiQL falls back to loading them from a CDN.
graphiql-assets:
	-$(BIN)/python -m mageseg.graphiql var/graphiql

# Venia's GraphQL documents for tests/test_venia_operations.py: PWA Studio's npm packages, pinned
# by version and checksum (tests/venia.py), fetched with npm into var/venia, never committed.
# Without npm the harness skips (and fails under CI=true).
venia-documents:
	-$(BIN)/python -m tests.venia var/venia

run: $(VENV)/.run-installed
	$(BIN)/mageseg serve

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint venia-documents
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=25

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: $(VENV)/.dev-installed
	$(BIN)/mageseg export-schema --output schema.graphql

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench

# Seeds (once, then reuses) 1,000,000 customers on PostgreSQL: 20-40 minutes the first time.
bench-segments: $(VENV)/.dev-installed
	$(BIN)/python -m bench segments --customers 100000,1000000

# Needs wrk (apt-get install -y wrk), PostgreSQL and Redis; reuses (or seeds) the 1,000,000-customer
# population of bench-segments, adds 100 segments for the run and removes them afterwards.
bench-live: $(VENV)/.dev-installed
	$(BIN)/python -m bench live --customers 1000000

# customerSegments hot / cold (customers, guest carts) on a 20,000-customer population with Redis:
# server time and CPU per request, wrk against --workers 1 and 2 beside a bare handler. Needs wrk.
bench-eligibility: $(VENV)/.dev-installed
	$(BIN)/python -m bench eligibility

# 1,000 cart rules with 100 segments (a 10-item cart) and 200 catalog rules (a 50-product
# listing) against the same shop with no rule: SQLite, and PostgreSQL + Redis (database 7) when
# MAGESEG_BENCH_DATABASE_URL (default: the local server) answers. A few minutes.
bench-pricing: $(VENV)/.dev-installed
	$(BIN)/python -m bench pricing

# A cart of 10 configurable lines beside 10 simple lines (SQLite, in process).
bench-configurable: $(VENV)/.dev-installed
	$(BIN)/python -m bench.configurable
# `mageseg import customers` of a generated Magento export beside raw inserts; N configurable:
# make bench-import CUSTOMERS=1000000
CUSTOMERS ?= 50000
bench-import: $(VENV)/.dev-installed
	$(BIN)/python -m bench import --customers $(CUSTOMERS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
