"""Labels and printed codes → 政府收支分类科目 codes.

Inputs are labels as the shipped documents print them (samples/); expected codes were checked
by hand against the official classification.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.parse.classification import (
    CODE_DISTRUSTED,
    LOCAL_ITEM,
    NAME_OVER_CODE,
    SAME_DOCUMENT_TABLE,
    Alias,
    RefRow,
    _match_name,
    code_from_columns,
    economic_reference,
    name_key,
    normalise_code,
    resolve_economic,
    resolve_economic_table,
    resolve_from_table_lines,
    resolve_function,
    split_label_path,
)
from ingest.parse.document import Cell, Document, Table
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.function_lines import add_function_line, resolve_narrative_from_tables
from ingest.parse.extractors.tables import extract_tables
from ingest.parse.records import DocumentRow
from ingest.settings import settings

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# Sichuan 2023 决算 (遂宁市安居区社会保险事业管理局), lines 70-80, labels as printed: line 70 has
# 社会保障和就业（类） without 支出 and no （项） marker, line 75 a double space.
SICHUAN_ITEMS = [
    ("社会保障和就业（类）人力资源和社会保障管理事务（款）社会保险经办机构支出", "2080109"),
    ("社会保障和就业（类）人力资源和社会保障管理事务（款）其他人力资源和社会保障管理事务支出（项）", "2080199"),
    ("社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）", "2080501"),
    ("社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）", "2080505"),
    ("社会保障和就业支出（类）行政事业单位养老支出（款）其他行政事业单位养老支出（项）", "2080599"),
    ("社会保障和就业支出（类）抚恤（款）  死亡抚恤（项）", "2080801"),
    ("社会保障和就业支出（类）其他社会保障和就业支出（款）其他社会保障和就业支出（项）", "2089999"),
    ("卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）", "2101101"),
    ("卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）", "2101102"),
    ("卫生健康支出（类）行政事业单位医疗（款）公务员医疗补助（项）", "2101103"),
    ("住房保障支出（类）住房改革支出（款）住房公积金（项）", "2210201"),
]


def _read_seed(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (settings().reference_seeds / name).open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


# ----------------------------------------------------------------------------- Sichuan narrative


@pytest.mark.parametrize(("label", "code"), SICHUAN_ITEMS)
def test_sichuan_item_paths(label, code):
    match = resolve_function(label, year=2023)
    assert (match.code, match.level, match.method, match.score) == (code, "项", "name_path", 100.0)


def test_sichuan_labels_are_the_printed_ones():
    lines = next((SAMPLES / "sichuan").glob("*.txt")).read_text(encoding="utf-8").splitlines()[69:80]
    printed = [re.sub(r"^\d+\.", "", re.split(r"[:：]?\s*支出决算为", line)[0]) for line in lines]
    assert printed == [label for label, _ in SICHUAN_ITEMS]


def test_sichuan_line_with_numbering_and_colon():
    # the whole head of line 75, list number and colon included
    assert resolve_function("6.社会保障和就业支出（类）抚恤（款）  死亡抚恤（项）:").code == "2080801"


# ----------------------------------------------------------------------------- text helpers


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("208 05 05", "2080505"),
        ("2080505", "2080505"),
        ("208-05-05", "2080505"),
        (" 20805 ", "20805"),
        ("２０８", "208"),
        ("2080", None),
        ("合计", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_code(printed, code):
    assert normalise_code(printed) == code


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        (["301", "2"], "30102"),  # 普陀区万里街道 2024 p.29: the text layer dropped the leading zero
        (["208", "5", "5"], "2080505"),
        (["301 2"], "30102"),  # spaced in one cell
        (["２０８", "５", "０５"], "2080505"),  # full-width
        (["208", "05", "05"], "2080505"),
        (["2080505"], "2080505"),
        (["301", ""], "301"),
        (["30", "1"], None),  # no 类 of three digits: nothing is padded
    ],
)
def test_code_from_columns_restores_dropped_zeros(parts, code):
    assert normalise_code(code_from_columns(parts)) == code


def test_split_label_path():
    assert split_label_path("社会保障和就业支出（类）抚恤（款）  死亡抚恤（项）") == [
        ("社会保障和就业支出", "类"),
        ("抚恤", "款"),
        ("死亡抚恤", "项"),
    ]
    assert split_label_path("卫生健康支出(类)行政事业单位医疗(款)") == [
        ("卫生健康支出", "类"),
        ("行政事业单位医疗", "款"),
    ]
    assert split_label_path("住房公积金") == [("住房公积金", None)]
    assert split_label_path("党委办公厅（室）及相关机构事务") == [("党委办公厅（室）及相关机构事务", None)]
    assert split_label_path("") == []


def test_name_key_folds_variants():
    assert name_key("维修(护)费") == name_key("维修（护）费")
    assert name_key("其它行政事业单位养老支出") == name_key("其他行政事业单位养老支出")
    assert name_key("社会保险经办机构支出") == name_key("社会保险经办机构")


# ----------------------------------------------------------------------------- printed codes


def test_split_printed_code_wins_over_a_wrapped_fragment():
    # 上海市普陀区财政局 2024 收入决算表: "机关事业单位基本养老保险缴" / "208 05 05 费支出"
    match = resolve_function("机关事业单位基本养老保险缴", printed_code="208 05 05")
    assert (match.code, match.name, match.method) == ("2080505", "机关事业单位基本养老保险缴费支出", "printed_code")
    assert resolve_function("费支出", printed_code="208 05 05").code == "2080505"


def test_a_name_missing_from_the_text_layer_resolves_by_code():
    match = resolve_function("", printed_code="2210203")
    assert (match.code, match.level, match.name, match.method) == ("2210203", "项", "购房补贴", "printed_code")


def test_an_old_name_printed_with_its_code():
    # Jiangsu 2017-2019 budgets: 20805 行政事业单位离退休, 2040405 公诉和审判监督
    assert resolve_function("行政事业单位离退休", printed_code="20805", year=2018).name == "行政事业单位养老支出"
    assert resolve_function("公诉和审判监督", printed_code="2040405", year=2017).code == "2040405"


def test_an_unknown_printed_code_falls_back_to_the_name():
    match = resolve_function("其他行政事业单位养老支出", printed_code="2080598")
    assert match.code == "2080599" and match.method == "name_path+unknown_printed_code"
    assert resolve_function("", printed_code="299 99 88").method == "unresolved"


# ----------------------------------------------------------------------------- names


def test_old_names_by_year():
    match = resolve_function("医疗卫生与计划生育支出", year=2017)
    assert (match.code, match.name, match.method) == ("210", "卫生健康支出", "alias")
    assert resolve_function("行政事业单位离退休", year=2019).code == "20805"
    # Jiangsu 2018: a path through the old 款 name
    path = "社会保障和就业支出（类）行政事业单位离退休（款）机关事业单位基本养老保险缴费支出（项）"
    assert resolve_function(path, year=2018).code == "2080505"


def test_an_alias_outside_its_years_is_used_and_says_so():
    # 普陀区社会福利院 2024 单位预算 still writes the old 类 name, in its 收支预算总表 and its narrative
    match = resolve_function("医疗卫生与计划生育支出", year=2024)
    assert (match.code, match.name, match.method) == ("210", "卫生健康支出", "alias_outside_its_years")
    label = "医疗卫生与计划生育支出（类）行政事业单位医疗（款）事业单位医疗（项）"
    assert resolve_function(label, year=2024).code == "2101102"


def test_an_alias_outside_its_years_yields_to_a_code_that_bears_the_name():
    reference = {
        "201": RefRow("201", "类", "一般公共服务支出", None),
        "298": RefRow("298", "类", "其他支出", None),
        "29801": RefRow("29801", "款", "旧名称", "298"),  # the old 类 name is a 款's name now
    }
    old = (
        Alias("旧名称", "201", 2010, 2015, "official list"),
        Alias("另一旧名", "201", 2010, 2015, "official list"),
        Alias("另一旧名", "298", 2010, 2015, "official list"),
    )
    assert _match_name(reference, old, "旧名称", 3, None, 2014).code == "201"  # within its years
    assert _match_name(reference, old, "旧名称", 3, None, 2024).code is None  # after them, another code's name
    assert _match_name(reference, old, "另一旧名", 3, None, 2024).code is None  # two codes had it
    assert _match_name(reference, old, "另一旧名", 3, None, 2014).method == "ambiguous"


def test_a_shared_name_is_resolved_by_its_parent():
    assert resolve_function("一般行政管理事务", parent_code="20105").code == "2010502"
    assert resolve_function("一般行政管理事务", parent_code="20129").code == "2012902"


def test_a_bare_shared_name_is_ambiguous():
    match = resolve_function("一般行政管理事务")
    assert (match.code, match.method) == (None, "ambiguous")
    assert {"2010502", "2012902", "2080102"} <= set(match.candidates)
    bare = resolve_function("其他社会保障和就业支出")
    assert (bare.code, bare.candidates) == (None, ("20899", "2089999"))


def test_a_wrapped_two_line_name_joined():
    match = resolve_function("机关事业单位基本养老保险缴" + "\n" + "费支出")
    assert (match.code, match.method) == ("2080505", "name_path")


def test_short_forms_and_variants():
    assert resolve_function("社会保障和就业").code == "208"
    assert resolve_function("住房保障支出（类）住房改革（款）住房公积金（项）").code == "2210201"
    # 普陀区财政局 2025 部门预算 narrative: 其它 for 其他, quotes and numbering around the path
    label = "8.“社会保障和就业支出（类）行政事业单位养老支出（款）其它行政事业单位养老支出（项）”"
    assert resolve_function(label, year=2025).code == "2080599"


def test_a_typo_is_matched_fuzzily_with_a_score():
    match = resolve_function("机关事业单位基本养老保险缴费支岀", parent_code="20805")  # 岀 for 出
    assert match.code == "2080505" and match.method == "fuzzy" and 90 <= match.score < 100


@pytest.mark.parametrize("label", ["不存在的科目", "合计", "", "本表无数据"])
def test_unknown_labels_stay_unresolved(label):
    match = resolve_function(label)
    assert (match.code, match.method, match.score) == (None, "unresolved", None)


def test_a_name_under_the_wrong_parent_is_not_forced():
    assert resolve_function("死亡抚恤", parent_code="20805").code is None


# ----------------------------------------------------------------------------- economic


@pytest.mark.parametrize(
    ("label", "printed", "code", "name"),
    [
        ("抚恤金", "30304", "30304", "抚恤金"),
        ("", "302 17", "30217", "公务接待费"),
        ("公务用车运行维护费", None, "30231", "公务用车运行维护费"),
        ("维修(护)费", None, "30213", "维修（护）费"),  # 上海市财政局 2025 prints half-width brackets
        ("机关事业单位基本养老保险缴\n费", "301 08", "30108", "机关事业单位基本养老保险缴费"),
        ("其他资本性支出", "310", "310", "资本性支出"),  # Jiangsu 2017 name of the 类
    ],
)
def test_economic_codes(label, printed, code, name):
    match = resolve_economic(label, printed)
    assert (match.code, match.name) == (code, name)


def test_an_economic_code_of_an_older_list_is_not_trusted():
    # 30311 住房公积金 is the pre-2018 list; printed in a 2019 (or undated) table, where 30311 is
    # 代缴社会保险费 and 住房公积金 is 30113 in another 类, neither side is trusted
    for year in (2019, None):
        match = resolve_economic("住房公积金", "30311", year)
        assert (match.code, match.method, match.candidates) == (None, "ambiguous", ("30113", "30311"))
    # nor 30307 医疗费 in 2019: today 医疗费 is 30114 (工资福利), 30307 医疗费补助 (对个人和家庭的补助)
    assert resolve_economic("医疗费", "30307", 2019).method == "ambiguous"


# Jiangsu 2017 budgets (江苏省人大办公厅, 省检察院, 省法院, 省委办公厅, 省政协 2017), 财政拨款基本支出预算表,
# are on the list in force until 2017; expected codes checked against the 2017 支出经济分类科目.
PRE_2018_LINES = [
    ("30104", "其他社会保障缴费"),
    ("30307", "医疗费"),
    ("30311", "住房公积金"),
    ("30312", "提租补贴"),
    ("310", "其他资本性支出"),
]


@pytest.mark.parametrize(("printed", "label"), PRE_2018_LINES)
def test_a_pre_2018_economic_code_is_read_in_its_year(printed, label):
    match = resolve_economic(label, printed, 2017)
    assert (match.code, match.name, match.method) == (printed, label, "printed_code")


def test_the_same_economic_code_means_the_reformed_item_from_2018():
    # 2018 reform: 30307 医疗费 → 医疗费补助, 30311 住房公积金 → 代缴社会保险费 (住房公积金 moved to
    # 30113, 医疗费 to 30114), 30312 提租补贴 gone, 310 其他资本性支出 → 资本性支出
    assert resolve_economic("", "30307", 2019).name == "医疗费补助"
    assert resolve_economic("医疗费补助", "30307", 2018).method == "printed_code"  # Jiangsu 2018 budgets
    assert resolve_economic("", "30311", 2019).name == "代缴社会保险费"
    assert resolve_economic("", "310", 2019).name == "资本性支出"
    assert resolve_economic("提租补贴", "30312", 2019).code is None
    # names alone follow the year too
    assert resolve_economic("住房公积金", None, 2017).code == "30311"
    assert resolve_economic("住房公积金", None, 2019).code == "30113"
    assert resolve_economic("医疗费", None, 2017).code == "30307"
    assert resolve_economic("医疗费", None, 2019).code == "30114"
    assert resolve_economic("其他社会保障缴费", None, 2017).code == "30104"
    assert resolve_economic("其他社会保障缴费", None, 2019).code == "30112"


def test_the_economic_list_of_a_year_has_one_row_per_code():
    assert economic_reference(2017)["30311"].name == "住房公积金"
    assert economic_reference(2018)["30311"].name == "代缴社会保险费"
    assert economic_reference()["30311"].name == "代缴社会保险费"  # no year: the current list
    assert "30113" not in economic_reference(2017) and "30312" not in economic_reference(2018)


# 普陀区社会福利院 2024 单位预算 p.14: the 302/303 款 are numbered the unit's own way; each label is
# exactly one official name of the same 类 (checked against the 部门预算支出经济分类科目 since 2018).
OWN_NUMBERING = [
    ("302 02", "咨询费", "30203", "印刷费"),
    ("302 03", "水费", "30205", "咨询费"),
    ("302 04", "电费", "30206", "手续费"),
    ("302 05", "邮电费", "30207", "水费"),
    ("302 07", "工会经费", "30228", "邮电费"),
    ("302 08", "福利费", "30229", "取暖费"),
    ("302 13", "其他商品和服务支出", "30299", "维修（护）费"),
    ("303 01", "退休费", "30302", "离休费"),
]


@pytest.mark.parametrize(("printed", "label", "code", "printed_name"), OWN_NUMBERING)
def test_an_exact_official_name_outweighs_a_disagreeing_printed_code(printed, label, code, printed_name):
    match = resolve_economic(label, printed, 2024)
    assert (match.code, match.name, match.method, match.candidates) == (
        code,
        label,
        NAME_OVER_CODE,
        (printed.replace(" ", ""),),
    )
    assert printed_name in match.note and code in match.note


def test_a_non_official_name_with_a_disagreeing_code_stays_unresolved():
    # 302 10 车辆运行费 (no official 款 of that name; 30210 is no 款 at all) and 302 06 办公设备购置费
    # (close to 31002 办公设备购置, but that is 资本性支出, not the 302 the table files it under)
    assert resolve_economic("车辆运行费", "302 10", 2024).code is None
    match = resolve_economic("办公设备购置费", "302 06", 2024)
    assert (match.code, match.method) == (None, "ambiguous")


def test_a_table_with_its_own_numbering_loses_trust_in_its_other_codes():
    # 普陀区社会福利院2024单位预算.pdf p.14 (read on the page): 302 02 咨询费 (officially 30203) shows the
    # table's own numbering; its 302 11 / 302 12 are no 差旅费 / 因公出国（境）费用 but local items of 302
    lines = [
        ("基本工资", "30101"),
        ("机关事业单位基本养老保险费", "30108"),  # the official name without 缴: still agrees
        ("咨询费", "30202"),
        ("物业管理费", "30209"),
        ("事业单位离退休人员福利费", "30211"),  # 30211 is 差旅费
        ("机关事业单位退休人员活动费", "30212"),  # 30212 is 因公出国（境）费用
        ("离退休人员经费", "303"),  # a 类: its code is not in question
        ("商品和服务支出", "30213"),  # an official name (its 类's): distrusted, never a local item
    ]
    matches = resolve_economic_table(lines, 2024)
    assert [(m.code, m.method, m.parent_code) for m in matches] == [
        ("30101", "printed_code", None),
        ("30108", "printed_code", None),
        ("30203", NAME_OVER_CODE, None),
        ("30209", "printed_code", None),
        (None, LOCAL_ITEM, "302"),
        (None, LOCAL_ITEM, "302"),
        ("303", "printed_code", None),
        (None, CODE_DISTRUSTED, None),
    ]
    assert "维修（护）费" in matches[7].note
    assert matches[4].note == ""  # a local item is no code/label disagreement: no code_label_mismatch warning
    # without a line that shows the table's own numbering, the printed code is kept
    assert resolve_economic_table([("事业单位离退休人员福利费", "30211")], 2024)[0].code == "30211"


def test_local_items_of_the_welfare_home_roll_up_into_302():
    # 普陀区社会福利院2024单位预算.pdf p.14, read on the page: 302 06 办公设备购置费 0.80 (元 8,000),
    # 302 10 车辆运行费, 302 11 事业单位离退休人员福利费, 302 12 机关事业单位退休人员活动费 under 302
    # 商品和服务支出, beside 302 03 水费 (officially 30205), the table's own numbering
    lines = [
        ("商品和服务支出", "302"),
        ("水费", "302 03"),
        ("办公设备购置费", "302 06"),
        ("车辆运行费", "302 10"),
        ("事业单位离退休人员福利费", "302 11"),
        ("机关事业单位退休人员活动费", "302 12"),
    ]
    matches = resolve_economic_table(lines, 2024)
    assert [(m.code, m.method) for m in matches[:2]] == [("302", "printed_code"), ("30205", NAME_OVER_CODE)]
    # 30206 is 电费 and 办公设备购置费 only resembles 31002 办公设备购置 (资本性支出): a local item of 302
    assert [(m.code, m.method, m.parent_code, m.level) for m in matches[2:]] == [(None, LOCAL_ITEM, "302", "款")] * 4
    assert all(m.is_local_item for m in matches[2:]) and not matches[1].is_local_item
    # alone (no evidence of the table's own numbering) 302 06 办公设备购置费 stays ambiguous; 30210 is in no list
    assert resolve_economic_table([("办公设备购置费", "302 06")], 2024)[0].method == "ambiguous"
    assert resolve_economic("车辆运行费", "302 10", 2024).parent_code == "302"


def test_a_seven_digit_economic_code_is_a_local_item_of_its_kuan():
    # 2026-中共重庆市委宣传部-部门预算.pdf p.19 prints "3010201 规范性津补贴" under 30102 津贴补贴
    match = resolve_economic("规范性津补贴", "3010201", 2026)
    assert (match.code, match.method, match.parent_code) == (None, LOCAL_ITEM, "30102")


def test_an_unknown_function_item_under_an_official_kuan_is_a_local_item():
    # the rule, on codes no reference row has: a 7-digit code whose 款 is official, with a name no
    # official code bears, is a local item of that 款 (20103 政府办公厅（室）及相关机构事务)
    match = resolve_function("政务热线平台运维", "2010388", 2026)
    assert (match.code, match.method, match.parent_code, match.level) == (None, LOCAL_ITEM, "20103", "项")
    # never when the name is an official name: under its 款 it is that code …
    assert resolve_function("行政运行", "2010388", 2026).code == "2010301"
    # … and an official name of another 款 stays unresolved, not a local item
    other = resolve_function("死亡抚恤", "2010388", 2026)
    assert other.code is None and other.method != LOCAL_ITEM
    # nor when the 款 itself is unknown (20188 is no 款), nor for a printed 款 (5 digits)
    assert resolve_function("政务热线平台运维", "2018888", 2026).method == "unresolved"
    assert resolve_function("政务热线平台运维", "20188", 2026).method == "unresolved"


def _cells(rows: list[list[str]]) -> list[list[Cell]]:
    return [
        [Cell(text, f"p.14 r{r}c{c}") for c, text in enumerate(row, start=1)] for r, row in enumerate(rows, start=1)
    ]


def test_a_name_read_over_its_printed_code_is_a_warning_in_the_extraction():
    rows = [
        ["经济分类科目编码", "", "部门经济分类科目名称", "合计"],
        ["类", "款", "", ""],
        ["302", "", "商品和服务支出", "95,000"],
        ["302", "01", "办公费", "69,000"],
        ["302", "02", "咨询费", "20,000"],
        ["302", "11", "事业单位离退休人员福利费", "6,000"],
    ]
    table = Table(
        rows=_cells(rows),
        locator="p.14",
        title="2024年预算单位一般公共预算基本支出部门预算经济分类预算表",
        unit="元",
        header_rows=2,
    )
    extraction = Extraction(document_id="t")
    extraction.identity = DocumentRow(
        "t", "t.pdf", None, None, None, None, None, None, None, None, None, 2024, "budget", "unit", None, "", ""
    )
    extract_tables(extraction, Document(source_file="t.pdf", format="pdf", lines=[], tables=[table]))
    assert [(e.printed_code, e.code, e.match_method) for e in extraction.economic_lines] == [
        ("302", "302", "printed_code"),
        ("302 01", "30201", "printed_code"),
        ("302 02", "30203", NAME_OVER_CODE),
        ("302 11", None, LOCAL_ITEM),
    ]
    kinds = [(w.kind, w.message) for w in extraction.warnings]
    assert any(
        kind == "code_label_mismatch" and "印刷费" in message and "30203 咨询费" in message for kind, message in kinds
    )
    # a local item is said as such (counted under 302), never as an unresolved label
    assert any(
        kind == "local_item" and "事业单位离退休人员福利费" in message and "302" in message for kind, message in kinds
    )
    assert not any(kind == "unresolved_label" for kind, _ in kinds)


# ----------------------------------------------------------------------------- same document


def test_a_narrative_item_resolves_to_the_one_equal_table_line_under_its_path():
    # 上海市普陀区规划和自然资源局 2024 决算 p.22 names 2080599 by what it pays for; its
    # 一般公共预算财政拨款支出决算表 (p.14) prints 2080599 其他行政事业单位养老支出 0.88
    label = "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）"
    assert resolve_function(label, year=2024).code is None
    table = [
        ("208", Decimal("754.75")),
        ("20805", Decimal("754.75")),
        ("2080501", Decimal("54.53")),
        ("2080599", Decimal("0.88")),
        ("2101101", Decimal("0.88")),
    ]  # another 类 with 0.88 does not count
    match, index = resolve_from_table_lines(label, Decimal("0.88"), table, 2024)
    assert (match.code, match.name, match.method, index) == (
        "2080599",
        "其他行政事业单位养老支出",
        SAME_DOCUMENT_TABLE,
        3,
    )


def test_a_narrative_path_with_a_repeated_class_name_resolves_under_the_class():
    # 普陀区万里街道 2025 部门预算 p.7: the 类 name repeated as 款; its 一般公共预算支出功能分类预算表
    # (p.22) prints 210 07 17 计划生育服务 20 万元 (in 元: 200,000), the 款 210 07 also 20 but no 项
    label = "卫生健康支出（类）卫生健康支出（款）计划生育事务（项）"
    table = [
        ("210", Decimal("321.6973")),
        ("21007", Decimal("20")),
        ("2100717", Decimal("20")),
        ("2101101", Decimal("146.894")),
        ("2101102", Decimal("154.8033")),
    ]
    match, index = resolve_from_table_lines(label, Decimal("20.00"), table, 2025)
    assert (match.code, match.method, index) == ("2100717", SAME_DOCUMENT_TABLE, 2)
    # rounding: the narrative prints two decimals of what the table prints to four
    assert (
        resolve_from_table_lines(label, Decimal("20.00"), [("2100717", Decimal("20.0032"))], 2025)[0].code == "2100717"
    )
    assert resolve_from_table_lines(label, Decimal("20.00"), [("2100717", Decimal("20.01"))], 2025)[0].code is None


def test_two_equal_table_lines_leave_the_narrative_item_unresolved():
    label = "卫生健康支出（类）卫生健康支出（款）计划生育事务（项）"
    table = [("2100717", Decimal("20")), ("2101101", Decimal("20.00"))]
    match, index = resolve_from_table_lines(label, Decimal("20.00"), table, 2025)
    assert (match.code, match.method, match.candidates, index) == (None, "ambiguous", ("2100717", "2101101"), None)
    # a bare name has no 类 to look under; a zero amount says nothing
    assert resolve_from_table_lines("计划生育事务", Decimal("20"), table, 2025)[0].code is None
    assert resolve_from_table_lines(label, Decimal("0"), [("2100717", Decimal("0"))], 2025)[0].code is None


def test_the_narrative_line_is_updated_in_the_extraction_with_its_source_line():
    extraction = Extraction(document_id="t")
    extraction.identity = DocumentRow(
        "t", "t.pdf", None, None, None, None, None, None, None, None, None, 2024, "final", "department", None, "", ""
    )
    common = {"unit": "万元", "quote": ""}
    add_function_line(
        extraction,
        statement="一般公共预算财政拨款支出决算表",
        basis="general_budget",
        printed_code="2080599",
        raw_label="其他行政事业单位养老支出",
        match=resolve_function("", "2080599"),
        amount_printed="0.88",
        locator="p.14 r.9",
        **common,
    )
    add_function_line(
        extraction,
        statement="支出决算表",
        basis="all_funds",
        printed_code="2080502",
        raw_label="事业单位离退休",
        match=resolve_function("", "2080502"),
        amount_printed="0.88",
        locator="p.10 r.7",
        **common,
    )  # another basis: not a candidate
    label = "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）"
    add_function_line(
        extraction,
        statement="narrative",
        basis="general_budget",
        printed_code="",
        raw_label=label,
        match=resolve_function(label, year=2024),
        amount_printed="0.88",
        locator="p.22 l.15",
        **common,
    )
    resolve_narrative_from_tables(extraction)
    line = extraction.function_lines[-1]
    assert (line.code, line.level, line.official_name, line.match_method) == (
        "2080599",
        "项",
        "其他行政事业单位养老支出",
        SAME_DOCUMENT_TABLE,
    )
    assert [w.kind for w in extraction.warnings] == ["label_from_table"]
    assert "p.14 r.9" in extraction.warnings[0].message


# ----------------------------------------------------------------------------- seeds


REF_HEADER = ["code", "level", "name", "parent_code", "valid_from", "valid_to", "source"]


def _years(row: dict[str, str]) -> tuple[float, float]:
    return (
        int(row["valid_from"]) if row["valid_from"] else float("-inf"),
        int(row["valid_to"]) if row["valid_to"] else float("inf"),
    )


def _overlap(a: dict[str, str], b: dict[str, str]) -> bool:
    (a_from, a_to), (b_from, b_to) = _years(a), _years(b)
    return a_from <= b_to and b_from <= a_to


@pytest.mark.parametrize("seed", ["ref_function_code.csv", "ref_economic_code.csv"])
def test_reference_codes_are_unique_by_year_with_consistent_parents(seed):
    fields, rows = _read_seed(seed)
    assert fields == REF_HEADER
    keys = [(row["code"], _years(row)[0]) for row in rows]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    by_code: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    for row in rows:
        code = row["code"]
        assert re.fullmatch(r"\d{3}(\d{2}){0,2}", code), code
        assert row["level"] == {3: "类", 5: "款", 7: "项"}[len(code)]
        assert _years(row)[0] <= _years(row)[1], code
        # one meaning per code and year
        assert sum(_overlap(row, other) for other in by_code[code]) == 1, code
        expected_parent = code[:-2] if len(code) > 3 else ""
        assert row["parent_code"] == expected_parent, code
        if expected_parent:  # empty years mean open or not known: the parent must share some year with the row
            assert any(_overlap(row, parent) for parent in by_code.get(expected_parent, [])), code
        assert row["source"].startswith("official list") or row["source"].startswith("seen in "), code


@pytest.mark.parametrize("seed", ["ref_function_code.csv", "ref_economic_code.csv"])
def test_sibling_names_are_distinct(seed):
    _, rows = _read_seed(seed)
    for index, row in enumerate(rows):
        for other in rows[index + 1 :]:
            same = (row["parent_code"], name_key(row["name"])) == (other["parent_code"], name_key(other["name"]))
            assert not (same and _overlap(row, other)), (row["code"], other["code"])


def test_aliases_point_to_known_codes_and_not_to_current_names():
    fields, aliases = _read_seed("ref_function_alias.csv")
    assert fields == ["alias", "code", "valid_from", "valid_to", "source"]
    _, rows = _read_seed("ref_function_code.csv")
    names = {row["code"]: row["name"] for row in rows}
    current = {name_key(name) for name in names.values()}
    for alias in aliases:
        assert alias["code"] in names
        assert name_key(alias["alias"]) not in current, alias["alias"]
        assert alias["source"] == "official list" or alias["source"].startswith("seen in ")


def test_seen_in_files_are_shipped():
    shipped = {path.name for path in SAMPLES.rglob("*") if path.is_file()}  # national/<city>/… too
    for seed in ("ref_function_code.csv", "ref_function_alias.csv", "ref_economic_code.csv"):
        _, rows = _read_seed(seed)
        for row in rows:
            if row["source"].startswith("seen in "):
                assert row["source"].removeprefix("seen in ") in shipped, row


def test_a_name_only_economic_line_is_read_under_the_class_above_it():
    # 2026-深圳市审计局-部门预算.pdf p.25 prints names only: " 资本性支出 23.50" then " 办公设备购置 23.50";
    # 办公设备购置 is 31002 under 310 资本性支出 and 30902 under 309 资本性支出（基本建设）
    matches = resolve_economic_table([("资本性支出", None), ("办公设备购置", None)], 2026)
    assert [(m.code, m.method) for m in matches] == [("310", "name_path"), ("31002", "name_path")]
    assert resolve_economic_table([("办公设备购置", None)], 2026)[0].method == "ambiguous"  # nothing above it


def test_a_bare_class_name_is_that_class():
    # 其他支出 is the 类 229 and the 款 21999 of 219 援助其他地区支出 (2025-无锡市发展和改革委员会 p.14
    # prints "21999 其他支出"): with no parent and no level the 类 is meant; under 219, the 款
    assert resolve_function("其他支出", year=2026).code == "229"
    assert resolve_function("其他支出", year=2026, parent_code="219").code == "21999"


def test_a_printed_code_whose_name_the_text_layer_lost_counts_under_its_official_parent():
    # 深圳市生态环境局 2026 p.96: "2110106" printed in the code column, its name cell empty in the
    # text layer; 21101 环境保护管理事务 is official, 2110106 is not in the reference
    match = resolve_function("", printed_code="2110106", year=2026)
    assert (match.code, match.method, match.parent_code) == (None, LOCAL_ITEM, "21101")
    # a name that is another official item's is never a local item
    assert resolve_function("行政运行", printed_code="2110106", year=2026).method != LOCAL_ITEM
