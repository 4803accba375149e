"""项 explanations whose names carry brackets of their own are read, not dropped (a real omission found
by the synthetic corpus: 17 of the 418 项 names in the reference have such brackets)."""

from __future__ import annotations

import pytest

from ingest.parse.classification import resolve_function
from ingest.parse.extractors.narrative import ITEM_PATH_RE


@pytest.mark.parametrize(
    ("sentence", "path", "code"),
    [
        (
            "（一）一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）：2023年度决算数为10.00万元。",
            "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）",
            "2010301",
        ),
        (
            "2.卫生健康支出（类）公立医院（款）中医（民族）医院（项）支出决算为5.00万元。",
            "卫生健康支出（类）公立医院（款）中医（民族）医院（项）",
            "2100202",
        ),
        (
            "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）：决算数为1.00万元。",
            "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）",
            "2080505",
        ),
    ],
)
def test_item_path_keeps_brackets_inside_names_but_not_list_numbers(sentence, path, code):
    match = ITEM_PATH_RE.search(sentence)
    assert match is not None and match.group("path") == path
    assert resolve_function(path, None, 2023).code == code
