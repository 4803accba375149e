"""The standard-table extractors on ``Table`` grids, whatever format they came from.

The grids below are typed in as a DOCX, XLSX or HTML reader would hand them over (a merged
cell's text once, at its first column); rows copy real tables of the shipped samples.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.parse.document import Cell, Document, Table
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.tables import column_labels, extract_tables, sangong_column, table_kind
from ingest.parse.records import DocumentRow


def grid(title: str, rows: list[list[str]], header_rows: int, unit: str | None = "万元", **extra) -> Table:
    cells = [
        [Cell(text, f"table 1 r{r}c{c}") for c, text in enumerate(row, start=1)] for r, row in enumerate(rows, start=1)
    ]
    return Table(rows=cells, locator="table 1", title=title, unit=unit, header_rows=header_rows, **extra)


def extract(*tables: Table, phase: str = "final", lines=()) -> Extraction:
    extraction = Extraction(document_id="t")
    extraction.identity = DocumentRow(
        "t", "t.docx", None, None, None, None, None, None, None, None, None, 2024, phase, "department", None, "", ""
    )
    extract_tables(extraction, Document(source_file="t.docx", format="docx", lines=list(lines), tables=list(tables)))
    return extraction


def lines_by_code(extraction: Extraction, basis: str) -> dict[str, tuple]:
    return {f.code: (f.amount, f.basic_amount, f.project_amount) for f in extraction.function_lines if f.basis == basis}


GPB_HEADER = [
    ["项目", "", "", "", "合计", "基本支出", "项目支出"],
    ["支出功能分类", "", "", "科目名称", "", "", ""],
    ["科目编码", "", "", "", "", "", ""],
    ["类", "款", "项", "", "", "", ""],
]


def test_tables_are_known_by_the_words_of_their_titles():
    assert table_kind("一般公共预算财政拨款支出决算表") == "general_budget"
    assert table_kind("2025年部门一般公共预算基本支出部门预算经济分类预算表") == "basic"
    assert table_kind("财政拨款“三公”经费支出决算表") == "sangong"
    assert table_kind("2025年部门财务收支预算总表") == "summary"
    assert table_kind("财政拨款收入支出决算总表") == "fiscal_grant_summary"
    assert table_kind("收入决算表") == "income"
    assert table_kind("单位构成") is None


def test_split_codes_and_blank_parts():
    rows = GPB_HEADER + [
        ["201", "", "", "一般公共服务支出", "2,106.66", "1,503.52", "603.14"],
        ["201", "06", "02", "一般行政管理事务", "10.00", "", "10.00"],
        ["", "", "", "合计", "2,940.05", "2,336.91", "603.14"],
    ]
    extraction = extract(grid("一般公共预算财政拨款支出决算表", rows, header_rows=4))
    found = lines_by_code(extraction, "general_budget")
    assert found["201"] == (Decimal("2106.66"), Decimal("1503.52"), Decimal("603.14"))
    assert found["2010602"] == (Decimal("10.00"), None, Decimal("10.00"))
    assert extraction.find("gpb_expenditure") == Decimal("2940.05")
    assert extraction.find("gpb_basic_expenditure") == Decimal("2336.91")
    assert [f.section for f in extraction.figures] == ["table:general_budget_expenditure"] * 2


def test_whole_codes_and_a_name_missing_from_the_text_layer():
    rows = [
        ["项目", "", "合计", "基本支出", "项目支出"],
        ["功能分类科目编码", "科目名称", "", "", ""],
        ["2080505", "", "446.11", "446.11", "0.00"],
    ]
    line = extract(grid("一般公共预算财政拨款支出决算表", rows, header_rows=2)).function_lines[0]
    assert (line.code, line.official_name, line.match_method) == (
        "2080505",
        "机关事业单位基本养老保险缴费支出",
        "printed_code",
    )
    assert (line.printed_code, line.raw_label, line.amount) == ("2080505", "", Decimal("446.11"))


def test_a_name_wrapped_onto_a_row_of_its_own_is_joined():
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["2080506", "机关事业单位职业年金缴", "225.12", "225.12", "0.00"],
        ["", "费支出", "", "", ""],
        ["2101101", "行政单位医疗", "40.35", "40.35", "0.00"],
    ]
    extraction = extract(grid("一般公共预算财政拨款支出决算表", rows, header_rows=1))
    assert [f.raw_label for f in extraction.function_lines] == ["机关事业单位职业年金缴费支出", "行政单位医疗"]


def test_yuan_are_read_as_wan_yuan():
    rows = [
        ["项目", "", "", "", "一般公共预算支出", "", ""],
        ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "", "", "", ""],
        ["212", "01", "01", "行政运行", "17,887,739", "17,737,739", "150,000"],
    ]
    line = extract(
        grid("2025年部门一般公共预算支出功能分类预算表", rows, header_rows=3, unit="元"), phase="budget"
    ).function_lines[0]
    assert (line.amount, line.basic_amount, line.project_amount) == (
        Decimal("1788.7739"),
        Decimal("1773.7739"),
        Decimal("15"),
    )
    assert line.printed_unit == "元"


def test_header_paths_follow_merged_cells():
    rows = [
        ["财政拨款“三公”经费", "", "", "", "", "", "", "", "", "", "", ""],
        ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费", "", "", "", "", "", "公务接待费", ""],
        ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行费", "", "", ""],
        ["预算数", "决算数"] * 6,
    ]
    labels = column_labels(grid("财政拨款“三公”经费支出决算表", rows + [["1"] * 12], header_rows=4))
    assert labels[7] == "财政拨款“三公”经费/公务用车购置及运行费/公务用车购置费/决算数"
    assert labels[11] == "财政拨款“三公”经费/公务接待费/决算数"
    assert [sangong_column(label, "final") for label in (labels[0], labels[5], labels[11])] == [
        ("sangong_total", "budget_amount"),
        ("sangong_vehicle", "amount"),
        ("sangong_reception", "amount"),
    ]


def test_sangong_final_and_budget_parts_with_blank_cells_as_zero():
    rows = [
        ["合计", "", "因公出国（境）费", "", "公务用车购置及运行维护费", "", "", "", "", "", "公务接待费", ""],
        ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行维护费", "", "", ""],
        ["预算数", "决算数"] * 6,
        ["2.85", "0.39", "", "", "", "", "", "", "", "", "2.85", "0.39"],
    ]
    extraction = extract(grid("财政拨款“三公”经费支出决算表", rows, header_rows=3))
    assert extraction.find("sangong_total", "budget_amount") == Decimal("2.85")
    assert extraction.find("sangong_total") == Decimal("0.39")
    assert extraction.find("sangong_vehicle_operation") == Decimal("0")
    assert extraction.find("sangong_reception", "budget_amount") == Decimal("2.85")


def test_a_budget_sangong_table_with_operating_cost():
    rows = [
        ["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
        ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
        ["", "", "", "小计", "购置费", "运行费", ""],
        ["37.91", "0", "1.35", "36.56", "15", "21.56", "464.64"],
    ]
    extraction = extract(grid("2025年部门“三公”经费和机关运行经费预算表", rows, header_rows=3), phase="budget")
    assert {f.metric: f.value for f in extraction.figures} == {
        "sangong_total": Decimal("37.91"),
        "sangong_abroad": Decimal("0"),
        "sangong_reception": Decimal("1.35"),
        "sangong_vehicle": Decimal("36.56"),
        "sangong_vehicle_purchase": Decimal("15"),
        "sangong_vehicle_operation": Decimal("21.56"),
        "operating_cost": Decimal("464.64"),
    }
    assert {f.measure for f in extraction.figures} == {"amount"}


def test_meeting_and_training_columns_are_no_sangong_part():
    rows = [
        ["合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费"],
        ["", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "", ""],
        ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""],
        ["1,471.70", "508.20", "70.00", "411.20", "", "411.20", "27.00", "933.50", "30.00"],
    ]
    extraction = extract(grid("“三公”经费、会议费、培训费支出预算表", rows, header_rows=3), phase="budget")
    assert extraction.find("sangong_total") == Decimal("508.20")
    assert Decimal("1471.70") not in {f.value for f in extraction.figures}
    assert Decimal("933.50") not in {f.value for f in extraction.figures}


def test_two_sided_economic_table_and_its_totals():
    rows = [
        ["经济分类", "", "科目名称", "决算数", "经济分类", "", "科目名称", "决算数"],
        ["科目编码", "", "", "", "科目编码", "", "", ""],
        ["类", "款", "", "", "类", "款", "", ""],
        ["301", "", "工资福利支出", "2,082.85", "302", "", "商品和服务支出", "171.07"],
        ["301", "01", "基本工资", "262.33", "302", "01", "办公费", "21.21"],
        ["人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65"],
    ]
    extraction = extract(grid("一般公共预算财政拨款基本支出决算表", rows, header_rows=3))
    assert {(e.code, e.amount) for e in extraction.economic_lines} == {
        ("301", Decimal("2082.85")),
        ("30101", Decimal("262.33")),
        ("302", Decimal("171.07")),
        ("30201", Decimal("21.21")),
    }
    assert extraction.find("personnel_expenditure") == Decimal("2152.26")
    assert extraction.find("public_expenditure") == Decimal("184.65")


def test_a_kuan_whose_leading_zero_the_text_layer_dropped():
    # 普陀区万里街道 2024 预算 p.29 prints "301 | 2 | 津贴补贴" and "301 | 7 | 绩效工资" (30102, 30107)
    rows = [
        ["部门预算经济分类科目", "", "", "一般公共预算基本支出", "", ""],
        ["编码", "", "经济分类科目名称", "合计", "人员经费", "公用经费"],
        ["类", "款", "", "", "", ""],
        ["301", "", "工资福利支出", "88,282,511", "88,282,511", "0"],
        ["301", "01", "基本工资", "5,873,551", "5,873,551", "0"],
        ["301", "2", "津贴补贴", "16,623,810", "16,623,810", "0"],
        ["301", "7", "绩效工资", "11,447,100", "11,447,100", "0"],
        ["301", "1234", "一行坏了的编码", "100", "100", "0"],
    ]
    extraction = extract(
        grid("2024年部门一般公共预算基本支出部门预算经济分类预算表", rows, header_rows=3, unit="元"), phase="budget"
    )
    lines = {e.code: (e.printed_code, e.official_name, e.amount) for e in extraction.economic_lines}
    assert lines["30102"] == ("301 2", "津贴补贴", Decimal("1662.381"))
    assert lines["30107"] == ("301 7", "绩效工资", Decimal("1144.71"))
    assert set(lines) == {"301", "30101", "30102", "30107"}
    # a code that is neither 类 nor 款 is not read, and says so
    skipped = [w for w in extraction.warnings if w.kind == "table_layout"]
    assert len(skipped) == 1 and "301 1234" in skipped[0].message and "100" in skipped[0].message


def test_split_function_codes_with_dropped_zeros():
    rows = GPB_HEADER + [
        ["208", "05", "06", "机关事业单位职业年金缴费支出", "225.12", "225.12", ""],
        ["208", "5", "5", "机关事业单位基本养老保险缴费支出", "446.11", "446.11", ""],
    ]
    line = extract(grid("一般公共预算财政拨款支出决算表", rows, header_rows=4)).function_lines[1]
    assert (line.code, line.match_method, line.printed_code) == ("2080505", "printed_code", "208 5 5")


def test_summary_labels_wrapped_onto_a_row_of_their_own():
    rows = [
        ["收入", "", "支出", ""],
        ["项目名称", "金额", "功能科目名称", "金额"],
        ["一、财政拨款", "13,649.07", "一、一般公共服务支出", "10,528.33"],
        ["", "", "八、社会保障和就", "1,608.51"],
        ["", "", "业支出", ""],
        ["当年收入", "13,649.07", "当年支出小计", "13,649.07"],
        ["小计", "", "", ""],
        ["上年结转资金", "", "结转下年资金", ""],
    ]
    extraction = extract(grid("收支预算总表", rows, header_rows=2), phase="budget")
    line = next(f for f in extraction.function_lines if f.code == "208")
    assert (line.raw_label, line.amount, line.quote) == (
        "社会保障和就业支出",
        Decimal("1608.51"),
        "八、社会保障和就 业支出 | 1,608.51",
    )
    assert extraction.find("income_total") == Decimal("13649.07")
    assert "当年收入" not in {f.qualifier for f in extraction.figures}


def test_a_summary_class_no_list_knows_is_said_not_dropped():
    rows = [
        ["收入", "", "支出", ""],
        ["项目名称", "金额", "功能科目名称", "金额"],
        ["一、财政拨款", "13.00", "一、一般公共服务支出", "10.00"],
        ["", "", "二、医疗卫生与计划生育支出", "2.00"],  # an old name, still printed in 2024
        ["", "", "三、某某新奇支出", "1.00"],  # no 类 of the list
    ]
    extraction = extract(grid("收支预算总表", rows, header_rows=2), phase="budget")
    assert {(f.code, f.match_method) for f in extraction.function_lines} == {
        ("201", "name_path"),
        ("210", "alias_outside_its_years"),
    }
    warnings = [w.message for w in extraction.warnings if w.kind == "summary_label_not_read"]
    assert len(warnings) == 1 and "某某新奇支出" in warnings[0] and "1.00" in warnings[0]


def test_an_empty_table_is_a_stated_zero():
    rows = [
        ["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
        ["功能分类科目编码", "科目名称", "", "", "合计", "基本支出", "项目支出", ""],
        ["合计", "", "", "", "", "", "", ""],
    ]
    extraction = extract(grid("政府性基金预算财政拨款收入支出决算表", rows, header_rows=3, is_empty=True))
    figure = extraction.figures[0]
    assert (figure.metric, figure.value, figure.printed_value) == (
        "government_fund_expenditure",
        Decimal("0"),
        "本表无数据",
    )
    assert extraction.function_lines == []


def test_summary_table_totals_sources_and_classes():
    rows = [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"],
        ["八、其他收入", "6.20", "八、社会保障和就业支出", "326.71"],
        ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"],
        ["年初结转和结余", "49.14", "年末结转和结余", "55.34"],
        ["总计", "2,995.39", "总计", "2,995.39"],
    ]
    extraction = extract(grid("收入支出决算总表", rows, header_rows=2))
    assert extraction.find("income_total") == Decimal("2946.25")
    assert extraction.find("expenditure_total") == Decimal("2940.05")
    assert extraction.find("grand_total") == Decimal("2995.39")
    assert extraction.find("carryover_begin") == Decimal("49.14")
    assert extraction.find("carryover_end") == Decimal("55.34")
    assert extraction.find("income_by_source", qualifier="其他收入") == Decimal("6.20")
    assert lines_by_code(extraction, "all_funds") == {
        "201": (Decimal("2106.66"), None, None),
        "208": (Decimal("326.71"), None, None),
    }


def test_a_table_without_unit_is_read_in_wan_yuan_with_a_warning():
    rows = [["科目编码", "科目名称", "金额"], ["201", "一般公共服务支出", "22,395.50"]]
    extraction = extract(grid("一般公共预算支出预算表（功能科目）", rows, header_rows=1, unit=None), phase="budget")
    assert extraction.function_lines[0].amount == Decimal("22395.50")
    assert [w.kind for w in extraction.warnings] == ["unit_missing"]
