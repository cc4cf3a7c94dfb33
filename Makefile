# Two commands for a newcomer: `make run` and `make test`; `make unit`, `lint`, `types` and
# `e2e` are the shorter loops.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types unit e2e install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The scheduler scans every 10 s here (60 s by default), so the demo category climbs on time.
run: $(STAMP)
	SAMPARK_SCAN_SECONDS=$${SAMPARK_SCAN_SECONDS:-10} $(BIN)/sampark run

# Everything: lint, types, and the whole suite (unit, integration, e2e), in two workers
# (a test file stays in one: its module fixtures are made once).
test: lint types
	$(BIN)/pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

# The quick loop: the unit tests (no I/O; seconds).
unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

# The tests of the whole stack through HTTP (`-m "not e2e"`: all the others).
e2e: $(STAMP)
	$(BIN)/pytest -m e2e

# The whole suite against its baselines (~25 min on 2 cores): bench/results/latest.json
bench: $(STAMP)
	$(BIN)/python -m bench.suite

clean:
	rm -rf $(VENV) .sampark .pytest_cache .mypy_cache .ruff_cache
