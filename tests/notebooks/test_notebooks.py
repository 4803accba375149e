"""The four notebooks, executed top to bottom (nbclient, kernel cwd = notebooks/) against the
warehouse built from samples/, their answers checked against the marts, and again against a
warehouse with empty marts, where they must say "no data for …" instead of failing, and against a
wide one (more departments than a notebook shows), where every chart and table must stop at `TOP`
departments while the numbers in the text still count every row."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.notebooks.conftest import ARTIFACTS, PROBE, SOURCES, Executed, lab, materialize_views

pytestmark = pytest.mark.slow

WAREHOUSES = {
    "samples": ("executed", "warehouse_path"),
    "many": ("executed_many", "many_departments_warehouse"),
    "wide": ("executed_wide", "wide_warehouse"),
}
QUERY = re.compile(r'lab\.query\(\s*"""(.*?)"""', re.S)  # as ingest/scale_bench.py finds the queries
TOP = 40  # the notebooks' TOP: departments shown per chart or table
WIDE_COPIES = 50  # copies of every sample department in the wide warehouse: more than TOP


@pytest.fixture(scope="session")
def wide_warehouse(warehouse_path, tmp_path_factory) -> Path:
    """The samples warehouse with every department copied WIDE_COPIES times under new ids and names,
    its amounts scaled by copy (so the rankings differ): every population a notebook details has
    more than TOP departments."""
    path = tmp_path_factory.mktemp("wide") / "wide.duckdb"
    shutil.copy(warehouse_path, path)
    with duckdb.connect(str(path)) as connection:
        for name, columns in materialize_views(connection):
            if "department_id" not in [column for column, _ in columns]:
                continue
            copied = {
                "department_id": "department_id || '~w' || copy",
                "department_name": "department_name || '（副本' || copy || '）'",
                "disclosure_id": "replace(disclosure_id, department_id, department_id || '~w' || copy)",
            }
            select = ", ".join(
                f"{copied.get(column) or scaled(column, kind)} as {column}" for column, kind in columns
            )
            connection.execute(
                f"""insert into marts.{name} select {select}
                    from marts.{name}, range(1, {WIDE_COPIES} + 1) as copies(copy)
                    where department_id not like '%~%'"""
            )
    return path


def scaled(column: str, kind: str) -> str:
    """A copied column: amounts (and per-staff figures) scaled by 0.55 … 3.0 with the copy, the rest as is."""
    if any(column.endswith(suffix) for suffix in ("_pct", "_rate", "_score", "weight")):
        return column
    if kind.startswith("DECIMAL") or column.endswith("_per_staff"):
        return f"({column} * (0.5 + copy / 20))::{kind}"
    return column


# run before the answer probe on the wide warehouse: every polars frame the kernel holds, with its
# rows and departments, and how many departments the notebook says it showed
FRAMES = """
import json as _json, polars as _pl
_frames = {}
for _name, _value in list(globals().items()):
    if isinstance(_value, _pl.DataFrame) and not _name.startswith("_"):
        _key = next((c for c in ("department_id", "department_name") if c in _value.columns), None)
        _frames[_name] = [_value.height, _value[_key].n_unique() if _key else None]
print("FRAMES=" + _json.dumps({"frames": _frames, "shown": len(globals().get("shown_departments", ()))}))
"""


def execute_wide(source: str, warehouse: str) -> tuple[dict | None, str | None]:
    """Run one notebook in a child process with the frames probe; (notebook, None) or (None, error)."""
    import lab as child_lab
    from nbclient.exceptions import CellExecutionError

    try:
        return child_lab.run_notebook(Path(source), Path(warehouse), timeout=180, append=[FRAMES, PROBE]), None
    except CellExecutionError as error:
        return None, str(error)[-4000:]


@pytest.fixture(scope="session")
def executed_wide(wide_warehouse) -> dict[str, Executed]:
    """Every notebook run top to bottom against the wide warehouse, two at a time."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {name: pool.submit(execute_wide, str(source), str(wide_warehouse)) for name, source in SOURCES.items()}
        results = {name: future.result(timeout=600) for name, future in futures.items()}
    executed = {}
    for name, (notebook, error) in results.items():
        assert error is None, f"{name} failed on the wide warehouse:\n{error}"
        lab.export_html(notebook, ARTIFACTS / "notebooks" / f"{name}-wide.html")
        executed[name] = Executed(notebook)
    return executed


def frames(run: Executed) -> dict:
    (line,) = [t for t in run.texts(run.notebook.cells[-2:-1]) if t.startswith("FRAMES=")]
    return json.loads(line.removeprefix("FRAMES=").strip())


@pytest.fixture(scope="module", params=list(WAREHOUSES))
def case(request):
    """(executed notebooks, read-only connection to their warehouse): the samples warehouse, the
    same with the departments copied and a 预算 paired (so the answers are not empty), and the wide one."""
    executed_name, path_name = WAREHOUSES[request.param]
    executed = request.getfixturevalue(executed_name)
    connection = duckdb.connect(str(request.getfixturevalue(path_name)), read_only=True)
    yield executed, connection
    connection.close()

PARTS = ("sangong_abroad", "sangong_vehicle", "sangong_reception")


@pytest.mark.parametrize("name", list(SOURCES))
def test_runs_top_to_bottom_with_question_answer_and_caveats(case, name):
    run = case[0][name]
    assert not run.errors
    markdown = [cell for cell in run.notebook.cells if cell.cell_type == "markdown"]
    assert "**Question.**" in markdown[0].source
    assert run.answer_text.strip(), "the answer cell printed nothing"
    # a chart rendered as a static image, or the notebook said why there is none
    assert run.images or "No data for" in run.text


def test_notebooks_say_no_data_on_an_empty_warehouse(executed_empty):
    for name, run in executed_empty.items():
        assert not run.errors, name
        assert "No data for" in run.text, name
        assert not run.images, name


# --- answers against the marts ------------------------------------------------------------------


def test_death_benefits_names_the_department_with_the_largest_share(case):
    executed, warehouse = case
    run = executed["01_death_benefits"]
    top = warehouse.execute(
        """select department_name, death_benefit_share_pct from marts.mart_department_year
           where death_benefit_share_pct is not null
           order by death_benefit_share_pct desc limit 1"""
    ).fetchall()
    if not top:
        assert "top_share_department" not in run.answer
        return
    ((name, share),) = top
    tied = {
        row[0]
        for row in warehouse.execute(
            "select department_name from marts.mart_department_year where death_benefit_share_pct = ?", [share]
        ).fetchall()
    }
    assert run.answer["top_share_department"] in tied
    named = re.search(r"The largest share is \*\*([^*]+)\*\*", run.answer_text).group(1)
    assert named == run.answer["top_share_department"]
    assert f"{float(share):.2f}%" in run.answer_text


def test_operating_cost_outliers_are_those_of_the_iqr_rule(case):
    executed, warehouse = case
    run = executed["02_operating_cost"]
    outside = {
        (name, year): distance
        for name, year, distance in warehouse.execute(
            """
            with d as (
                select department_name, fiscal_year, operating_cost::double as value
                from marts.mart_department_year where operating_cost is not null
            ),
            q as (
                select fiscal_year, count(*) as n,
                       quantile_cont(value, 0.25) as q1, quantile_cont(value, 0.75) as q3
                from d group by fiscal_year
            )
            select department_name, fiscal_year,
                   greatest(q1 - 1.5 * (q3 - q1) - value, value - (q3 + 1.5 * (q3 - q1))) as distance
            from d join q using (fiscal_year)
            where n >= 4 and (value < q1 - 1.5 * (q3 - q1) or value > q3 + 1.5 * (q3 - q1))
            """
        ).fetchall()
    }
    named = {tuple(pair) for pair in run.answer["outliers"]}
    assert run.answer["outlier_count"] == len(outside)
    assert named <= set(outside) and len(named) == min(TOP, len(outside))
    if len(outside) > len(named):  # the ones named are those furthest outside their fences
        assert min(outside[pair] for pair in named) >= max(outside[pair] for pair in set(outside) - named)
    in_text = set(re.findall(r"\*\*([^*]+)\*\* \((\d{4}): ", run.answer_text))
    assert in_text == {(name, str(year)) for name, year in named}
    has_data = warehouse.execute("select count(*) from marts.mart_department_year where operating_cost is not null").fetchall()[0][0]
    if has_data and not outside:
        assert "no outlier is named" in run.answer_text or "No department-year lies outside" in run.answer_text


def test_sangong_over_budget_parts_are_those_of_the_marts(case):
    executed, warehouse = case
    run = executed["03_sangong"]
    over = warehouse.execute(
        f"""select department_name, fiscal_year, item, max(final_amount - budget_amount), count(*)
            from marts.mart_budget_execution
            where item in {PARTS} and final_amount > budget_amount
            group by all"""
    ).fetchall()
    excess = {(name, year, item): amount for name, year, item, amount, _ in over}
    named = {tuple(row) for row in run.answer["over_budget"]}
    assert run.answer["over_budget_count"] == sum(rows for *_, rows in over)
    assert named <= set(excess)
    if run.answer["over_budget_count"] <= TOP:
        assert named == set(excess)
    else:  # the ones named are those furthest above budget
        assert min(excess[key] for key in named) >= max(excess[key] for key in set(excess) - named)
    top = warehouse.execute(
        """select department_name, fiscal_year from marts.fct_disclosure
           where phase = 'final' and sangong_total is not null
           order by fiscal_year desc, sangong_total desc, department_name limit 1"""
    ).fetchall()
    if top:
        ((name, year),) = top
        assert run.answer["latest_final_year"] == year
        assert f"The biggest spender is **{name}**" in run.answer_text
    paired = warehouse.execute(
        f"select count(*) from marts.mart_budget_execution where item in {PARTS + ('sangong_total',)}"
    ).fetchall()[0][0]
    if not paired:
        assert "No data for 三公经费 with both a 预算 and a 决算" in run.text


def test_data_quality_verdicts_follow_the_checks(case):
    executed, warehouse = case
    run = executed["04_data_quality"]
    check_first = dict(warehouse.execute(
        """
        with c as (
            select disclosure_id, count(*) filter (where severity = 'warn') as warn
            from marts.fct_disclosure_check group by disclosure_id
        ),
        l as (
            select department_id, fiscal_year, phase, count(*) as labels
            from marts.fct_unresolved_label group by all
        )
        select d.disclosure_id, d.department_id from marts.fct_disclosure as d
        left join c using (disclosure_id)
        left join l using (department_id, fiscal_year, phase)
        where coalesce(c.warn, 0) > 0 or coalesce(l.labels, 0) > 0
        """
    ).fetchall())
    named = run.answer["check_first"]
    assert run.answer["check_first_count"] == len(check_first)
    assert named == sorted(named) and set(named) <= set(check_first)
    if len(set(check_first.values())) <= TOP:  # every department with a defect is shown
        assert set(named) == set(check_first)
    else:
        assert len({check_first[disclosure] for disclosure in named}) == TOP
    rejected = sorted(row[0] for row in warehouse.execute(
        "select source_file from marts.fct_ingest_log where status = 'rejected'"
    ).fetchall())
    assert run.answer["rejected_count"] == len(rejected)
    assert run.answer["rejected_files"] == rejected[:TOP]
    if rejected:
        assert f"{len(rejected)} file(s) were rejected" in run.answer_text
    total = warehouse.execute("select count(*) from marts.fct_disclosure").fetchall()[0][0]
    assert f"Of {total} disclosure(s)" in run.answer_text


# --- bounded: detail capped at TOP departments, headline numbers over every row -------------------


@pytest.mark.parametrize("name", list(SOURCES))
def test_detail_queries_stop_at_the_notebooks_top(name):
    """Every query is literal SQL (as the scale benchmark finds it), and every cap in it is TOP."""
    source = SOURCES[name].read_text(encoding="utf-8")
    assert re.search(r"^TOP = (\d+)\b", source, re.M).group(1) == str(TOP)
    queries = QUERY.findall(source)
    assert len(queries) == source.count("lab.query("), "a query is not written as lab.query(\"\"\"...\"\"\")"
    caps = {int(number) for sql in queries for number in re.findall(r"\b(?:limit|<=)\s+(\d+)", sql)}
    assert caps <= {1, TOP} and TOP in caps


def test_wide_warehouse_holds_at_most_top_departments_per_frame(executed_wide):
    """On a warehouse with more departments than TOP, no frame the notebook fetched holds more than
    TOP departments; the caveats cover just the departments shown."""
    for name, run in executed_wide.items():
        probe = frames(run)
        caveats = {"checks", "unresolved"} if "lab.caveats(" in SOURCES[name].read_text(encoding="utf-8") else set()
        capped = []
        for frame, (rows, departments) in probe["frames"].items():
            if departments is None:
                assert rows <= 2 * TOP, (name, frame, rows)
            elif frame in caveats:
                assert departments <= probe["shown"], (name, frame, departments)
            else:
                assert departments <= TOP, (name, frame, departments)
                capped.append(departments)
        assert TOP in capped, f"{name}: no frame reached the cap, so the wide warehouse tests nothing"
        assert probe["shown"] <= 6 * TOP, name


def test_wide_warehouse_says_how_many_it_shows(executed_wide, wide_warehouse):
    """"Showing TOP of M": M counted in SQL over every department, not over the ones shown."""
    populations = {
        "01_death_benefits": """select count(distinct department_id) from marts.mart_department_year
                                where death_benefit_2080801 is not null or pension_benefit_30304 is not null""",
        "02_operating_cost": "select count(distinct department_id) from marts.mart_department_year where operating_cost is not null",
        "03_sangong": """select count(distinct department_id) from marts.fct_disclosure
                         where coalesce(sangong_total, sangong_abroad, sangong_vehicle, sangong_reception) is not null""",
        "04_data_quality": "select count(distinct department_id) from marts.fct_disclosure_check",
    }
    with duckdb.connect(str(wide_warehouse), read_only=True) as warehouse:
        for name, sql in populations.items():
            total = warehouse.execute(sql).fetchall()[0][0]
            assert total > TOP, name
            assert f"Showing {TOP:,} of {total:,} department(s)" in executed_wide[name].text, name


def test_html_export_embeds_the_charts(executed):
    """The executed notebooks exported as HTML (as `make report` does) carry the charts as PNG."""
    from tests.notebooks.conftest import ARTIFACTS

    for name, run in executed.items():
        html = (ARTIFACTS / "notebooks" / f"{name}-samples.html").read_text(encoding="utf-8")
        assert html.count("data:image/png;base64,") >= len(run.images)
