# make explore  - set up, build the shipped graph, open the explorer on http://127.0.0.1:8501
# make test     - set up and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
# Optional: FEEDS=../shared/data also ingests the recorded feeds into the explorer's graph.
FEEDS  ?=
PYTEST_ARGS ?=

# The browser tests need Debian's chromium and the export tests Raptor's rapper; the engine tests need Java. Without
# them `make test` stops and says how to install them; EUAIGRAPH_SKIP_BROWSER=1 runs the rest on purpose.
CHROMIUM ?= $(or $(EUAIGRAPH_CHROMIUM),/usr/bin/chromium)

.PHONY: setup graph explore test tools screenshots bench lint clean

$(STAMP): pyproject.toml explorer/editor/package-lock.json explorer/editor/src/editor.js explorer/editor/src/editor.css
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[explorer,test,bench]"
	@# The SPARQL editor's CodeMirror bundle (explorer/editor): without npm the explorer keeps a plain text area.
	if command -v npm >/dev/null 2>&1; then \
	  cd explorer/editor && npm ci --no-audit --no-fund && npm run build; \
	else echo "npm not found: the SPARQL editor stays a plain text area (apt-get install nodejs npm, then make setup)"; fi
	touch $(STAMP)

setup: $(STAMP)

graph: setup
	$(BIN)/euaigraph build $(if $(FEEDS),--feeds $(FEEDS))
	$(BIN)/euaigraph validate

explore: graph
	$(BIN)/euaigraph explore --port $(PORT)

tools:
	@if [ -z "$(EUAIGRAPH_SKIP_BROWSER)" ] && [ ! -x "$(CHROMIUM)" ]; then \
	  echo "make test: Chromium is missing at $(CHROMIUM): the browser tests need it."; \
	  echo "  install it with: apt-get install chromium   (or set EUAIGRAPH_CHROMIUM to its path)"; \
	  echo "  or run without the browser tests on purpose: make test EUAIGRAPH_SKIP_BROWSER=1"; exit 1; fi
	@if ! command -v java >/dev/null 2>&1; then \
	  echo "make test: Java is missing: the engine tests need it."; \
	  echo "  install it with: apt-get install default-jre-headless libapache-jena-java"; exit 1; fi
	@if ! command -v rapper >/dev/null 2>&1; then \
	  echo "make test: Raptor's rapper is missing: the export tests read every RDF file with it."; \
	  echo "  install it with: apt-get install raptor2-utils"; exit 1; fi

test: setup tools
	EUAIGRAPH_SKIP_BROWSER=$(EUAIGRAPH_SKIP_BROWSER) $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The README's screenshots, taken by the browser tests that show each page and task.
screenshots: setup tools
	EUAIGRAPH_SCREENSHOTS=1 $(BIN)/python -m pytest -n 2 --dist loadgroup tests/browser

bench: setup
	$(BIN)/python -m bench.run --sizes 1e4,1e5,1e6

clean:
	rm -rf $(VENV) data/store .pytest_cache explorer/editor/dist explorer/editor/node_modules
