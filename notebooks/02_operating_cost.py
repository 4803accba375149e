# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 机关运行经费 — how widely does it spread across departments?
#
# **Question.** How is 机关运行经费 (the 公用经费 of the 基本支出 that keeps an office running)
# distributed across departments, year by year; which departments are outliers, in total and per
# person on staff; how does it sit against 公用经费; how does it change from year to year; and how
# does the 决算 compare with the 预算?
#
# Outliers follow Tukey's IQR rule within each fiscal year: below Q1 − 1.5·IQR or above
# Q3 + 1.5·IQR, with linear-interpolated quartiles, judged only in years with at least four
# departments. Sources (schema `marts`, amounts in 万元): `mart_department_year` (one row per
# department × year: the 决算 where loaded, else the 预算), `fct_metric_yoy`,
# `mart_budget_execution`. Every number in the text is computed in this run.

# %%
import altair as alt
import polars as pl

import lab

MIN_GROUP = 4  # departments a year needs before its outliers are judged

# %% [markdown]
# ## 1. The distribution, year by year

# %%
cost = lab.query(
    """
    select department_id, department_name, province, admin_level, fiscal_year, phase,
           operating_cost, public_expenditure, basic_expenditure, staff_actual, operating_cost_per_staff
    from marts.mart_department_year
    where operating_cost is not null
    order by fiscal_year, department_name
    """
)
shown_departments = set(cost["department_id"])
shown_years = set(cost["fiscal_year"])
outliers = lab.iqr_outliers(cost, "operating_cost", by=["fiscal_year"], min_count=MIN_GROUP)
if not lab.no_data(cost, "机关运行经费 (operating_cost)"):
    summary = cost.group_by("fiscal_year").agg(
        departments=pl.len(),
        minimum=pl.col("operating_cost").min(),
        q1=pl.col("operating_cost").quantile(0.25, interpolation="linear"),
        median=pl.col("operating_cost").median(),
        q3=pl.col("operating_cost").quantile(0.75, interpolation="linear"),
        maximum=pl.col("operating_cost").max(),
    ).sort("fiscal_year")
    lab.table(summary)

# %%
if not cost.is_empty():
    flagged = outliers.with_columns(
        label=pl.when(pl.col("is_outlier")).then(pl.col("department_name")).otherwise(pl.lit(""))
    )
    box = alt.Chart(cost).mark_boxplot(extent=1.5, opacity=0.35, outliers=False).encode(
        x=alt.X("operating_cost:Q", title="机关运行经费 (万元)"),
        y=alt.Y("fiscal_year:O", title="会计年度"),
    )
    strip = alt.Chart(flagged).mark_circle(size=60).encode(
        x="operating_cost:Q",
        y=alt.Y("fiscal_year:O", title="会计年度"),
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1])),
        color=alt.Color(
            "is_outlier:N", title="IQR outlier", legend=alt.Legend(orient="bottom"),
            scale=alt.Scale(domain=[False, True], range=["#4c78a8", "#e45756"]),
        ),
        tooltip=["department_name", "fiscal_year", "phase", "operating_cost", "staff_actual"],
    ).transform_calculate(jitter="random() * 1.6 - 0.8")
    names = alt.Chart(flagged.filter(pl.col("is_outlier"))).mark_text(align="left", dx=6, fontSize=11).encode(
        x="operating_cost:Q", y="fiscal_year:O", text="label:N"
    )
    lab.show((box + strip + names).properties(title="机关运行经费 across departments", width=560, height=alt.Step(40)))

# %% tags=["answer"]
answer = {"outliers": [], "outliers_per_staff": []}
if not cost.is_empty():
    judged = outliers.filter(pl.col("group_count") >= MIN_GROUP)
    named = outliers.filter(pl.col("is_outlier")).sort(["fiscal_year", "operating_cost"], descending=[False, True])
    answer["outliers"] = [(row["department_name"], row["fiscal_year"]) for row in named.iter_rows(named=True)]
    lines = [
        f"**Answer.** {cost['department_id'].n_unique()} department(s) state 机关运行经费 over "
        f"{cost['fiscal_year'].n_unique()} year(s); the median department-year spends "
        f"{lab.wan(cost['operating_cost'].median())}"
        + (
            f", from {lab.wan(cost['operating_cost'].min())} to {lab.wan(cost['operating_cost'].max())}."
            if cost.height > 1
            else "."
        )
    ]
    if judged.is_empty():
        lines.append(
            f"No year has {MIN_GROUP} or more departments yet, so no outlier is named "
            f"(the most in one year: {cost.group_by('fiscal_year').len()['len'].max()})."
        )
    elif named.is_empty():
        lines.append(
            f"No department-year lies outside the IQR fences in the {judged['fiscal_year'].n_unique()} year(s) judged."
        )
    else:
        lines.append(
            "IQR outliers: "
            + "; ".join(
                f"**{row['department_name']}** ({row['fiscal_year']}: {lab.wan(row['operating_cost'])}, "
                f"fences {lab.num(row['lower'])}–{lab.num(row['upper'])})"
                for row in named.iter_rows(named=True)
            )
            + "."
        )
    lab.md(*lines)

# %% [markdown]
# ## 2. Per person on staff
#
# `operating_cost_per_staff` = 机关运行经费 / 实有人数, where the document states its staffing.

# %%
per_staff = cost.filter(pl.col("operating_cost_per_staff").is_not_null())
if not lab.no_data(per_staff, "机关运行经费 per staff (no staffing stated)"):
    staff_outliers = lab.iqr_outliers(per_staff, "operating_cost_per_staff", by=["fiscal_year"], min_count=MIN_GROUP)
    lab.show(
        alt.Chart(staff_outliers)
        .mark_circle(size=70)
        .encode(
            x=alt.X("operating_cost_per_staff:Q", title="机关运行经费 per staff (万元/人)"),
            y=alt.Y("department_name:N", title=None, sort="-x"),
            color=alt.Color("is_outlier:N", title="IQR outlier", scale=alt.Scale(domain=[False, True], range=["#4c78a8", "#e45756"])),
            facet=alt.Facet("fiscal_year:O", title=None, columns=4),
            tooltip=["department_name", "fiscal_year", "operating_cost", "staff_actual", "operating_cost_per_staff"],
        )
        .properties(title="机关运行经费 per staff", width=220)
        .resolve_scale(y="independent")
    )
    named_staff = staff_outliers.filter(pl.col("is_outlier")).sort(["fiscal_year", "operating_cost_per_staff"], descending=[False, True])
    answer["outliers_per_staff"] = [(row["department_name"], row["fiscal_year"]) for row in named_staff.iter_rows(named=True)]
    top = per_staff.sort(["operating_cost_per_staff", "department_name"], descending=[True, False]).row(0, named=True)
    lab.md(
        f"{per_staff.height} department-year(s) state staffing. The highest per head: {top['department_name']} "
        f"({top['fiscal_year']}), {lab.wan(top['operating_cost_per_staff'])} per person over {top['staff_actual']} staff; "
        f"the median: {lab.wan(per_staff['operating_cost_per_staff'].median())}. "
        + (
            "IQR outliers per staff: " + "、".join(f"{n} ({y})" for n, y in answer["outliers_per_staff"]) + "."
            if answer["outliers_per_staff"]
            else "No IQR outlier per staff."
        )
    )

# %% [markdown]
# ## 3. Against 公用经费
#
# 机关运行经费 is the part of 公用经费 that a 行政单位 (or a 参公 unit) spends from the 一般公共预算;
# above 100 % of 公用经费 it deserves a look.

# %%
against = cost.filter(pl.col("public_expenditure").is_not_null() & (pl.col("public_expenditure") > 0)).with_columns(
    share_of_public_pct=pl.col("operating_cost") / pl.col("public_expenditure") * 100
)
if not lab.no_data(against, "机关运行经费 beside 公用经费"):
    top_value = max(against["operating_cost"].max(), against["public_expenditure"].max())
    diagonal = alt.Chart(pl.DataFrame({"x": [0.0, top_value], "y": [0.0, top_value]})).mark_line(
        color="#999", strokeDash=[4, 4]
    ).encode(x="x:Q", y="y:Q")
    points = alt.Chart(against).mark_circle(size=70, opacity=0.8).encode(
        x=alt.X("public_expenditure:Q", title="公用经费 (万元)"),
        y=alt.Y("operating_cost:Q", title="机关运行经费 (万元)"),
        color=alt.Color("fiscal_year:O", title="会计年度"),
        tooltip=["department_name", "fiscal_year", "phase", "operating_cost", "public_expenditure", "share_of_public_pct"],
    )
    lab.show((diagonal + points).properties(title="机关运行经费 vs 公用经费 (dashed: equal)", width=420, height=320))
    above = against.filter(pl.col("share_of_public_pct") > 100)
    lab.md(
        f"Over {against.height} department-year(s) with both figures, 机关运行经费 is on median "
        f"{lab.pct(against['share_of_public_pct'].median())} of 公用经费. "
        + (
            f"{above.height} exceed their 公用经费: {lab.names(f'{n} ({y})' for n, y in above.select('department_name', 'fiscal_year').iter_rows())}."
            if above.height
            else "None exceeds its 公用经费."
        )
    )

# %% [markdown]
# ## 4. Year over year

# %%
yoy = lab.query(
    """
    select y.department_id, coalesce(d.department_name, y.department_id) as department_name,
           y.fiscal_year, y.phase, y.scope, y.value, y.prior_value, y.change, y.change_pct,
           y.prior_source, y.is_restated, y.source_file, y.source_locator
    from marts.fct_metric_yoy as y
    left join marts.dim_department as d using (department_id)
    where y.metric = 'operating_cost'
    order by department_name, y.fiscal_year, y.phase
    """
)
if not lab.no_data(yoy, "year-over-year changes of 机关运行经费"):
    cells = yoy.sort(pl.col("prior_source") != "own document").unique(
        ["department_id", "fiscal_year", "phase", "scope"], keep="first", maintain_order=True
    )
    lab.show(
        alt.Chart(cells)
        .mark_point(filled=True, size=80)
        .encode(
            x=alt.X("change:Q", title="变动 (万元)"),
            y=alt.Y("department_name:N", title=None),
            color=alt.Color("phase:N", title="phase"),
            facet=alt.Facet("fiscal_year:O", title=None, columns=4),
            tooltip=["department_name", "fiscal_year", "phase", "value", "prior_value", "change", "change_pct", "prior_source"],
        )
        .properties(title="机关运行经费 year over year", width=220)
        .resolve_scale(y="independent")
    )
    ordered = cells.filter(pl.col("change").is_not_null()).sort(["change", "department_name"], descending=[True, False])
    def described(row: dict) -> str:
        return f"{row['department_name']} in {row['fiscal_year']} ({lab.wan(row['change'])}, {lab.pct(row['change_pct'])})"

    lab.md(
        f"{cells.height} year-over-year pair(s): {cells.filter(pl.col('change') > 0).height} rose, "
        f"{cells.filter(pl.col('change') < 0).height} fell. "
        + (
            f"The largest rise: {described(ordered.row(0, named=True))}; "
            f"the largest fall or smallest rise: {described(ordered.row(-1, named=True))}. "
            if ordered.height > 1
            else "".join(f"The one change: {described(row)}. " for row in ordered.iter_rows(named=True))
        )
        + f"Restated priors: {yoy.filter(pl.col('is_restated')).height}."
    )

# %% [markdown]
# ## 5. 预算 against 决算

# %%
execution = lab.query(
    """
    select department_id, department_name, fiscal_year, scope, budget_source,
           budget_amount, final_amount, execution_rate,
           budget_source_file, budget_locator, final_source_file, final_locator
    from marts.mart_budget_execution
    where item = 'operating_cost'
    order by department_name, fiscal_year, budget_source
    """
)
if not lab.no_data(execution, "机关运行经费 with both a 预算 and a 决算 (no budget paired)"):
    lab.table(execution)
    base = alt.Chart(execution.filter(pl.col("execution_rate").is_not_null()))
    bars = base.mark_bar().encode(
        x=alt.X("execution_rate:Q", title="决算 / 预算 % (line: 100)"),
        y=alt.Y("department_name:N", title=None),
        color=alt.Color("budget_source:N", title="budget from"),
        yOffset="budget_source:N",
        tooltip=["department_name", "fiscal_year", "budget_amount", "final_amount", "execution_rate", "budget_source"],
    )
    rule = base.mark_rule(color="#333", strokeDash=[4, 3]).encode(x=alt.datum(100))
    lab.show(
        alt.layer(bars, rule)
        .properties(width=240)
        .facet(facet=alt.Facet("fiscal_year:O", title=None), columns=3)
        .properties(title="机关运行经费: 决算 as % of 预算")
        .resolve_scale(y="independent")
    )
    rated = execution.filter(pl.col("execution_rate").is_not_null())
    over = rated.filter(pl.col("execution_rate") > 100)
    lab.md(
        f"{execution.height} budget/final pair(s); median execution {lab.pct(rated['execution_rate'].median())}. "
        + (
            f"Spent above budget: {lab.names(f'{n} ({y}, {lab.pct(r)})' for n, y, r in over.select('department_name', 'fiscal_year', 'execution_rate').iter_rows())}."
            if over.height
            else "No department spent above its budget."
        )
    )

# %% [markdown]
# ## 6. Caveats: what the data checks say about these departments

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
