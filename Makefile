# sagshub: `make run` serves a demo municipality, `make test` runs every check.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo
# The official schemas (test data, read-only), when they sit next to the repository.
STANDARDS := $(abspath $(CURDIR)/../shared/standards)
ifneq ($(wildcard $(STANDARDS)),)
export SAGSHUB_STANDARDS_DIR ?= $(STANDARDS)
endif
export SAGSHUB_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test install lint

run: $(VENV)/.installed $(DEMO)/sagshub.toml
	cd $(DEMO) && ../$(BIN)/sagshub db upgrade && ../$(BIN)/sagshub serve

test: $(VENV)/.installed-test lint
	SAGSHUB_REQUIRE_POSTGRES=1 $(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The stamps make a second run quick: pip runs again only when a pyproject.toml changed.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed tests/vendor_plugin/pyproject.toml examples/vendor_plugin/pyproject.toml
	$(BIN)/pip install -q -e tests/vendor_plugin -e examples/vendor_plugin
	touch $@

$(DEMO)/sagshub.toml: | $(VENV)/.installed
	$(BIN)/sagshub demo --dir $(DEMO)
