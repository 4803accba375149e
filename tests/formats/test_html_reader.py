"""Portal pages: information block, running text and tables, read with a real HTML parser."""

from __future__ import annotations

from ingest.parse.readers.html import read_html

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


# ---------------------------------------------------------------------------------------
# what is not the disclosure: menus, breadcrumb trails, the site footer

PORTAL = """<html><head><meta charset="utf-8"><title>某局2025年部门预算</title></head><body>
<div class="top"><ul><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li>
<li><a href="/b">互动交流</a></li></ul></div>
<div class="where">当前位置：<a href="/">首页</a> &gt; <a href="/c">财政预决算</a></div>
<div class="box"><h3>某局2025年部门预算</h3><p>发布时间：2025-02-01 来源：某局</p>
<div class="text">
<p>一、收支预算总体情况</p>
<p>2025年收入预算<span>1</span><span>,</span><span>234.50</span>万元，比上年增加<span>3</span>.2万元。</p>
<p>二、部门预算单位构成</p><p>纳入部门预算编制范围的单位包括：</p>
<p><a href="/files/1.pdf">1．某局（本级）</a></p>
<p>三、“三公”经费情况</p><p>2025年“三公”经费预算12.00万元，比上年减少1.00万元，主要是压减公务接待。</p>
<p>四、其他说明</p><p>部门预算公开联系人：张某，联系电话：010-12345678，如有疑问请在工作日联系。</p>
</div>
<div class="tables"><p>附表：部门收支总表</p><p>单位：万元</p>
<table><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>9.00</td></tr></table></div></div>
<div class="links"><span>相关链接：</span><a href="/x">某某网</a> | <a href="/y">某某政务网</a></div>
<div class="bottom"><p>主办单位：某市人民政府办公室</p><p>网站标识码 1234567890 备案号 ICP备000号</p></div>
</body></html>"""


def test_menus_and_footer_are_not_read_but_the_article_is():
    document = read_html(PORTAL.encode("utf-8"), "p.html")
    texts = [line.text for line in document.lines]
    assert texts[:4] == ["某局2025年部门预算", "某局2025年部门预算", "发布时间：2025-02-01", "来源：某局"]
    assert "2025年收入预算1,234.50万元，比上年增加3.2万元。" in texts  # inline spans never end a line
    assert "1．某局（本级）" in texts  # one link to an attachment is content, not navigation
    for navigation in ("首页", "政务公开", "当前位置：首页 > 财政预决算", "相关链接：某某网 | 某某政务网"):
        assert navigation not in texts
    assert not any(text.startswith(("主办单位", "网站标识码")) for text in texts)  # after the article
    table = document.tables[0]  # after the narrative, in the article: read with its caption
    assert [[cell.text for cell in row] for row in table.rows] == [["项目", "金额"], ["合计", "9.00"]]
    assert (table.title, table.unit) == ("附表：部门收支总表", "万元")


# ---------------------------------------------------------------------------------------
# a PDF converted to HTML: absolutely positioned text runs and cell boxes, no table markup


def _cell(left: float, top: float, width: float, height: float, text: str) -> str:
    """A bordered cell box in px, its text a positioned run inside it (offsets add up)."""
    return (
        f'<div style="position:absolute;left:{left}px;top:{top}px;width:{width}px;height:{height}px;'
        'border:1px solid #000">'
        f'<span style="position:absolute;left:4px;top:4px;font-size:12px">{text}</span></div>'
    )


def _positioned_page(rows: list[tuple[str, str, str]], narrative: list[str]) -> str:
    parts = [
        '<div style="position:relative;width:800px;height:1100px">',
        '<span style="position:absolute;left:300px;top:40px;font-size:20px">部门收支总表</span>',
        '<span style="position:absolute;left:640px;top:76px;font-size:12px">单位：万元</span>',
    ]
    for k, row in enumerate(rows):
        top = 100 + 24 * k
        parts += [_cell(40, top, 240, 24, row[0]), _cell(280, top, 200, 24, row[1]), _cell(480, top, 200, 24, row[2])]
    for k, text in enumerate(narrative):
        parts.append(f'<span style="position:absolute;left:40px;top:{500 + 24 * k}px;font-size:16px">{text}</span>')
    parts.append('<span style="position:absolute;left:390px;top:1060px;font-size:12px">- 1 -</span></div>')
    return "".join(parts)


PARAGRAPH = (
    "本部门二〇二五年收支预算总计六十万元，比上年减少六万四千九百四十万元，主要原因是所属事业单位划转，"
    "相关项目支出不再列入本部门预算；同时严格落实过紧日子要求，压减一般性支出和非急需非刚性支出。"
)


def test_positioned_page_is_read_by_its_geometry():
    rows = [("项目", "本年预算", "上年预算")] + [(f"支出科目{k}", f"{k}.50", f"{k + 1},000.00") for k in range(1, 11)]
    rows.append(("合计", "60.00", "65,000.00"))
    wrapped = [PARAGRAPH[k : k + 30] for k in range(0, len(PARAGRAPH), 30)]  # printed lines of 30 characters
    narrative = ["一、收支预算情况", *wrapped, "二、其他说明"]
    page = (
        f"<html><head><title>某中心2025年部门预算</title></head><body>{_positioned_page(rows, narrative)}</body></html>"
    )
    document = read_html(page.encode("utf-8"), "x.html")
    assert len(document.tables) == 1
    table = document.tables[0]
    assert (table.title, table.unit, table.locator) == ("部门收支总表", "万元", "pg.1")
    assert [[cell.text for cell in row] for row in table.rows] == [list(row) for row in rows]
    assert table.rows[11][2].locator == "pg.1 r.12 c.3"
    lines = [(line.text, line.locator) for line in document.lines]
    assert lines[1:] == [
        ("部门收支总表", "pg.1 l.1"),
        ("单位：万元", "pg.1 l.2"),
        ("一、收支预算情况", "pg.1 l.3"),
        (PARAGRAPH, "pg.1 l.4"),
        ("二、其他说明", f"pg.1 l.{4 + len(wrapped)}"),
    ]
    assert document.page_count == 1  # and the page number "- 1 -" in the bottom margin is no line


def test_a_few_positioned_elements_do_not_make_a_positioned_page():
    banner = "".join(f'<div style="position:absolute;left:{10 * k}px;top:0">浮动{k}</div>' for k in range(5))
    page = (
        f"<html><body>{banner}<p>收入决算表</p><table><tr><td>项目</td><td>金额</td></tr>"
        "<tr><td>合计</td><td>1.00</td></tr></table></body></html>"
    )
    document = read_html(page.encode("utf-8"), "y.html")
    assert document.tables[0].rows[1][1].locator == "table[1] r2c2"
    assert "浮动0" in [line.text for line in document.lines]
    assert document.page_count is None


def test_text_without_a_position_on_a_positioned_page_is_a_warning():
    rows = [("项目", "金额", "备注")] + [(f"科目{k}", f"{k}.00", "无") for k in range(1, 12)]
    page = _positioned_page(rows, []).replace("<span", "<p>无位置文字</p><span", 1)  # static, in the page box
    document = read_html(f"<html><body>{page}</body></html>".encode(), "z.html")
    assert document.warnings == ["positioned page: 5 characters of text without a position of their own: not read"]
    assert "无位置文字" not in document.text


def test_positioned_runs_straight_in_the_body_are_one_page():
    rows = [("项目", "本年预算", "上年预算")] + [(f"支出科目{k}", f"{k}.50", f"{k + 1},000.00") for k in range(1, 11)]
    runs = _positioned_page(rows, ["一、说明"])
    runs = runs[runs.index(">") + 1 : -len("</div>")]  # no page box: the runs are children of <body>
    page = f"<html><body><h1>某中心2025年部门预算</h1>{runs}<p>附注：无。</p></body></html>"
    document = read_html(page.encode("utf-8"), "b.html")
    assert [table.title for table in document.tables] == ["部门收支总表"]
    assert [line.text for line in document.lines] == [
        "某中心2025年部门预算",
        "部门收支总表",
        "单位：万元",
        "一、说明",
        "附注：无。",
    ]
    assert document.warnings == []
