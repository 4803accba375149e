"""The department-type rules (seeds/ref_department_type.csv): one test per rule, that the whole rule set
gives the rule's own example (a real department name as printed, from the file the row names) to that
very rule, and not to a rule tried before it; and a few real names no rule must read."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import ROOT, rows

pytestmark = pytest.mark.slow

SEED = ROOT / "seeds" / "ref_department_type.csv"
RULES = list(csv.DictReader(SEED.open(encoding="utf-8")))


def test_the_rules_name_kinds_of_department_not_departments():
    """A pattern is words of a kind of department, never a place: no 市/省/区/县 name before the kind."""
    for rule in RULES:
        assert not any(
            place in rule["pattern"] for place in ("深圳", "上海", "江苏", "无锡", "长沙", "长春", "烟台", "重庆")
        ), rule


@pytest.mark.parametrize("rule", RULES, ids=[f"{rule['priority']}-{rule['department_type']}" for rule in RULES])
def test_each_rule_reads_its_example(warehouse, rule):
    (row,) = rows(
        warehouse,
        "select example_department_type, example_rule_priority from marts.mart_department_type_rule where priority = ?",
        int(rule["priority"]),
    )
    assert row == (rule["department_type"], int(rule["priority"])), f"{rule['example']} is read by rule {row[1]}"


@pytest.mark.parametrize(
    ("department_id", "department_type"),
    [
        # names of the sample no rule of a bureau must read (samples/national/README.md lists them)
        ("310000-统计和大数据研究院（上海市统计数据管理中心）", None),  # a research institute, not the 统计局
        ("320200-应急管理综合行政执法监督局", None),  # an enforcement unit, not the 应急管理局
        ("440300-规划和自然资源局大鹏管理局", None),  # a branch office, not the bureau
        ("440300-公安局交通管理局", "公安交通管理局"),  # before 公安局 and 交通运输局
        ("350100-公安局治安管理支队", "公安局下属支队（分局）"),
        ("500000-商务委员会", "商务局"),  # 重庆's 商务主管部门
        ("320000-省委办公厅", "党委办公厅"),
        ("320000-人大常委会办公厅", "人大常委会办公厅"),
    ],
)
def test_sample_departments_get_the_type_of_their_kind(warehouse, department_id, department_type):
    assert rows(
        warehouse, "select department_type from marts.mart_department_type where department_id = ?", department_id
    ) == [(department_type,)]
