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

.PHONY: setup graph explore test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[explorer,test,bench]"
	touch $(STAMP)

setup: $(STAMP)

graph: setup
	$(BIN)/euaigraph build $(if $(FEEDS),--feeds $(FEEDS))
	$(BIN)/euaigraph validate

explore: graph
	$(BIN)/euaigraph explore --port $(PORT)

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench.run --sizes 1e4,1e5,1e6

clean:
	rm -rf $(VENV) data/store .pytest_cache
