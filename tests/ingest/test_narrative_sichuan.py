"""The narrative of the Sichuan 2023 决算 (遂宁市安居区社会保险事业管理局).

Every expected value below was read by hand in
samples/sichuan/2023-四川省遂宁市安居区社会保险事业管理局-部门决算.txt; the line number
of the sentence is given beside it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest


def figure(extraction, metric, measure="amount", qualifier=""):
    rows = [f for f in extraction.figures if (f.metric, f.measure, f.qualifier) == (metric, measure, qualifier)]
    assert rows, f"no {metric}/{measure}/{qualifier!r} extracted"
    return rows[0]


@pytest.mark.parametrize(
    ("metric", "measure", "expected", "line"),
    [
        ("grand_total", "amount", "1727.58", 23),  # 收、支总计均为1,727.58万元
        ("grand_total", "change_amount", "542.05", 23),  # 各增加542.05万元
        ("grand_total", "change_pct", "45.72", 23),  # 增长45.72%
        ("income_total", "amount", "1727.58", 29),  # 本年收入合计1,727.58万元
        ("expenditure_total", "amount", "1727.58", 34),
        ("basic_expenditure", "amount", "1558.92", 34),  # 基本支出1,558.92万元，占90.24%
        ("basic_expenditure", "share_pct", "90.24", 34),
        ("project_expenditure", "amount", "168.66", 34),  # 项目支出168.66万元，占9.76%
        ("project_expenditure", "share_pct", "9.76", 34),
        ("fiscal_grant_grand_total", "amount", "1727.58", 47),
        ("gpb_expenditure", "amount", "1727.58", 53),
        ("gpb_expenditure", "change_amount", "573.05", 53),  # 支出增加 573.05 万元 (stray spaces)
        ("gpb_expenditure", "change_pct", "49.63", 53),
        ("gpb_basic_expenditure", "amount", "1558.92", 82),
        ("personnel_expenditure", "amount", "1510.37", 83),
        ("public_expenditure", "amount", "48.55", 84),
        ("sangong_abroad", "amount", "0", 89),
        ("sangong_reception", "amount", "0.71", 89),
        ("sangong_reception", "share_pct", "100", 89),
        ("operating_cost", "amount", "48.55", 107),  # 机关运行经费支出48.55万元
        ("operating_cost", "change_amount", "5.81", 107),
        ("operating_cost", "change_pct", "13.59", 107),
        ("government_fund_expenditure", "amount", "0", 101),
        ("state_capital_expenditure", "amount", "0", 103),
        ("procurement_total", "amount", "0", 109),
        ("performance_prior_assessment", "count", "5", 113),  # 对5个项目开展了预算事前绩效评估
        ("department_self_score", "score", "95", 114),  # 部门整体…绩效自评得分为95分
        ("staff_actual", "count", "27", 159),  # 年末实有人数27人
    ],
)
def test_stated_figures(sichuan_extraction, metric, measure, expected, line):
    row = figure(sichuan_extraction, metric, measure)
    assert row.value == Decimal(expected)
    assert row.locator == f"line {line}"


def test_headings_are_found_by_words_not_numbers(sichuan_extraction):
    # 1、 收入支出… / （2） 一般公共预算…结构 / 四、财政拨款…: mis-numbered, still each its section
    sections = {f.section for f in sichuan_extraction.figures}
    assert {"overview", "income", "expenditure", "fiscal_grant_total", "gpb_total", "basic", "sangong"} <= sections


def test_sangong_total_keeps_the_unit_it_was_printed_in(sichuan_extraction):
    # line 87: "“三公”经费财政拨款支出决算为0.71元" — 元 where 万元 is meant. Ingest keeps
    # what was printed (0.71 元 = 0.000071 万元); the warehouse's unit-slip check settles it.
    row = figure(sichuan_extraction, "sangong_total")
    assert (row.printed_value, row.printed_unit) == ("0.71", "元")
    assert row.value == Decimal("0.000071")
    assert row.locator == "line 87"


def test_thousands_separator_and_missing_unit(sichuan_extraction):
    # line 69: "一般公共预算支出决算数为1,727.58，完成预算100.00%" — no unit printed
    detail = [f for f in sichuan_extraction.figures if f.section == "gpb_detail" and f.metric == "gpb_expenditure"]
    assert detail[0].value == Decimal("1727.58") and detail[0].printed_unit == ""
    assert any(w.kind == "unit_missing" and w.locator == "line 69" for w in sichuan_extraction.warnings)


def test_stated_reasons(sichuan_extraction):
    reasons = {(f.metric, f.text) for f in sichuan_extraction.figures if f.measure == "reason"}
    assert ("grand_total", "抚恤金资金增加") in reasons  # line 23
    assert ("operating_cost", "增加了人员") in reasons  # line 107
    assert ("sangong_reception", "增加了居保调研接待费") in reasons  # line 97


def test_income_by_source_with_shares(sichuan_extraction):
    grant = figure(sichuan_extraction, "income_by_source", "amount", "一般公共预算财政拨款收入")
    share = figure(sichuan_extraction, "income_by_source", "share_pct", "一般公共预算财政拨款收入")
    assert (grant.value, share.value) == (Decimal("1727.58"), Decimal("100"))
    other = figure(sichuan_extraction, "income_by_source", "amount", "其他收入")
    assert other.value == 0


def test_staffing_by_kind(sichuan_extraction):
    # line 159: "其中行政编制10人、事业人员编制17人，年末实有人数27人"
    assert figure(sichuan_extraction, "staff_authorized", "count", "行政").value == 10
    assert figure(sichuan_extraction, "staff_authorized", "count", "事业").value == 17


def test_reception_batches_and_persons(sichuan_extraction):
    # line 98: "国内公务接待2批次，69人次"
    counts = {
        f.printed_unit: f.value
        for f in sichuan_extraction.figures
        if f.metric == "sangong_reception_domestic" and f.measure == "count"
    }
    assert counts == {"批次": 2, "人次": 69}


def test_vehicle_kinds_are_qualified_not_restated(sichuan_extraction):
    # line 95: "单位共有公务用车0辆，其中：轿车0辆、越野车0辆、载客汽车0辆"
    held = {f.qualifier for f in sichuan_extraction.figures if f.metric == "vehicles_held"}
    assert held == {"", "轿车", "越野车", "载客汽车"}


def test_glossary_is_not_read_as_figures(sichuan_extraction):
    # 名词解释 (lines 119-141) lists 类/款/项 paths with no amounts: none may become a line
    assert all(int(line.locator.split()[1]) < 117 for line in sichuan_extraction.function_lines)


def test_identity(sichuan_extraction):
    identity = sichuan_extraction.identity
    assert (
        identity.department_name == "遂宁市安居区社会保险事业管理局"
    )  # as line 143 prints it (the file name adds 四川省)
    assert (identity.province, identity.city, identity.county) == ("四川省", "遂宁市", "安居区")
    assert (identity.fiscal_year, identity.phase, identity.scope) == (2023, "final", "department")
    assert identity.parent_department == "区人社局"  # line 16: 我局为区人社局下属二级局
