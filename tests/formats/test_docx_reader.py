"""Word .docx: paragraphs and tables in body order, merged cells laid out on the grid."""

from __future__ import annotations

import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ingest.parse.readers.docx import read_docx


def _document() -> bytes:
    word = docx.Document()
    word.add_heading("一、收入决算情况", level=2)
    word.add_paragraph("收入决算表")
    word.add_paragraph("单位：万元")
    table = word.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "项目"  # horizontal merge
    table.cell(0, 2).text, table.cell(0, 3).text = "合计", "基本支出"
    for r, values in enumerate([("201", "一般公共服务支出", "10.5", "0"), ("", "人大事务", "3", "")], start=1):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    top, below = table.cell(1, 0), table.cell(2, 0)  # vertical merge, the way Word writes it
    restart = OxmlElement("w:vMerge")
    restart.set(qn("w:val"), "restart")
    top._tc.get_or_add_tcPr().append(restart)
    below._tc.get_or_add_tcPr().append(OxmlElement("w:vMerge"))
    below.text = "不应读到"  # a covered cell's text is not Word's shown text
    paragraph = word.add_paragraph("第一行")
    paragraph.add_run().add_break()
    paragraph.add_run("第二行\t后")
    word.add_paragraph("")
    word.add_paragraph("\u3000\u3000正文 1,727.58万元。")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_paragraphs_in_body_order_with_paragraph_locators():
    document = read_docx(_document(), "a.docx")
    assert [(line.text, line.locator) for line in document.lines] == [
        ("一、收入决算情况", "para 1"),
        ("收入决算表", "para 2"),
        ("单位：万元", "para 3"),
        ("第一行", "para 4"),  # a line break splits a paragraph into lines with one locator
        ("第二行\t后", "para 4"),
        ("正文 1,727.58万元。", "para 6"),  # empty paragraphs count, ideographic spaces cleaned
    ]
    assert document.format == "docx" and document.warnings == []


def test_table_cells_on_the_grid_with_merges_once():
    table = read_docx(_document(), "a.docx").tables[0]
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["项目", "", "合计", "基本支出"],
        ["201", "一般公共服务支出", "10.5", "0"],
        ["", "人大事务", "3", ""],
    ]
    assert table.rows[1][2].locator == "table 1 r2c3"
    assert (table.locator, table.title, table.unit, table.header_rows) == ("table 1", "收入决算表", "万元", 1)


def test_a_table_s_own_title_row_names_it():
    word = docx.Document()
    word.add_paragraph("前言")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "部门预算项目支出绩效自评表"
    table.cell(1, 0).text, table.cell(1, 1).text = "项目名称", "某项目"
    buffer = io.BytesIO()
    word.save(buffer)
    table = read_docx(buffer.getvalue(), "b.docx").tables[0]
    assert table.title == "部门预算项目支出绩效自评表" and table.unit is None
