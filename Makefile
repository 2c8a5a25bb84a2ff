# Partnership Tracker: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install init demo lint catalogue clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

init: install
	$(BIN)/tracker init

run: init
	$(BIN)/tracker demo --if-empty
	$(BIN)/tracker serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check tracker tests bench

catalogue: install
	$(BIN)/tracker events catalogue > docs/events.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
