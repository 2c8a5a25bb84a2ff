# Partnership Tracker: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
TEST_WORKERS ?= 3
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run test install init demo lint catalogue messages browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -l $* >/dev/null

install: $(STAMP) $(COMPILED)

init: install
	$(BIN)/tracker init

run: init
	$(BIN)/tracker demo --if-empty
	$(BIN)/tracker serve --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests, poppler/qpdf for the PDF tests, and DejaVu fonts (every Kyrgyz,
# Tajik and Uzbek letter) for the PDFs: installed only when missing.
browser:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null && command -v qpdf >/dev/null && \
	  fc-list 2>/dev/null | grep -q DejaVuSans || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils qpdf \
	    fonts-dejavu-core fontconfig >/dev/null; }

# Tests run in TEST_WORKERS processes (pytest-xdist); each takes the next test when done ("worksteal"), as a few
# tests take half a minute. PYTEST_ARGS comes last, so `make test PYTEST_ARGS="-n 0"` runs them in one process.
test: install browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check tracker tests bench

catalogue: install
	$(BIN)/tracker events catalogue > docs/events.md

# Extract every user-facing string, and merge it into each language's catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k Nn_:1,2 -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
