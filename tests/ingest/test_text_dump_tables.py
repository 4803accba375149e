"""Tables read from text dumps of real PDF disclosures (``ingest/parse/readers/text_tables.py``).

The dumps in tests/fixtures/text_dumps/ are PDFium's text layer of real budgets in
samples/national/ (made by ``make_dumps.py``; pages the tests do not need are left empty, so a
dump's page is the PDF's page of the same number). Every expected value was read by hand on the
rendered PDF page named in the comment beside it, never from the reader's output.
"""

from __future__ import annotations

import time
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from ingest.parse.document import Document, Table
from ingest.parse.extractors.tables import column_labels
from ingest.parse.readers.text import read_text
from ingest.parse.readers.text_tables import UNPLACED

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text_dumps"
SHENZHEN = "shenzhen_xinfang.txt"  # 深圳/2026-深圳市信访局-部门预算.pdf
CHONGQING = "chongqing_bangongting.txt"  # 重庆/2026-重庆市人民政府办公厅-部门预算.pdf
WUXI = "wuxi_xinfang.txt"  # 无锡/2025-无锡市信访局-部门预算.pdf
FUZHOU = "fuzhou_shangwu.txt"  # 福州/2026-福州市商务局-部门预算.pdf
HUZHOU = "huzhou_caizheng.txt"  # 湖州/2026-湖州市财政局-部门预算.pdf
SHENZHEN_LAYOUT = "shenzhen_xinfang_layout.txt"  # the same PDF, pages 15-17, through `pdftotext -layout`
SHENZHEN_RAW = "shenzhen_xinfang_raw.txt"  # …and through plain `pdftotext` (one cell a line)
MAX_MS_PER_PAGE = 25  # a regression guard: the fixtures read at about 0.5 ms a page


@cache
def dump(name: str) -> Document:
    return read_text((FIXTURES / name).read_bytes(), f"text_dumps/{name}")


def table(name: str, number: str) -> Table:
    found = [t for t in dump(name).tables if t.number == number]
    assert len(found) == 1, f"{number}: {[t.number for t in dump(name).tables]}"
    return found[0]


def rows(t: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in t.rows[t.header_rows :]]


def row(t: Table, *start: str) -> list[str]:
    """The data row whose first cells read ``start`` (its cells as texts)."""
    found = [r for r in rows(t) if r[: len(start)] == list(start)]
    assert len(found) == 1, f"{start}: {len(found)} rows"
    return found[0]


def row_cells(t: Table, *start: str):
    return next(r for r in t.rows[t.header_rows :] if [c.text for c in r[: len(start)]] == list(start))


# -- where the tables are ----------------------------------------------------------------------


def test_shenzhen_tables_are_found_with_number_title_unit_and_pages():
    # 深圳 p.15-33: "表 1" on its own line above "收支总表", "部门名称：深圳市信访局 单位：万元";
    # 表 1 runs over p.15-16 and 表 3 over p.18-20, each page repeating number, title and header
    found = [(t.number, t.title, t.unit, t.locator, t.layout) for t in dump(SHENZHEN).tables]
    assert found[:3] == [
        ("表 1", "收支总表", "万元", "p.15-16", "text"),
        ("表 2", "收入总表", "万元", "p.17", "text"),
        ("表 3", "支出总表", "万元", "p.18-20", "text"),
    ]
    assert [t.number for t in dump(SHENZHEN).tables] == [f"表 {n}" for n in range(1, 12)]
    assert table(SHENZHEN, "表 7").title == "一般公共预算支出表（按功能分类）"  # p.26, parenthesis kept


@pytest.mark.parametrize(
    ("name", "number", "title", "locator"),
    [
        (CHONGQING, "表一", "2026年部门收支总体情况表", "p.9"),  # 重庆 p.9
        (CHONGQING, "表五", "2026年一般公共预算支出情况表", "p.15-16"),  # p.16 has neither title nor number
        (
            WUXI,
            "公开 05 表",
            "财政拨款支出表（功能科目）",
            "p.16-17",
        ),  # 无锡 p.16, under "无锡市信访局 2025 年度部门预算公开 - 15 -"
        (HUZHOU, "表07", '2026年市级部门一般公共预算"三公"经费支出表', "p.28"),  # 湖州 p.28
    ],
)
def test_numbers_and_titles_of_other_cities(name, number, title, locator):
    t = table(name, number)
    assert (t.title, t.locator, t.unit) == (title, locator, "万元")


def test_a_section_line_above_the_title_is_no_title_and_no_number():
    # 福州 p.11: "一、收支预算总表" then "2026 年度收支预算总表" then "单位：万元"
    first = dump(FUZHOU).tables[0]
    assert (first.number, first.title, first.locator) == ("", "2026 年度收支预算总表", "p.11")


# -- rows --------------------------------------------------------------------------------------


def test_function_table_rows_with_codes_names_amounts_and_locators():
    # 深圳 p.26 表7: 科目编码 | 科目名称 | 支出总计 | 基本支出 | 项目支出
    t = table(SHENZHEN, "表 7")
    assert column_labels(t) == ["科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]
    assert row(t, "2014001") == ["2014001", "行政运行", "1,866.84", "1,866.84", "0.00"]
    assert row(t, "205") == ["205", "教育支出", "20.00", "0.00", "20.00"]
    assert row(t, "221") == ["221", "住房保障支出", "753.24", "753.24", "0.00"]  # p.27, the table's second page
    cells = row_cells(t, "2014001")
    assert [c.locator for c in cells] == [f"p.26 l.8 c.{c}" for c in range(1, 6)]


def test_summary_table_halves_and_totals_over_two_pages():
    # 深圳 p.15-16 表1 收支总表: 收入 and 支出 side by side; the totals on p.16
    t = table(SHENZHEN, "表 1")
    assert column_labels(t) == ["收入/项目", "收入/2026年预算数", "支出/项目", "支出/2026年预算数"]
    assert row(t, "一、财政拨款") == ["一、财政拨款", "4,676.96", "一、一般公共服务支出", "3,459.13"]
    assert row(t, "本年收入合计") == ["本年收入合计", "4,676.96", "本年支出合计", "4,684.30"]
    assert row(t, "上年结余、结转") == ["上年结余、结转", "7.34", "结转下年", "0.00"]
    assert row(t, "收入总计") == ["收入总计", "4,684.30", "支出总计", "4,684.30"]
    # p.16 repeats 表 1, the title and the header: none of them is a row
    assert not any("项目" in r[0] or r[0] == "收入" for r in rows(t))
    assert row_cells(t, "收入总计")[1].locator == "p.16 l.17 c.2"


def test_a_lone_label_goes_to_the_half_it_belongs_to():
    # 深圳 p.15: "机关事业单位职业年金缴费支出 87.16" under 支出 (收入 ended above);
    # p.16: "1.财政拨款结余、结转 7.34" under 收入 (支出 ended at 结转下年)
    t = table(SHENZHEN, "表 1")
    assert ["", "", "机关事业单位职业年金缴费支出", "87.16"] in rows(t)
    assert ["1.财政拨款结余、结转", "7.34", "", ""] in rows(t)
    # 湖州 p.22 表04: "事业运行 403.61" stands under 支出 though no word says so (the 收入 list has ended)
    assert ["", "", "事业运行", "403.61"] in rows(table(HUZHOU, "表04"))


def test_wrapped_names_are_joined():
    # 深圳 p.19 表3: the code alone on a line, the name over two lines, then the amounts
    assert row(table(SHENZHEN, "表 3"), "2080505")[:4] == [
        "2080505",
        "机关事业单位基本养老保险缴费支出",
        "201.65",
        "201.65",
    ]
    # 深圳 p.23 表5: "政务信息化项目（系" / "统业务运营服务）" with the amounts on the second line
    assert row(table(SHENZHEN, "表 5"), "政务信息化项目（系统业务运营服务）")[:3] == [
        "政务信息化项目（系统业务运营服务）",
        "0.44",
        "0.00",
    ]
    # 无锡 p.12 公开03: "20103 政府办公厅（室）及相关机构事" / "务" / "1,084.14 1,084.14"
    assert row(table(WUXI, "公开 03 表"), "20103")[:3] == ["20103", "政府办公厅（室）及相关机构事务", "1,084.14"]


def test_two_rows_glued_on_one_line_are_split():
    # 湖州 p.17 表01: "一、财政拨款 6838.41 一般公共服务支出 5356.01 一般公共预算 6838.41 财政事务 5356.01"
    t = table(HUZHOU, "表01")
    assert rows(t)[:2] == [
        ["一、财政拨款", "6838.41", "一般公共服务支出", "5356.01"],
        ["一般公共预算", "6838.41", "财政事务", "5356.01"],
    ]
    assert row_cells(t, "一般公共预算")[3].locator == "p.17 l.6 c.4"
    # 重庆 p.9 表一: "合计 19,230.18 合计 19,230.18 一、一般公共预算资金 18,417.70 一、一般公共服务支出 15,958.96"
    assert rows(table(CHONGQING, "表一"))[:2] == [
        ["合计", "19,230.18", "合计", "19,230.18"],
        ["一、一般公共预算资金", "18,417.70", "一、一般公共服务支出", "15,958.96"],
    ]


def test_a_page_printed_as_one_line_is_cut_into_its_rows():
    # 福州 p.22: the text layer holds the whole page on one line, its page number "19" first;
    # read on the page: 30227 委托业务费 8.00 | 30240 税金及附加费用 (blank) | 30299 其他商品和服务支出 62.00
    t = next(t for t in dump(FUZHOU).tables if t.title == "2026 年度一般公共预算基本支出经济分类情况表")
    assert row(t, "30227") == ["30227", "委托业务费", "8.00"]
    assert row(t, "30240") == ["30240", "税金及附加费用", ""]
    assert row(t, "30299") == ["30299", "其他商品和服务支出", "62.00"]
    assert row(t, "31002") == ["31002", "办公设备购置", "7.60"]
    assert not any(cell == "19" for r in rows(t) for cell in r)


def test_an_amount_cut_in_a_narrow_cell_is_joined():
    # 福州 p.11: "本年支出合计" with "24995.9" / "4" below it (the cell is too narrow)
    t = dump(FUZHOU).tables[0]
    assert row(t, "本年收入合计") == ["本年收入合计", "24995.94", "本年支出合计", "24995.94"]
    assert row(t, "收入合计") == ["收入合计", "24995.94", "支出合计", "24995.94"]


def test_column_number_rows_are_header_never_data():
    # 湖州 p.23 表05: "** ** 1 2 3 4 5" under the header; the first row is 合计
    t = table(HUZHOU, "表05")
    assert rows(t)[0] == ["", "合计", "6838.41", "5571.66", "4944.99", "626.67", "1266.75"]
    assert not any(r[1] in ("**", "1") for r in rows(t))
    # 无锡 p.23 公开11: "栏次 1 2 3", then 合计 and a note that the table has no data
    assert all("栏次" not in cell for r in rows(table(WUXI, "公开 11 表")) for cell in r)


# -- columns without positions --------------------------------------------------------------------


def test_income_table_header_is_rebuilt_from_wrapped_cells():
    # 深圳 p.17 表2: 预算单位 | 收入总计 | 财政拨款 (一般公共预算拨款 …) | 财政专户管理资金 | 单位资金 (…) | 上年结余、结转
    t = table(SHENZHEN, "表 2")
    assert column_labels(t) == [
        "预算单位",
        "收入总计",
        "一般公共预算拨款",
        "政府性基金预算拨款",
        "国有资本经营预算拨款",
        "财政专户管理资金",
        "事业收入",
        "事业单位经营收入",
        "上级补助收入",
        "附属单位上缴收入",
        "其他收入",
        "上年结余、结转",
    ]
    assert rows(t) == [["深圳市信访局", "4,684.30", "4,676.96"] + ["0.00"] * 8 + ["7.34"]]


def test_header_groups_and_order_checked_against_the_sums():
    # 重庆 p.15 表五: 2025年预算数 | 2026年预算数: 总计, 基本支出 (小计 人员经费 公用经费), 项目支出.
    # The text layer prints 项目支出 before 小计 人员经费 公用经费; the 合计 row
    # (15,635.80 18,417.70 9,018.47 7,180.92 1,837.55 9,399.23) says which order is right.
    t = table(CHONGQING, "表五")
    labels = column_labels(t)
    assert labels[3:] == ["总计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"]
    # 2025年预算数 and 2026年预算数 cannot be told apart as a column or a heading over columns
    assert labels[2] == UNPLACED
    assert any("表五" in w and "amount columns 1 of 6 left without a label" in w for w in dump(CHONGQING).warnings)


def test_zeros_left_blank_are_placed_only_where_the_sums_say():
    # 重庆 p.15 表五 (zeros left blank), read on the page:
    # 2010302 一般行政管理事务: 2025 6,027.47, 总计 8,220.69, 项目支出 8,220.69, 基本支出 blank
    t = table(CHONGQING, "表五")
    assert row(t, "2010302") == ["2010302", "一般行政管理事务", "6,027.47", "8,220.69", "", "", "", "8,220.69"]
    # 2010301 行政运行: 6,077.49 6,342.71 6,342.71 4,542.97 1,799.74, 项目支出 blank
    assert row(t, "2010301") == ["2010301", "行政运行", "6,077.49", "6,342.71", "6,342.71", "4,542.97", "1,799.74", ""]
    # 205 教育支出: 15.16 15.26 15.26 and 15.26 under 公用经费 — 人员经费 or 公用经费 cannot be told
    # from the text, so neither is filled (never guessed), and 项目支出 is a certain blank
    assert row(t, "205") == ["205", "教育支出", "15.16", "15.26", "15.26", UNPLACED, UNPLACED, ""]
    warning = next(w for w in dump(CHONGQING).warnings if "表五" in w and "fewer numbers" in w)
    assert "205 教育支出 (p.15 l.19: 15.16 15.26 15.26 15.26)" in warning


def test_a_short_row_is_not_misplaced():
    # 重庆 p.12 表三: "2010301 行政运行 6,342.71 6,342.71" (基本支出 6,342.71, 项目支出 blank on the page):
    # only 总计 is certain; the second number is not put under either column
    t = table(CHONGQING, "表三")
    assert row(t, "2010301") == ["2010301", "行政运行", "6,342.71", UNPLACED, UNPLACED]
    assert row(t, "2010350") == ["2010350", "事业运行", "80.18", "77.70", "2.48"]  # all three printed
    assert row(t, "", "合计") == ["", "合计", "19,230.18", "9,018.47", "10,211.71"]


# -- 三公 --------------------------------------------------------------------------------------------


def test_sangong_one_row_with_zeros_printed():
    # 无锡 p.21 公开09: “三公”经费合计 1.50 | 因公出国（境）费 0.00 | 公务用车购置及运行维护费: 小计 0.00,
    # 公务用车购置费 0.00, 公务用车运行维护费 0.00 | 公务接待费 1.50 | 会议费 0.44 | 培训费 16.20
    t = table(WUXI, "公开 09 表")
    assert column_labels(t) == [
        "“三公”经费合计",
        "因公出国（境）费",
        "公务用车购置及运行维护费/小计",
        "公务用车购置及运行维护费/公务用车购置费",
        "公务用车购置及运行维护费/公务用车运行维护费",
        "公务接待费",
        "会议费",
        "培训费",
    ]
    assert rows(t) == [["1.50", "0.00", "0.00", "0.00", "0.00", "1.50", "0.44", "16.20"]]


def test_sangong_rows_per_unit_with_zeros_left_blank():
    # 湖州 p.28 表07, 合计 row: 9.30 | (blank) | 小计 3.50 | (blank) | 3.50 | 5.80. Which of 购置费 and
    # 运行维护费 holds the 3.50 cannot be told without positions; 因公出国 is blank for certain.
    t = table(HUZHOU, "表07")
    assert column_labels(t) == [
        "单位名称",
        "“三公”经费合计",
        "因公出国(境)费用",
        "公务用车购置及运行费/小计",
        "公务用车购置及运行费/公务用车购置费",
        "公务用车购置及运行费/公务用车运行维护费",
        "公务接待费",
    ]
    assert row(t, "合计") == ["合计", "9.30", "", "3.50", UNPLACED, UNPLACED, "5.80"]
    assert row(t, "湖州市财政局") == ["湖州市财政局", "7.50", "", "3.50", UNPLACED, UNPLACED, "4.00"]


def test_sangong_in_two_year_blocks():
    # 重庆 p.20 表八: 2025年预算数 and 2026年预算数, each 合计 | 因公出国（境）费 | 公务用车购置及运行费
    # (小计 | 购置费 | 运行费) | 公务接待费; read on the page: 396.97 184.49 202.48 (blank) 202.48 10.00 |
    # 394.49 184.49 200.00 (blank) 200.00 10.00
    t = table(CHONGQING, "表八")
    labels = column_labels(t)
    assert labels[:3] == [
        "2025年预算数/合计",
        "2025年预算数/因公出国（境）费",
        "2025年预算数/公务用车购置及运行费/小计",
    ]
    assert labels[6:] == [
        "2026年预算数/合计",
        "2026年预算数/因公出国（境）费",
        "2026年预算数/公务用车购置及运行费/小计",
        "2026年预算数/公务用车购置及运行费/公务用车购置费",
        "2026年预算数/公务用车购置及运行费/公务用车运行费",
        "2026年预算数/公务接待费",
    ]
    assert rows(t) == [
        [
            "396.97",
            "184.49",
            "202.48",
            UNPLACED,
            UNPLACED,
            "10.00",
            "394.49",
            "184.49",
            "200.00",
            UNPLACED,
            UNPLACED,
            "10.00",
        ]
    ]


# -- the rest of the document ----------------------------------------------------------------------


def test_text_outside_tables_stays_running_text_with_page_locators():
    document = dump(SHENZHEN)
    lines = {line.text: line.locator for line in document.lines}
    # 深圳 p.16: the note under 表1
    assert (
        lines[
            "注：财政拨款收支情况包括一般公共预算、政府性基金预算、国有资本经营预算拨款收支情况；本套报表金额单位转换时可能存在尾数误差。"
        ]
        == "p.16 l.18"
    )
    assert "- 13 -" not in lines  # the page number
    assert not any(text.startswith("本年收入合计") for text in lines)  # a table row is no running text
    assert document.page_count == 33


def test_the_other_flavours_of_text_layer():
    # `pdftotext -layout` of 深圳 p.15-17: the same rows (cells spread with spaces)
    t = table(SHENZHEN_LAYOUT, "表1")
    assert row(t, "本年收入合计") == ["本年收入合计", "4,676.96", "本年支出合计", "4,684.30"]
    assert row(t, "收入总计") == ["收入总计", "4,684.30", "支出总计", "4,684.30"]
    # plain `pdftotext` prints one cell a line, labels apart from their amounts: not read as tables
    raw = dump(SHENZHEN_RAW)
    assert raw.tables == []
    assert any("表1 收支总表" in w and "one cell a line" in w for w in raw.warnings)


def test_reading_stays_fast():
    names = [SHENZHEN, CHONGQING, WUXI, FUZHOU, HUZHOU]
    data = [(FIXTURES / name).read_bytes() for name in names]
    pages = sum(sum(1 for page in d.decode("utf-8").split("\f") if page.strip()) for d in data)
    start = time.perf_counter()
    for name, content in zip(names, data):
        read_text(content, name)
    elapsed_ms = (time.perf_counter() - start) * 1000
    assert elapsed_ms / pages < MAX_MS_PER_PAGE, f"{elapsed_ms / pages:.1f} ms a page"


# -- end to end --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shenzhen_extraction():
    from ingest.parse.passes import extract_document

    return extract_document(dump(SHENZHEN), "shenzhen-text-dump")


def test_shenzhen_dump_gives_the_totals(shenzhen_extraction):
    def value(metric):
        found = [
            f
            for f in shenzhen_extraction.figures
            if f.metric == metric and f.measure == "amount" and f.section.startswith("table:")
        ]
        assert found, metric
        return found[0].value, found[0].locator

    assert value("income_total") == (Decimal("4676.96"), "p.16 l.13")  # 本年收入合计, p.16
    assert value("expenditure_total") == (Decimal("4684.30"), "p.16 l.13")  # 本年支出合计, p.16
    assert value("grand_total") == (Decimal("4684.30"), "p.16 l.17")  # 收入总计, p.16
    assert value("gpb_expenditure")[0] == Decimal("4684.30")  # 表7 p.26, the 深圳市信访局 row: 4,684.30


def test_shenzhen_dump_gives_the_general_budget_lines(shenzhen_extraction):
    # 深圳 p.26-27 表7 一般公共预算支出表（按功能分类）, the 类 lines: 支出总计 | 基本支出 | 项目支出
    lines = {
        (line.code, line.amount, line.basic_amount, line.project_amount)
        for line in shenzhen_extraction.function_lines
        if line.basis == "general_budget" and line.level == "类"
    }
    assert lines == {
        ("201", Decimal("3459.13"), Decimal("1866.84"), Decimal("1592.29")),
        ("205", Decimal("20.00"), Decimal("0"), Decimal("20.00")),
        ("208", Decimal("367.54"), Decimal("367.54"), Decimal("0")),
        ("210", Decimal("84.39"), Decimal("84.39"), Decimal("0")),
        ("221", Decimal("753.24"), Decimal("753.24"), Decimal("0")),
    }
