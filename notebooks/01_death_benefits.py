# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 抚恤金 — where death-benefit spending sits, and what drives it
#
# **Question.** Which departments pay 死亡抚恤 (function code 2080801) and 抚恤金 (economic code
# 30304), how large a share of their spending is it, how much does it swing from year to year, what
# reasons do the documents give, and how does it compare with the department's staff and its
# retiree lines 2080501 行政单位离退休 / 2080502 事业单位离退休?
#
# Sources (schema `marts`, amounts in 万元): `mart_department_year` (one row per department × year:
# the 决算 where one is loaded, else the 预算), `fct_function_amount`, `fct_economic_amount`,
# `fct_metric_yoy`, `fct_figure`. Every number in the text below is computed from the warehouse in
# this run, in SQL over every row; the charts and tables show at most `TOP` departments each, chosen
# by the criterion each section states.

# %%
import altair as alt
import polars as pl

import lab

TOP = 40  # departments shown per chart or table; the detail queries below say "limit 40" (keep them equal)

# %% [markdown]
# ## 1. Its share of spending, department by department
#
# `death_benefit_share_pct` = 死亡抚恤 / 一般公共预算财政拨款支出 (else 本年支出合计) × 100.
# Shown: the `TOP` departments reporting 2080801 or 30304 with the largest share in any year.

# %%
summary = lab.query(
    """
    with years as (
        select department_id, department_name, fiscal_year, phase,
               death_benefit_2080801::double as death_benefit, death_benefit_share_pct::double as share
        from marts.mart_department_year
    ),
    top as (
        select department_name as top_department, fiscal_year as top_year, phase as top_phase,
               death_benefit as top_amount, share as top_share
        from years
        where share is not null
        order by share desc, department_name, fiscal_year
        limit 1
    ),
    totals as (
        select count(distinct department_id) as departments,
               count(distinct department_id) filter (where death_benefit > 0) as paying_departments,
               count(*) filter (where death_benefit > 0) as paying_years,
               sum(death_benefit) filter (where death_benefit > 0) as paid,
               count(share) as shares,
               median(share) as median_share
        from years
    )
    select * from totals left join top on true
    """
).row(0, named=True)
reporting = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.mart_department_year
        where death_benefit_2080801 is not null or pension_benefit_30304 is not null
        group by department_id
        order by max(death_benefit_share_pct) desc nulls last, max(death_benefit_2080801) desc nulls last, department_id
        limit 40
    )
    select y.department_id, y.department_name, y.fiscal_year, y.phase,
           y.death_benefit_2080801, y.death_benefit_share_pct, shown.departments_total
    from marts.mart_department_year as y
    join shown using (department_id)
    order by y.department_name, y.fiscal_year
    """
)
shown_departments, shown_years = set(reporting["department_id"]), set(reporting["fiscal_year"])
death = reporting.filter(pl.col("death_benefit_2080801").is_not_null())
if not reporting.is_empty():
    lab.showing(len(shown_departments), reporting["departments_total"][0], "department(s) reporting 2080801 or 30304",
                "those with the largest 死亡抚恤 share")
death.select("department_name", "fiscal_year", "phase", "death_benefit_2080801", "death_benefit_share_pct")

# %%
if not lab.no_data(death.filter(pl.col("death_benefit_share_pct").is_not_null()), "死亡抚恤 (2080801) shares"):
    base = alt.Chart(death.filter(pl.col("death_benefit_share_pct").is_not_null())).encode(
        x=alt.X("fiscal_year:O", title="会计年度"),
        y=alt.Y("department_name:N", title=None, sort="ascending"),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("death_benefit_share_pct:Q", title="死亡抚恤占比 %", scale=alt.Scale(scheme="oranges")),
        tooltip=["department_name", "fiscal_year", "phase", "death_benefit_2080801", "death_benefit_share_pct"],
    )
    labels = base.mark_text(fontSize=11).encode(text=alt.Text("death_benefit_share_pct:Q", format=".1f"))
    lab.show((heat + labels).properties(title="死亡抚恤 占一般公共预算财政拨款支出 %", width=alt.Step(56)))

# %% tags=["answer"]
answer = {}
if not lab.no_data(death, "死亡抚恤 (2080801) in any department"):
    lines = [
        f"**Answer.** {summary['paying_departments']} of {summary['departments']} departments "
        f"report 死亡抚恤 above zero, in {summary['paying_years']} department-year(s); together "
        f"{lab.wan(summary['paid'] or 0)}."
    ]
    if summary["shares"]:
        answer["top_share_department"] = summary["top_department"]
        answer["top_share_pct"] = summary["top_share"]
        lines.append(
            f"The largest share is **{summary['top_department']}** in {summary['top_year']} "
            f"({'决算' if summary['top_phase'] == 'final' else '预算'}): 死亡抚恤 {lab.wan(summary['top_amount'])}, "
            f"**{lab.pct(summary['top_share'])}** of its spending. The median share over the "
            f"{summary['shares']} department-year(s) is {lab.pct(summary['median_share'])}."
        )
    lab.md(*lines)

# %% [markdown]
# ## 2. Every 2080801 line, by phase and statement
#
# The same code in each statement it appears in: 决算 and 预算, 一般公共预算 (`general_budget`)
# and all funds (`all_funds`). A gap between them is money from other sources. Shown: the lines of
# the `TOP` departments with the largest 2080801 amount.

# %%
lines_2080801 = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.fct_function_amount
        where code = '2080801'
        group by department_id
        order by max(amount) desc nulls last, department_id
        limit 40
    )
    select f.department_id, f.department_name, f.fiscal_year, f.phase, f.scope, f.basis, f.amount,
           f.budget_amount, f.prior_amount, f.completion_pct, f.source_file, f.source_locator,
           shown.departments_total
    from marts.fct_function_amount as f
    join shown using (department_id)
    where f.code = '2080801'
    order by f.department_name, f.fiscal_year, f.phase, f.basis, f.scope
    """
)
if not lab.no_data(lines_2080801, "2080801 死亡抚恤 lines"):
    shown_departments |= set(lines_2080801["department_id"])
    shown_years |= set(lines_2080801["fiscal_year"])
    lab.showing(lines_2080801["department_id"].n_unique(), lines_2080801["departments_total"][0],
                "department(s) with a 2080801 line", "those with the largest amount")
    lab.table(lines_2080801.drop("departments_total"))
    chart = (
        alt.Chart(lines_2080801.filter(pl.col("scope") == "department"))
        .mark_point(filled=True, size=70, opacity=0.85)
        .encode(
            x=alt.X("amount:Q", title="死亡抚恤 (万元)"),
            y=alt.Y("department_name:N", title=None),
            color=alt.Color("phase:N", title="phase", scale=alt.Scale(domain=["budget", "final"])),
            shape=alt.Shape("basis:N", title="basis"),
            facet=alt.Facet("fiscal_year:O", title=None, columns=4),
            tooltip=["department_name", "fiscal_year", "phase", "basis", "amount", "source_locator"],
        )
        .properties(title="2080801 死亡抚恤: 预算 and 决算, by statement", width=150)
        .resolve_scale(y="independent")
    )
    lab.show(chart)

# %% [markdown]
# ## 3. 死亡抚恤 (function 2080801) beside 抚恤金 (economic 30304)
#
# 30304 counts 抚恤金 inside 基本支出 by economic classification; 2080801 counts what was spent for
# the function. They measure different cuts and need not agree. Shown: the `TOP` departments with
# the largest 死亡抚恤 among those reporting both.

# %%
paired_summary = lab.query(
    """
    select count(*) as pairs,
           median(pension_benefit_30304::double / nullif(death_benefit_2080801::double, 0)) as median_ratio
    from marts.mart_department_year
    where pension_benefit_30304 is not null and death_benefit_2080801 is not null
    """
).row(0, named=True)
paired = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.mart_department_year
        where pension_benefit_30304 is not null and death_benefit_2080801 is not null
        group by department_id
        order by max(death_benefit_2080801) desc, department_id
        limit 40
    )
    select y.department_id, y.department_name, y.fiscal_year, y.phase, y.death_benefit_2080801,
           y.pension_benefit_30304, y.pension_benefit_share_of_basic_pct,
           y.pension_benefit_30304 / nullif(y.death_benefit_2080801, 0) as ratio, shown.departments_total
    from marts.mart_department_year as y
    join shown using (department_id)
    where y.pension_benefit_30304 is not null and y.death_benefit_2080801 is not null
    order by y.department_name, y.fiscal_year
    """
)
if not lab.no_data(paired, "department-years with both 2080801 and 30304"):
    shown_departments |= set(paired["department_id"])
    shown_years |= set(paired["fiscal_year"])
    lab.showing(paired["department_id"].n_unique(), paired["departments_total"][0],
                "department(s) reporting both lines", "those with the largest 死亡抚恤")
    lab.table(paired.drop("department_id", "departments_total"))
    top_value = max(paired["death_benefit_2080801"].max(), paired["pension_benefit_30304"].max())
    diagonal = alt.Chart(pl.DataFrame({"x": [0.0, top_value], "y": [0.0, top_value]})).mark_line(
        color="#999", strokeDash=[4, 4]
    ).encode(x="x:Q", y="y:Q")
    points = (
        alt.Chart(paired)
        .mark_circle(size=80, opacity=0.8)
        .encode(
            x=alt.X("death_benefit_2080801:Q", title="2080801 死亡抚恤 (万元)"),
            y=alt.Y("pension_benefit_30304:Q", title="30304 抚恤金 (万元)"),
            color=alt.Color("department_name:N", title="部门"),
            tooltip=["department_name", "fiscal_year", "phase", "death_benefit_2080801", "pension_benefit_30304"],
        )
    )
    lab.show((diagonal + points).properties(title="2080801 vs 30304 (dashed: equal)", width=420, height=320))
    lab.md(
        f"{paired_summary['pairs']} department-year(s) report both lines; 30304 is on median "
        f"{lab.num(paired_summary['median_ratio'])} × the 2080801 figure."
    )

# %% [markdown]
# ## 4. Year over year
#
# From `fct_metric_yoy`, metric `<basis>:2080801`: the prior value comes from the department's own
# earlier document or from the comparative the later document states. Shown: the `TOP` departments
# with the largest swing (largest |同比 %|).

# %%
yoy_summary = lab.query(
    """
    with yoy as (
        select department_id, fiscal_year, change::double as change, change_pct::double as change_pct, is_restated
        from marts.fct_metric_yoy
        where metric like '%:2080801'
    ),
    totals as (
        select count(*) as pairs,
               count(*) filter (where is_restated) as restated,
               count(change) as changes,
               arg_max({'department_id': department_id, 'fiscal_year': fiscal_year, 'change': change, 'change_pct': change_pct},
                       (change, department_id)) filter (where change is not null) as largest_rise,
               arg_min({'department_id': department_id, 'fiscal_year': fiscal_year, 'change': change, 'change_pct': change_pct},
                       (change, department_id)) filter (where change is not null) as largest_fall
        from yoy
    )
    select totals.*,
           coalesce(rise.department_name, totals.largest_rise.department_id) as largest_rise_name,
           coalesce(fall.department_name, totals.largest_fall.department_id) as largest_fall_name
    from totals
    left join marts.dim_department as rise on rise.department_id = totals.largest_rise.department_id
    left join marts.dim_department as fall on fall.department_id = totals.largest_fall.department_id
    """
).row(0, named=True)
# one cell per department × year × phase: the 一般公共预算 line first, the own earlier document first
cells = lab.query(
    """
    with yoy as (
        select department_id, fiscal_year, phase, metric, value, prior_value, change, change_pct, prior_source
        from marts.fct_metric_yoy
        where metric like '%:2080801' and change_pct is not null
    ),
    shown as (
        select department_id, count(*) over () as departments_total
        from yoy
        group by department_id
        order by max(abs(change_pct)) desc, department_id
        limit 40
    )
    select y.department_id, coalesce(d.department_name, y.department_id) as department_name,
           y.fiscal_year, y.phase, y.metric, y.value, y.prior_value, y.change, y.change_pct, y.prior_source,
           shown.departments_total
    from yoy as y
    join shown using (department_id)
    left join marts.dim_department as d using (department_id)
    qualify row_number() over (
        partition by y.department_id, y.fiscal_year, y.phase
        order by y.metric <> 'general_budget:2080801', y.prior_source <> 'own document', y.metric
    ) = 1
    order by department_name, y.fiscal_year, y.phase
    """
)
if not lab.no_data(yoy_summary["pairs"], "year-over-year changes of 2080801"):
    if not lab.no_data(cells, "year-over-year percentages of 2080801 (no prior above zero)"):
        shown_departments |= set(cells["department_id"])
        shown_years |= set(cells["fiscal_year"])
        lab.showing(cells["department_id"].n_unique(), cells["departments_total"][0],
                    "department(s) with a year-over-year %", "those with the largest swing")
        base = alt.Chart(cells).encode(
            x=alt.X("fiscal_year:O", title="会计年度"),
            y=alt.Y("department_name:N", title=None),
        )
        heat = base.mark_rect().encode(
            color=alt.Color("change_pct:Q", title="同比 %", scale=alt.Scale(scheme="redblue", reverse=True, domain=[-100, 100], clamp=True)),
            tooltip=["department_name", "fiscal_year", "phase", "metric", "value", "prior_value", "change", "change_pct", "prior_source"],
        )
        text = base.mark_text(fontSize=10).encode(text=alt.Text("change_pct:Q", format="+.0f"))
        lab.show(
            (heat + text)
            .properties(width=alt.Step(48))
            .facet(column=alt.Column("phase:N", title=None))
            .properties(title="死亡抚恤 year over year (%)")
            .resolve_scale(y="independent")
        )

    def described(extreme: str) -> str:
        row = yoy_summary[extreme]
        return f"{yoy_summary[extreme + '_name']} in {row['fiscal_year']} ({lab.wan(row['change'])}, {lab.pct(row['change_pct'])})"

    if yoy_summary["changes"] > 1:
        extremes = (
            f"The largest rise: {described('largest_rise')}; "
            f"the largest fall or smallest rise: {described('largest_fall')}. "
        )
    elif yoy_summary["changes"] == 1:
        extremes = f"The one change: {described('largest_rise')}. "
    else:
        extremes = ""
    lab.md(
        f"{yoy_summary['pairs']} year-over-year row(s). {extremes}"
        f"{yoy_summary['restated']} row(s) have a prior value that the two sources state differently (`is_restated`)."
    )

# %% [markdown]
# ## 5. The reasons the documents give
#
# The reason printed beside a 2080801 / 20808 line, and every stated reason (`fct_stated_reason`)
# that mentions 抚恤, grouped by wording. Shown: the `TOP` most frequent wordings.

# %%
reasons = lab.query(
    """
    with reasons as (
        select department_id, 'function ' || code as subject, reason as reason_text
        from marts.fct_function_amount
        -- the prefix test is pushed into the scan, so other codes are skipped before the rest is read
        where code like '20808%' and code in ('2080801', '20808') and nullif(trim(reason), '') is not null
        union all
        select department_id, metric as subject, reason_text
        from marts.fct_stated_reason
        where reason_text like '%抚恤%' or metric like '%2080801%'
    ),
    totals as (
        select count(*) as reasons_total, count(distinct department_id) as departments_total,
               count(distinct reason_text) as wordings_total
        from reasons
    ),
    wordings as (
        select reason_text, count(*) as mentions, count(distinct department_id) as departments,
               string_agg(distinct subject, '、' order by subject) as subjects
        from reasons
        group by reason_text
        order by mentions desc, reason_text
        limit 40
    )
    select * from wordings cross join totals
    order by mentions desc, reason_text
    """
)
if not lab.no_data(reasons, "stated reasons about 抚恤"):
    totals = reasons.row(0, named=True)
    lab.showing(reasons.height, totals["wordings_total"], "wording(s)", "the most frequent")
    lab.table(reasons.drop("reasons_total", "departments_total", "wordings_total"), limit=TOP)
    lab.md(
        f"{totals['reasons_total']} stated reason(s) from {totals['departments_total']} department(s); "
        f"the most frequent: “{totals['reason_text']}” ({totals['mentions']}×)."
    )

# %% [markdown]
# ## 6. Against staffing and retiree lines
#
# Retiree lines = 2080501 行政单位离退休 + 2080502 事业单位离退休 where stated; staff = 实有人数.
# Shown: the `TOP` departments with the largest 死亡抚恤.

# %%
staff_summary = lab.query(
    """
    with d as (
        select department_name, fiscal_year, staff_actual, death_benefit_2080801::double as death_benefit,
               admin_retirees_2080501 is not null or institution_retirees_2080502 is not null as has_retiree_line,
               (coalesce(admin_retirees_2080501, 0) + coalesce(institution_retirees_2080502, 0))::double as retirees
        from marts.mart_department_year
        where death_benefit_2080801 is not null
    )
    select count(*) filter (where has_retiree_line or staff_actual is not null) as comparable,
           count(*) filter (where has_retiree_line) as with_retiree_line,
           corr(death_benefit, retirees) filter (where has_retiree_line) as correlation,
           first({'department_name': department_name, 'fiscal_year': fiscal_year, 'staff_actual': staff_actual,
                  'per_staff': death_benefit / staff_actual}
                 order by death_benefit / staff_actual desc, department_name) filter (where staff_actual > 0) as top_per_staff
    from d
    """
).row(0, named=True)
against = lab.query(
    """
    with comparable as (
        select department_id, department_name, fiscal_year, death_benefit_2080801, admin_retirees_2080501,
               institution_retirees_2080502, staff_actual,
               admin_retirees_2080501 is not null or institution_retirees_2080502 is not null as has_retiree_line
        from marts.mart_department_year
        where death_benefit_2080801 is not null
          and (admin_retirees_2080501 is not null or institution_retirees_2080502 is not null or staff_actual is not null)
    ),
    shown as (
        select department_id, count(*) over () as departments_total
        from comparable
        group by department_id
        order by max(death_benefit_2080801) desc, department_id
        limit 40
    )
    select c.*, coalesce(c.admin_retirees_2080501, 0) + coalesce(c.institution_retirees_2080502, 0) as retirees,
           case when c.staff_actual > 0 then c.death_benefit_2080801 / c.staff_actual end as per_staff,
           case when c.has_retiree_line
                then c.death_benefit_2080801 / nullif(coalesce(c.admin_retirees_2080501, 0) + coalesce(c.institution_retirees_2080502, 0), 0)
           end as per_retiree_line,
           shown.departments_total
    from comparable as c
    join shown using (department_id)
    order by c.department_name, c.fiscal_year
    """
)
if not lab.no_data(against, "death benefits beside staffing or retiree lines"):
    shown_departments |= set(against["department_id"])
    shown_years |= set(against["fiscal_year"])
    lab.showing(against["department_id"].n_unique(), against["departments_total"][0],
                "department(s) with staffing or a retiree line", "those with the largest 死亡抚恤")
    lab.table(
        against.select(
            "department_name", "fiscal_year", "death_benefit_2080801", "admin_retirees_2080501",
            "institution_retirees_2080502", "staff_actual", "per_staff", "per_retiree_line",
        )
    )
    lab.show(
        alt.Chart(against.filter(pl.col("has_retiree_line")))
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X("retirees:Q", title="2080501 + 2080502 (万元)"),
            y=alt.Y("death_benefit_2080801:Q", title="2080801 死亡抚恤 (万元)"),
            size=alt.Size("staff_actual:Q", title="实有人数"),
            color=alt.Color("department_name:N", title="部门"),
            tooltip=["department_name", "fiscal_year", "death_benefit_2080801", "retirees", "staff_actual"],
        )
        .properties(title="死亡抚恤 vs 离退休 lines")
    )
    words = []
    top = staff_summary["top_per_staff"]
    if top:
        words.append(
            f"Per person on staff, {top['department_name']} ({top['fiscal_year']}) pays the most 死亡抚恤: "
            f"{lab.wan(top['per_staff'])} per head over {top['staff_actual']} staff."
        )
    pairs = staff_summary["with_retiree_line"]
    if pairs >= 3:
        words.append(
            f"Over {pairs} department-years with a retiree line, the correlation of 死亡抚恤 with the "
            f"retiree lines is {lab.num(staff_summary['correlation'])}."
        )
    else:
        words.append(f"Only {pairs} department-year(s) have a retiree line: too few to correlate.")
    lab.md(*words)

# %% [markdown]
# ## 7. Caveats: what the data checks say about these departments
#
# The departments shown in the charts and tables above.

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
