"""Tables printed without ruling lines (ingest/parse/readers/pdf_aligned.py), and table numbers.

The 深圳 budgets draw their tables' rules inside a form XObject: read normally they are ruled
tables (``layout == "ruled"``). Read with ``ignore_rules=True`` the same pages are text aligned
in columns and nothing else, which is what an unruled PDF gives the reader: the aligned reader
must find the same cells (``layout == "aligned"``). Each 深圳 expectation below is checked on both
readings. Expected cells were read by hand from the page images (pypdfium2 renders) and the
text layer; the page is named beside each test.
"""

from __future__ import annotations

import pytest

from ingest.parse.extractors.tables import column_labels
from ingest.parse.readers.pdf import read_pdf
from tests.conftest import SAMPLES

XINFANG = "national/深圳/2026-深圳市信访局-部门预算.pdf"
TRAFFIC_POLICE = "national/深圳/2026-深圳市公安局交通管理局（本级）-部门预算.pdf"
HUMAN_RESOURCES = "national/深圳/2026-深圳市人力资源和社会保障局-部门预算.pdf"
CHANGCHUN = "national/长春/2026-长春市信访局（本级）-部门预算.pdf"
JIANGSU_NARRATIVE = "jiangsu/江苏省人大办公厅__江苏省人大常委会2019年度部门预算公开.pdf"

READINGS = {"ruled": False, "aligned": True}  # layout → ignore_rules


@pytest.fixture(scope="module")
def read():
    cache: dict[tuple[str, bool], object] = {}

    def read_one(relative: str, ignore_rules: bool = False):
        key = (relative, ignore_rules)
        if key not in cache:
            cache[key] = read_pdf((SAMPLES / relative).read_bytes(), relative, ignore_rules=ignore_rules)
        return cache[key]

    return read_one


def table(document, title: str):
    return next(t for t in document.tables if t.title == title)


def row_of(tab, first_text: str) -> list[str]:
    """The texts of the first data row whose first non-empty cell is ``first_text``, padded cells kept."""
    for row in tab.rows[tab.header_rows :]:
        texts = [c.text for c in row]
        if next((t for t in texts if t), "") == first_text:
            return texts
    raise AssertionError(f"no row {first_text!r} in {tab.title}")


# -- 深圳市信访局 ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", READINGS)
def test_the_income_and_expenditure_table_runs_over_two_pages_with_both_halves(read, layout):
    # p.15-16 (printed "- 12 -", "- 13 -"): "表 1" above the title 收支总表, 收入 | 支出 side by side
    tab = table(read(XINFANG, READINGS[layout]), "收支总表")
    assert (tab.layout, tab.number, tab.unit, tab.locator) == (layout, "表 1", "万元", "p.15-16")
    assert row_of(tab, "一、财政拨款") == ["一、财政拨款", "4,676.96", "一、一般公共服务支出", "3,459.13"]
    assert row_of(tab, "5.其他收入") == ["5.其他收入", "0.00", "机关事业单位基本养老保险缴费支出", "201.65"]
    # p.16: the 收入 half is blank beside 四、卫生健康支出; the totals fill both halves
    assert row_of(tab, "四、卫生健康支出") == ["", "", "四、卫生健康支出", "84.39"]
    assert row_of(tab, "本年收入合计") == ["本年收入合计", "4,676.96", "本年支出合计", "4,684.30"]
    assert row_of(tab, "收入总计") == ["收入总计", "4,684.30", "支出总计", "4,684.30"]
    # the header printed again on p.16 is dropped
    assert sum(any(c.text == "2026年预算数" for c in row) for row in tab.rows) == 1


@pytest.mark.parametrize("layout", READINGS)
def test_the_income_table_reads_its_three_header_rows_as_column_paths(read, layout):
    # p.17: 本年收入 over 财政拨款 (three 拨款 columns), 财政专户管理资金 and 单位资金 (five columns);
    # 预算单位, 收入总计 and 上年结余、结转 span the whole header height
    tab = table(read(XINFANG, READINGS[layout]), "收入总表")
    assert tab.number == "表 2"
    assert column_labels(tab) == [
        "预算单位",
        "收入总计",
        "本年收入/财政拨款/一般公共预算拨款",
        "本年收入/财政拨款/政府性基金预算拨款",
        "本年收入/财政拨款/国有资本经营预算拨款",
        "本年收入/财政专户管理资金",
        "本年收入/单位资金/事业收入",
        "本年收入/单位资金/事业单位经营收入",
        "本年收入/单位资金/上级补助收入",
        "本年收入/单位资金/附属单位上缴收入",
        "本年收入/单位资金/其他收入",
        "上年结余、结转",
    ]
    assert row_of(tab, "深圳市信访局") == ["深圳市信访局", "4,684.30", "4,676.96"] + ["0.00"] * 8 + ["7.34"]


@pytest.mark.parametrize("layout", READINGS)
def test_a_name_wrapped_around_its_code_and_amounts_reads_whole(read, layout):
    # p.19 (支出总表 continued): "2080505" stands beside "机关事业单位基本养老" / "保险缴费支出", the
    # text layer gives the code alone on the line before the name; the row keeps its amounts' place
    tab = table(read(XINFANG, READINGS[layout]), "支出总表")
    assert tab.locator == "p.18-20"
    row = next(r for r in tab.rows if r[1].text == "2080505")
    assert [c.text for c in row] == ["", "2080505", "机关事业单位基本养老保险缴费支出", "201.65", "201.65"] + [
        "0.00"
    ] * 7
    assert row[3].locator == "p.19 r.2 c.4"  # 2080501 is r.1 of p.19; the repeated header is no row
    assert [c.text for c in next(r for r in tab.rows if r[1].text == "2080506")][2] == "机关事业单位职业年金缴费支出"


@pytest.mark.parametrize("layout", READINGS)
def test_the_three_public_expenses_table_has_a_row_per_unit_and_year(read, layout):
    # p.31: six items × 一般公共预算 / 政府性基金预算 / 国有资本经营预算, rows 2025 年, 2026 年, 增减变化金额
    tab = table(read(XINFANG, READINGS[layout]), "财政拨款“三公”经费支出表")
    sources = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
    items = [
        "总计",
        "因公出国(境)费",
        "公务接待费",
        "公务用车购置及运行维护费/小计",
        "公务用车购置及运行维护费/公务用车购置费",
        "公务用车购置及运行维护费/公务用车运行维护费",
    ]
    assert column_labels(tab) == ["预算单位", "年度"] + [f"{item}/{source}" for item in items for source in sources]
    year_2025 = [
        "5.58",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "2.98",
        "0.00",
        "0.00",
        "2.60",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "2.60",
        "0.00",
        "0.00",
    ]
    assert row_of(tab, "深圳市信访局") == ["深圳市信访局", "2025年"] + year_2025
    assert row_of(tab, "2026年") == ["", "2026年"] + year_2025
    assert row_of(tab, "增减变化金额") == ["", "增减变化金额"] + ["0.00"] * 18


def test_narrative_pages_give_no_table_when_read_without_rules(read):
    # 深圳市信访局 p.1-14 is the 文字部分 (its one ruled table, 绩效目标 p.10-11, has no title):
    # read without rules, every table found lies in the 表格部分 from p.15 on
    pages = [int(t.locator.split("-")[0][2:]) for t in read(XINFANG, True).tables]
    assert len(pages) == 11 and min(pages) == 15


def test_a_document_of_prose_gives_no_table(read):
    # 江苏省人大常委会 2019: 19 pages of 说明 and 名词解释, figures only in sentences
    document = read(JIANGSU_NARRATIVE, True)
    assert document.tables == []
    assert "一般公共预算收入18330.37万元，占100%；" in [line.text for line in document.lines]


# -- other 深圳 files ------------------------------------------------------------------------


@pytest.mark.parametrize("layout", READINGS)
def test_an_amount_wrapped_in_a_narrow_column_reads_whole(read, layout):
    # 深圳市公安局交通管理局（本级） p.27 项目支出总表: "100,763.0" / "3" and "深圳市公安局交通管理局" /
    # "（本级）" each wrapped in their cell, the other cells of the row centred between them
    tab = table(read(TRAFFIC_POLICE, READINGS[layout]), "项目支出总表")
    assert tab.number == "表 5"
    assert row_of(tab, "深圳市公安局交通管理局（本级）") == [
        "深圳市公安局交通管理局（本级）",
        "100,763.03",
        "62,165.70",
    ] + ["0.00"] * 7 + ["37,828.15", "769.19"]
    assert row_of(tab, "交通管理装(设)备业务") == ["交通管理装(设)备业务", "5,738.17", "5,738.17"] + ["0.00"] * 9
    assert row_of(tab, "综合管理") == ["综合管理", "42,312.35", "38,513.16"] + ["0.00"] * 7 + ["3,030.00", "769.19"]


@pytest.mark.parametrize("layout", READINGS)
def test_a_long_project_table_joins_its_pages(read, layout):
    # 深圳市人力资源和社会保障局 p.151 (printed "- 148 -"): 项目支出总表, "表 5", continued to p.159
    # with number, title and header repeated on every page
    tab = table(read(HUMAN_RESOURCES, READINGS[layout]), "项目支出总表")
    assert tab.locator == "p.151-159"
    assert row_of(tab, "深圳市人力资源和社会保障局") == [
        "深圳市人力资源和社会保障局",
        "435,216.17",
        "401,100.54",
        "0.00",
        "0.00",
        "14,036.67",
        "8,707.67",
        "0.00",
        "0.00",
        "0.00",
        "3,298.27",
        "8,073.01",
    ]
    assert row_of(tab, "深圳市人力资源和社会保障局（本级）")[:3] == [
        "深圳市人力资源和社会保障局（本级）",
        "142,220.85",
        "135,859.00",
    ]
    assert row_of(tab, "民办技校补助-民办技校从教津贴")[:3] == ["民办技校补助-民办技校从教津贴", "445.00", "445.00"]
    assert sum(any(c.text == "支出项目类别" for c in row) for row in tab.rows) == 1


# -- table numbers ---------------------------------------------------------------------------


def test_a_number_printed_after_the_title_is_split_from_it(read):
    # 长春市信访局 p.6: "收支总表（预算表 1）" printed in the table's first row, under the heading
    # "第二部分 2026年度部门预算表"; p.7 "收入总表(预算表2)"
    tables = read(CHANGCHUN).tables
    assert (tables[0].title, tables[0].number, tables[0].locator) == ("收支总表", "预算表 1", "p.6")
    assert (tables[1].title, tables[1].number) == ("收入总表", "预算表 2")
    assert (tables[-1].title, tables[-1].number) == ("长春市信访局2026年项目支出绩效目标表预算表", "预算表 11")
