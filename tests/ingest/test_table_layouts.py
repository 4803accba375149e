"""Table layouts of the national templates and their local variants, one rule each.

Every grid below copies rows of a real page of samples/national (file and page in the test's
comment), typed in as a reader hands them over (a merged cell's text once, at its first column).
Expected values were read off those pages; each test also says what the rule must not do.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.parse.document import Cell, Document, Table
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.table_grid import (
    column_labels,
    data_rows,
    is_column_number_row,
    row_number_columns,
)
from ingest.parse.extractors.tables import extract_tables, table_kind
from ingest.parse.records import DocumentRow


def grid(title: str, rows: list[list[str]], header_rows: int, unit: str | None = "万元") -> Table:
    cells = [
        [Cell(text, f"p.1 r.{r} c.{c}") for c, text in enumerate(row, start=1)] for r, row in enumerate(rows, start=1)
    ]
    return Table(rows=cells, locator="p.1", title=title, unit=unit, header_rows=header_rows)


def extract(*tables: Table, year: int = 2026, phase: str = "budget", name: str = "某部门") -> Extraction:
    extraction = Extraction(document_id="t")
    extraction.identity = DocumentRow(
        "t", "t.pdf", None, name, None, None, None, None, None, None, None, year, phase, "department", None, "", ""
    )
    extract_tables(extraction, Document(source_file="t.pdf", format="pdf", lines=[], tables=list(tables)))
    return extraction


def figures(extraction: Extraction, measure: str = "amount") -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for f in extraction.figures:
        if f.measure == measure and f.qualifier == "":
            assert found.setdefault(f.metric, f.value) == f.value, f"{f.metric} read twice with different values"
    return found


def lines(extraction: Extraction, basis: str) -> dict[str, Decimal]:
    return {f.code: f.amount for f in extraction.function_lines if f.basis == basis}


# --------------------------------------------------------------------------------------- titles


def test_the_national_templates_titles_are_known_by_their_words():
    # titles as printed in samples/national (深圳 表1-9, 烟台 公开表, 珠海 表5/6/8, 福州 八、, 杭州 表10)
    assert table_kind("收支总表") == "summary"
    assert table_kind("2026年部门收支总体情况表") == "summary"
    assert table_kind("收入总表") == "income"
    assert table_kind("本年支出总体情况表") == "expenditure"
    assert table_kind("财政拨款收支总体情况表") == "fiscal_grant_summary"
    assert table_kind("一般公共预算支出情况表（按功能分类科目）") == "general_budget"
    assert table_kind("一般公共预算项目支出情况表（按经济分类科目）") == "project_economic"
    assert table_kind("2026年度一般公共预算支出经济分类情况表") == "general_budget_economic"
    assert table_kind("基本支出预算情况表") == "basic"
    assert table_kind("财政拨款安排的行政经费及“三公”经费预算表") == "sangong"
    assert table_kind("表10：2026年市级部门项目支出预算表") == "project"
    assert table_kind("部门预算项目支出绩效自评表（2023年度）") == "performance"  # never a table of amounts


# --------------------------------------------------------------------------------- numbers that are no amounts


def test_column_number_rows_are_header_never_amounts():
    # 湖州市财政局 2026 p.28 (三公, per unit): "** | 1 | 2 | 3 | 4 | 5 | 6" under the header
    rows = [
        ["单位名称", "“三公”经费合计", "因公出国(境)费用", "公务用车购置及运行费", "", "", "公务接待费"],
        ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
        ["**", "1", "2", "3", "4", "5", "6"],
        ["合计", "9.30", "", "3.50", "", "3.50", "5.80"],
        ["湖州市财政局", "7.50", "", "3.50", "", "3.50", "4.00"],
        ["湖州市市级财政国库支付中心", "0.45", "", "", "", "", "0.45"],
    ]
    table = grid('2026年市级部门一般公共预算"三公"经费支出表', rows, header_rows=2)
    assert is_column_number_row(["**", "1", "2", "3"]) and is_column_number_row(["栏次", "1", "2"])
    assert is_column_number_row(["**", "1"])  # 国有资本经营 table with one column: "** | 1"
    assert not is_column_number_row(["合计", "9.30", "3.50"]) and not is_column_number_row(["", "1", "5"])
    got = figures(extract(table))
    assert got == {
        "sangong_total": Decimal("9.30"),
        "sangong_abroad": 0,
        "sangong_vehicle": Decimal("3.50"),
        "sangong_vehicle_purchase": 0,
        "sangong_vehicle_operation": Decimal("3.50"),
        "sangong_reception": Decimal("5.80"),
    }  # the 合计 row, not 1, 2, 3 … nor a unit's 7.50


def test_a_column_counting_the_rows_is_no_amount():
    # the 决算 template's 收入支出决算总表 prints 行次 between label and amount (template p.3)
    rows = [
        ["收入", "", "", "支出", "", ""],
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["一、一般公共预算财政拨款收入", "1", "1,200.00", "一、一般公共服务支出", "32", "1,000.00"],
        ["二、政府性基金预算财政拨款收入", "2", "", "二、外交支出", "33", ""],
        ["本年收入合计", "3", "1,200.00", "本年支出合计", "34", "1,000.00"],
        ["年初结转和结余", "4", "10.00", "年末结转和结余", "35", "210.00"],
        ["总计", "5", "1,210.00", "总计", "36", "1,210.00"],
    ]
    table = grid("收入支出决算总表", rows, header_rows=2)
    assert row_number_columns(data_rows(table), column_labels(table)) == {1, 4}
    got = figures(extract(table, year=2024, phase="final"))
    assert got["income_total"] == Decimal("1200.00") and got["expenditure_total"] == Decimal("1000.00")
    assert got["carryover_begin"] == Decimal("10.00") and got["grand_total"] == Decimal("1210.00")
    assert Decimal(3) not in got.values() and Decimal(34) not in got.values()


# ----------------------------------------------------------------------------------------------- codes


def test_codes_printed_only_as_their_own_segment_are_rebuilt_from_the_rows_above():
    # 烟台市信访局 2026 p.13 一般公共预算支出情况表: "201 | | |", "| 40 | |", "| | 01 |"
    rows = [
        ["科目编码", "", "", "科目名称", "合计", "基本支出", "", "", "项目支出"],
        ["类", "款", "项", "", "", "小计", "人员支出", "日常公用支出", ""],
        ["", "", "", "合计", "1,717.85", "1,192.85", "1,088.89", "103.96", "525.00"],
        ["201", "", "", "一般公共服务支出", "1,378.84", "854.84", "752.00", "102.84", "524.00"],
        ["", "40", "", "信访事务", "1,378.84", "854.84", "752.00", "102.84", "524.00"],
        ["", "", "01", "行政运行", "507.97", "507.97", "434.57", "73.40", ""],
        ["", "", "50", "事业运行", "346.87", "346.87", "317.43", "29.44", ""],
        ["205", "", "", "教育支出", "1.00", "", "", "", "1.00"],
        ["", "08", "", "进修及培训", "1.00", "", "", "", "1.00"],
        ["", "", "03", "培训支出", "1.00", "", "", "", "1.00"],
    ]
    extraction = extract(grid("一般公共预算支出情况表", rows, header_rows=2))
    assert lines(extraction, "general_budget") == {
        "201": Decimal("1378.84"),
        "20140": Decimal("1378.84"),
        "2014001": Decimal("507.97"),
        "2014050": Decimal("346.87"),
        "205": Decimal("1.00"),
        "20508": Decimal("1.00"),
        "2050803": Decimal("1.00"),
    }
    assert figures(extraction)["gpb_expenditure"] == Decimal("1717.85")


def test_codes_in_brackets_before_the_name():
    # 珠海市商务局 2026 p.13 表5: "[201]一般公共服务支出", "[2010999]其他海关事务支出"
    rows = [
        ["功能科目名称", "一般公共预算支出", "", ""],
        ["", "小计", "其中：基本支出", "项目支出"],
        ["合计", "46,402.33", "7,517.32", "38,885.01"],
        ["[201]一般公共服务支出", "41,350.29", "4,965.28", "36,385.01"],
        ["[20109]海关事务", "9,182.50", "0.00", "9,182.50"],
        ["[2010999]其他海关事务支出", "9,182.50", "0.00", "9,182.50"],
    ]
    extraction = extract(grid("一般公共预算支出情况表（按功能分类科目）", rows, header_rows=2))
    got = {f.code: (f.amount, f.basic_amount, f.project_amount) for f in extraction.function_lines}
    assert got["201"] == (Decimal("41350.29"), Decimal("4965.28"), Decimal("36385.01"))
    assert got["2010999"][0] == Decimal("9182.50")
    assert figures(extraction)["gpb_expenditure"] == Decimal("46402.33")


def test_names_without_codes_take_the_code_under_the_names_above():
    # 杭州市气象局 2026 p.19 表5: names only, indented; 行政单位离退休 is 2080501 under 20805
    rows = [
        ["功能分类科目名称", "合计", "基本支出", "", "", "项目支出"],
        ["", "", "小计", "人员经费", "日常公用支出", ""],
        ["**", "1", "2", "3", "4", "5"],
        ["合计", "5,753.07", "3,745.07", "2,906.80", "838.27", "2,008.00"],
        ["科学技术支出", "28.00", "", "", "", "28.00"],
        ["技术研究与开发", "28.00", "", "", "", "28.00"],
        ["科技成果转化与扩散", "28.00", "", "", "", "28.00"],
        ["社会保障和就业支出", "396.67", "396.67", "395.77", "0.90", ""],
        ["行政事业单位养老支出", "396.67", "396.67", "395.77", "0.90", ""],
        ["行政单位离退休", "193.24", "193.24", "192.34", "0.90", ""],
    ]
    extraction = extract(grid("表5：2026年市级部门一般公共预算支出预算表", rows, header_rows=2))
    got = lines(extraction, "general_budget")
    assert got["206"] == Decimal("28.00") and got["20604"] == Decimal("28.00")
    assert got["208"] == Decimal("396.67") and got["20805"] == Decimal("396.67") and got["2080501"] == Decimal("193.24")
    assert len(extraction.function_lines) == 6
    assert figures(extraction)["gpb_expenditure"] == Decimal("5753.07")


def test_a_table_in_blocks_per_unit_takes_its_first_row_as_the_department_when_it_adds_up():
    # 深圳市水务局 2026 支出总表 p.63 (cut down): the department's row, then per unit the same codes again
    rows = [
        ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"],
        ["深圳市水务局", "", "", "1,293.54", "1,240.61", "52.93"],
        ["深圳市水务局（本级）", "", "", "1,112.33", "1,059.40", "52.93"],
        ["", "205", "教育支出", "52.93", "0.00", "52.93"],
        ["", "208", "社会保障和就业支出", "1,059.40", "1,059.40", "0.00"],
        ["深圳市水务工程质量安全监督站", "", "", "181.21", "181.21", "0.00"],
        ["", "208", "社会保障和就业支出", "181.21", "181.21", "0.00"],
    ]
    extraction = extract(grid("支出总表", rows, header_rows=1))
    got = figures(extraction)
    assert got["expenditure_total"] == Decimal("1293.54") and got["basic_expenditure"] == Decimal("1240.61")
    # one line per printed row (the warehouse sums a code per statement); the unit rows are said, not read
    assert sorted((f.code, f.amount) for f in extraction.function_lines) == [
        ("205", Decimal("52.93")),
        ("208", Decimal("181.21")),
        ("208", Decimal("1059.40")),
    ]
    assert [w.locator for w in extraction.warnings if w.kind == "sub_unit_row"] == ["p.1 r.3", "p.1 r.6"]


def test_a_first_row_that_does_not_add_up_is_no_total():
    # blocks per unit with no department row: the first unit's 60.00 is not the table's total (100.00)
    rows = [
        ["预算单位", "科目编码", "科目名称", "支出总计"],
        ["某单位甲", "", "", "60.00"],
        ["", "208", "社会保障和就业支出", "60.00"],
        ["某单位乙", "", "", "40.00"],
        ["", "208", "社会保障和就业支出", "40.00"],
    ]
    extraction = extract(grid("支出总表", rows, header_rows=1))
    assert "expenditure_total" not in figures(extraction)
    assert [w.locator for w in extraction.warnings if w.kind == "sub_unit_row"] == ["p.1 r.2", "p.1 r.4"]


# ------------------------------------------------------------------------------------------------- 三公


def test_sangong_rows_per_unit_and_year_with_parts_split_by_source_of_funds():
    # 深圳市信访局 2026 p.31 表9 (three of the six parts kept)
    rows = [
        ["预算单位", "年度", "总计", "", "", "因公出国(境)费", "", "", "公务接待费", "", ""],
        [
            "",
            "",
            "一般公共预算",
            "政府性基金预算",
            "国有资本经营预算",
            "一般公共预算",
            "政府性基金预算",
            "国有资本经营预算",
            "一般公共预算",
            "政府性基金预算",
            "国有资本经营预算",
        ],
        ["深圳市信访局", "2025年", "5.58", "0.00", "0.00", "0.00", "0.00", "0.00", "2.98", "0.00", "0.00"],
        ["", "2026年", "5.60", "0.00", "0.00", "0.00", "0.00", "0.00", "3.00", "0.00", "0.00"],
        ["", "增减变化金额", "0.02", "0.00", "0.00", "0.00", "0.00", "0.00", "0.02", "0.00", "0.00"],
    ]
    extraction = extract(grid("财政拨款“三公”经费支出表", rows, header_rows=2))
    assert figures(extraction) == {
        "sangong_total": Decimal("5.60"),
        "sangong_abroad": 0,
        "sangong_reception": Decimal("3.00"),
    }
    assert figures(extraction, "prior_amount")["sangong_total"] == Decimal("5.58")
    shown = next(f.printed_value for f in extraction.figures if f.metric == "sangong_total" and f.measure == "amount")
    assert shown == "5.60 + 0.00 + 0.00"  # what was added is visible


def test_sangong_year_blocks_side_by_side():
    # 烟台市信访局 2026 p.18: a 2025年预算数 block beside a 2026年预算数 block, one row
    rows = [
        ["2025年预算数", "", "", "", "", "", "2026年预算数", "", "", "", "", ""],
        [
            "合计",
            "因公出国（境）经费",
            "公务用车购置及运行维护费",
            "",
            "",
            "公务接待费",
            "合计",
            "因公出国（境）经费",
            "公务用车购置及运行维护费",
            "",
            "",
            "公务接待费",
        ],
        [
            "",
            "",
            "小计",
            "公务用车购置经费",
            "公务用车运行维护费",
            "",
            "",
            "",
            "小计",
            "公务用车购置经费",
            "公务用车运行维护费",
            "",
        ],
        ["22.00", "", "20.00", "", "20.00", "2.00", "17.00", "", "15.00", "", "15.00", "2.00"],
    ]
    extraction = extract(grid("一般公共预算“三公”经费支出情况表", rows, header_rows=3))
    got = figures(extraction)
    assert got["sangong_total"] == Decimal("17.00") and got["sangong_vehicle_operation"] == Decimal("15.00")
    assert figures(extraction, "prior_amount")["sangong_total"] == Decimal("22.00")


def test_sangong_parts_printed_as_rows():
    # 珠海市商务局 2026 p.18 表8: items as rows; 行政经费 is 机关运行经费 in this template (its glossary)
    rows = [
        ["项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
        ["行政经费", "10,884.55", "10,884.55", "0.00", "0.00"],
        ["“三公”经费", "19.84", "19.84", "0.00", "0.00"],
        ["其中：（一）因公出国（境）支出", "13.20", "13.20", "0.00", "0.00"],
        ["（二）公务用车购置及运行维护支出", "0.00", "0.00", "0.00", "0.00"],
        ["1.公务用车购置费", "0.00", "0.00", "0.00", "0.00"],
        ["2.公务用车运行维护费", "0.00", "0.00", "0.00", "0.00"],
        ["（三）公务接待费支出", "6.64", "6.64", "0.00", "0.00"],
    ]
    got = figures(extract(grid("财政拨款安排的行政经费及“三公”经费预算表", rows, header_rows=1)))
    assert got == {
        "operating_cost": Decimal("10884.55"),
        "sangong_total": Decimal("19.84"),
        "sangong_abroad": Decimal("13.20"),
        "sangong_vehicle": 0,
        "sangong_vehicle_purchase": 0,
        "sangong_vehicle_operation": 0,
        "sangong_reception": Decimal("6.64"),
    }


# ------------------------------------------------------------------------------------------ totals


def test_an_income_total_that_adds_the_carryover_is_not_the_years_income():
    # 珠海市商务局 2026 p.8: 合计 66,307.98 = this year's 46,403.97 + 上年结转结余 19,904.01
    rows = [
        ["单位名称", "合计", "财政拨款收入", "", "", "其他资金收入", "上年结转结余"],
        ["", "", "一般公共预算", "政府性基金预算", "国有资本经营预算", "其他收入", ""],
        ["合计", "66,307.98", "46,402.33", "0.00", "0.00", "1.64", "19,904.01"],
        ["珠海市商务局", "64,704.94", "44,802.72", "0.00", "0.00", "1.64", "19,900.58"],
    ]
    extraction = extract(grid("收入总体情况表", rows, header_rows=2))
    assert "income_total" not in figures(extraction)
    sources = {f.qualifier: f.value for f in extraction.figures if f.metric == "income_by_source"}
    assert sources["一般公共预算"] == Decimal("46402.33") and "上年结转结余" not in sources


def test_a_summary_label_numbered_as_a_class_is_a_class():
    # 重庆市水利局 2026 p.12 收支总体情况表: "八、其他支出" is 229 (其他支出 is also the name of many 款)
    rows = [
        ["收入", "", "支出", ""],
        ["项目", "预算数", "项目", "预算数"],
        ["一、一般公共预算拨款收入", "128,148.56", "一、一般公共服务支出", "100.00"],
        ["", "", "八、其他支出", "40,000.00"],
    ]
    extraction = extract(grid("2026年部门收支总体情况表", rows, header_rows=2))
    assert lines(extraction, "all_funds") == {"201": Decimal("100.00"), "229": Decimal("40000.00")}
