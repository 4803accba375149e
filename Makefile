# juesuan — the front door. `make build` then `make test`.
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
DISCLOSURES ?= samples
WAREHOUSE   ?= warehouse.duckdb

.PHONY: setup build ingest test lab clean

setup: $(VENV)/.installed  ## create .venv and install the pinned dependencies

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: setup  ## ingest DISCLOSURES into seeds, then dbt build into WAREHOUSE (atomically)
	$(BIN)/python -m ingest.build --disclosures $(DISCLOSURES) --warehouse $(WAREHOUSE)

ingest: setup  ## only write the seed CSVs from DISCLOSURES
	$(BIN)/juesuan ingest --disclosures $(DISCLOSURES)

test: setup  ## pytest, which builds a warehouse from samples/ and runs every dbt test on it
	$(BIN)/pytest -q

lab: build  ## JupyterLab on notebooks/
	$(BIN)/jupyter lab --notebook-dir=notebooks

clean:  ## remove build outputs (not the virtualenv)
	rm -rf seeds/extracted dbt_project/target dbt_project/logs $(WAREHOUSE) .juesuan-build.lock
