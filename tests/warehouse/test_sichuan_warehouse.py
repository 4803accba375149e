"""The Sichuan 2023 决算 in the built warehouse: every figure checked against the document.

Expected values were read by hand in samples/sichuan/…部门决算.txt (line numbers given).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import rows

DEPARTMENT = "510904-社会保险事业管理局"

# lines 70-80 of the document: 类/款/项 path → hand-checked code and 支出决算数
ITEM_LINES = {
    "2080109": ("社会保险经办机构", "307.95"),
    "2080199": ("其他人力资源和社会保障管理事务支出", "136.93"),
    "2080501": ("行政单位离退休", "4.35"),
    "2080505": ("机关事业单位基本养老保险缴费支出", "47.14"),
    "2080599": ("其他行政事业单位养老支出", "138.19"),
    "2080801": ("死亡抚恤", "1022.36"),
    "2089999": ("其他社会保障和就业支出", "11.83"),
    "2101101": ("行政单位医疗", "6.02"),
    "2101102": ("事业单位医疗", "13.02"),
    "2101103": ("公务员医疗补助", "5.10"),
    "2210201": ("住房公积金", "34.69"),
}

pytestmark = pytest.mark.slow


def test_eleven_item_lines_with_codes_and_amounts(warehouse):
    found = rows(
        warehouse,
        """select code, name, amount, source_locator from marts.fct_function_amount
           where department_id = ? and fiscal_year = 2023 and phase = 'final'
             and basis = 'general_budget' and level = '项' order by code""",
        DEPARTMENT,
    )
    assert {code: (name, amount) for code, name, amount, _ in found} == {
        code: (name, Decimal(amount)) for code, (name, amount) in ITEM_LINES.items()
    }
    assert sorted(locator for *_, locator in found) == sorted(f"line {n}" for n in range(70, 81))


def test_disclosure_totals(warehouse):
    (row,) = rows(
        warehouse,
        """select department_name, total_income, total_expenditure, basic_expenditure, project_expenditure,
                  personnel_expenditure, public_expenditure, gpb_expenditure, sangong_total, sangong_abroad,
                  sangong_vehicle, sangong_reception, operating_cost, staff_authorized, staff_actual
           from marts.fct_disclosure where department_id = ? and fiscal_year = 2023 and phase = 'final'""",
        DEPARTMENT,
    )
    assert row == (
        "遂宁市安居区社会保险事业管理局",  # as line 143 prints it (the file name adds 四川省)
        Decimal("1727.58"),
        Decimal("1727.58"),  # lines 29, 34
        Decimal("1558.92"),
        Decimal("168.66"),  # line 34
        Decimal("1510.37"),
        Decimal("48.55"),  # lines 83-84
        Decimal("1727.58"),  # line 53
        Decimal("0.71"),  # line 87 prints 0.71元; its parts (line 89) say 0.71万元
        Decimal("0"),
        Decimal("0"),
        Decimal("0.71"),  # line 89
        Decimal("48.55"),  # line 107
        27,
        27,  # line 159: 行政编制10人、事业人员编制17人，年末实有人数27人
    )


def test_department_dimension(warehouse):
    assert rows(
        warehouse,
        "select province, city, county, admin_level, parent_department from marts.dim_department where department_id = ?",
        DEPARTMENT,
    ) == [("四川省", "遂宁市", "安居区", "county", "区人社局")]


@pytest.mark.parametrize(
    ("check_name", "expected", "actual", "locator"),
    [
        ("unit_slip", "0.71", "0.000071", "line 87"),  # 三公 total written in 元
        ("function_parent_vs_children", "24.13", "24.14", "line 63"),  # 卫生健康支出 vs its 项 lines
        ("function_classes_vs_total", "1727.58", "1727.57", "line 53"),  # 类 sum vs total
        ("performance_projects_vs_project_expenditure", "168.66", "168.65", "line 34"),  # 项目支出 vs projects
    ],
)
def test_known_defects_are_listed(warehouse, check_name, expected, actual, locator):
    found = rows(
        warehouse,
        """select expected, actual, source_locator from marts.fct_disclosure_check
           where department_id = ? and check_name = ?""",
        DEPARTMENT,
        check_name,
    )
    assert (Decimal(expected), Decimal(actual), locator) in found


def test_no_false_alarms_on_shares_and_growth(warehouse):
    # every 占比 and 增长 the document states agrees with its figures (checked by hand)
    assert (
        rows(
            warehouse,
            """select message from marts.fct_disclosure_check
           where department_id = ? and check_name in ('stated_share', 'stated_growth')""",
            DEPARTMENT,
        )
        == []
    )


def test_stated_comparatives_give_2022(warehouse):
    # line 23: 1,727.58 万元, 与2022年相比增加542.05万元 ⇒ 2022 = 1185.53
    assert rows(
        warehouse,
        """select prior_value, change_pct from marts.fct_metric_yoy
           where department_id = ? and metric = 'grand_total' and fiscal_year = 2023""",
        DEPARTMENT,
    ) == [(Decimal("1185.53"), Decimal("45.72"))]


def test_performance_projects(warehouse):
    assert rows(
        warehouse,
        "select count(*), sum(executed) from marts.fct_performance_project where department_id = ?",
        DEPARTMENT,
    ) == [(5, Decimal("168.65"))]


def test_no_unresolved_labels_in_the_sample(warehouse):
    assert rows(warehouse, "select raw_label from marts.fct_unresolved_label where department_id = ?", DEPARTMENT) == []


def test_the_completeness_score_per_disclosure_is_the_grids(warehouse):
    """fct_disclosure carries one score per disclosure, equal to the one mart_disclosure_completeness repeats."""
    compared = rows(
        warehouse,
        """
        select count(*), count(*) filter (where d.completeness_score = m.completeness_score
                                            and d.parts_present = m.parts_present and d.parts_expected = m.parts_expected)
        from marts.fct_disclosure as d
        inner join (select distinct disclosure_id, completeness_score, parts_present, parts_expected
                    from marts.mart_disclosure_completeness) as m using (disclosure_id)
        """,
    )[0]
    disclosures = rows(warehouse, "select count(*) from marts.fct_disclosure where phase in ('final', 'budget')")[0][0]
    assert compared[0] == disclosures > 0
    assert compared[1] == compared[0]
