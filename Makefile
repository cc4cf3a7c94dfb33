# Two commands for a newcomer: `make run` and `make test`; `make unit`, `lint`, `types` and
# `e2e` are the shorter loops.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types unit e2e install lock bench clean

LOCK := requirements.lock

# Exactly the releases in requirements.lock, each checked against its hashes; then our own
# package in place, built by the pinned setuptools.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# After changing a dependency in pyproject.toml: pin the releases (and their hashes) again,
# for development (requirements.lock) and for the production image (requirements-production.lock).
PIN := CUSTOM_COMPILE_COMMAND="make lock" .lock-venv/bin/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock:
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet pip-tools==7.6.2
	$(PIN) --extra dev -o $(LOCK) pyproject.toml
	$(PIN) --extra build -o requirements-production.lock pyproject.toml

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
