"""Portal pages: information block, running text and tables, read with a real HTML parser."""

from __future__ import annotations

from ingest.readers.html import read_html

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某局2024年度部门决算</title></head><body>
<div class="xxgk"><span>索引号：11510000MB1234567X/2025-00001</span> <span>发布机构：某市某区某某局</span>
<span>发文时间：2025-09-30</span></div>
<h2>一、收入支出决算总体情况说明</h2>
<p>　　2024年度收、支总计均为1,727.58万元。与2023年相比，收、支总计各增加
   542.05万元，增长45.72%。</p>
<p>第一行<br>第二行</p>
<table><tr><td><p>布局表格里的正文。</p></td></tr></table>
<p>收入决算表</p><p>单位：万元</p>
<table>
<tr><th rowspan="2">项目</th><th colspan="2">本年收入</th></tr>
<tr><th>合计</th><th>财政拨款</th></tr>
<tr><td>一般公共服务支出</td><td>10.50</td><td>0</td></tr>
</table>
<script>document.write("脚本")</script>
</body></html>"""


def _page() -> bytes:
    return PAGE.encode("gb2312")


def test_information_block_one_line_per_field():
    document = read_html(_page(), "a.html")
    texts = [line.text for line in document.lines]
    assert texts[0] == "某局2024年度部门决算" and document.lines[0].locator == "title"
    assert "发布机构：某市某区某某局" in texts
    assert "发文时间：2025-09-30" in texts
    assert document.warnings == ["encoding: decoded as GB18030 (not UTF-8)"]


def test_running_text_collapses_like_a_browser():
    document = read_html(_page(), "a.html")
    by_text = {line.text: line.locator for line in document.lines}
    sentence = "2024年度收、支总计均为1,727.58万元。与2023年相比，收、支总计各增加 542.05万元，增长45.72%。"
    assert by_text[sentence] == "p[1]"
    assert by_text["一、收入支出决算总体情况说明"] == "h2[1]"
    assert by_text["第一行"] == by_text["第二行"] == "p[2]"
    assert by_text["布局表格里的正文。"] == "p[3]"  # a one-column table is layout
    assert "脚本" not in document.text


def test_data_table_on_a_grid_with_spans():
    table = read_html(_page(), "a.html").tables[0]
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["项目", "本年收入", ""],
        ["", "合计", "财政拨款"],
        ["一般公共服务支出", "10.50", "0"],
    ]
    assert table.rows[2][1].locator == "table[2] r3c2"
    assert (table.locator, table.title, table.unit, table.header_rows) == ("table[2]", "收入决算表", "万元", 2)


def test_information_block_as_label_and_value_cells():
    page = """<html><body><table>
    <tr><td>索引号：</td><td>001</td><td>发布机构</td><td>某县财政局</td></tr>
    <tr><td>发文时间：</td><td>2025-01-01</td><td>文号：</td><td></td></tr></table>
    <p>正文</p></body></html>"""
    document = read_html(page.encode("utf-8"), "b.html")
    assert [(line.text, line.locator) for line in document.lines[:3]] == [
        ("索引号：001", "table[1] r1c1"),
        ("发布机构：某县财政局", "table[1] r1c3"),
        ("发文时间：2025-01-01", "table[1] r2c1"),
    ]
    assert document.tables == []
