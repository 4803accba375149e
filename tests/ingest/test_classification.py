"""Labels and printed codes → 政府收支分类科目 codes.

Inputs are labels as the shipped documents print them (samples/); expected codes were checked
by hand against the official classification.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingest.classification import (
    SEEDS,
    name_key,
    normalise_code,
    resolve_economic,
    resolve_function,
    split_label_path,
)

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
    with (SEEDS / name).open(encoding="utf-8", newline="") as stream:
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
    [("208 05 05", "2080505"), ("2080505", "2080505"), ("208-05-05", "2080505"), (" 20805 ", "20805"),
     ("２０８", "208"), ("2080", None), ("合计", None), ("", None), (None, None)],
)
def test_normalise_code(printed, code):
    assert normalise_code(printed) == code


def test_split_label_path():
    assert split_label_path("社会保障和就业支出（类）抚恤（款）  死亡抚恤（项）") == [
        ("社会保障和就业支出", "类"), ("抚恤", "款"), ("死亡抚恤", "项")
    ]
    assert split_label_path("卫生健康支出(类)行政事业单位医疗(款)") == [("卫生健康支出", "类"), ("行政事业单位医疗", "款")]
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


def test_an_alias_outside_its_years_is_not_used_but_the_leaf_still_resolves():
    assert resolve_function("医疗卫生与计划生育支出", year=2024).method == "unresolved"
    # 普陀区社会福利院 2024 单位预算 still writes the old 类 name in its narrative
    label = "医疗卫生与计划生育支出（类）行政事业单位医疗（款）事业单位医疗（项）"
    assert resolve_function(label, year=2024).code == "2101102"


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
    # Jiangsu 2017 prints 30311 住房公积金 (pre-2018 list); today 30311 is 代缴社会保险费
    match = resolve_economic("住房公积金", "30311")
    assert (match.code, match.method, match.candidates) == (None, "ambiguous", ("30113", "30311"))


# ----------------------------------------------------------------------------- seeds


@pytest.mark.parametrize(
    ("seed", "header"),
    [
        ("ref_function_code.csv", ["code", "level", "name", "parent_code", "valid_from", "valid_to", "source"]),
        ("ref_economic_code.csv", ["code", "level", "name", "parent_code", "source"]),
    ],
)
def test_reference_codes_are_unique_with_consistent_parents(seed, header):
    fields, rows = _read_seed(seed)
    assert fields == header
    codes = [row["code"] for row in rows]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    for row in rows:
        code = row["code"]
        assert re.fullmatch(r"\d{3}(\d{2}){0,2}", code), code
        assert row["level"] == {3: "类", 5: "款", 7: "项"}[len(code)]
        expected_parent = code[:-2] if len(code) > 3 else ""
        assert row["parent_code"] == expected_parent and (not expected_parent or expected_parent in codes), code
        assert row["source"] == "official list" or row["source"].startswith("seen in "), code


@pytest.mark.parametrize("seed", ["ref_function_code.csv", "ref_economic_code.csv"])
def test_sibling_names_are_distinct(seed):
    _, rows = _read_seed(seed)
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row["parent_code"], name_key(row["name"]))
        assert key not in seen, (row["code"], seen.get(key))
        seen[key] = row["code"]


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
    shipped = {path.name for path in SAMPLES.glob("*/*")}
    for seed in ("ref_function_code.csv", "ref_function_alias.csv", "ref_economic_code.csv"):
        _, rows = _read_seed(seed)
        for row in rows:
            if row["source"].startswith("seen in "):
                assert row["source"].removeprefix("seen in ") in shipped, row
