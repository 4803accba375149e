"""Real PDF disclosures end to end: figures, lines and identity, against what the pages print.

Every expected value was read off the PDF page by hand (the page is named beside it). Each PDF
is read and extracted once per module.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.parse.passes import extract_document
from ingest.parse.readers.pdf import read_pdf
from tests.conftest import SAMPLES

FINANCE_2024 = "shanghai/上海市普陀区财政局2024年度部门决算.pdf"
PLANNING_2024 = "shanghai/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf"
FINANCE_2025 = "shanghai/普陀区财政局2025部门预算.pdf"
WANLI = {year: f"shanghai/普陀区万里街道{year}部门预算.pdf" for year in (2023, 2024, 2025)}
JIANGSU_TABLES = "jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开表格.pdf"
D = Decimal


@pytest.fixture(scope="module")
def extracted():
    cache = {}

    def get(relative: str):
        if relative not in cache:
            document = read_pdf((SAMPLES / relative).read_bytes(), relative)
            cache[relative] = extract_document(document, relative)
        return cache[relative]

    return get


def table_figure(extraction, metric: str, measure: str = "amount", qualifier: str = ""):
    values = [
        f.value
        for f in extraction.figures
        if f.section.startswith("table:") and (f.metric, f.measure, f.qualifier) == (metric, measure, qualifier)
    ]
    assert values, f"no table figure {metric}/{measure}"
    return values[0]


def narrative_figure(extraction, metric: str, measure: str = "amount"):
    return next(
        f.value
        for f in extraction.figures
        if not f.section.startswith("table:") and (f.metric, f.measure) == (metric, measure)
    )


def items(extraction, basis: str) -> dict[str, tuple]:
    """项 lines of a table basis: code → (amount, basic, project)."""
    return {
        f.code: (f.amount, f.basic_amount, f.project_amount)
        for f in extraction.function_lines
        if f.basis == basis and f.statement != "narrative" and f.level == "项"
    }


# -- 上海市普陀区财政局 2024 决算 ------------------------------------------------------------


def test_finance_2024_general_budget_items(extracted):
    # p.15 一般公共预算财政拨款支出决算表: 类 款 项 | 科目名称 | 合计 | 基本支出 | 项目支出
    assert items(extracted(FINANCE_2024), "general_budget") == {
        "2010601": (D("1511.89"), D("1503.52"), D("8.37")),
        "2010602": (D("10.00"), None, D("10.00")),
        "2010607": (D("135.25"), None, D("135.25")),
        "2010608": (D("449.52"), None, D("449.52")),
        "2080501": (D("84.65"), D("84.65"), None),
        "2080505": (D("160.75"), D("160.75"), None),
        "2080506": (D("80.38"), D("80.38"), None),
        "2080599": (D("0.94"), D("0.94"), None),
        "2101101": (D("60.99"), D("60.99"), None),
        "2210201": (D("187.19"), D("187.19"), None),
        "2210203": (D("258.50"), D("258.50"), None),
    }


def test_finance_2024_totals(extracted):
    e = extracted(FINANCE_2024)
    assert table_figure(e, "gpb_expenditure") == D("2940.05")  # p.15 合计
    assert table_figure(e, "gpb_basic_expenditure") == D("2336.91")
    assert table_figure(e, "income_total") == D("2946.25")  # p.6 本年收入合计
    assert table_figure(e, "expenditure_total") == D("2940.05")  # p.6 本年支出合计
    assert table_figure(e, "grand_total") == D("2995.39")  # p.7 总计
    assert table_figure(e, "carryover_begin") == D("49.14")  # p.7 年初结转和结余
    assert table_figure(e, "fiscal_grant_grand_total") == D("2961.68")  # p.13 总计
    assert table_figure(e, "basic_expenditure") == D("2336.91")  # p.10 支出决算表 合计
    assert table_figure(e, "project_expenditure") == D("603.14")


def test_finance_2024_personnel_and_public(extracted):
    e = extracted(FINANCE_2024)  # p.17 人员经费合计 2,152.26 | 公用经费合计 184.65
    assert (table_figure(e, "personnel_expenditure"), table_figure(e, "public_expenditure")) == (
        D("2152.26"),
        D("184.65"),
    )


def test_finance_2024_economic_lines_of_both_halves(extracted):
    lines = {(f.code, f.amount) for f in extracted(FINANCE_2024).economic_lines}
    assert {("30102", D("1238.58")), ("30302", D("69.10")), ("30229", D("42.77")), ("31002", D("13.58"))} <= lines


def test_finance_2024_sangong_budget_and_final(extracted):
    e = extracted(FINANCE_2024)  # p.18: 预算数 0.95 under 合计 and 公务接待费, every 决算数 blank
    assert table_figure(e, "sangong_total", "budget_amount") == D("0.95")
    assert table_figure(e, "sangong_reception", "budget_amount") == D("0.95")
    assert table_figure(e, "sangong_abroad", "budget_amount") == D("0")
    for metric in (
        "sangong_total",
        "sangong_abroad",
        "sangong_vehicle",
        "sangong_vehicle_purchase",
        "sangong_vehicle_operation",
        "sangong_reception",
    ):
        assert table_figure(e, metric) == D("0")


def test_finance_2024_operating_cost_and_empty_tables(extracted):
    e = extracted(FINANCE_2024)
    assert narrative_figure(e, "operating_cost") == D("184.65")  # p.24 机关运行经费支出184.65万元
    assert table_figure(e, "government_fund_expenditure") == D("0")  # p.19 故本表无数据
    assert table_figure(e, "state_capital_expenditure") == D("0")  # p.20


def test_finance_2024_lines_carry_page_and_row(extracted):
    lines = extracted(FINANCE_2024).function_lines
    line = next(f for f in lines if f.basis == "general_budget" and f.code == "2210203" and f.statement != "narrative")
    assert (line.locator, line.printed_code, line.raw_label) == ("p.15 r.23", "221 02 03", "购房补贴")


# -- 上海市普陀区规划和自然资源局 2024 决算 ----------------------------------------------------


def test_planning_2024_general_budget_items(extracted):
    # p.14-15: whole codes, names wrapped over up to three lines in their cells
    assert items(extracted(PLANNING_2024), "general_budget") == {
        "2080501": (D("54.53"), D("54.53"), D("0.00")),
        "2080502": (D("28.11"), D("28.11"), D("0.00")),
        "2080505": (D("446.11"), D("446.11"), D("0.00")),
        "2080506": (D("225.12"), D("225.12"), D("0.00")),
        "2080599": (D("0.88"), D("0.88"), D("0.00")),
        "2101101": (D("40.35"), D("40.35"), D("0.00")),
        "2101102": (D("196.29"), D("196.29"), D("0.00")),
        "2120101": (D("1092.80"), D("1084.02"), D("8.77")),
        "2120201": (D("2739.56"), D("488.68"), D("2250.88")),
        "2200150": (D("4416.67"), D("2339.58"), D("2077.09")),
        "2200199": (D("45.00"), D("0.00"), D("45.00")),
        "2210201": (D("289.59"), D("289.59"), D("0.00")),
        "2210203": (D("171.49"), D("171.49"), D("0.00")),
    }


def test_planning_2024_totals_personnel_sangong(extracted):
    e = extracted(PLANNING_2024)
    assert table_figure(e, "gpb_expenditure") == D("9746.50")  # p.15 合计 9746.50 5364.75 4381.74
    assert table_figure(e, "gpb_basic_expenditure") == D("5364.75")
    assert table_figure(e, "personnel_expenditure") == D("4884.09")  # p.16 人员经费合计
    assert table_figure(e, "public_expenditure") == D("480.66")  # p.16 公用经费合计
    assert table_figure(e, "expenditure_total") == D("9759.38")  # p.7 本年支出合计
    # p.17: 2.85 0.39 | 0.00 0.00 | 0.00 0.00 | 0.00 0.00 | 0.00 0.00 | 2.85 0.39
    assert table_figure(e, "sangong_total", "budget_amount") == D("2.85")
    assert table_figure(e, "sangong_total") == D("0.39")
    assert table_figure(e, "sangong_vehicle", "budget_amount") == D("0.00")
    assert table_figure(e, "sangong_reception") == D("0.39")
    assert narrative_figure(e, "operating_cost") == D("142.80")  # p.27 机关运行经费


# -- budgets ----------------------------------------------------------------------------


def test_wanli_2025_budget_in_yuan(extracted):
    e = extracted(WANLI[2025])
    assert e.identity.phase == "budget"
    found = items(e, "general_budget")  # p.20-24, 单位：元
    assert found["2010507"] == (D("43.83"), D("0"), D("43.83"))  # 438,300 | 0 | 438,300
    assert found["2120101"] == (D("1788.7739"), D("1773.7739"), D("15"))  # 17,887,739 | 17,737,739 | 150,000
    assert table_figure(e, "gpb_expenditure") == D("18976.7551")  # 合计 189,767,551
    assert table_figure(e, "gpb_basic_expenditure") == D("10134.1746")  # 101,341,746
    assert table_figure(e, "personnel_expenditure") == D("9051.4044")  # p.28 合计 人员经费 90,514,044
    assert table_figure(e, "public_expenditure") == D("1082.7702")  # 公用经费 10,827,702
    assert table_figure(e, "income_total") == D("18976.7551")  # p.13 收入预算总表 合计
    assert {f.printed_unit for f in e.function_lines if f.statement != "narrative"} == {"元"}


def test_wanli_2024_kuan_printed_without_leading_zero(extracted):
    e = extracted(WANLI[2024])  # p.29, 单位：元: "301 2 津贴补贴 16,623,810", "301 7 绩效工资 11,447,100"
    lines = {line.code: line.amount for line in e.economic_lines}
    assert lines["30102"] == D("1662.381") and lines["30107"] == D("1144.71")
    # with them, the nine 款 of 301 add up to the 301 line: 88,282,511
    assert sum(amount for code, amount in lines.items() if code.startswith("301") and len(code) == 5) == lines["301"]
    assert lines["301"] == D("8828.2511")


def test_wanli_2025_sangong_budget(extracted):
    e = extracted(WANLI[2025])  # p.29, 单位:万元: 37.91 0 1.35 36.56 15 21.56 464.64
    assert {
        m: table_figure(e, m)
        for m in (
            "sangong_total",
            "sangong_abroad",
            "sangong_reception",
            "sangong_vehicle",
            "sangong_vehicle_purchase",
            "sangong_vehicle_operation",
            "operating_cost",
        )
    } == {
        "sangong_total": D("37.91"),
        "sangong_abroad": D("0"),
        "sangong_reception": D("1.35"),
        "sangong_vehicle": D("36.56"),
        "sangong_vehicle_purchase": D("15"),
        "sangong_vehicle_operation": D("21.56"),
        "operating_cost": D("464.64"),
    }


def test_wanli_2025_empty_fund_tables(extracted):
    e = extracted(WANLI[2025])  # p.25-26: 故本表为空表
    assert table_figure(e, "government_fund_expenditure") == D("0")
    assert table_figure(e, "state_capital_expenditure") == D("0")


def test_jiangsu_tables_pdf(extracted):
    e = extracted(JIANGSU_TABLES)
    assert (e.identity.fiscal_year, e.identity.phase) == (2019, "budget")
    found = {f.code: f.amount for f in e.function_lines if f.basis == "general_budget"}  # p.7
    assert found["2013101"] == D("9370.12")
    assert found["2013102"] == D("13025.38")
    assert found["2080504"] == D("275.54")
    assert found["2210202"] == D("2928.22")
    assert table_figure(e, "gpb_expenditure") == D("27664.22")
    assert table_figure(e, "gpb_basic_expenditure") == D("11700.63")  # p.8 合计
    assert table_figure(e, "basic_expenditure") == D("11700.63")  # p.1 一、基本支出
    assert table_figure(e, "project_expenditure") == D("13025.38")
    # p.9: 合计 1,471.70 | 小计 508.20 | 出国 70.00 | 车 411.20 | 购置 – | 运行 411.20 | 接待 27.00 | 会议费 | 培训费
    assert table_figure(e, "sangong_total") == D("508.20")
    assert table_figure(e, "sangong_abroad") == D("70.00")
    assert table_figure(e, "sangong_vehicle_operation") == D("411.20")
    assert table_figure(e, "sangong_reception") == D("27.00")
    assert table_figure(e, "operating_cost") == D("2232.91")  # p.11 合 计


def test_jiangsu_2017_summary_labels_wrapped_onto_the_next_row(extracted):
    e = extracted("jiangsu/江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf")
    # p.7: "八、社会保障和就 | 1,608.51" over "业支出"; p.8: "当年收入 | 13,649.07" over "小计"
    classes = {f.code: f.amount for f in e.function_lines if f.basis == "all_funds"}
    assert classes == {"201": D("10528.33"), "208": D("1608.51"), "221": D("1512.23")}
    assert table_figure(e, "income_total") == D("13649.07")
    # 当年收入 is a total, not a source of income; the summary's one source is 一、财政拨款 13,649.07
    sources = {
        f.qualifier: f.value
        for f in e.figures
        if f.metric == "income_by_source" and f.section == "table:budget_summary"
    }
    assert sources == {"财政拨款": D("13649.07")}


def test_jiangsu_fiscal_grant_spending_by_function(extracted):
    e = extracted("jiangsu/江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf")
    # p.11 财政拨款支出预算表: 合计 13,649.07 | 201 一般公共服务支出 10,528.33 | 2010101 行政运行 4,545.94
    lines = {f.code: f.amount for f in e.function_lines if f.basis == "fiscal_grant"}
    assert lines["201"] == D("10528.33") and lines["2010101"] == D("4545.94")
    assert table_figure(e, "fiscal_grant_expenditure_total") == D("13649.07")
    assert sum(amount for code, amount in lines.items() if len(code) == 3) == D("13649.07")


def test_jiangsu_operating_cost_by_economic_classification(extracted):
    e = extracted("jiangsu/江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf")
    # p.19 一般公共预算机关运行经费支出预算表: 合计 5,619.31 | 302 5,560.31 | 30201 办公费 770.50 | 310 其他资本性支出 59.00
    lines = {f.code: f.amount for f in e.economic_lines if f.basis == "operating_cost"}
    assert (lines["302"], lines["30201"], lines["310"], lines["31002"]) == (
        D("5560.31"),
        D("770.50"),
        D("59.00"),
        D("59.00"),
    )
    assert lines["302"] + lines["310"] == table_figure(e, "operating_cost") == D("5619.31")
    assert all(f.code for f in e.economic_lines)


def test_jiangsu_budget_spending_by_use_has_a_reserve(extracted):
    e = extracted("jiangsu/江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf")
    # p.7 支出用途: 一、基本支出 7,666.68 | 二、项目支出 5,853.96 | 三、单位预留机动经费 128.43; 当年支出小计 13,649.07
    parts = [table_figure(e, m) for m in ("basic_expenditure", "project_expenditure", "reserve_expenditure")]
    assert parts == [D("7666.68"), D("5853.96"), D("128.43")]
    assert sum(parts) == table_figure(e, "expenditure_total") == D("13649.07")


def test_jiangsu_2017_sangong_narrative(extracted):
    e = extracted("jiangsu/江苏省人民检察院__2017年省检察院部门预算.pdf")
    said = {(f.metric, f.measure, f.value) for f in e.figures if f.section == "sangong" and f.measure != "reason"}
    # p.22 l.23 "（1）公务用车购置预算支出50万元，与上年预算数相等"
    assert ("sangong_vehicle_purchase", "amount", D("50")) in said
    # p.23 l.2 "公务接待费预算支出156.55万元，本年数小于上年预算数29.65万元": a decrease, not an amount
    assert ("sangong_reception", "change_amount", D("-29.65")) in said
    assert ("sangong_reception", "amount", D("29.65")) not in said
    # p.23 l.7 gives the reason of the 培训费 (no 三公 part): it is no reason of 公务接待费
    reasons = [f.text for f in e.figures if f.measure == "reason" and f.metric == "sangong_reception"]
    assert not any("培训" in text for text in reasons)


def test_a_sangong_table_whose_title_the_page_break_cut(extracted):
    # p.18-19: the title "…“三公”经费、会议费、培训费" ends p.18, "支出预算表" opens p.19; the header says 三公
    # p.19: 合计 1,384.74 | 小计 484.30 | 出国 100.00 | 车 267.80 | 购置 (blank) | 运行 267.80 | 接待 116.50 | 200.44 | 700.00
    e = extracted("jiangsu/江苏省人民检察院__2018年省检察院部门预算公开.pdf")
    assert {
        m: table_figure(e, m)
        for m in ("sangong_total", "sangong_abroad", "sangong_vehicle_operation", "sangong_reception")
    } == {
        "sangong_total": D("484.30"),
        "sangong_abroad": D("100.00"),
        "sangong_vehicle_operation": D("267.80"),
        "sangong_reception": D("116.50"),
    }
    # its 合计 (三公 + 会议费 + 培训费) is no total of the department's spending (21,955.35, p.14)
    assert D("1384.74") not in {f.value for f in e.figures if f.metric == "expenditure_total"}


# -- identity ---------------------------------------------------------------------------


def test_one_department_over_three_budget_years(extracted):
    ids = {extracted(WANLI[year]).identity.department_id for year in WANLI}
    years = sorted(extracted(WANLI[year]).identity.fiscal_year for year in WANLI)
    assert (len(ids), years) == (1, [2023, 2024, 2025])


def test_one_department_for_its_budget_and_its_final_accounts(extracted):
    final, budget = extracted(FINANCE_2024).identity, extracted(FINANCE_2025).identity
    assert final.department_id == budget.department_id
    assert (final.phase, final.fiscal_year, budget.phase, budget.fiscal_year) == ("final", 2024, "budget", 2025)


def test_wanli_2025_budget_narrative(extracted):
    e = extracted(WANLI[2025])
    # p.6 编制说明: 收入预算18,976.76万元 …; p.6 item 1: “…专项普查活动（项）”科目43.83万元
    assert next(f.value for f in e.figures if f.section == "budget_explanation" and f.metric == "income_total") == D(
        "18976.76"
    )
    item = next(f for f in e.function_lines if f.statement == "narrative" and f.code == "2010507")
    assert (item.amount, item.locator) == (D("43.83"), "p.6 l.9")
    # p.30: 2025年“三公”经费预算数为37.91万元 — in a budget the amount is the budget
    assert narrative_figure(e, "sangong_total") == D("37.91")
