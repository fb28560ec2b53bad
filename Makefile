# The two commands: `make app` (set up, build, open the viewer) and `make test` (set up, run the suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= .store

.PHONY: app test build docs clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(BIN)/convergence build --store $(STORE)

app: build
	CONVERGENCE_STORE=$(STORE) $(BIN)/streamlit run app.py --server.headless true --browser.gatherUsageStats false

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

docs: $(VENV)/.installed
	$(BIN)/python -m graph docs --out docs/ontology.html

clean:
	rm -rf $(VENV) $(STORE) build *.egg-info

# Benchmarks (benchmarks/README.md): `make bench` runs 10k, 100k and 1M statements (add ARGS=--with-5m);
# `make bench-quick` is the CI smoke run (a small graph, under a minute, no targets asserted).
.PHONY: bench bench-quick
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.run $(ARGS)

bench-quick: $(VENV)/.installed
	$(BIN)/python -m benchmarks.run --quick $(ARGS)
