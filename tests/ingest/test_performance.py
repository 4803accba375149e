"""部门预算项目支出绩效自评表 of the Sichuan sample (five projects, lines 193-1230).

Expected values read by hand from the tables; the 总额 row gives 年初预算 / 调整后预算 /
预算执行数 / 预算执行率, the 合计 row the total score.
"""

from __future__ import annotations

from decimal import Decimal

EXPECTED = [
    # project code, name, 年初预算, 调整后预算, 执行数, 合计得分, indicator rows
    ("51090423T000007872173", "建国初期参加革命工作退休干部困难补助2023", "1.58", "1.27", "1.27", "100", 6),
    ("51090422T000007143376", "社保公共服务能力建设经费", "26.48", "20.18", "20.18", "95", 4),
    ("51090423T000007870783", "基金风险防控项目2023", "10.00", "7.50", "7.50", "95", 7),
    ("51090423T000007872015", "离休干部遗孀生活补助2023", "1.51", "1.51", "1.51", "100", 6),
    ("51090424T000010542083", "老机保清理转移养老保险费", "0.00", "138.19", "138.19", "100", 3),
]


def test_every_project_with_its_budget_and_score(sichuan_extraction):
    got = [
        (p.project_code, p.project_name, p.initial_budget, p.adjusted_budget, p.executed, p.self_score)
        for p in sichuan_extraction.projects
    ]
    expected = [
        (code, name, Decimal(a), Decimal(b), Decimal(c), Decimal(score)) for code, name, a, b, c, score, _ in EXPECTED
    ]
    assert got == expected


def test_executed_sum_is_one_cent_below_project_expenditure(sichuan_extraction):
    # the document's own defect: 项目支出 168.66 (line 34) vs the projects' 168.65
    assert sum(p.executed for p in sichuan_extraction.projects) == Decimal("168.65")


def test_indicator_rows_per_project(sichuan_extraction):
    per_project = [sum(1 for i in sichuan_extraction.indicators if i.project_no == n) for n in range(1, 6)]
    assert per_project == [n for *_, n in EXPECTED]


def test_indicator_levels_inherit_from_the_row_above(sichuan_extraction):
    first = [i for i in sichuan_extraction.indicators if i.project_no == 1]
    # lines 315-324: 产出指标 / 数量指标 / …发放困难补助。/ ＝ / 2 / 人 / weight 20 / score 20
    assert (first[0].level1, first[0].level2, first[0].operator, first[0].target, first[0].unit) == (
        "产出指标",
        "数量指标",
        "＝",
        "2",
        "人",
    )
    assert (first[0].weight, first[0].score) == (Decimal("20"), Decimal("20"))
    # lines 328-335: the 质量指标 row leaves 一级指标 blank: it is still 产出指标
    assert (first[1].level1, first[1].level2, first[1].level3) == ("产出指标", "质量指标", "应发尽发")
    # lines 363-371: 满意度指标 ≥ 95 %
    satisfaction = next(i for i in first if i.level1 == "满意度指标")
    assert (satisfaction.operator, satisfaction.target, satisfaction.unit) == ("≥", "95", "%")


def test_project_provenance_points_at_the_name_cell(sichuan_extraction):
    assert [p.locator for p in sichuan_extraction.projects] == [
        "line 221",
        "line 430",
        "line 627",
        "line 860",
        "line 1081",
    ]
