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
QUERY = re.compile(r'lab\.query\(\s*"""(.*?)"""', re.S)  # as tools/scale_bench.py finds the queries
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
            select = ", ".join(f"{copied.get(column) or scaled(column, kind)} as {column}" for column, kind in columns)
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
        futures = {
            name: pool.submit(execute_wide, str(source), str(wide_warehouse)) for name, source in SOURCES.items()
        }
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
# The notebooks read their answers from the marts; the answers they print must be those rows.


def test_death_benefits_answer_is_that_of_the_mart(case):
    executed, warehouse = case
    run = executed["01_death_benefits"]
    (largest_type,) = warehouse.execute(
        "select largest_type from marts.mart_coverage where topic = 'death_benefit'"
    ).fetchall()[0] or (None,)
    if largest_type is None:
        assert "largest_type" not in run.answer
        return
    departments, paying, none = warehouse.execute(
        """select count(distinct department_id), count(distinct department_id) filter (where pension_benefits > 0),
                  count(distinct department_id) filter (where pension_status = 'none')
           from marts.mart_death_benefit where department_type = ?""",
        [largest_type],
    ).fetchall()[0]
    assert run.answer["largest_type"] == largest_type
    if departments <= TOP:  # every department of the type is shown
        assert (run.answer["type_departments"], run.answer["type_paying"], run.answer["type_none"]) == (
            departments,
            paying,
            none,
        )
    assert f"Of the {run.answer['type_departments']} {largest_type}" in run.answer_text
    payers = {
        row[0]
        for row in warehouse.execute(
            "select department_name from marts.mart_death_benefit where pension_benefits > 0"
        ).fetchall()
    }
    assert set(run.answer["paying"]) <= payers
    if len(payers) <= TOP:
        assert set(run.answer["paying"]) == payers
    changes = warehouse.execute(
        "select count(*) from marts.mart_death_benefit where pension_benefits_change is not null"
    ).fetchall()[0][0]
    assert run.answer["changes"] == min(changes, TOP)
    if not changes:
        assert "cannot be answered" in run.text


def test_operating_cost_outliers_are_those_of_the_peer_groups(case):
    executed, warehouse = case
    run = executed["02_operating_cost"]
    outside = warehouse.execute(
        """select department_name, fiscal_year, distance_outside from marts.mart_peer_point
           where measure = 'operating_cost' and is_outlier"""
    ).fetchall()
    distances = {(name, year): distance for name, year, distance in outside}
    named = {tuple(pair) for pair in run.answer["outliers"]}
    assert run.answer["outlier_count"] == len(outside)
    assert named <= set(distances) and len(named) == min(TOP, len(outside))
    if len(outside) > len(named):  # the ones named are those furthest outside their fences
        assert min(distances[pair] for pair in named) >= max(distances[pair] for pair in set(distances) - named)
    in_text = set(re.findall(r"\*\*([^*]+)\*\* \((\d{4}): ", run.answer_text))
    assert in_text == {(name, str(year)) for name, year in named}
    above_public = {
        row[0]
        for row in warehouse.execute(
            "select department_name from marts.mart_operating_cost where is_above_public"
        ).fetchall()
    }
    assert set(run.answer["above_public"]) <= above_public
    if len(above_public) <= TOP:
        assert set(run.answer["above_public"]) == above_public
    left_out = warehouse.execute(
        """select department_name, fiscal_year, comparability_quote from marts.mart_metric_change
           where metric = 'operating_cost' and not is_comparable order by department_name, fiscal_year limit 40"""
    ).fetchall()
    assert [tuple(row) for row in run.answer["left_out"]] == left_out
    assert all(quote for _, _, quote in left_out)


def test_sangong_answers_are_those_of_the_mart(case):
    executed, warehouse = case
    run = executed["03_sangong"]
    from_parts = sorted(
        warehouse.execute(
            """select department_name, fiscal_year, sangong_total::double from marts.mart_sangong
           where total_source = 'sum of parts' order by department_name, fiscal_year limit 40"""
        ).fetchall()
    )
    assert sorted(tuple(row) for row in run.answer["sum_of_parts"]) == from_parts
    over = sorted(
        warehouse.execute(
            """select department_name, fiscal_year from marts.mart_sangong
           where phase = 'final' and sangong_total > budget_total"""
        ).fetchall()
    )
    assert run.answer["over_budget_count"] == min(len(over), TOP)
    assert {tuple(row) for row in run.answer["over_budget"]} <= set(over)
    paired = warehouse.execute(
        "select count(*) from marts.mart_sangong where phase = 'final' and budget_total is not null"
    ).fetchall()[0][0]
    assert run.answer["paired_finals"] == min(paired, TOP)
    if not paired:
        assert "No data for 三公经费 with both a 预算 and a 决算" in run.text


def test_data_quality_verdicts_follow_the_checks(case):
    executed, warehouse = case
    run = executed["04_data_quality"]
    check_first = {
        row[0]
        for row in warehouse.execute(
            "select disclosure_id from marts.fct_disclosure where verdict = 'check first'"
        ).fetchall()
    }
    named = run.answer["check_first"]
    assert run.answer["check_first_count"] == len(check_first)
    assert named == sorted(named) and set(named) <= check_first
    rejected = sorted(
        row[0]
        for row in warehouse.execute(
            "select source_file from marts.fct_ingest_log where status = 'rejected'"
        ).fetchall()
    )
    assert run.answer["rejected_count"] == len(rejected)
    assert set(run.answer["rejected_files"]) <= set(rejected) and len(run.answer["rejected_files"]) == min(
        TOP, len(rejected)
    )
    if rejected:
        assert f"{len(rejected)} file(s) were rejected" in run.answer_text
    total = warehouse.execute("select count(*) from marts.fct_disclosure").fetchall()[0][0]
    assert f"Of {total} disclosure(s)" in run.answer_text
    plausibility = warehouse.execute(
        "select count(*) from marts.fct_disclosure_check where check_name like 'plausibility%'"
    ).fetchall()[0][0]
    assert len(run.answer["plausibility"]) == min(plausibility, TOP)


def test_every_notebook_opens_with_its_coverage(executed):
    for name, run in executed.items():
        first = next(text for text in run.texts() if text.strip())
        assert first.startswith("**Coverage.**"), name
        assert "place(s)" in first and "fiscal years" in first and "Staffing (实有人数) is stated in" in first, name


def test_on_the_sample_each_notebook_answers_across_five_departments_of_one_type(executed):
    """The shipped sample holds five 信访局 in five cities (samples/national/README.md): each topical
    notebook's answer names the type and counts the five."""
    for name in ("01_death_benefits", "02_operating_cost", "03_sangong"):
        answer = executed[name].answer
        assert answer["largest_type"] == "信访局", name
        assert answer["type_departments"] >= 5 and answer["type_places"] >= 5, name


def test_the_rounding_cases_are_not_above_their_public_expenditure(executed):
    """上海市普陀区人民政府办公室 and 上海市财政局 (2025): 机关运行经费 equal to 公用经费 within the rounding of the
    printed figures (tests/notebooks/test_question_marts.py reads them off the pages)."""
    above = executed["02_operating_cost"].answer["above_public"]
    assert "上海市普陀区人民政府办公室" not in above and "上海市财政局" not in above


# --- bounded: detail capped at TOP departments, headline numbers over every row -------------------


@pytest.mark.parametrize("name", list(SOURCES))
def test_detail_queries_stop_at_the_notebooks_top(name):
    """Every query is literal SQL (as the scale benchmark finds it), and every cap in it is TOP."""
    source = SOURCES[name].read_text(encoding="utf-8")
    assert re.search(r"^TOP = (\d+)\b", source, re.M).group(1) == str(TOP)
    queries = QUERY.findall(source)
    assert len(queries) == source.count("lab.query("), 'a query is not written as lab.query("""...""")'
    caps = {int(number) for sql in queries for number in re.findall(r"\b(?:limit|<=)\s+(\d+)", sql)}
    assert caps <= {1, TOP} and TOP in caps


MAX_DETAIL_SECTIONS = 8  # sections of a notebook that each show at most TOP departments
MAX_QUERY_LINES = 7  # "no SQL longer than a few lines in a notebook": the questions are answered in dbt


@pytest.mark.parametrize("name", list(SOURCES))
def test_notebook_queries_are_a_few_lines_reading_the_marts(name):
    for sql in QUERY.findall(SOURCES[name].read_text(encoding="utf-8")):
        lines = [line for line in sql.strip().splitlines() if line.strip()]
        assert len(lines) <= MAX_QUERY_LINES, sql
        assert not re.search(r"\bwith\s+\w+\s+as\s*\(", sql, re.I), f"a CTE belongs in a dbt model: {sql}"
        assert all(table.startswith("marts.") for table in re.findall(r"\b(?:from|join)\s+([\w.]+)", sql)), sql


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
        # the caveats cover the departments of the detail sections, each at most TOP (02 has eight)
        assert probe["shown"] <= MAX_DETAIL_SECTIONS * TOP, (name, probe["shown"])


def test_wide_warehouse_says_how_many_it_shows(executed_wide, wide_warehouse):
    """ "Showing TOP of M …": M counted in SQL over every row, not over the rows shown."""
    populations = {
        "01_death_benefits": (
            "select count(*) from marts.mart_death_benefit where pension_benefits > 0",
            "disclosure(s) paying 抚恤",
        ),
        "02_operating_cost": (
            """select count(*) from marts.mart_peer_point
                                 where measure = 'operating_cost' and peer_departments >= 3""",
            "department(s) in such peer groups",
        ),
        "03_sangong": (
            """select count(*) from marts.mart_sangong where department_type =
                          (select largest_type from marts.mart_coverage where topic = 'sangong')""",
            "信访局 disclosure(s)",
        ),
        "04_data_quality": (
            "select count(distinct department_id) from marts.fct_disclosure_check",
            "department(s) with findings",
        ),
    }
    with duckdb.connect(str(wide_warehouse), read_only=True) as warehouse:
        for name, (sql, what) in populations.items():
            total = warehouse.execute(sql).fetchall()[0][0]
            assert total > TOP, name
            assert f"Showing {TOP:,} of {total:,} {what}" in executed_wide[name].text, name


def test_html_export_embeds_the_charts(executed):
    """The executed notebooks exported as HTML (as `make report` does) carry the charts as PNG."""
    from tests.notebooks.conftest import ARTIFACTS

    for name, run in executed.items():
        html = (ARTIFACTS / "notebooks" / f"{name}-samples.html").read_text(encoding="utf-8")
        assert html.count("data:image/png;base64,") >= len(run.images)
