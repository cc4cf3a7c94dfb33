# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types unit install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The scheduler scans every 10 s here (60 s by default), so the demo category climbs on time.
run: $(STAMP)
	SAMPARK_SCAN_SECONDS=$${SAMPARK_SCAN_SECONDS:-10} $(BIN)/sampark run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

# The whole suite against its baselines (~25 min on 2 cores): bench/results/latest.json
bench: $(STAMP)
	$(BIN)/python -m bench.suite

clean:
	rm -rf $(VENV) .sampark .pytest_cache .mypy_cache .ruff_cache
