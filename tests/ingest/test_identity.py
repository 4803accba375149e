"""Who published a disclosure, read from its content first (ingest/parse/extractors/identity.py).

Every input line below was read by hand from the real page (the PDF's text layer with
pypdfium2, the cover rendered and looked at, or the web page's source); the file and page are
given beside it. Documents are given neutral file names (doc.pdf) wherever the test is about
what the content alone says: the file name is the fallback, not the source.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parse.document import Cell, Document, Line, Table
from ingest.parse.extractors.identity import identify, is_name, label_values, read_title, split_name
from ingest.parse.readers import READERS
from ingest.parse.readers.detect import detect_format

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def pdf(*pages: list[str], tables: list[Table] = (), source: str = "doc.pdf") -> Document:
    """A PDF as the reader gives it: lines located p.N l.M (pages numbered from 1)."""
    lines = [Line(text, f"p.{p} l.{n}") for p, page in enumerate(pages, 1) for n, text in enumerate(page, 1)]
    return Document(source_file=source, format="pdf", lines=lines, tables=list(tables))


def web(*lines: tuple[str, str], source: str = "doc.html") -> Document:
    return Document(source_file=source, format="html", lines=[Line(text, locator) for locator, text in lines])


def identity(document: Document):
    warnings: list[tuple[str, str, str]] = []
    row = identify(document, "t", lambda kind, message, locator: warnings.append((kind, message, locator)))
    return row, warnings


def region(row) -> tuple:
    return row.province, row.city, row.county, row.admin_level, row.adcode


# -- covers and captions of ten cities, content only ------------------------------------------------


def test_a_cover_that_wraps_the_name_gives_the_whole_name():
    # 福州/2026-福州市公安局治安管理支队-单位预算.pdf p.1 (cover, looked at): "2026 年度 / 福州市公安局治安管理 / 支队 / 单位预算"
    row, warnings = identity(pdf(["2026 年度", "福州市公安局治安管理", "支队", "单位预算"]))
    assert row.department_name == "福州市公安局治安管理支队"  # not 福州市公安局: never cut short
    assert (row.fiscal_year, row.phase, row.scope) == (2026, "budget", "unit")
    assert region(row)[:2] == ("福建省", "福州市") and row.department_id == "350100-公安局治安管理支队"
    assert row.identity_locator == "p.1 l.1" and "支队" in row.identity_quote
    assert warnings == []


def test_own_level_qualifier_is_kept_apart_from_the_name():
    # 深圳/2026-深圳市交通运输局（本级）-部门预算.pdf p.1: "2026 年深圳市交通运输局（本级）部 / 门预算"
    row, _ = identity(pdf(["2026 年深圳市交通运输局（本级）部", "门预算"]))
    assert (row.department_name, row.name_as_printed, row.consolidation) == (
        "深圳市交通运输局",
        "深圳市交通运输局（本级）",
        "own_level",
    )
    assert (row.fiscal_year, row.phase, row.scope) == (2026, "budget", "department")  # a 部门预算 of the bureau alone
    assert row.department_id == "440300-交通运输局"


def test_a_final_accounts_cover_wrapped_mid_name_names_its_district():
    # shanghai/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf p.1: "上海市普陀区规划和自然 / 资源局 / 2024 年度部门决算"
    row, _ = identity(pdf(["上海市普陀区规划和自然", "资源局 ", "2024 年度部门决算 "]))
    assert row.department_name == "上海市普陀区规划和自然资源局"  # was 资源局 with region 000000
    assert (row.fiscal_year, row.phase) == (2024, "final")
    assert region(row) == ("上海市", "上海市", "普陀区", "county", "310107")


def test_the_cover_states_own_level_where_the_table_caption_does_not():
    # 长春/2026-长春市信访局（本级）-部门预算.pdf p.1 ". 长春市信访局（本级） / 2026年度部门预算公开 / 初审：徐 宁";
    # p.6 prints the caption in the table's first cell: "预算单位：长春市信访局 单位：万元"
    table = Table(
        rows=[
            [Cell("收支总表（预算表 1）", "p.6 r.1 c.1")],
            [Cell("预算单位：长春市信访局", "p.6 r.2 c.1"), Cell("单位：万元", "p.6 r.2 c.8")],
        ],
        locator="p.6",
    )
    row, _ = identity(pdf([". 长春市信访局（本级）", "2026年度部门预算公开", "初审：徐 宁"], tables=[table]))
    assert (row.department_name, row.name_as_printed, row.consolidation) == (
        "长春市信访局",
        "长春市信访局（本级）",
        "own_level",
    )
    assert row.department_id == "220100-信访局"


def test_a_caption_that_prints_the_name_without_its_city_is_the_covers_name():
    # 湖州/2026-湖州市退役军人事务局-部门预算.pdf p.1 "湖州市退役军人事务局 2026 年 / 部门预算";
    # p.17 (and every table page): "511-退役军人事务局 单位：万元"
    row, _ = identity(
        pdf(
            ["湖州市退役军人事务局 2026 年", "部门预算"],
            *[["表01", "2026年市级部门收支预算总表", "511-退役军人事务局 单位：万元"]] * 3,
        )
    )
    assert row.department_name == "湖州市退役军人事务局"
    assert row.department_id == "330500-退役军人事务局"


def test_own_level_and_department_budget_of_one_bureau_do_not_collide():
    # 无锡/2026-无锡市教育局（本级）-单位预算.pdf p.1 "2026 年度 / 无锡市教育局（本级） / 单位预算公开",
    # p.14 "无锡市教育局（本级）2026 年度单位预算公开" … "单位：无锡市教育局（本级） 单位：万元";
    # 无锡/2026-无锡市教育局-部门预算.pdf p.1 "2026 年度无锡市教育局部门预算公开", p.6 "2.从预算单位构成看，纳入本部门
    # 2026 年部门汇总预算编 / 制范围的预算单位共计 42 家，…", p.15 "无锡市教育局 2026 年度部门预算公开" … "部门：无锡市教育局 单位：万元"
    own, _ = identity(
        pdf(
            ["2026 年度 ", "无锡市教育局（本级） ", "单位预算公开"],
            [],
            [
                "无锡市教育局（本级）2026 年度单位预算公开",
                "- 13 -",
                "公开 01 表",
                "收支总表",
                "单位：无锡市教育局（本级） 单位：万元",
            ],
        )
    )
    whole, _ = identity(
        pdf(
            ["2026 年度无锡市教育局部门预算公开"],
            [
                "2.从预算单位构成看，纳入本部门 2026 年部门汇总预算编",
                "制范围的预算单位共计 42 家，具体包括：无锡市教育局（本",
            ],
            ["无锡市教育局 2026 年度部门预算公开", "- 14 -", "公开 01 表", "收支总表", "部门：无锡市教育局 单位：万元"],
        )
    )
    assert own.department_name == whole.department_name == "无锡市教育局"
    assert own.department_id == whole.department_id == "320200-教育局"  # one department …
    assert (own.name_as_printed, own.consolidation, own.scope) == ("无锡市教育局（本级）", "own_level", "unit")
    assert (whole.name_as_printed, whole.consolidation, whole.scope) == ("无锡市教育局", "consolidated", "department")
    assert (whole.consolidation_locator, own.consolidation_locator) == ("p.2 l.1", "p.1 l.1")
    key = ("department_id", "fiscal_year", "phase", "scope", "consolidation")  # … two disclosures
    assert tuple(getattr(own, k) for k in key) != tuple(getattr(whole, k) for k in key)


def test_a_budget_that_says_it_is_consolidated_is_consolidated():
    # 深圳/2026-深圳市水务局-部门预算.pdf p.1 "2026 年深圳市水务局部门预算"; p.5 "本部门预算为汇总预算，包括：深圳市水务局（本级）预"
    row, _ = identity(
        pdf(
            ["2026 年深圳市水务局部门预算"],
            [],
            [],
            [],
            ["综合指挥调度和保障中心共 13 家基层预算单位。", "本部门预算为汇总预算，包括：深圳市水务局（本级）预"],
        )
    )
    assert (row.department_name, row.name_as_printed, row.consolidation) == (
        "深圳市水务局",
        "深圳市水务局",
        "consolidated",
    )
    assert row.consolidation_locator == "p.5 l.2"
    # the same bureau's own level, printed on its cover, is not overruled by a sentence
    # (深圳/2026-深圳市交通运输局（本级）-部门预算.pdf p.1)
    own, _ = identity(pdf(["2026 年深圳市交通运输局（本级）部", "门预算"], ["本部门预算为汇总预算"]))
    assert own.consolidation == "own_level"


def test_a_party_department_is_not_its_party_committee():
    # 重庆/2026-中共重庆市委宣传部-部门预算.html: <title>, <h1>, and the site footer (page source)
    row, _ = identity(
        web(
            ("title", "中共重庆市委宣传部2026年部门预算情况说明-重庆文明网"),
            ("li[1]", "首页"),
            ("h1[1]", "中共重庆市委宣传部2026年部门预算情况说明"),
            ("div[11]", "发布时间：2026-03-02 来源：重庆市委宣传部"),
            ("div[20]", "重庆市委宣传部 重庆市委文明办主办"),
        )
    )
    assert row.department_name == "中共重庆市委宣传部"  # was 中共重庆市委
    assert (row.fiscal_year, row.phase, row.scope) == (2026, "budget", "department")
    assert row.department_id == "500000-市委宣传部"
    assert region(row)[:2] == ("重庆市", "重庆市")  # a municipality is its own city


def test_a_department_budget_with_tables_titled_unit_stays_a_department_budget():
    # 重庆/2026-中共重庆市委宣传部-部门预算.pdf p.1 "— 1 — / 中共重庆市委宣传部 / 2026 年部门预算情况说明 / 一、单位基本情况";
    # p.8 "表一 / 2026 年单位收支总体情况表 / 单位名称：中共重庆市委宣传部 单位：万元"
    row, _ = identity(
        pdf(
            ["— 1 —", "中共重庆市委宣传部", "2026 年部门预算情况说明", "一、单位基本情况"],
            ["— 8 —", "表一", "2026 年单位收支总体情况表", "单位名称：中共重庆市委宣传部 单位：万元"],
        )
    )
    assert (row.department_name, row.scope, row.phase) == ("中共重庆市委宣传部", "department", "budget")
    # the web page and the PDF of the same department-year are one department
    assert row.department_id == "500000-市委宣传部"


def test_consolidated_is_a_scope_kept_and_the_site_footer_is_not_the_publisher():
    # 昆明/2026-昆明市审计局（汇总）-部门预算.html (page source): <title>, <h3>, p[2], and the site footer p[157]
    row, warnings = identity(
        web(
            ("title", "昆明市审计局（汇总）2026年预算公开_部门预决算及“三公”经费_昆明市人民政府门户网站"),
            ("h3[1]", "昆明市审计局（汇总）2026年预算公开"),
            ("p[2]", "第一部分 昆明市审计局（汇总）2026年部门预算编制说明"),
            ("p[157]", "承办单位：昆明市人民政府办公室  地址：昆明市呈贡区锦绣大街1号  联系电话：0871-63123819"),
        )
    )
    assert (row.department_name, row.name_as_printed, row.consolidation) == (
        "昆明市审计局",
        "昆明市审计局（汇总）",
        "consolidated",
    )
    assert (row.fiscal_year, row.phase, row.scope) == (2026, "budget", "department")
    assert region(row)[:2] == ("云南省", "昆明市") and warnings == []


def test_jiguan_alone_is_the_own_level():
    # 昆明/2026-昆明市人民政府办公室机关-部门预算.html <h3>: "昆明市人民政府办公室机关2026年预算公开"
    row, _ = identity(web(("h3[1]", "昆明市人民政府办公室机关2026年预算公开")))
    assert (row.department_name, row.name_as_printed, row.consolidation) == (
        "昆明市人民政府办公室",
        "昆明市人民政府办公室机关",
        "own_level",
    )


@pytest.mark.parametrize(
    ("pages", "name", "adcode"),
    [
        # 杭州/2026-杭州市气象局-部门预算.pdf p.1 and p.15
        (
            [
                ["杭州市气象局", "2026 年度部门预算"],
                ["14", "表1：2026年市级部门收支预算总表", "部门名称：杭州市气象局 单位：万元"],
            ],
            "杭州市气象局",
            "330100",
        ),
        # 烟台/2026-烟台市信访局-部门预算.pdf p.1 and p.6
        (
            [["2026年烟台市信访局部门预算"], ["公开表1", " 收支总体情况表", "部门（单位）：烟台市信访局 单位：万元"]],
            "烟台市信访局",
            "370600",
        ),
        # 珠海/2026-珠海市商务局-部门预算.pdf p.1 and p.6 (the caption above the part title)
        (
            [
                ["2026年", "珠海市商务局部门预算"],
                ["单位名称：珠海市商务局 单位：万元", "第二部分 2026年部门预算表", "表1"],
            ],
            "珠海市商务局",
            "440400",
        ),
        # 长沙/2026-长沙市信访局-部门预算.pdf p.1 and p.12
        (
            [
                ["长沙市信访局", "2026 年部门预算公开"],
                ["2026年部门收支总体情况表", "部门名称：长沙市信访局 单位：万元"],
            ],
            "长沙市信访局",
            "430100",
        ),
    ],
)
def test_cover_and_caption_agree_on_the_city_department(pages, name, adcode):
    row, warnings = identity(pdf(*pages))
    assert (row.department_name, row.adcode, row.admin_level) == (name, adcode, "city")
    assert (row.fiscal_year, row.phase, row.scope, row.consolidation) == (2026, "budget", "department", "")
    assert warnings == []


def test_a_unit_budget_named_by_its_budget_unit_label():
    # 上海/2026-上海市审计局-单位预算.pdf p.1 "上海市2026年市级单位预算 / 预算单位：上海市审计局";
    # p.7 "2026年预算单位财务收支预算总表 / 编制单位：上海市审计局 单位：元"
    row, _ = identity(
        pdf(
            ["上海市2026年市级单位预算", "预算单位：上海市审计局"],
            [],
            [],
            [],
            [],
            [],
            ["2026年预算单位财务收支预算总表", "编制单位：上海市审计局 单位：元"],
        )
    )
    assert (row.department_name, row.fiscal_year, row.phase, row.scope) == ("上海市审计局", 2026, "budget", "unit")
    assert region(row) == ("上海市", "上海市", None, "province", "310000")
    assert row.identity_locator == "p.1 l.2" and row.year_phase_locator == "p.1 l.1"


def test_three_printings_of_one_party_office_are_one_department():
    # jiangsu/江苏省委办公厅__江苏省委办公厅2018年度部门预算公开表.pdf p.1 (text layer):
    # "江苏省2018年度 / 省级部门预算公开报表 / 部 门:中共江苏省委办公厅 / 江苏省财政厅印制"
    tables_2018, _ = identity(
        pdf(["江苏省2018年度", "省级部门预算公开报表", "部 门:中共江苏省委办公厅", " 江苏省财政厅印制"])
    )
    # …2017年预算公开表格.pdf p.1 "部门：中国共产党江苏省委员会办公厅 单位：万元"; p.12 "2017年政府采购预算表"
    tables_2017, _ = identity(
        pdf(["收支预算总表", "部门：中国共产党江苏省委员会办公厅 单位：万元"], *[[]] * 10, ["2017年政府采购预算表"])
    )
    # …江苏省委办公厅2017年部门预算.pdf p.1 "江苏省委办公厅2017年度部门预算"; p.4 "直属事业单位：东郊国宾馆、西康宾馆。"
    narrative_2017, _ = identity(
        pdf(["江苏省委办公厅2017年度部门预算", "目 录"], [], [], ["直属事业单位：东郊国宾馆、西康宾馆。"])
    )
    assert (tables_2018.department_name, tables_2018.fiscal_year) == ("中共江苏省委办公厅", 2018)
    assert (tables_2017.department_name, tables_2017.fiscal_year, tables_2017.phase) == (
        "中国共产党江苏省委员会办公厅",
        2017,
        "budget",
    )
    assert narrative_2017.department_name == "江苏省委办公厅"  # not 东郊国宾馆, a unit listed under it
    assert tables_2018.department_id == tables_2017.department_id == narrative_2017.department_id == "320000-省委办公厅"


def test_a_final_accounts_whose_annex_is_titled_budget_stays_final():
    # sichuan/2023-四川省遂宁市安居区社会保险事业管理局-部门决算.txt lines 1, 20, 142-144
    lines = [
        Line("第一部分 部门概况", "line 1"),
        Line("第二部分 2023年度部门决算情况说明", "line 20"),
        Line(" 第四部分 附件", "line 142"),
        Line(" 遂宁市安居区社会保险事业管理局", "line 143"),
        Line("部门预算绩效评价报告", "line 144"),
    ]
    row, _ = identity(Document(source_file="doc.txt", format="text", lines=lines))
    assert row.department_name == "遂宁市安居区社会保险事业管理局"  # the annex's title; not 附件遂宁…
    assert (row.fiscal_year, row.phase, row.scope) == (2023, "final", "department")
    assert region(row) == ("四川省", "遂宁市", "安居区", "county", "510904")
    assert row.identity_locator == "line 143" and row.year_phase_locator == "line 20"


def test_a_2025_budget_is_2025():
    # 无锡/2025-无锡市信访局-部门预算.pdf p.1: "2025 年度无锡市信访局部门预算公开"
    row, _ = identity(pdf(["2025 年度无锡市信访局部门预算公开"], ["目录", "第一部分部门概况"]))
    assert (row.department_name, row.fiscal_year) == ("无锡市信访局", 2025)


# -- regressions of the old rules ---------------------------------------------------------------


def test_a_district_party_department_is_not_the_district_committee():
    # Modelled on the Shanghai district covers (samples/shanghai/…规划和自然资源局 2024 p.1: the name wrapped
    # over two lines above "2024 年度部门决算") with the department the issue reported.
    row, _ = identity(pdf(["中共上海市普陀区委", "社会工作部", "2024 年度部门决算"]))
    assert row.department_name == "中共上海市普陀区委社会工作部"
    assert row.department_id == "310107-区委社会工作部"


def test_a_branch_office_wrapped_on_the_cover_is_neither_its_bureau_nor_a_fragment():
    # 深圳/2026-深圳市规划和自然资源局大鹏管理局-部门预算.pdf p.1 "2026 年深圳市规划和自然资源局大鹏 / 管理局部门预算";
    # p.16 "部门名称：深圳市规划和自然资源局大鹏管理局 单位：万元"
    cover = ["2026 年深圳市规划和自然资源局大鹏", "管理局部门预算"]
    assert identity(pdf(cover))[0].department_name == "深圳市规划和自然资源局大鹏管理局"
    row, _ = identity(
        pdf(cover, ["二、表格部分", "表 1", "收支总表", "部门名称：深圳市规划和自然资源局大鹏管理局 单位：万元"])
    )
    assert row.department_name == "深圳市规划和自然资源局大鹏管理局"


def test_never_a_heading_fragment():
    # jiangsu/江苏省政协办公厅__江苏省政协办公厅2019年度部门预算.pdf: p.1 has no text, p.2 is the contents
    row, _ = identity(
        pdf(
            [],
            [
                "目录",
                "第一部分部门概况",
                "一、主要职能",
                "二、部门机构设置及预算单位构成情况",
                "第二部分2019年度部门预算表",
            ],
        )
    )
    assert row.department_name is None and row.department_id is None  # was 第一部 (from 第一部分)
    assert (row.fiscal_year, row.phase) == (2019, "budget")
    for fragment in ("第一部", "第一部分", "部门概况", "单位职责", "主要职能", "目录", "一、收支预算总表"):
        assert not is_name(fragment) and split_name(fragment) is None, fragment


def test_a_heading_is_cut_off_a_name_and_never_glued_to_one():
    # shanghai/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf p.2 l.5
    [reading] = read_title("第二部分上海市普陀区规划和自然资源局2024年度部门决算")
    assert reading.name == ("上海市普陀区规划和自然资源局", "上海市普陀区规划和自然资源局", "")
    assert (reading.year, reading.scope, reading.phase) == (2024, "部门", "决算")


def test_labels_of_other_parties_are_not_the_publisher():
    # jiangsu/江苏省委办公厅__江苏省委办公厅2017年部门预算.pdf p.4: a list of the office's units
    assert list(label_values("直属事业单位：东郊国宾馆、西康宾馆。")) == []
    # 昆明 web pages' footer: the site's operator
    assert list(label_values("承办单位：昆明市人民政府办公室  地址：昆明市呈贡区锦绣大街1号")) == []
    # 杭州/2026-杭州市交通运输局-部门预算.pdf p.24: the caption glued to its unit
    assert list(label_values("部门名称：杭州市交通运输局单位：万元")) == ["杭州市交通运输局"]
    # 湖州/2026-湖州市财政局-部门预算.pdf: the department code joined to the name
    assert list(label_values("341-湖州市财政局 单位：万元")) == ["湖州市财政局"]


# -- central government, region from content, fallbacks ---------------------------------------


def test_a_central_department_has_no_province():
    # Modelled on the central departments' 部门决算 (cover: name over "<year>年度部门决算"; captions
    # "部门：<name> 金额单位：万元"); no central report ships with the samples.
    row, warnings = identity(
        pdf(["国家统计局", "2023年度部门决算"], ["收入支出决算总表", "部门：国家统计局 金额单位：万元"])
    )
    assert (row.department_name, row.fiscal_year, row.phase) == ("国家统计局", 2023, "final")
    assert region(row) == (None, None, None, "central", "100000")
    assert row.department_id == "100000-国家统计局" and warnings == []
    ministry, _ = identity(pdf(["教育部", "2023年度部门决算"]))
    assert region(ministry) == (None, None, None, "central", "100000")


def test_a_central_bureaus_local_branch_is_local():
    row, _ = identity(pdf(["国家税务总局上海市税务局", "2025年度部门预算"]))
    assert row.admin_level != "central" and row.province == "上海市"


def test_the_region_comes_from_the_cover_when_the_name_does_not_say_it():
    # the Shanghai unit cover (上海/2026-上海市审计局-单位预算.pdf p.1) with a label that drops the city
    row, warnings = identity(pdf(["上海市2026年市级单位预算", "预算单位：审计局"]))
    assert row.department_name == "审计局" and row.adcode == "310000"  # never 000000 when the cover names the city
    assert not [w for w in warnings if w[0] == "identity_region_from_file_name"]


def test_the_file_name_is_the_fallback_with_a_warning():
    row, warnings = identity(pdf(["目录", "第一部分部门概况"], source="national/福州/2026-福州市商务局-部门预算.pdf"))
    assert (row.department_name, row.identity_locator) == ("福州市商务局", "file name")
    assert [kind for kind, _, _ in warnings] == ["identity_from_file_name"]


def test_content_wins_over_the_file_name():
    # a file named after the collector's short name; the page prints the office's name
    row, _ = identity(
        pdf(
            ["江苏省人大常委会办公厅", "2017年度部门预算"],
            source="jiangsu/江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf",
        )
    )
    assert row.department_name == "江苏省人大常委会办公厅" and row.identity_locator == "p.1 l.1"


def test_nothing_named_is_unknown():
    row, warnings = identity(pdf(["目录", "第一部分部门概况"]))
    assert (row.department_name, row.department_id, row.adcode, row.consolidation) == (None, None, None, "")
    assert warnings == []  # the pipeline warns identity_unknown


# -- the real files, renamed: what content alone gives ---------------------------------------------


REAL = {
    # file: (name as printed, year, phase, scope, consolidation, adcode) — read on the cover / title (see above)
    "national/福州/2026-福州市公安局治安管理支队-单位预算.pdf": (
        "福州市公安局治安管理支队",
        2026,
        "budget",
        "unit",
        "",
        "350100",
    ),
    "national/深圳/2026-深圳市交通运输局（本级）-部门预算.pdf": (
        "深圳市交通运输局（本级）",
        2026,
        "budget",
        "department",
        "own_level",
        "440300",
    ),
    "shanghai/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf": (
        "上海市普陀区规划和自然资源局",
        2024,
        "final",
        "department",
        "",
        "310107",
    ),
    "national/重庆/2026-中共重庆市委宣传部-部门预算.html": (
        "中共重庆市委宣传部",
        2026,
        "budget",
        "department",
        "",
        "500000",
    ),
    "national/昆明/2026-昆明市审计局（汇总）-部门预算.html": (
        "昆明市审计局（汇总）",
        2026,
        "budget",
        "department",
        "consolidated",
        "530100",
    ),
    "national/无锡/2026-无锡市教育局（本级）-单位预算.pdf": (
        "无锡市教育局（本级）",
        2026,
        "budget",
        "unit",
        "own_level",
        "320200",
    ),
    "national/湖州/2026-湖州市退役军人事务局-部门预算.pdf": (
        "湖州市退役军人事务局",
        2026,
        "budget",
        "department",
        "",
        "330500",
    ),
    "national/长沙/2025-长沙市公安局-部门预算.pdf": ("长沙市公安局", 2025, "budget", "department", "", "430100"),
    "national/烟台/2026-烟台市退役军人事务局-部门预算.html": (
        "烟台市退役军人事务局",
        2026,
        "budget",
        "department",
        "",
        "370600",
    ),
    "sichuan/2023-四川省遂宁市安居区社会保险事业管理局-部门决算.txt": (
        "遂宁市安居区社会保险事业管理局",
        2023,
        "final",
        "department",
        "",
        "510904",
    ),
}


@pytest.mark.parametrize("path", sorted(REAL))
def test_real_file_under_a_neutral_name(path):
    data = (SAMPLES / path).read_bytes()
    neutral = "doc." + path.rsplit(".", 1)[1]
    row, warnings = identity(READERS[detect_format(data, neutral)](data, neutral))
    printed, year, phase, scope, consolidation, adcode = REAL[path]
    assert (row.name_as_printed, row.fiscal_year, row.phase, row.scope, row.consolidation, row.adcode) == (
        printed,
        year,
        phase,
        scope,
        consolidation,
        adcode,
    )
    assert not [w for w in warnings if w[0].startswith("identity_from") or w[0] == "identity_region_from_file_name"]
