"""Fixtures for the notebook tests: the notebooks executed once per session, on the samples
warehouse and on an empty one, two at a time (each in its own process and kernel)."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "tests" / "artifacts"
if str(NOTEBOOKS) not in sys.path:
    sys.path.insert(0, str(NOTEBOOKS))

import lab  # noqa: E402  (notebooks/lab.py, as the kernels import it)

SOURCES = {source.stem: source for source in lab.notebook_sources()}
# appended to every run: the notebook's `answer` dict, read back by the tests
PROBE = "import json as _json\nprint('ANSWER=' + _json.dumps(globals().get('answer', {}), default=str, ensure_ascii=False))"


def execute(source: str, warehouse: str) -> tuple[dict | None, str | None]:
    """Run one notebook in a child process; (notebook, None) or (partial notebook, error text)."""
    import lab as child_lab
    from nbclient.exceptions import CellExecutionError

    try:
        return child_lab.run_notebook(Path(source), Path(warehouse), timeout=180, append=[PROBE]), None
    except CellExecutionError as error:
        return None, str(error)[-4000:]


def run_all(warehouse: Path, tag: str) -> dict[str, "Executed"]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = {name: pool.submit(execute, str(source), str(warehouse)) for name, source in SOURCES.items()}
        results = {name: future.result(timeout=600) for name, future in futures.items()}
    executed = {}
    for name, (notebook, error) in results.items():
        assert error is None, f"{name} failed on the {tag} warehouse:\n{error}"
        lab.export_html(notebook, ARTIFACTS / "notebooks" / f"{name}-{tag}.html")
        executed[name] = Executed(notebook)
    return executed


class Executed:
    """An executed notebook: its outputs, its answer cells' text, and its `answer` dict."""

    def __init__(self, notebook):
        self.notebook = notebook

    def outputs(self, cells=None):
        for cell in cells if cells is not None else self.notebook.cells:
            yield from cell.get("outputs", [])

    def texts(self, cells=None) -> list[str]:
        texts = []
        for output in self.outputs(cells):
            if output.get("output_type") == "stream":
                texts.append(output["text"])
            for kind in ("text/markdown", "text/plain", "text/html"):
                if kind in output.get("data", {}):
                    texts.append(output["data"][kind])
        return texts

    @property
    def text(self) -> str:
        return "\n".join(self.texts())

    @property
    def answer_text(self) -> str:
        cells = [cell for cell in self.notebook.cells if "answer" in cell.get("metadata", {}).get("tags", [])]
        return "\n".join(self.texts(cells))

    @property
    def answer(self) -> dict:
        (line,) = [t for t in self.texts(self.notebook.cells[-1:]) if t.startswith("ANSWER=")]
        return json.loads(line.removeprefix("ANSWER=").strip())

    @property
    def images(self) -> list[str]:
        return [o["data"]["image/png"] for o in self.outputs() if "image/png" in o.get("data", {})]

    @property
    def errors(self) -> list[dict]:
        return [o for o in self.outputs() if o.get("output_type") == "error"]


@pytest.fixture(scope="session")
def executed(warehouse_path) -> dict[str, Executed]:
    """Every notebook run top to bottom against the warehouse built from samples/."""
    return run_all(warehouse_path, "samples")


@pytest.fixture(scope="session")
def empty_warehouse(warehouse_path, tmp_path_factory) -> Path:
    """A copy of the samples warehouse with every mart emptied (views replaced by empty tables)."""
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    shutil.copy(warehouse_path, path)
    with duckdb.connect(str(path)) as connection:
        marts = connection.execute(
            "select table_name, table_type from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        for name, kind in marts:
            if kind == "VIEW":
                connection.execute(f"create table main._empty as select * from marts.{name} limit 0")
                connection.execute(f"drop view marts.{name}")
                connection.execute(f"create table marts.{name} as select * from main._empty")
                connection.execute("drop table main._empty")
            else:
                connection.execute(f"delete from marts.{name}")
    return path


@pytest.fixture(scope="session")
def executed_empty(empty_warehouse) -> dict[str, Executed]:
    """Every notebook run top to bottom against a warehouse whose marts are empty."""
    return run_all(empty_warehouse, "empty")
