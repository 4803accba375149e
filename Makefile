# juesuan — the front door. `make build` then `make test`.
PYTHON         ?= $(shell command -v python3.11 2>/dev/null || echo python3)
PYTHON_VERSION := 3.11
VENV           := .venv
BIN            := $(VENV)/bin
DISCLOSURES    ?= samples
WAREHOUSE      ?= warehouse.duckdb
PORT           ?= 8888
LAB_ARGS       ?=
# where files are parsed: empty for this machine's processes, dask://HOST:PORT for a Dask cluster
EXECUTOR       ?=
# how setup installs the pinned dependencies into a new or outdated .venv
VENV_INSTALL   ?= $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e '.[test,compile]'
# how setup compiles the parser's busiest modules when their sources changed (ingest/compiled.py)
COMPILE_PARSER ?= "$(BIN)/python" -m ingest.compile_parser

# Paths reach the commands through the environment and are quoted there ("$$WAREHOUSE"), so a
# folder with spaces, quotes or Chinese characters in its name is one argument, whatever it holds.
export DISCLOSURES WAREHOUSE PORT LAB_ARGS EXECUTOR

.PHONY: setup build ingest export docs test lab report bench clean coverage lint

setup:  ## create .venv with Python 3.11 (made again if it holds another Python) and install the pinned dependencies
	@found=$$("$(BIN)/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
	if [ -e "$(VENV)" ] && [ "$$found" != "$(PYTHON_VERSION)" ]; then \
	  echo "setup: $(VENV) holds Python $${found:-that no longer runs}, juesuan needs $(PYTHON_VERSION): making it again"; \
	  rm -rf "$(VENV)"; \
	fi; \
	if [ ! -f "$(VENV)/.installed" ] || [ pyproject.toml -nt "$(VENV)/.installed" ]; then \
	  wanted=$$("$(PYTHON)" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
	  if [ "$$wanted" != "$(PYTHON_VERSION)" ]; then \
	    echo "setup: $(PYTHON) is Python $${wanted:-(not found)}; juesuan needs $(PYTHON_VERSION): make setup PYTHON=python$(PYTHON_VERSION)" >&2; \
	    exit 1; \
	  fi; \
	  [ -d "$(VENV)" ] || "$(PYTHON)" -m venv "$(VENV)" || exit 1; \
	  echo "setup: installing the pinned dependencies into $(VENV)"; \
	  { $(VENV_INSTALL); } || { echo "setup: installing into $(VENV) failed (see above); make setup tries again" >&2; exit 1; }; \
	  touch "$(VENV)/.installed"; \
	fi
	@# the parser's busiest modules compiled with mypyc when they changed (ingest/compiled.py); a machine
	@# without a C compiler parses in Python; CI (JUESUAN_REQUIRE_COMPILED=1) requires the compile
	@$(COMPILE_PARSER) $${JUESUAN_REQUIRE_COMPILED:+--required}

build: setup  ## ingest DISCLOSURES, dbt build into WAREHOUSE (atomically), export beside it; summary at the end, full log in WAREHOUSE.log
	$(BIN)/python -m ingest.warehouse.build --disclosures "$$DISCLOSURES" --warehouse "$$WAREHOUSE" --executor "$$EXECUTOR"
	$(BIN)/python -m ingest.warehouse.exports --warehouse "$$WAREHOUSE"

export: setup  ## Parquet per mart, Fiscal Data Package and Excel-safe CSV beside WAREHOUSE (exports/ for the default one)
	$(BIN)/python -m ingest.warehouse.exports --warehouse "$$WAREHOUSE"

docs: setup  ## the dbt docs site as static files (dbt_project/target/static_index.html opens from disk)
	$(BIN)/python -m ingest.warehouse.docs --warehouse "$$WAREHOUSE"

ingest: setup  ## only write the seed CSVs of WAREHOUSE from DISCLOSURES
	$(BIN)/python -m ingest.cli ingest --disclosures "$$DISCLOSURES" --warehouse "$$WAREHOUSE"

coverage: setup  ## per disclosure of WAREHOUSE: the standard parts found, the identities that hold, fail or cannot be checked
	$(BIN)/python -m ingest.cli coverage --warehouse "$$WAREHOUSE"

test: setup  ## pytest, which builds a warehouse from samples/ and runs every dbt test on it
	$(BIN)/pytest -q

# sqlfluff lints the models only: dbt_project/macros holds {% macro %} definitions, which render to
# fragments rather than statements; their SQL is linted where the models call them
lint: setup  ## ruff (lint + format check) over the Python, sqlfluff over the dbt models; the config is in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models --processes 2

BENCH_SIZES ?= 1000,10000
bench: setup  ## every target of issue #22 in one table (met / missed / not measured): PDFs vs pdfplumber on samples/, the build at BENCH_SIZES synthetic department-years (100000 for the targets); writes bench/
	$(BIN)/python -m tools.bench_targets --sizes $(BENCH_SIZES)

lab: setup  ## JupyterLab on notebooks/ reading WAREHOUSE (built first only if missing); PORT=8888, LAB_ARGS="--no-browser"
	$(BIN)/python -m ingest.lab_server --warehouse "$$WAREHOUSE" --disclosures "$$DISCLOSURES" --port "$$PORT" -- $$LAB_ARGS

REPORT_ARGS ?=
report: setup  ## execute every notebook against WAREHOUSE into readable HTML in reports/: outputs and charts, code hidden (REPORT_ARGS=--with-code shows it)
	JUESUAN_WAREHOUSE="$$WAREHOUSE" $(BIN)/python notebooks/lab.py --report reports $(REPORT_ARGS)

clean:  ## remove build outputs of WAREHOUSE (and its temporary files), dbt's target, the cache; not the virtualenv
	"$(PYTHON)" -m ingest.warehouse.outputs clean "$$WAREHOUSE"
	rm -rf dbt_project/target dbt_project/logs .juesuan-build.lock .juesuan-cache
