"""The coverage report per disclosure (marts.mart_disclosure_coverage, `juesuan coverage`), and
local items in the warehouse, on the samples' warehouse. Expected values were read by hand on the
pages named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.cli import main
from tests.conftest import rows

pytestmark = pytest.mark.slow

FUZHOU_CIVIL = "福州市民政局"  # 2026-福州市民政局(本级)-单位预算.pdf
WELFARE_HOME = "社会福利院"  # shanghai/普陀区社会福利院2024单位预算.pdf


def coverage(warehouse, department: str, item: str) -> tuple[str, str]:
    (found,) = rows(
        warehouse,
        """select status, detail from marts.mart_disclosure_coverage
           where strpos(department_name, ?) > 0 and item = ?""",
        department,
        item,
    )
    return found


def test_every_disclosure_has_every_part_of_its_phase_and_every_identity(warehouse):
    per_disclosure = rows(
        warehouse,
        """
        select c.disclosure_id, count(*) filter (where item_type = 'part'), count(*) filter (where item_type = 'identity'),
               max(p.parts)
        from marts.mart_disclosure_coverage as c
        inner join marts.fct_disclosure as d using (disclosure_id)
        inner join (select phase, count(*) as parts from raw.ref_standard_part group by phase) as p on p.phase = d.phase
        group by c.disclosure_id""",
    )
    assert per_disclosure and all(
        parts == expected and identities == 7 for _, parts, identities, expected in per_disclosure
    )
    assert rows(warehouse, "select count(*) from marts.fct_disclosure")[0][0] == len(per_disclosure)


def test_a_summary_table_that_balances_holds(warehouse):
    # p.12: 本年收入合计 2219.92 + 上年结转结余 30.00 = 本年支出合计 2249.92 + 结转下年支出 0.00
    assert coverage(warehouse, FUZHOU_CIVIL, "summary_balance")[0] == "holds"


def test_the_standard_parts_found_and_missing(warehouse):
    # 2026-上海市审计局-单位预算.pdf prints nine tables (收支 收入 支出 财拨 一般 基本 三公 基金 国资) and no 项目支出表
    assert coverage(warehouse, "上海市审计局", "budget_summary")[0] == "found"
    assert coverage(warehouse, "上海市审计局", "state_capital")[0] == "found"
    assert coverage(warehouse, "上海市审计局", "project_expenditure") == ("missing", "not found")


def test_an_identity_without_one_side_is_not_checkable_never_a_finding(warehouse):
    not_checkable = rows(
        warehouse,
        """
        select c.disclosure_id, c.item from marts.mart_disclosure_coverage as c
        where c.item_type = 'identity' and c.status = 'not_checkable'""",
    )
    assert not_checkable
    names = {
        "basic_plus_project": "identity_expenditure_total",
        "personnel_plus_public": "identity_gpb_basic_expenditure",
        "classes_vs_total": "function_classes_vs_total",
        "summary_balance": "summary_balance",
    }
    for disclosure, item in not_checkable:
        if item in names:
            assert (
                rows(
                    warehouse,
                    "select count(*) from marts.fct_disclosure_check where disclosure_id = ? and check_name = ?",
                    disclosure,
                    names[item],
                )[0][0]
                == 0
            )


def test_a_failing_identity_is_the_warn_finding_of_its_check(warehouse):
    failing = rows(
        warehouse,
        """
        select c.disclosure_id, c.detail, c.source_locator from marts.mart_disclosure_coverage as c
        where c.item_type = 'identity' and c.status = 'fails'""",
    )
    for disclosure, detail, locator in failing:
        assert (
            rows(
                warehouse,
                """select count(*) from marts.fct_disclosure_check
                                  where disclosure_id = ? and severity = 'warn' and message = ? and source_locator = ?""",
                disclosure,
                detail,
                locator,
            )[0][0]
            == 1
        )


def test_the_welfare_homes_local_items_count_under_302(warehouse):
    # p.14 (rendered and read): 302 06 办公设备购置费 8,000 元, 302 10 车辆运行费 64,000, 302 11 事业单位离退休人员
    # 福利费 116,640, 302 12 机关事业单位退休人员活动费 7,020 — no 款 of the national list, filed under 302
    local = rows(
        warehouse,
        """
        select printed_code, parent_code, amount from marts.fct_unresolved_label
        where strpos(source_file, ?) > 0 and is_local_item order by printed_code""",
        WELFARE_HOME,
    )
    assert local == [
        ("302 06", "302", Decimal("0.8")),
        ("302 10", "302", Decimal("6.4")),
        ("302 11", "302", Decimal("11.664")),
        ("302 12", "302", Decimal("0.702")),
    ]
    ((unresolved, local_items),) = rows(
        warehouse,
        """
        select unresolved_labels, local_items from marts.fct_disclosure
        where strpos(department_name, ?) > 0 and fiscal_year = 2024""",
        WELFARE_HOME,
    )
    assert (
        local_items == 4
        and unresolved
        == rows(
            warehouse,
            """
        select count(*) from marts.fct_unresolved_label
        where strpos(source_file, ?) > 0 and not is_local_item""",
            WELFARE_HOME,
        )[0][0]
    )
    # 302 商品和服务支出 2,120,950 元 = its 13 款 lines, the four local items included: no finding
    assert (
        rows(
            warehouse,
            """
        select count(*) from marts.fct_disclosure_check where check_name = 'economic_class_vs_items'
        and strpos(source_file, ?) > 0 and strpos(message, ' 302 ') > 0""",
            WELFARE_HOME,
        )[0][0]
        == 0
    )


def test_the_coverage_command_prints_one_block_per_disclosure(warehouse_path, capsys):
    assert main(["coverage", "--warehouse", str(warehouse_path), "--department", FUZHOU_CIVIL]) == 0
    out = capsys.readouterr().out
    assert out.count("[350100-") == 1 and "parts " in out and "identities: " in out
    assert "summary_balance" not in out  # it holds: only what fails or cannot be checked is listed
    assert out.strip().splitlines()[-1].startswith("1 disclosures: parts ")


def test_the_coverage_command_says_what_is_wrong(tmp_path, warehouse_path, capsys):
    assert main(["coverage", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    assert "no warehouse" in capsys.readouterr().err
    assert main(["coverage", "--warehouse", str(warehouse_path), "--department", "没有这个部门"]) == 1
    assert "no disclosure" in capsys.readouterr().err
