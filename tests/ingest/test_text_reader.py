"""The text reader: bookmarks removed, tab-led table cells grouped into rows, encodings detected."""

from __future__ import annotations

from ingest.readers.detect import detect_format, extension_mismatch
from ingest.readers.text import read_text

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
