"""The marts the notebooks read (dbt_project/models/marts/mart_*), on the warehouse built from samples/:
figures the notebooks plot checked against values read by hand off the real pages (file and page in
each comment), the like-for-like rules (peer groups, consolidation, comparability) and the one
rounding rule. Pages are pypdfium2 page numbers (1-based), as `juesuan extract` numbers them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import rows

pytestmark = pytest.mark.slow

XINFANG = "信访局"


def one(warehouse, sql: str, *parameters):
    (row,) = rows(warehouse, sql, *parameters)
    return row


# --- 机关运行经费 of five 信访局 in five cities -------------------------------------------------------


@pytest.mark.parametrize(
    ("department_id", "amount"),
    [
        # 深圳/2026-深圳市信访局-部门预算.pdf p.12: "2026 年本单位机关运行经费财政拨款预算 357.43 万元"
        ("440300-信访局", Decimal("357.43")),
        # 长沙/2026-长沙市信访局-部门预算.pdf p.8: "2026 年长沙市信访局机关运行经费 122.98 万元"
        ("430100-信访局", Decimal("122.98")),
        # 无锡/2025-无锡市信访局-部门预算.pdf p.24, 公开 12 表 机关运行经费支出: "合计 98.53"
        ("320200-信访局", Decimal("98.53")),
        # 烟台/2026-烟台市信访局-部门预算.pdf p.28: "2026年本部门机关运行经费安排74.52万元"
        ("370600-信访局", Decimal("74.52")),
        # 长春/2026-长春市信访局（本级）-部门预算.pdf p.18: "机关运行经费预算总计211 万元， 占基本支出经费的17.46%"
        ("220100-信访局", Decimal("211.00")),
    ],
)
def test_operating_cost_of_the_xinfang_bureaus_as_printed(warehouse, department_id, amount):
    department_type, operating_cost = one(
        warehouse,
        "select department_type, operating_cost from marts.mart_operating_cost where department_id = ?",
        department_id,
    )
    assert department_type == XINFANG
    assert operating_cost == amount


def test_changchun_own_level_share_of_basic_expenditure_as_stated(warehouse):
    # 长春/2026-长春市信访局（本级）-部门预算.pdf p.18: "占基本支出经费的17.46%"
    share, basis = one(
        warehouse,
        "select share_of_basic_pct, comparison_basis_zh from marts.mart_operating_cost where department_id = '220100-信访局'",
    )
    assert share == Decimal("17.46")
    assert basis == "预算 · 部门 · 本级"  # its title says （本级）: never in one statistic with the others


def test_xinfang_peer_group_keeps_like_with_like_and_names_shenzhen_outside_its_fences(warehouse):
    """Five 信访局 in five cities; the like-for-like group (预算 · 部门 · 汇总) holds the four that are not
    本级, and 深圳's 357.43 lies above Q3 + 1.5 IQR of the four (74.52, 98.53, 122.98, 357.43 by hand:
    Q1 92.5275, Q3 181.5925, upper fence 315.19)."""
    departments, places = one(
        warehouse,
        "select count(*), count(distinct place) from marts.mart_department_type where department_type = ?",
        XINFANG,
    )
    assert (departments, places) == (5, 5)
    group = one(
        warehouse,
        """select departments, q1, q3, upper_fence, outliers from marts.mart_peer_spread
           where measure = 'operating_cost' and peer_group = '信访局 · 预算 · 部门 · 汇总'""",
    )
    assert group[0] == 4
    assert group[1] == pytest.approx(92.5275) and group[2] == pytest.approx(181.5925)
    assert group[3] == pytest.approx(315.19) and group[4] == 1
    outliers = rows(
        warehouse,
        """select department_id from marts.mart_peer_point
           where measure = 'operating_cost' and peer_group = '信访局 · 预算 · 部门 · 汇总' and is_outlier""",
    )
    assert outliers == [("440300-信访局",)]


# --- rounding: one rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "department_id",
    [
        # 普陀区人民政府办公室2025部门预算.pdf p.20: 机关运行经费预算数 213.28 (万元); p.19: 公用经费 合计
        # 2,132,777.54 (元) = 213.277754 万元: a gap within the rounding of 213.28
        "310107-人民政府办公室",
        # 上海市财政局2025单位预算.pdf p.20: 机关运行经费 2,517.78 (万元); p.19: 公用经费 合计 25,177,779 (元)
        "310000-财政局",
    ],
)
def test_operating_cost_equal_to_public_expenditure_within_rounding_is_not_above_it(warehouse, department_id):
    for is_above_public, operating_cost, public_expenditure in rows(
        warehouse,
        "select is_above_public, operating_cost, public_expenditure from marts.mart_operating_cost where department_id = ?",
        department_id,
    ):
        assert operating_cost > public_expenditure  # above by the digits, equal by the printed rounding
        assert is_above_public is False


def test_stated_shares_one_unit_off_in_the_last_decimal_are_rounding_and_larger_gaps_are_not(warehouse):
    # 江苏省委办公厅__江苏省委办公厅2018年度部门预算公开文件.pdf p.11 and …2019….pdf p.12: "公务用车购置及运行费支出
    # 411.20万元，占“三公”经费的80.92%" (411.20 / 508.20 = 80.913 %): rounding, not listed
    listed = rows(
        warehouse,
        """select fiscal_year from marts.fct_disclosure_check
           where department_id = '320000-省委办公厅' and check_name = 'stated_share' and actual = 80.92""",
    )
    assert listed == []
    # 江苏省人民检察院__2019年度部门预算公开.pdf p.25: "…各增加 2214.39 万元，增长 10.06 %" on a total of 24,169.74
    # (2214.39 / 21,955.35 = 10.086 %): a gap of 0.03 point, listed
    (gap,) = one(
        warehouse,
        """select actual from marts.fct_disclosure_check
           where department_id = '320000-人民检察院' and fiscal_year = 2019 and check_name = 'stated_growth'
             and message like 'expenditure_total%'""",
    )
    assert gap == Decimal("10.06")


# --- like for like over the years ----------------------------------------------------------------


def test_jiangsu_party_office_operating_cost_2017_to_2018_is_not_comparable_with_its_quote(warehouse):
    """江苏省委办公厅__江苏省委办公厅2017年预算公开表格.pdf p.10: 机关运行经费支出 合计 10,101.76; p.1: 基本支出
    9,964.07; …2018年度部门预算公开文件.pdf p.12: "2018年“机关运行经费”统计口径发生调整，上下年度不具备可比性"."""
    is_comparable, note, quote, change_pct = one(
        warehouse,
        """select is_comparable, comparability_note, comparability_quote, change_pct from marts.mart_metric_change
           where department_id = '320000-省委办公厅' and metric = 'operating_cost' and fiscal_year = 2018""",
    )
    assert is_comparable is False
    assert change_pct == Decimal("-79.27")
    # the document's sentence where the parser reads it, else the 2017 figure that exceeds its 基本支出
    assert "不具备可比性" in quote or ("10,101.76" in quote and "9,964.07" in note)


def test_a_stated_change_of_definition_rules_the_pair_out_with_the_sentence(warehouse):
    # 江苏省高级人民法院__省法院2018年度部门预算公开.pdf p.24: "…本年机关运行经费统计口径与上年不一致…故上下年数据无可比性。"
    is_comparable, quote = one(
        warehouse,
        """select is_comparable, comparability_quote from marts.mart_metric_change
           where department_id = '320000-高级人民法院' and metric = 'operating_cost' and fiscal_year = 2018""",
    )
    assert is_comparable is False
    assert "无可比性" in quote


def test_rankings_of_change_have_no_pair_across_phases_scopes_or_consolidations(warehouse):
    mixed = rows(
        warehouse,
        """select c.department_id, c.fiscal_year from marts.mart_metric_change as c
           join marts.mart_peer_disclosure as now on now.disclosure_id = c.disclosure_id
           join marts.mart_peer_disclosure as before on before.disclosure_id = c.prior_disclosure_id
           where now.comparison_basis <> before.comparison_basis""",
    )
    assert mixed == []


# --- 三公 --------------------------------------------------------------------------------------------


def test_yantai_xinfang_sangong_parts_as_printed(warehouse):
    # 烟台/2026-烟台市信访局-部门预算.pdf p.27: "“三公”经费预算共17万元 … 1.因公出国（境）费0万元 … 2.公务用车购置及运行费
    # 15万元"; 公务接待费 is the rest, 2 (p.18 公开表7 prints it)
    total, abroad, vehicle, reception, source = one(
        warehouse,
        """select sangong_total, sangong_abroad, sangong_vehicle, sangong_reception, total_source
           from marts.mart_sangong where department_id = '370600-信访局'""",
    )
    assert (total, abroad, vehicle, reception) == (Decimal("17"), Decimal("0"), Decimal("15"), Decimal("2"))
    assert source == "stated"


@pytest.mark.parametrize(
    ("department_id", "subtotal"),
    [
        # 江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf p.20: "“三公”经费 小计" 833.60 (222.50 + 183.60 + 427.50)
        ("320000-人大常委会办公厅", Decimal("833.60")),
        # 江苏省人民检察院__2017年省检察院部门预算.pdf p.16: "“三公”经费 小计" 584.35 (110.00 + 317.80 + 156.55)
        ("320000-人民检察院", Decimal("584.35")),
    ],
)
def test_jiangsu_2017_sangong_total_is_the_printed_subtotal(warehouse, department_id, subtotal):
    total, source, verdict = one(
        warehouse,
        "select sangong_total, total_source, verdict from marts.mart_sangong where department_id = ? and fiscal_year = 2017",
        department_id,
    )
    assert total == subtotal
    if source == "sum of parts":  # the parser misses the 小计 still: the disclosure is flagged, not trusted
        assert verdict == "check first"
        assert rows(
            warehouse,
            """select count(*) from marts.fct_disclosure_check
               where department_id = ? and fiscal_year = 2017 and check_name = 'plausibility_parts_without_total'""",
            department_id,
        ) == [(1,)]


# --- 抚恤 -------------------------------------------------------------------------------------------


def test_shenzhen_traffic_police_pension_benefits_by_item(warehouse):
    # 深圳/2026-深圳市公安局交通管理局（本级）-部门预算.pdf p.21 (一般公共预算支出表): "20808 抚恤 437.15",
    # "2080801 死亡抚恤 392.15", "2080802 伤残抚恤 45.00"
    pension, death, disability, other, status = one(
        warehouse,
        """select pension_benefits, death_benefit, disability_benefit, other_pension_benefits, pension_status
           from marts.mart_death_benefit where department_id = '440300-公安局交通管理局'""",
    )
    assert (pension, death, disability, other) == (Decimal("437.15"), Decimal("392.15"), Decimal("45.00"), Decimal("0"))
    assert status == "stated"


def test_no_xinfang_bureau_budgets_pension_benefits(warehouse):
    # the five 信访局 files print no 抚恤 line: the word appears only in 深圳 p.7, as a use of the reserve
    # "增人增资 99.41 万元 … 伤残及死亡抚恤金、丧葬费需求", not as a 20808 line
    found = rows(
        warehouse,
        """select pension_status, count(*), sum(pension_benefits) from marts.mart_death_benefit
           where department_type = ? group by all""",
        XINFANG,
    )
    assert found == [("none", 5, Decimal("0"))]


def test_every_charted_figure_carries_the_verdict_of_its_disclosure(warehouse):
    for mart in ("mart_operating_cost", "mart_sangong", "mart_death_benefit", "mart_peer_point", "mart_metric_change"):
        unmatched = rows(
            warehouse,
            f"""select count(*) from marts.{mart} as m left join marts.fct_disclosure as d using (disclosure_id)
                where d.verdict is null or m.verdict is distinct from d.verdict""",
        )
        assert unmatched == [(0,)], mart
