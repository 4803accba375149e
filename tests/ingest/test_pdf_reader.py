"""The PDF reader: lines in reading order, tables by their rules, provenance by page, refusals.

Tables printed without rules have their own tests: tests/ingest/test_pdf_aligned_tables.py.

Inputs are the shipped PDFs (samples/) and three synthetic ones (tests/fixtures/pdf/); each PDF
is read once per module. Expected texts and figures were read off the pages by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parse.outcome import ingest_file
from ingest.parse.readers.pdf import PdfRefused, read_pdf
from tests.conftest import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
FINANCE_2024 = "shanghai/上海市普陀区财政局2024年度部门决算.pdf"
PLANNING_2024 = "shanghai/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf"
WANLI_2025 = "shanghai/普陀区万里街道2025部门预算.pdf"
JIANGSU_TABLES = "jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开表格.pdf"
JIANGSU_NUMBERED = "jiangsu/江苏省人大办公厅__江苏省人大常委会办公厅2019年部门预算公开表.pdf"
FINANCE_2025 = "shanghai/普陀区财政局2025部门预算.pdf"
WUXI_XINFANG = "national/无锡/2025-无锡市信访局-部门预算.pdf"
SHENZHEN_XINFANG = "national/深圳/2026-深圳市信访局-部门预算.pdf"


@pytest.fixture(scope="module")
def read():
    cache: dict[str, object] = {}

    def read_one(relative: str):
        if relative not in cache:
            cache[relative] = read_pdf((SAMPLES / relative).read_bytes(), relative)
        return cache[relative]

    return read_one


def table(document, title_part: str):
    return next(t for t in document.tables if title_part in t.title)


def row_texts(tab, first_cell: str) -> list[str]:
    """The texts of the first data row whose code or name cells start with ``first_cell``."""
    for row in tab.rows[tab.header_rows :]:
        texts = [c.text for c in row]
        if " ".join(t for t in texts if t).startswith(first_cell):
            return [t for t in texts if t]
    raise AssertionError(f"no row {first_cell!r} in {tab.title}")


# -- running text -----------------------------------------------------------------------


def test_numbers_in_another_font_stay_in_their_sentence(read):
    text = read(FINANCE_2024).text
    assert "2024年度收入支出总计2995.39万元" in text
    assert "年初预算为1560.05万元，支出决算为1511.89万元" in text


def test_lines_are_located_by_page_and_line(read):
    line = next(line for line in read(FINANCE_2024).lines if "收入支出总计2995.39万元" in line.text)
    assert line.locator == "p.21 l.4"


def test_wrapped_paragraph_lines_are_joined_and_headings_stay_alone(read):
    lines = [line.text for line in read(FINANCE_2024).lines]
    assert "（二）政府采购支出情况" in lines
    # the 职能 paragraph mentions 国有资产 on a wrapped line: it is no heading of its own
    assert not any(text.startswith("（五）拟订和组织实施本区行政事业单位国有资产") and len(text) < 40 for text in lines)


def test_page_numbers_are_not_glued_to_the_text(read):
    document = read("jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开文件.pdf")
    assert "收、支预算总计各增加3205.79万元，增长13.11%" in document.text.replace("\n", "")


def test_page_numbers_between_box_drawing_dashes_are_dropped(read):
    # 江苏省人大常委会 2019 p.15 ends "…公务接待费支出384.75万元，占", p.16 opens "─ 14 ─" (U+2500) then
    # "“三公”经费的50.12%。具体情况如下：1．因公出国（境）费…"
    text = read("jiangsu/江苏省人大办公厅__江苏省人大常委会2019年度部门预算公开.pdf").text.replace("\n", "")
    assert "公务接待费支出384.75万元，占“三公”经费的50.12%" in text
    assert "─" not in text


def test_table_rows_are_not_running_text(read):
    assert "一般行政管理事务 | 10.00" not in read(FINANCE_2024).text
    assert not any(line.text.startswith("201 06 01") for line in read(FINANCE_2024).lines)


# -- tables -----------------------------------------------------------------------------


def test_title_and_unit_come_from_the_lines_above_the_table(read):
    tab = table(read(FINANCE_2024), "一般公共预算财政拨款支出决算表")
    assert (tab.title, tab.unit, tab.locator) == ("一般公共预算财政拨款支出决算表", "万元", "p.15")


def test_split_codes_sit_in_their_own_columns(read):
    tab = table(read(FINANCE_2024), "一般公共预算财政拨款支出决算表")
    assert row_texts(tab, "208 05 05") == ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75"]


def test_a_name_wrapped_in_its_cell_reads_as_one(read):
    tab = table(read(PLANNING_2024), "一般公共预算财政拨款支出决算表")
    assert row_texts(tab, "2080505") == ["2080505", "机关事业单位基本养老保险缴费支出", "446.11", "446.11", "0.00"]


def test_cells_carry_page_row_and_column(read):
    tab = table(read(FINANCE_2024), "一般公共预算财政拨款支出决算表")
    row = next(r for r in tab.rows if r[0].text == "221" and r[2].text == "03")
    assert [c.locator for c in row[3:5]] == ["p.15 r.23 c.4", "p.15 r.23 c.5"]


def test_a_table_continued_without_its_header_is_joined(read):
    tab = table(read(FINANCE_2024), "收入决算表")
    assert tab.locator == "p.8-9"
    assert row_texts(tab, "221 02 03") == ["221", "02", "03", "购房补贴", "258.50", "258.50"]
    assert tab.rows[-1][0].locator == "p.9 r.5 c.1"


def test_a_repeated_header_on_the_next_page_is_dropped(read):
    tab = table(read(WANLI_2025), "一般公共预算支出功能分类预算表")
    assert tab.locator == "p.20-24"
    headers = [r for r in tab.rows if any(c.text == "功能分类科目名称" for c in r)]
    assert len(headers) == 1
    assert row_texts(tab, "合计") == ["合计", "189,767,551", "101,341,746", "88,425,805"]


def test_a_table_in_yuan_says_so(read):
    assert table(read(WANLI_2025), "收入预算总表").unit == "元"
    assert table(read(WANLI_2025), "三公").unit == "万元"  # the one table of that budget in 万元


def test_merged_header_cells_keep_their_text_once(read):
    tab = table(read(FINANCE_2024), "三公")
    assert [c.text for c in tab.rows[1]][:5] == ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费"]
    assert [c.text for c in tab.rows[-1]] == ["0.95"] + [""] * 9 + ["0.95", ""]


def test_a_rotated_page_reads_upright(read):
    tab = table(read(JIANGSU_TABLES), "收支预算总表")
    assert tab.title == "收支预算总表" and tab.unit == "万元"
    assert row_texts(tab, "一、财政拨款")[:4] == ["一、财政拨款", "27,664.22", "一、一般公共服务支出", "22,395.50"]


def test_a_table_number_beside_the_title_is_not_the_title(read):
    titles = [t.title for t in read(JIANGSU_NUMBERED).tables]
    assert titles[:2] == ["收支预算总表", "收入预算总表"]


def test_an_empty_table_is_marked(read):
    document = read(FINANCE_2024)
    assert table(document, "政府性基金预算财政拨款收入支出决算表").is_empty
    assert not table(document, "一般公共预算财政拨款支出决算表").is_empty


def test_a_border_drawn_in_pieces_still_separates_rows(read):
    tab = table(read("jiangsu/江苏省人民检察院__2019年度部门预算公开.pdf"), "一般公共预算基本支出预算表")
    assert row_texts(tab, "302") == ["302", "商品和服务支出", "2,391.92"]
    assert row_texts(tab, "30201") == ["30201", "办公费", "158.00"]


def test_rules_drawn_inside_a_form_xobject_make_a_ruled_table(read):
    # 深圳市信访局: every page is one form XObject holding the text and the table borders; p.18
    # 支出总表 (printed "- 15 -"), continued to p.20, read cell by cell as on the page
    document = read(SHENZHEN_XINFANG)
    assert len(document.tables) == 12 and {t.layout for t in document.tables} == {"ruled"}
    tab = table(document, "支出总表")
    assert (tab.locator, tab.number, tab.unit) == ("p.18-20", "表 3", "万元")
    assert row_texts(tab, "2014001") == ["2014001", "行政运行", "1,866.84", "1,866.84"] + ["0.00"] * 4 + [
        "152.35",
        "149.35",
        "0.00",
    ]


def test_a_table_number_is_read_on_its_own_line_or_before_the_title(read):
    # 无锡市信访局 2025 p.11: "公开 02 表" printed above 收入总表; 江苏省人民检察院 2018 p.13:
    # "公开 01 表：收支预算总表"; 杭州市气象局 p.15: "表1：2026年市级部门收支预算总表"
    assert (table(read(WUXI_XINFANG), "收入总表").number) == "公开 02 表"
    jiangsu = read("jiangsu/江苏省人民检察院__2018年省检察院部门预算公开.pdf").tables[0]
    assert (jiangsu.title, jiangsu.number) == ("收支预算总表", "公开 01 表")
    hangzhou = read("national/杭州/2026-杭州市气象局-部门预算.pdf").tables[0]
    assert (hangzhou.title, hangzhou.number, hangzhou.locator) == ("2026年市级部门收支预算总表", "表 1", "p.15")


# -- ruled tables stay as they were ---------------------------------------------------------
# Whole tables frozen after reading them against the page images: the aligned reader, the
# form-XObject rules and the table numbers changed nothing else of a ruled table.


def _frozen(tab) -> tuple:
    return (
        tab.title,
        tab.unit,
        tab.locator,
        tab.header_rows,
        tab.is_empty,
        tab.layout,
        [[c.text for c in r] for r in tab.rows],
    )


def test_a_ruled_three_public_expenses_table_is_unchanged(read):
    # 普陀区财政局 2025 部门预算 p.21: "三公" 0.95 (all 公务接待费), 机关运行经费 229.43 万元
    tab = table(read(FINANCE_2025), "三公")
    assert _frozen(tab) == (
        "2025年部门“三公”经费和机关运行经费预算表",
        "万元",
        "p.21",
        3,
        False,
        "ruled",
        [
            ["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
            ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
            ["", "", "", "小计", "购置费", "运行费", ""],
            ["0.95", "", "0.95", "", "", "", "229.43"],
        ],
    )
    assert [c.locator for c in tab.rows[3][:2]] == ["p.21 r.4 c.1", "p.21 r.4 c.2"]


def test_a_ruled_side_by_side_table_is_unchanged(read):
    # 普陀区财政局 2025 部门预算 p.14, in 元: three blank rows at the foot are no rows
    tab = table(read(FINANCE_2025), "财政拨款收支预算总表")
    assert _frozen(tab) == (
        "2025年部门财政拨款收支预算总表",
        "元",
        "p.14",
        2,
        False,
        "ruled",
        [
            ["财政拨款收入", "", "财政拨款支出", "", "", "", ""],
            ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
            ["一、一般公共预算资金", "31,214,205.80", "一、一般公共服务支出", "22,186,440.80", "22,186,440.80", "", ""],
            ["二、政府性基金", "", "二、社会保障和就业支出", "3,508,644.00", "3,508,644.00", "", ""],
            ["三、国有资本经营预算", "", "三、卫生健康支出", "782,164.00", "782,164.00", "", ""],
            ["", "", "四、住房保障支出", "4,736,957.00", "4,736,957.00", "", ""],
            ["收入总计", "31,214,205.80", "支出总计", "31,214,205.80", "31,214,205.80", "", ""],
        ],
    )


def test_a_ruled_income_table_with_a_spanning_header_is_unchanged(read):
    # 无锡市信访局 2025 p.11: 本年收入 over ten columns, 上年结转结余 over six; 合计 spans the code
    # and name columns (its text at the first)
    tab = table(read(WUXI_XINFANG), "收入总表")
    blank = [""] * 7  # 政府性基金预算 … 附属单位上缴收入, blank on the page
    assert _frozen(tab) == (
        "收入总表",
        "万元",
        "p.11",
        2,
        False,
        "ruled",
        [
            ["部门代码", "部门名称", "合计", "本年收入"] + [""] * 9 + ["上年结转结余"] + [""] * 5,
            [
                "",
                "",
                "",
                "小计",
                "一般公共预算",
                "政府性基金预算",
                "国有资本经营预算",
                "财政专户管理资金",
                "事业收入",
                "事业单位经营收入",
                "上级补助收入",
                "附属单位上缴收入",
                "其他收入",
                "小计",
                "一般公共预算",
                "政府性基金预算",
                "国有资本经营预算",
                "财政专户管理资金",
                "单位资金",
            ],
            ["合计", "", "2,867.94", "2,867.94", "2,723.94"] + blank + ["144.00"] + [""] * 6,
            ["113", "无锡市信访局", "2,867.94", "2,867.94", "2,723.94"] + blank + ["144.00"] + [""] * 6,
            ["113001", "无锡市信访局（本级）", "2,304.79", "2,304.79", "2,160.79"] + blank + ["144.00"] + [""] * 6,
            ["113002", "无锡市人民来访接待中心", "563.15", "563.15", "563.15"] + blank + [""] + [""] * 6,
        ],
    )


# -- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("scanned.pdf", "no text layer: scanned PDF"),
        ("encrypted.pdf", "encrypted PDF: a password is needed"),
        ("truncated.pdf", "damaged PDF"),
    ],
)
def test_unreadable_pdfs_are_refused_with_a_reason(name, reason):
    with pytest.raises(PdfRefused, match=reason):
        read_pdf((FIXTURES / name).read_bytes(), name)


def test_the_pipeline_rejects_them_and_goes_on():
    data = (FIXTURES / "scanned.pdf").read_bytes()
    row, extraction = ingest_file(data, "scanned.pdf", "0" * 64, len(data))
    assert (row.status, extraction) == ("rejected", None)
    assert (
        row.reason
        == "could not be read: PdfRefused: no text layer: scanned PDF (pages are images), OCR would be needed"
    )


def test_a_pdf_cut_in_half_never_crashes_the_build():
    data = (SAMPLES / WANLI_2025).read_bytes()
    half = data[: len(data) // 2]
    row, _ = ingest_file(half, "half.pdf", "1" * 64, len(half))
    assert row.status in ("parsed", "warned", "rejected")
