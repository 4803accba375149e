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
PROBE = (
    "import json as _json\nprint('ANSWER=' + _json.dumps(globals().get('answer', {}), default=str, ensure_ascii=False))"
)


def execute(source: str, warehouse: str) -> tuple[dict | None, str | None]:
    """Run one notebook in a child process; (notebook, None) or (partial notebook, error text)."""
    import lab as child_lab
    from nbclient.exceptions import CellExecutionError

    try:
        return child_lab.run_notebook(Path(source), Path(warehouse), timeout=180, append=[PROBE]), None
    except CellExecutionError as error:
        return None, str(error)[-4000:]


def run_all(warehouse: Path, tag: str) -> dict[str, Executed]:
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


COPIES = (0.7, 1.3, 1.6, 25.0)  # amount factors of the copies; the last makes an IQR outlier
BUDGET_FACTORS = (0.9, 1.0, 1.1)  # 预算 = 决算 × factor, by copy: over, on and under budget
PAIRED_ITEMS = ("operating_cost", "sangong_total", "sangong_abroad", "sangong_vehicle", "sangong_reception")


def materialize_views(connection) -> list[tuple[str, list[tuple[str, str]]]]:
    """Replace the marts views by tables (same rows) and return every mart with its columns."""
    marts = connection.execute(
        "select table_name, table_type from information_schema.tables where table_schema = 'marts' order by 1"
    ).fetchall()
    for name, kind in marts:
        if kind == "VIEW":
            connection.execute(f"create table main._copy as select * from marts.{name}")
            connection.execute(f"drop view marts.{name}")
            connection.execute(f"create table marts.{name} as select * from main._copy")
            connection.execute("drop table main._copy")
    columns = connection.execute(
        """select table_name, column_name, data_type from information_schema.columns
           where table_schema = 'marts' order by table_name, ordinal_position"""
    ).fetchall()
    return [(name, [(c, t) for table, c, t in columns if table == name]) for name, _ in marts]


def scaled(column: str, kind: str, factor: float, copy: int) -> str | None:
    """The expression for a copied amount column, or None to copy the column as it is."""
    if column in ("death_benefit_2080801", "death_benefit_share_pct"):  # shares differ from copy to copy
        return f"({column} * {factor * (0.5 + 0.2 * copy)})::{kind}"
    if any(column.endswith(suffix) for suffix in ("_pct", "_rate", "_score", "weight")):
        return None
    if kind.startswith("DECIMAL") or column.endswith("_per_staff"):
        return f"({column} * {factor})::{kind}"
    return None


@pytest.fixture(scope="session")
def many_departments_warehouse(warehouse_path, tmp_path_factory) -> Path:
    """The samples warehouse with every department copied under new ids and names, its amounts
    scaled (one copy ×25: an IQR outlier), and a 预算 paired with each 决算 figure, so the answers
    the notebooks give across departments are not trivially empty while the samples are few."""
    path = tmp_path_factory.mktemp("many") / "many.duckdb"
    shutil.copy(warehouse_path, path)
    with duckdb.connect(str(path)) as connection:
        for name, columns in materialize_views(connection):
            names = [c for c, _ in columns]
            if "department_id" not in names:
                continue
            for copy, factor in enumerate(COPIES, start=1):
                replaced = {
                    "department_id": f"department_id || '~{copy}'",
                    "department_name": f"department_name || '（副本{copy}）'",
                    "disclosure_id": f"replace(disclosure_id, department_id, department_id || '~{copy}')",
                }
                select = ", ".join(
                    f"{replaced.get(column) or scaled(column, kind, factor, copy) or column} as {column}"
                    for column, kind in columns
                )
                connection.execute(
                    f"insert into marts.{name} select {select} from marts.{name} where department_id not like '%~%'"
                )
        if connection.execute("select count(*) from marts.mart_budget_execution").fetchall()[0][0] == 0:
            for item in PAIRED_ITEMS:
                connection.execute(
                    f"""
                    insert into marts.mart_budget_execution by name
                    select department_id, department_name, fiscal_year, scope,
                           'metric' as item_type, '{item}' as item, '{item}' as item_name,
                           'budget document' as budget_source,
                           {item} * (list_extract({list(BUDGET_FACTORS)}, (hash(department_id) % 3)::int + 1)) as budget_amount,
                           {item} as final_amount,
                           source_files as budget_source_file, 'synthetic' as budget_locator,
                           source_files as final_source_file, 'synthetic' as final_locator
                    from marts.fct_disclosure
                    where phase = 'final' and {item} is not null
                    """
                )
            connection.execute(
                """update marts.mart_budget_execution
                   set execution_rate = case when budget_amount <> 0 then final_amount / budget_amount * 100 end"""
            )
    return path


@pytest.fixture(scope="session")
def executed_many(many_departments_warehouse) -> dict[str, Executed]:
    """Every notebook run top to bottom against the many-departments warehouse."""
    return run_all(many_departments_warehouse, "many")


@pytest.fixture(scope="session")
def executed_empty(empty_warehouse) -> dict[str, Executed]:
    """Every notebook run top to bottom against a warehouse whose marts are empty."""
    return run_all(empty_warehouse, "empty")
