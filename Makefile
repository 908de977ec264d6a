# Work-Plan Pulse: `make run` serves the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
DB     := $(or $(WORKPLAN_DB),data/workplan.duckdb)
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test check lint bench screenshots clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes; safe to call again.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

$(DB): | $(STAMP)
	$(BIN)/workplan --db "$(DB)" demo

run: install $(DB)
	$(BIN)/streamlit run server.py --server.address 127.0.0.1 --server.port $(PORT)

lint: install
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

# What CI runs (.ci/run also installs Chromium when it is missing).
check: test

bench: install
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.bench_hostile --out benchmarks/HOSTILE.md

screenshots: install
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/browser -k screenshot

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
