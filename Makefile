# tripleaim: every target does its own set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml package.json | sha1sum | cut -c1-12)
export TRIPLEAIM_SHARED_DIR ?= $(abspath ../shared)
ARGS ?=

.PHONY: help setup system demo test test-unit test-spec test-integration test-functional test-reference test-web test-browser bench lint fmt clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

system: ## Install the Debian packages the tests need (Java for Spark, PostgreSQL if none is reachable)
	@scripts/setup-system.sh

$(STAMP): requirements.txt pyproject.toml package.json
	@scripts/setup-system.sh
	npm install --no-audit --no-fund --loglevel=error
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install pinned packages and system dependencies

demo: setup ## Build the full-size demo footprint, indicators, population health management, benchmarks and the demo programme, then serve it at http://127.0.0.1:8000
	$(BIN)/tripleaim generate
	$(BIN)/tripleaim indicators compute
	$(BIN)/tripleaim phm train
	$(BIN)/tripleaim phm score
	$(BIN)/tripleaim phm segment
	$(BIN)/tripleaim benchmark compute
	$(BIN)/tripleaim delivery demo
	$(BIN)/tripleaim users demo
	@echo
	@echo "tripleaim is at http://127.0.0.1:8000 - sign in with a demo account above (Ctrl+C stops it)."
	$(BIN)/tripleaim serve

test: setup lint ## Lint, then every test category (unit, spec on DuckDB and Spark, integration, CLI, reference, web, browser)
	$(BIN)/python -m pytest tests --cov --cov-report=term:skip-covered $(ARGS)

test-unit: setup ## Unit tests only
	$(BIN)/python -m pytest tests/unit $(ARGS)

test-spec: setup ## Spec tests on every engine (DuckDB and Spark)
	$(BIN)/python -m pytest tests/spec $(ARGS)

test-integration: setup ## Loaders, engine parity, synthetic footprint
	$(BIN)/python -m pytest tests/integration $(ARGS)

test-functional: setup ## The CLI end to end
	$(BIN)/python -m pytest tests/functional $(ARGS)

test-reference: setup ## Methods against reference implementations (PHEindicatormethods, Fingertips, comorbidipy)
	$(BIN)/python -m pytest tests/reference $(ARGS)

test-web: setup ## The web app and API on SQLite and PostgreSQL (every route x every role, schemathesis)
	$(BIN)/python -m pytest tests/web $(ARGS)

test-browser: setup ## Pages in headless Chromium with axe-core
	$(BIN)/python -m pytest tests/browser $(ARGS)

bench: setup ## Timed benchmarks; results in benchmarks/results/
	$(BIN)/python -m benchmarks.run $(ARGS)

lint: setup ## ruff, ruff format --check, mypy, import rules
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

fmt: setup ## Format and fix what can be fixed automatically
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean: ## Remove the virtual environment and generated data
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
