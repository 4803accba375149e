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
# this run.

# %%
import altair as alt
import polars as pl

import lab

# %% [markdown]
# ## 1. Its share of spending, department by department
#
# `death_benefit_share_pct` = 死亡抚恤 / 一般公共预算财政拨款支出 (else 本年支出合计) × 100.

# %%
years = lab.query(
    """
    select department_id, department_name, fiscal_year, phase,
           total_expenditure, gpb_expenditure, basic_expenditure,
           death_benefit_2080801, death_benefit_share_pct,
           pension_benefit_30304, pension_benefit_share_of_basic_pct,
           admin_retirees_2080501, institution_retirees_2080502,
           staff_authorized, staff_actual
    from marts.mart_department_year
    order by department_name, fiscal_year
    """
)
death = years.filter(pl.col("death_benefit_2080801").is_not_null())
shown_departments = set(
    years.filter(pl.col("death_benefit_2080801").is_not_null() | pl.col("pension_benefit_30304").is_not_null())[
        "department_id"
    ]
)
shown_years = set(
    years.filter(pl.col("department_id").is_in(list(shown_departments)))["fiscal_year"]
)
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
    ranked = death.filter(pl.col("death_benefit_share_pct").is_not_null()).sort(
        ["death_benefit_share_pct", "department_name", "fiscal_year"], descending=[True, False, False]
    )
    paying = death.filter(pl.col("death_benefit_2080801") > 0)
    lines = [
        f"**Answer.** {paying['department_id'].n_unique()} of {years['department_id'].n_unique()} departments "
        f"report 死亡抚恤 above zero, in {paying.height} department-year(s); together "
        f"{lab.wan(paying['death_benefit_2080801'].sum())}."
    ]
    if ranked.height:
        top = ranked.row(0, named=True)
        answer["top_share_department"] = top["department_name"]
        answer["top_share_pct"] = top["death_benefit_share_pct"]
        lines.append(
            f"The largest share is **{top['department_name']}** in {top['fiscal_year']} "
            f"({'决算' if top['phase'] == 'final' else '预算'}): 死亡抚恤 {lab.wan(top['death_benefit_2080801'])}, "
            f"**{lab.pct(top['death_benefit_share_pct'])}** of its spending. The median share over the "
            f"{ranked.height} department-year(s) is {lab.pct(ranked['death_benefit_share_pct'].median())}."
        )
    lab.md(*lines)

# %% [markdown]
# ## 2. Every 2080801 line, by phase and statement
#
# The same code in each statement it appears in: 决算 and 预算, 一般公共预算 (`general_budget`)
# and all funds (`all_funds`). A gap between them is money from other sources.

# %%
lines_2080801 = lab.query(
    """
    select department_id, department_name, fiscal_year, phase, scope, basis, amount,
           budget_amount, prior_amount, completion_pct, source_file, source_locator
    from marts.fct_function_amount
    where code = '2080801'
    order by department_name, fiscal_year, phase, basis, scope
    """
)
if not lab.no_data(lines_2080801, "2080801 死亡抚恤 lines"):
    lab.table(lines_2080801)
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
# the function. They measure different cuts and need not agree.

# %%
both = death.select(
    "department_name", "fiscal_year", "phase", "death_benefit_2080801", "pension_benefit_30304",
    "pension_benefit_share_of_basic_pct",
).filter(pl.col("pension_benefit_30304").is_not_null() | pl.col("death_benefit_2080801").is_not_null())
paired = both.filter(pl.col("pension_benefit_30304").is_not_null() & pl.col("death_benefit_2080801").is_not_null())
if not lab.no_data(paired, "department-years with both 2080801 and 30304"):
    paired = paired.with_columns(
        ratio=pl.when(pl.col("death_benefit_2080801") != 0)
        .then(pl.col("pension_benefit_30304") / pl.col("death_benefit_2080801"))
        .otherwise(None)
    )
    lab.table(paired)
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
        f"{paired.height} department-year(s) report both lines; 30304 is on median "
        f"{lab.num(paired['ratio'].median())} × the 2080801 figure."
    )

# %% [markdown]
# ## 4. Year over year
#
# From `fct_metric_yoy`, metric `<basis>:2080801`: the prior value comes from the department's own
# earlier document or from the comparative the later document states.

# %%
yoy = lab.query(
    """
    select y.department_id, d.department_name, y.fiscal_year, y.phase, y.scope, y.metric,
           y.value, y.prior_value, y.change, y.change_pct, y.prior_source, y.is_restated,
           y.source_file, y.source_locator
    from marts.fct_metric_yoy as y
    left join marts.dim_department as d using (department_id)
    where y.metric like '%:2080801'
    order by d.department_name, y.fiscal_year, y.phase, y.metric
    """
)
if not lab.no_data(yoy, "year-over-year changes of 2080801"):
    yoy = yoy.with_columns(pl.coalesce("department_name", "department_id").alias("department_name"))
    # one cell per department × year × phase: the 一般公共预算 line first, the own earlier document first
    cells = (
        yoy.filter(pl.col("change_pct").is_not_null())
        .sort(
            pl.col("metric") != "general_budget:2080801",
            pl.col("prior_source") != "own document",
            "metric",
        )
        .unique(["department_id", "fiscal_year", "phase"], keep="first", maintain_order=True)
    )
    if not lab.no_data(cells, "year-over-year percentages of 2080801 (no prior above zero)"):
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
    rises = yoy.filter(pl.col("change").is_not_null()).sort(["change", "department_name"], descending=[True, False])
    restated = yoy.filter(pl.col("is_restated")).height

    def described(row: dict) -> str:
        return f"{row['department_name']} in {row['fiscal_year']} ({lab.wan(row['change'])}, {lab.pct(row['change_pct'])})"

    if rises.height > 1:
        extremes = (
            f"The largest rise: {described(rises.row(0, named=True))}; "
            f"the largest fall or smallest rise: {described(rises.row(-1, named=True))}. "
        )
    elif rises.height == 1:
        extremes = f"The one change: {described(rises.row(0, named=True))}. "
    else:
        extremes = ""
    lab.md(
        f"{yoy.height} year-over-year row(s). {extremes}"
        f"{restated} row(s) have a prior value that the two sources state differently (`is_restated`)."
    )

# %% [markdown]
# ## 5. The reasons the documents give
#
# The reason printed beside a 2080801 / 20808 line, and every stated reason (`fct_figure`,
# `measure = 'reason'`) that mentions 抚恤.

# %%
reasons = lab.query(
    """
    select department_id, fiscal_year, phase, 'function ' || code as subject, reason as reason_text,
           source_file, source_locator
    from marts.fct_function_amount
    where code in ('2080801', '20808') and nullif(trim(reason), '') is not null
    union all
    select department_id, fiscal_year, phase, metric as subject, stated_text as reason_text,
           source_file, source_locator
    from marts.fct_figure
    where measure = 'reason' and (stated_text like '%抚恤%' or metric like '%2080801%')
    order by department_id, fiscal_year, subject
    """
)
if not lab.no_data(reasons, "stated reasons about 抚恤"):
    lab.table(reasons)
    counts = reasons.group_by("reason_text").len().sort(["len", "reason_text"], descending=[True, False])
    lab.md(
        f"{reasons.height} stated reason(s) from {reasons['department_id'].n_unique()} department(s); "
        f"the most frequent: “{counts['reason_text'][0]}” ({counts['len'][0]}×)."
    )

# %% [markdown]
# ## 6. Against staffing and retiree lines
#
# Retiree lines = 2080501 行政单位离退休 + 2080502 事业单位离退休 where stated; staff = 实有人数.

# %%
against = death.with_columns(
    retirees=pl.sum_horizontal("admin_retirees_2080501", "institution_retirees_2080502").fill_null(0),
    has_retiree_line=pl.col("admin_retirees_2080501").is_not_null() | pl.col("institution_retirees_2080502").is_not_null(),
).with_columns(
    per_staff=pl.when(pl.col("staff_actual") > 0).then(pl.col("death_benefit_2080801") / pl.col("staff_actual")),
    per_retiree_line=pl.when(pl.col("has_retiree_line") & (pl.col("retirees") > 0)).then(
        pl.col("death_benefit_2080801") / pl.col("retirees")
    ),
)
comparable = against.filter(pl.col("has_retiree_line") | pl.col("staff_actual").is_not_null())
if not lab.no_data(comparable, "death benefits beside staffing or retiree lines"):
    lab.table(
        comparable.select(
            "department_name", "fiscal_year", "death_benefit_2080801", "admin_retirees_2080501",
            "institution_retirees_2080502", "staff_actual", "per_staff", "per_retiree_line",
        )
    )
    lab.show(
        alt.Chart(comparable.filter(pl.col("has_retiree_line")))
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
    staffed = comparable.filter(pl.col("per_staff").is_not_null()).sort(
        ["per_staff", "department_name"], descending=[True, False]
    )
    if staffed.height:
        top = staffed.row(0, named=True)
        words.append(
            f"Per person on staff, {top['department_name']} ({top['fiscal_year']}) pays the most 死亡抚恤: "
            f"{lab.wan(top['per_staff'])} per head over {top['staff_actual']} staff."
        )
    pairs = comparable.filter(pl.col("has_retiree_line"))
    if pairs.height >= 3:
        r = pairs.select(pl.corr("death_benefit_2080801", "retirees")).item()
        words.append(
            f"Over {pairs.height} department-years with a retiree line, the correlation of 死亡抚恤 with the "
            f"retiree lines is {lab.num(r)}."
        )
    else:
        words.append(f"Only {pairs.height} department-year(s) have a retiree line: too few to correlate.")
    lab.md(*words)

# %% [markdown]
# ## 7. Caveats: what the data checks say about these departments

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
