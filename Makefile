# Work-Plan Pulse: `make run` serves the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
DB     := $(or $(WORKPLAN_DB),data/workplan.duckdb)
# One stamp per install; each re-runs only when pyproject.toml changes (safe to call again).
APP_STAMP  := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
# axe-core for the accessibility tests (package.json); re-installed when package-lock.json changes.
NPM_STAMP  := node_modules/.installed

.PHONY: install install-test catalogs run test check lint bench screenshots clean

install: $(APP_STAMP) catalogs  # what the app needs (make run)
install-test: $(TEST_STAMP) $(NPM_STAMP) catalogs  # that, plus the test and benchmark tools (pytest, ruff, Playwright, axe-core, ...)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# The test extra includes the app's own dependencies, so it brings the app install up to date too.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(APP_STAMP) $@

# French catalogs: analytics/locale/*/LC_MESSAGES/*.po -> .mo (only the stale ones; git-ignored).
catalogs:                    # after the install stamps (listed after them above)
	$(BIN)/python -m analytics.i18n

$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

$(DB): | $(APP_STAMP)
	$(BIN)/workplan --db "$(DB)" demo

run: install $(DB)
	$(BIN)/streamlit run server.py --server.address 127.0.0.1 --server.port $(PORT)

# PostgreSQL ($$WORKPLAN_DB if a postgresql:// URL, else a local one in data/cluster/), two replicas
# and nginx on 127.0.0.1:$$CLUSTER_PORT (default 8080); Ctrl-C stops all (analytics/cluster.py).
cluster: install
	$(BIN)/python -m analytics.cluster

lint: install-test
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

# What CI runs (.ci/run also installs Chromium when it is missing).
check: test

bench: install-test
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.bench_portfolio --out benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.bench_postgres --out benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.bench_hostile --out benchmarks/HOSTILE.md

screenshots: install-test
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/integration/test_pack_screenshots.py tests/integration/test_pack_french_screenshot.py tests/browser -k "screenshot or renders_and_a_few or french_summary"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
