# juesuan — the front door. `make build` then `make test`.
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
DISCLOSURES ?= samples
WAREHOUSE   ?= warehouse.duckdb

.PHONY: setup build ingest export docs test lab report bench clean

setup: $(VENV)/.installed  ## create .venv and install the pinned dependencies

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: setup  ## ingest DISCLOSURES into seeds, dbt build into WAREHOUSE (atomically), then export
	$(BIN)/python -m ingest.build --disclosures $(DISCLOSURES) --warehouse $(WAREHOUSE)
	$(BIN)/python -m ingest.writers.exports --warehouse $(WAREHOUSE) --out exports

export: setup  ## Parquet per mart, Fiscal Data Package and Excel-safe CSV into exports/
	$(BIN)/python -m ingest.writers.exports --warehouse $(WAREHOUSE) --out exports

docs: setup  ## the dbt docs site as static files (dbt_project/target/static_index.html opens from disk)
	$(BIN)/python -m ingest.docs --warehouse $(WAREHOUSE)

ingest: setup  ## only write the seed CSVs from DISCLOSURES
	$(BIN)/juesuan ingest --disclosures $(DISCLOSURES)

test: setup  ## pytest, which builds a warehouse from samples/ and runs every dbt test on it
	$(BIN)/pytest -q

BENCH_SIZES ?= 1000,10000
bench: setup  ## PDF ingest benchmark (pages/s vs pdfplumber), then the build at BENCH_SIZES synthetic department-years; writes bench/
	$(BIN)/python -m ingest.bench
	$(BIN)/python -m ingest.scale_bench --sizes $(BENCH_SIZES)

lab: build  ## JupyterLab on notebooks/ (the notebooks read WAREHOUSE)
	JUESUAN_WAREHOUSE=$(abspath $(WAREHOUSE)) $(BIN)/jupyter lab --notebook-dir=notebooks

report: setup  ## execute every notebook against WAREHOUSE and export HTML into reports/
	cd notebooks && JUESUAN_WAREHOUSE=$(abspath $(WAREHOUSE)) ../$(BIN)/python lab.py --report ../reports

clean:  ## remove build outputs (not the virtualenv)
	rm -rf seeds/extracted dbt_project/target dbt_project/logs $(WAREHOUSE) $(WAREHOUSE).built-from $(WAREHOUSE).seeds .juesuan-build.lock .juesuan-cache
