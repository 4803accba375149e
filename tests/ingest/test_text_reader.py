"""The text reader: bookmarks removed, tab-led table cells grouped into rows, encodings detected."""

from __future__ import annotations

from ingest.parse.readers.detect import detect_format, extension_mismatch
from ingest.parse.readers.text import read_text

SAMPLE = "[bookmark: _Toc1]一、主要职责\n正文第一行。\n\n\t项目名称\n\t甲项目\n\n\t总额\n\t1.58\n\t1.27\n后记\n"


def test_lines_keep_their_line_numbers_and_lose_bookmarks():
    document = read_text(SAMPLE.encode(), "x.txt")
    assert [(line.text, line.locator) for line in document.lines] == [
        ("一、主要职责", "line 1"),
        ("正文第一行。", "line 2"),
        ("后记", "line 10"),
    ]


def test_tab_led_cells_become_table_rows():
    (table,) = read_text(SAMPLE.encode(), "x.txt").tables
    assert [[cell.text for cell in row] for row in table.rows] == [["项目名称", "甲项目"], ["总额", "1.58", "1.27"]]
    assert table.rows[1][2].locator == "line 9"


def test_gbk_and_bom_are_decoded():
    gbk = read_text(SAMPLE.encode("gbk"), "x.txt")
    bom = read_text(b"\xef\xbb\xbf" + SAMPLE.encode(), "x.txt")
    assert gbk.lines[1].text == bom.lines[1].text == "正文第一行。"
    assert gbk.warnings and not bom.warnings


def test_format_is_detected_from_content():
    assert detect_format(b"%PDF-1.7\n...", "a.txt") == "pdf"
    assert detect_format(b"", "a.pdf") == "empty"
    assert detect_format(b"\x00\x01\x02binary", "a.pdf") == "binary"
    assert detect_format("<html><body>决算</body></html>".encode(), "a.txt") == "html"
    assert detect_format("2023年度部门决算".encode(), "a.pdf") == "text"
    assert extension_mismatch("text", "a.pdf") == "extension says pdf, content is text"


# -- text dumps of PDFs (form feeds, rows of space-separated cells) ---------------------------

# 深圳/2026-深圳市信访局-部门预算.pdf p.26, lines as PDFium prints them (表7, first rows)
PDF_PAGE = (
    "表 7\n一般公共预算支出表（按功能分类）\n部门名称：深圳市信访局 单位：万元\n"
    "预算单位 科目编码 科目名称 支出总计 基本支出 项目支出\n"
    "深圳市信访局 4,684.30 3,072.01 1,612.29\n"
    "201 一般公共服务支出 3,459.13 1,866.84 1,592.29\n"
    "20140 信访事务 3,459.13 1,866.84 1,592.29\n"
    "- 23 -"
)


def test_a_pdf_text_dump_is_read_as_tables_by_its_form_feeds():
    document = read_text(("封面\f" + PDF_PAGE).encode(), "x.txt")
    (table,) = document.tables
    assert (table.number, table.title, table.unit, table.layout, table.locator) == (
        "表 7",
        "一般公共预算支出表（按功能分类）",
        "万元",
        "text",
        "p.2",
    )
    assert [cell.text for cell in table.rows[-1]] == ["20140", "信访事务", "3,459.13", "1,866.84", "1,592.29"]
    assert table.rows[-1][2].locator == "p.2 l.7 c.3"
    assert [(line.text, line.locator) for line in document.lines][:2] == [("封面", "p.1 l.1"), ("表 7", "p.2 l.1")]
    assert document.page_count == 2


def test_a_dump_without_form_feeds_is_told_by_its_rows_of_amounts():
    table = read_text(PDF_PAGE.encode(), "x.txt").tables[0]
    assert table.locator == "line 2" and table.rows[-1][0].locator == "line 7 c.1"


def test_prose_without_rows_of_amounts_stays_lines_only():
    document = read_text("一、部门职责\n本年收入合计1,727.58万元，支出合计1,727.58万元。\n".encode(), "x.txt")
    assert document.tables == [] and [line.locator for line in document.lines] == ["line 1", "line 2"]


def test_tab_led_cells_win_over_a_form_feed():
    document = read_text((SAMPLE + "\f后记二\n").encode(), "x.txt")
    assert [[cell.text for cell in row] for row in document.tables[0].rows] == [
        ["项目名称", "甲项目"],
        ["总额", "1.58", "1.27"],
    ]
    assert document.tables[0].layout == "ruled"
