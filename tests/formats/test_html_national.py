"""The four web pages of samples/national, read by the HTML reader.

Expected values were read by hand: the 烟台 page boxes rendered one by one with headless
Chromium (each ``<div class="page">`` cut out with the page's own CSS) and looked at; the
重庆 and 昆明 pages from their markup in a text editor (tags stripped by eye). Page N of 烟台
is the Nth page box of the file (its printed footer is N-1: "— 6 —" on page box 7).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import pytest

from ingest.parse.amounts import parse_number
from ingest.parse.document import Document, Table
from ingest.parse.readers.html import read_html
from tests.conftest import SAMPLES

NATIONAL = SAMPLES / "national"
YANTAI = "烟台/2026-烟台市退役军人事务局-部门预算.html"
CHONGQING = "重庆/2026-中共重庆市委宣传部-部门预算.html"
KUNMING_AUDIT = "昆明/2026-昆明市审计局（汇总）-部门预算.html"
KUNMING_OFFICE = "昆明/2026-昆明市人民政府办公室机关-部门预算.html"
AMOUNT_RE = re.compile(r"\d[\d,]*\.\d\d")


@cache
def _read(name: str) -> Document:
    return read_html((NATIONAL / name).read_bytes(), f"national/{name}")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _table(document: Document, title: str) -> Table:
    found = [table for table in document.tables if table.title == title]
    assert len(found) == 1, [table.title for table in document.tables]
    return found[0]


def _row(table: Table, *texts: str) -> list[str]:
    """The one row of figures holding all these cell texts (spaces ignored)."""
    wanted = [_squash(text) for text in texts]
    rows = [[cell.text for cell in row] for row in table.rows if any(AMOUNT_RE.fullmatch(cell.text) for cell in row)]
    found = [row for row in rows if all(any(_squash(cell) == text for cell in row) for text in wanted)]
    assert len(found) == 1, (texts, found)
    return found[0]


def _after(row: list[str], label: str) -> str:
    """The cell right of the cell that reads ``label``."""
    index = [_squash(cell) for cell in row].index(_squash(label))
    return row[index + 1]


# ---------------------------------------------------------------------------------------
# 烟台: a PDF converted to HTML, every fragment and border absolutely positioned


def test_yantai_tables_found_with_their_printed_titles():
    # the twelve tables 公开表1 … 公开表12, titles as printed above each (page boxes 7–27)
    document = _read(YANTAI)
    numbered = [(table.number, table.title) for table in document.tables if table.number]
    assert numbered == [
        ("公开表 1", "收支总体情况表"),
        ("公开表 2", "收入总体情况表"),
        ("公开表 3", "支出总体情况表"),
        ("公开表 4", "财政拨款收支总体情况表"),
        ("公开表 5", "一般公共预算支出情况表"),
        ("公开表 6", "一般公共预算基本支出情况表"),
        ("公开表 7", "一般公共预算“三公”经费支出情况表"),
        ("公开表 8", "政府性基金预算支出情况表"),
        ("公开表 9", "国有资本经营预算支出情况表"),
        ("公开表 10", "基本支出预算情况表"),
        ("公开表 11", "项目支出预算情况表"),
        ("公开表 12", "政府采购预算表"),
    ]
    assert all(table.unit == "万元" for table in document.tables if table.number)
    assert document.page_count == 53  # 53 page boxes in the file


def test_yantai_budget_summary_totals():
    # page box 7 (公开表1 收支总体情况表): 本年收入合计 32,471.49 | 本年支出合计 35,874.49;
    # 收入总计 35,874.49 | 支出总计 35,874.49
    table = _table(_read(YANTAI), "收支总体情况表")
    assert table.locator == "pg.7"
    totals = _row(table, "本年收入合计", "本年支出合计")
    assert _after(totals, "本年收入合计") == "32,471.49"
    assert _after(totals, "本年支出合计") == "35,874.49"
    grand = _row(table, "收入总计", "支出总计")
    assert (_after(grand, "收入总计"), _after(grand, "支出总计")) == ("35,874.49", "35,874.49")
    # the letter-spaced label "本 年 收 入 合 计" is one cell, located by page box, row and column
    cell = next(cell for row in table.rows for cell in row if _squash(cell.text) == "本年收入合计")
    assert re.fullmatch(r"pg\.7 r\.\d+ c\.1", cell.locator)


def test_yantai_general_budget_expenditure_total_and_classes():
    # page boxes 15–16 (公开表5 一般公共预算支出情况表), column 合计: 合计 28,467.65;
    # 205 教育支出 39.15 (box 15); 221 住房保障支出 759.73 (box 16, the continuation page,
    # which repeats the title and header)
    table = _table(_read(YANTAI), "一般公共预算支出情况表")
    assert table.locator == "pg.15-16"
    header = [_squash(cell.text) for cell in table.rows[0]]
    total_column = header.index("合计")
    assert _row(table, "合计")[total_column] == "28,467.65"
    assert _row(table, "205", "教育支出")[total_column] == "39.15"
    assert _row(table, "221", "住房保障支出")[total_column] == "759.73"
    assert sum(1 for row in table.rows if "类" in [cell.text for cell in row]) == 1  # header once


def test_yantai_sangong_total_and_parts():
    # page box 20 (公开表7): one row, 2025年预算数 then 2026年预算数, each
    # 合计 | 因公出国（境）经费 | 小计 | 公务用车购置经费 | 公务用车运行维护费 | 公务接待费
    table = _table(_read(YANTAI), "一般公共预算“三公”经费支出情况表")
    values = [[cell.text for cell in row] for row in table.rows if any(AMOUNT_RE.fullmatch(c.text) for c in row)]
    assert values == [["28.10", "", "19.90", "", "19.90", "8.20", "25.02", "", "17.40", "", "17.40", "7.62"]]
    years = [cell.text for cell in table.rows[0] if cell.text]
    assert years == ["2025年预算数", "2026年预算数"]
    parts = [_squash(cell.text) for cell in table.rows[1]]
    assert parts[:2] == ["合计", "因公出国（境）经费"]  # a header wrapped over two lines reads whole


def test_yantai_narrative_reads_as_paragraphs():
    # page box 30: "2026年政府采购预算1,409.65万元，其中：政府采购货物预算616.1万" wraps to
    # "元，政府采购工程预算0万元，政府采购服务预算793.55万元。"
    document = _read(YANTAI)
    texts = [line.text for line in document.lines]
    sentence = "2026年政府采购预算1,409.65万元，其中：政府采购货物预算616.1万元，政府采购工程预算0万元，政府采购服务预算793.55万元。"
    assert sentence in texts
    line = document.lines[texts.index(sentence)]
    assert re.fullmatch(r"pg\.30 l\.\d+", line.locator)
    assert "部门（单位）：烟台市退役军人事务局 单位：万元" in texts  # under each table's title
    assert not any(re.fullmatch(r"[—-]\s*\d+\s*[—-]", text) for text in texts)  # page footers "— 6 —"


def test_yantai_identity_lines_come_through():
    # <title> and <h1>: 2026年烟台市退役军人事务局部门预算; the cover (page box 1) 2026年烟台市退役军人事务局 / 部门预算
    texts = [line.text for line in _read(YANTAI).lines]
    assert texts[0] == "2026年烟台市退役军人事务局部门预算"
    assert "来源:市退役军人局" in texts and "日期:2026-01-30 16:32" in texts  # one line per field
    assert texts.index("2026年烟台市退役军人事务局") < texts.index("部门预算")
    assert not any("政务公开" in text for text in texts)  # the breadcrumb trail is navigation


# ---------------------------------------------------------------------------------------
# 重庆: Word-to-HTML, numbers split over inline elements


def test_chongqing_split_numbers_read_whole():
    # 三、财政拨款情况说明: "…比<span>202</span><span>5</span>年增加<span>1</span><span>,</span>
    # <span>066.60</span>万元，主要原因是2025年度结转1,036.60万元…"
    texts = [line.text for line in _read(CHONGQING).lines]
    line = next(text for text in texts if text.startswith("2026年政府性基金预算财政拨款收入"))
    printed = re.search(r"比2025年增加([\d,.]+)万元", line).group(1)
    assert parse_number(printed) == Decimal("1066.60")
    assert not any(re.search(r"202\s+[56]年", text) for text in texts)


def test_chongqing_narrative_expenditure_total():
    # 二、部门收支总体情况 （二）支出预算：2026年年初预算数45,369.18万元。
    texts = [line.text for line in _read(CHONGQING).lines]
    line = next(text for text in texts if text.startswith("（二）支出预算"))
    assert line.startswith(
        "（二）支出预算：2026年年初预算数45,369.18万元。按支出功能分类，包括一般公共服务支出22,022.92万元"
    )
    assert parse_number(re.search(r"预算数([\d,.]+)万元", line).group(1)) == Decimal("45369.18")


def test_chongqing_page_identity_without_navigation_or_footer():
    # <title> 中共重庆市委宣传部2026年部门预算情况说明-重庆文明网, <h1> the same without the site,
    # "发布时间：2026-03-02 来源：重庆市委宣传部"; menu 首页 文明培育 …; footer 重庆文明网版权所有, 京ICP备…
    texts = [line.text for line in _read(CHONGQING).lines]
    assert texts[0] == "中共重庆市委宣传部2026年部门预算情况说明-重庆文明网"
    assert "中共重庆市委宣传部2026年部门预算情况说明" in texts
    assert "来源：重庆市委宣传部" in texts and "发布时间：2026-03-02" in texts
    assert "文明培育" not in texts  # the site menu
    assert not any("ICP" in text or "版权所有" in text or "文明网 |" in text for text in texts)
    assert "8．重庆红岩革命历史文化中心" in texts  # a paragraph that is one link (an attachment) is content


# ---------------------------------------------------------------------------------------
# 昆明: narrative pages, amounts in 元 inside sentences


@pytest.mark.parametrize(
    ("name", "heading", "sentence"),
    [
        (
            KUNMING_AUDIT,
            "（一）部门财务收入情况",
            "2026年单位财务总收入154,991,108.01元，其中：一般公共预算121,884,997.75元，政府性基金0.00元，"
            "国有资本经营收益0.00元，财政专户管理的收入0.00元，事业收入0.00元，事业单位经营收入0.00元，"
            "上级补助收入0.00元，附属单位上缴收入0.00元，其他收入33,106,110.26元。",
        ),
        (
            KUNMING_OFFICE,
            "（一）部门财务收入情况",
            "2026年部门财务总收入80,778,193.86元，其中：一般公共预算80,778,193.86元，政府性基金0.00元，"
            "国有资本经营收益0.00元，财政专户管理资金收入0.00元，事业收入0.00元，事业单位经营收入0.00元，"
            "上级补助收入0.00元，附属单位上缴收入0.00元，其他收入0.00元。",
        ),
    ],
)
def test_kunming_sentence_with_amounts_in_yuan_is_one_line(name, heading, sentence):
    # 三、预算单位收入情况 （一）部门财务收入情况, the paragraph after the heading
    texts = [line.text for line in _read(name).lines]
    assert sentence in texts
    assert texts[texts.index(sentence) - 1] == heading


@pytest.mark.parametrize(
    ("name", "title"),
    [(KUNMING_AUDIT, "昆明市审计局（汇总）2026年预算公开"), (KUNMING_OFFICE, "昆明市人民政府办公室机关2026年预算公开")],
)
def test_kunming_navigation_and_footer_not_read(name, title):
    # top menu (市政府领导, 政府信息公开指南 …), "当前位置: 首页/…" trail, 友情链接 lists and the
    # footer "主办单位：昆明市人民政府 / 承办单位：昆明市人民政府办公室 … 滇ICP备07000700号-1"
    texts = [line.text for line in _read(name).lines]
    for navigation in ("政府信息公开指南", "市政府领导", "中国政府网", "市发展改革委"):
        assert navigation not in texts
    assert not any(
        text.startswith(("当前位置", "主办单位", "承办单位", "友情链接")) or "ICP备" in text for text in texts
    )
    assert title in texts  # the <h3> above the text
    assert any(text.startswith("来源: ") for text in texts)
