# Two commands: `make run` (set up, migrate, seed the demo data, serve) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint format schema bench bench-segments bench-live bench-pricing bench-import clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "mageseg needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs exactly what the lock files pin, then mageseg itself without resolving again.
$(VENV)/.run-installed: requirements/run.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/run.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/mageseg serve

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

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

# 1,000 cart rules with 100 segments (a 10-item cart) and 200 catalog rules (a 50-product
# listing) against the same shop with no rule: SQLite, and PostgreSQL + Redis (database 7) when
# MAGESEG_BENCH_DATABASE_URL (default: the local server) answers. A few minutes.
bench-pricing: $(VENV)/.dev-installed
	$(BIN)/python -m bench pricing

# `mageseg import customers` of a generated Magento export beside raw inserts; N configurable:
# make bench-import CUSTOMERS=1000000
CUSTOMERS ?= 50000
bench-import: $(VENV)/.dev-installed
	$(BIN)/python -m bench import --customers $(CUSTOMERS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
