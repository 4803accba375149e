"""Labels → 支出功能分类 codes. Inputs are labels as printed in the shipped documents; the
expected codes were checked by hand against the official classification."""

from __future__ import annotations

import csv

import pytest

from ingest.classification import SEEDS, normalise_code, resolve_economic, resolve_function, split_label_path

# Sichuan 2023 决算, lines 70-80, as printed (item 1 has no （项） marker, item 6 a double space)
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


@pytest.mark.parametrize(("label", "code"), SICHUAN_ITEMS)
def test_sichuan_item_paths(label, code):
    match = resolve_function(label, year=2023)
    assert (match.code, match.level, match.method) == (code, "项", "name_path")


def test_split_and_whole_printed_codes():
    assert normalise_code("208 05 05") == normalise_code("2080505") == "2080505"
    assert normalise_code("208-05") == "20805" and normalise_code("合计") is None
    match = resolve_function("机关事业单位基本养老保险缴", printed_code="208 05 05")
    assert (match.code, match.name, match.method) == ("2080505", "机关事业单位基本养老保险缴费支出", "printed_code")


def test_a_name_missing_from_the_text_layer_resolves_by_code():
    # 财政局 2024 决算: some item names did not survive in the text layer, codes and amounts did
    match = resolve_function("", printed_code="221 02 03")
    assert (match.code, match.name) == ("2210203", "购房补贴")


def test_old_names_by_year():
    assert resolve_function("医疗卫生与计划生育支出", year=2017).code == "210"  # renamed 卫生健康支出 in 2019
    assert resolve_function("行政事业单位离退休", year=2019).code == "20805"  # now 行政事业单位养老支出
    # Jiangsu 2017-2019 budgets print 20805 with its old name; a path through it still resolves
    path = "社会保障和就业支出（类）行政事业单位离退休（款）机关事业单位基本养老保险缴费支出（项）"
    assert resolve_function(path, year=2018).code == "2080505"


def test_a_shared_name_is_resolved_by_its_parent_and_ambiguous_without():
    assert resolve_function("一般行政管理事务", parent_code="20105").code == "2010502"
    assert resolve_function("一般行政管理事务", parent_code="20129").code == "2012902"
    bare = resolve_function("一般行政管理事务")
    assert bare.code is None and bare.method == "ambiguous"
    assert {"2010502", "2012902", "2080102"} <= set(bare.candidates)


def test_a_wrapped_two_line_name_joined():
    # 上海 收入决算表 p.8: "机关事业单位职业年金缴费" / "208 05 06 支出"
    assert resolve_function("机关事业单位职业年金缴费" + "支出", parent_code="20805").code == "2080506"


def test_short_forms_and_trailing_zhichu():
    assert resolve_function("社会保障和就业").code == "208"  # Sichuan line 70 writes （类） without 支出
    assert resolve_function("住房保障支出（类）住房改革（款）住房公积金（项）").code == "2210201"


def test_a_typo_is_matched_fuzzily_with_a_score():
    match = resolve_function("机关事业单位基本养老保险缴费支岀", parent_code="20805")  # 岀 for 出
    assert match.code == "2080505" and match.method == "fuzzy" and 90 <= match.score < 100


def test_unknown_labels_stay_unresolved():
    for label in ("不存在的科目", "合计", ""):
        assert resolve_function(label).code is None


def test_an_unknown_printed_code_is_not_forced():
    match = resolve_function("", printed_code="299 99 88")
    assert match.code is None and match.method == "unresolved"


@pytest.mark.parametrize(
    ("label", "printed", "code"),
    [("抚恤金", "30304", "30304"), ("", "302 17", "30217"), ("公务用车运行维护费", None, "30231"), ("基本工资", None, "30101")],
)
def test_economic_codes(label, printed, code):
    assert resolve_economic(label, printed).code == code


def test_split_label_path():
    assert split_label_path("6.社会保障和就业支出（类）抚恤（款）  死亡抚恤（项）") == [
        ("社会保障和就业支出", "类"), ("抚恤", "款"), ("死亡抚恤", "项")
    ]
    assert split_label_path("住房公积金") == [("住房公积金", None)]


@pytest.mark.parametrize("seed", ["ref_function_code.csv", "ref_economic_code.csv"])
def test_reference_codes_are_unique_with_consistent_parents(seed):
    with (SEEDS / seed).open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    for row in rows:
        level = {3: "类", 5: "款", 7: "项"}[len(row["code"])]
        assert row["level"] == level
        if level != "类":
            assert row["parent_code"] == row["code"][: len(row["code"]) - 2] and row["parent_code"] in codes
        assert row["source"] == "official list" or row["source"].startswith("seen in ")
