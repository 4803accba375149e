"""The four notebooks, executed top to bottom (nbclient, kernel cwd = notebooks/) against the
warehouse built from samples/, their answers checked against the marts, and again against a
warehouse with empty marts, where they must say "no data for …" instead of failing."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.notebooks.conftest import SOURCES

pytestmark = pytest.mark.slow

WAREHOUSES = {"samples": ("executed", "warehouse_path"), "many": ("executed_many", "many_departments_warehouse")}


@pytest.fixture(scope="module", params=list(WAREHOUSES))
def case(request):
    """(executed notebooks, read-only connection to their warehouse): the samples warehouse, and
    the same with the departments copied and a 预算 paired (so the answers are not empty)."""
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
    expected = warehouse.execute(
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
        select department_name, fiscal_year from d join q using (fiscal_year)
        where n >= 4 and (value < q1 - 1.5 * (q3 - q1) or value > q3 + 1.5 * (q3 - q1))
        """
    ).fetchall()
    assert {tuple(pair) for pair in run.answer["outliers"]} == set(expected)
    named = set(re.findall(r"\*\*([^*]+)\*\* \((\d{4}): ", run.answer_text))
    assert named == {(name, str(year)) for name, year in expected}
    has_data = warehouse.execute("select count(*) from marts.mart_department_year where operating_cost is not null").fetchall()[0][0]
    if has_data and not expected:
        assert "no outlier is named" in run.answer_text or "No department-year lies outside" in run.answer_text


def test_sangong_over_budget_parts_are_those_of_the_marts(case):
    executed, warehouse = case
    run = executed["03_sangong"]
    over = warehouse.execute(
        f"""select distinct department_name, fiscal_year, item from marts.mart_budget_execution
            where item in {PARTS} and final_amount > budget_amount"""
    ).fetchall()
    assert {tuple(row) for row in run.answer["over_budget"]} == set(over)
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
    check_first = warehouse.execute(
        """
        with c as (
            select disclosure_id, count(*) filter (where severity = 'warn') as warn
            from marts.fct_disclosure_check group by disclosure_id
        ),
        l as (
            select department_id, fiscal_year, phase, count(*) as labels
            from marts.fct_unresolved_label group by all
        )
        select d.disclosure_id from marts.fct_disclosure as d
        left join c using (disclosure_id)
        left join l using (department_id, fiscal_year, phase)
        where coalesce(c.warn, 0) > 0 or coalesce(l.labels, 0) > 0
        """
    ).fetchall()
    assert run.answer["check_first"] == sorted(row[0] for row in check_first)
    rejected = sorted(row[0] for row in warehouse.execute(
        "select source_file from marts.fct_ingest_log where status = 'rejected'"
    ).fetchall())
    assert run.answer["rejected_files"] == rejected
    if rejected:
        assert f"{len(rejected)} file(s) were rejected" in run.answer_text
    total = warehouse.execute("select count(*) from marts.fct_disclosure").fetchall()[0][0]
    assert f"Of {total} disclosure(s)" in run.answer_text


def test_html_export_embeds_the_charts(executed):
    """The executed notebooks exported as HTML (as `make report` does) carry the charts as PNG."""
    from tests.notebooks.conftest import ARTIFACTS

    for name, run in executed.items():
        html = (ARTIFACTS / "notebooks" / f"{name}-samples.html").read_text(encoding="utf-8")
        assert html.count("data:image/png;base64,") >= len(run.images)
