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
# `mart_budget_execution`. Every number in the text is computed in this run, in SQL over every row;
# the charts and tables show at most `TOP` departments each (and name at most `TOP` outliers),
# chosen by the criterion each section states.

# %%
import altair as alt
import polars as pl

import lab

MIN_GROUP = 4  # departments a year needs before its outliers are judged; the SQL below says ">= 4"
TOP = 40  # departments shown per chart or table; the detail queries below say "limit 40" (keep them equal)

# %% [markdown]
# ## 1. The distribution, year by year
#
# The boxes are computed over every department; the points are the department-years of the `TOP`
# departments furthest outside (or nearest to) their year's fences, then the largest.

# %%
overall = lab.query(
    """
    select count(distinct department_id) as departments, count(distinct fiscal_year) as years,
           median(operating_cost::double) as median, min(operating_cost::double) as minimum,
           max(operating_cost::double) as maximum, count(*) as department_years
    from marts.mart_department_year
    where operating_cost is not null
    """
).row(0, named=True)
by_year = lab.query(
    """
    with cost as (
        select fiscal_year, operating_cost::double as value
        from marts.mart_department_year
        where operating_cost is not null
    ),
    quartiles as (
        select fiscal_year, count(*) as departments, min(value) as minimum,
               quantile_cont(value, 0.25) as q1, median(value) as median,
               quantile_cont(value, 0.75) as q3, max(value) as maximum
        from cost
        group by fiscal_year
    ),
    fences as (
        select *, q1 - 1.5 * (q3 - q1) as lower, q3 + 1.5 * (q3 - q1) as upper from quartiles
    )
    select f.fiscal_year, f.departments, f.minimum, f.q1, f.median, f.q3, f.maximum,
           count(*) filter (where f.departments >= 4 and (c.value < f.lower or c.value > f.upper)) as outliers,
           f.lower, f.upper,
           min(c.value) filter (where c.value >= f.lower) as whisker_low,
           max(c.value) filter (where c.value <= f.upper) as whisker_high
    from fences as f
    join cost as c using (fiscal_year)
    group by all
    order by f.fiscal_year
    """
)
points = lab.query(
    """
    with cost as (
        select department_id, department_name, fiscal_year, phase, operating_cost::double as operating_cost,
               staff_actual
        from marts.mart_department_year
        where operating_cost is not null
    ),
    quartiles as (
        select fiscal_year, count(*) as departments,
               quantile_cont(operating_cost, 0.25) as q1, quantile_cont(operating_cost, 0.75) as q3
        from cost
        group by fiscal_year
    ),
    judged as (
        select c.*, q.q1 - 1.5 * (q.q3 - q.q1) as lower, q.q3 + 1.5 * (q.q3 - q.q1) as upper,
               case when q.departments >= 4 then greatest(lower - c.operating_cost, c.operating_cost - upper) end as outside
        from cost as c
        join quartiles as q using (fiscal_year)
    ),
    shown as (
        select department_id, count(*) over () as departments_total
        from judged
        group by department_id
        order by max(outside) desc nulls last, max(operating_cost) desc, department_id
        limit 40
    )
    select judged.*, coalesce(outside > 0, false) as is_outlier, shown.departments_total
    from judged
    join shown using (department_id)
    order by fiscal_year, department_name
    """
)
shown_departments, shown_years = set(points["department_id"]), set(points["fiscal_year"])
if not lab.no_data(by_year, "机关运行经费 (operating_cost)"):
    lab.table(by_year.drop("lower", "upper", "whisker_low", "whisker_high"))

# %%
if not by_year.is_empty():
    lab.showing(points["department_id"].n_unique(), points["departments_total"][0], "department(s) as points",
                "those furthest outside their year's fences, then the largest")
    flagged = points.with_columns(
        label=pl.when(pl.col("is_outlier")).then(pl.col("department_name")).otherwise(pl.lit(""))
    )
    y = alt.Y("fiscal_year:O", title="会计年度")
    # the box plot drawn from the quartiles computed in SQL: whiskers to the last value inside the fences
    box = alt.Chart(by_year)
    whiskers = box.mark_rule(opacity=0.6).encode(x="whisker_low:Q", x2="q1:Q", y=y) + box.mark_rule(
        opacity=0.6
    ).encode(x="q3:Q", x2="whisker_high:Q", y=y)
    boxes = box.mark_bar(opacity=0.35, size=22).encode(
        x=alt.X("q1:Q", title="机关运行经费 (万元)"), x2="q3:Q", y=y,
        tooltip=["fiscal_year", "departments", "minimum", "q1", "median", "q3", "maximum", "outliers"],
    )
    medians = box.mark_tick(color="white", size=22, thickness=1.5).encode(x="median:Q", y=y)
    strip = alt.Chart(flagged).mark_circle(size=60).encode(
        x="operating_cost:Q",
        y=y,
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
    lab.show(
        (whiskers + boxes + medians + strip + names).properties(
            title="机关运行经费 across departments", width=560, height=alt.Step(40)
        )
    )

# %% tags=["answer"]
answer = {"outliers": [], "outlier_count": 0, "outliers_per_staff": [], "outlier_per_staff_count": 0}
if not by_year.is_empty():
    judged = by_year.filter(pl.col("departments") >= MIN_GROUP)
    answer["outlier_count"] = int(by_year["outliers"].sum())
    named = (
        points.filter(pl.col("is_outlier"))
        .sort(["outside", "department_name", "fiscal_year"], descending=[True, False, False])
        .head(TOP)
        .sort(["fiscal_year", "operating_cost"], descending=[False, True])
    )
    answer["outliers"] = [(row["department_name"], row["fiscal_year"]) for row in named.iter_rows(named=True)]
    lines = [
        f"**Answer.** {overall['departments']} department(s) state 机关运行经费 over "
        f"{overall['years']} year(s); the median department-year spends "
        f"{lab.wan(overall['median'])}"
        + (
            f", from {lab.wan(overall['minimum'])} to {lab.wan(overall['maximum'])}."
            if overall["department_years"] > 1
            else "."
        )
    ]
    if judged.is_empty():
        lines.append(
            f"No year has {MIN_GROUP} or more departments yet, so no outlier is named "
            f"(the most in one year: {by_year['departments'].max()})."
        )
    elif named.is_empty():
        lines.append(f"No department-year lies outside the IQR fences in the {judged.height} year(s) judged.")
    else:
        cut = f" ({answer['outlier_count']} in all; the {named.height} furthest outside their fences)" if named.height < answer["outlier_count"] else ""
        lines.append(
            f"IQR outliers{cut}: "
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
# `operating_cost_per_staff` = 机关运行经费 / 实有人数, where the document states its staffing. Shown:
# the `TOP` departments furthest outside (or nearest to) their year's per-staff fences, then the
# highest per head.

# %%
per_staff_summary = lab.query(
    """
    with per_staff as (
        select department_name, fiscal_year, staff_actual, operating_cost_per_staff::double as value
        from marts.mart_department_year
        where operating_cost is not null and operating_cost_per_staff is not null
    ),
    quartiles as (
        select fiscal_year, count(*) as departments,
               quantile_cont(value, 0.25) as q1, quantile_cont(value, 0.75) as q3
        from per_staff
        group by fiscal_year
    )
    select count(*) as department_years, median(value) as median,
           count(*) filter (
               where q.departments >= 4 and (value < q.q1 - 1.5 * (q.q3 - q.q1) or value > q.q3 + 1.5 * (q.q3 - q.q1))
           ) as outliers,
           first({'department_name': department_name, 'fiscal_year': fiscal_year, 'staff_actual': staff_actual, 'value': value}
                 order by value desc, department_name) as highest
    from per_staff
    join quartiles as q using (fiscal_year)
    """
).row(0, named=True)
staff_points = lab.query(
    """
    with per_staff as (
        select department_id, department_name, fiscal_year, operating_cost, staff_actual,
               operating_cost_per_staff::double as operating_cost_per_staff
        from marts.mart_department_year
        where operating_cost is not null and operating_cost_per_staff is not null
    ),
    quartiles as (
        select fiscal_year, count(*) as departments,
               quantile_cont(operating_cost_per_staff, 0.25) as q1, quantile_cont(operating_cost_per_staff, 0.75) as q3
        from per_staff
        group by fiscal_year
    ),
    judged as (
        select p.*, q.q1 - 1.5 * (q.q3 - q.q1) as lower, q.q3 + 1.5 * (q.q3 - q.q1) as upper,
               case when q.departments >= 4
                    then greatest(lower - p.operating_cost_per_staff, p.operating_cost_per_staff - upper)
               end as outside
        from per_staff as p
        join quartiles as q using (fiscal_year)
    ),
    shown as (
        select department_id, count(*) over () as departments_total
        from judged
        group by department_id
        order by max(outside) desc nulls last, max(operating_cost_per_staff) desc, department_id
        limit 40
    )
    select judged.*, coalesce(outside > 0, false) as is_outlier, shown.departments_total
    from judged
    join shown using (department_id)
    order by fiscal_year, department_name
    """
)
if not lab.no_data(staff_points, "机关运行经费 per staff (no staffing stated)"):
    shown_departments |= set(staff_points["department_id"])
    shown_years |= set(staff_points["fiscal_year"])
    lab.showing(staff_points["department_id"].n_unique(), staff_points["departments_total"][0],
                "department(s) stating their staff", "those furthest outside their year's fences, then the highest per head")
    lab.show(
        alt.Chart(staff_points)
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
    named_staff = (
        staff_points.filter(pl.col("is_outlier"))
        .sort(["outside", "department_name", "fiscal_year"], descending=[True, False, False])
        .head(TOP)
        .sort(["fiscal_year", "operating_cost_per_staff"], descending=[False, True])
    )
    answer["outliers_per_staff"] = [(row["department_name"], row["fiscal_year"]) for row in named_staff.iter_rows(named=True)]
    answer["outlier_per_staff_count"] = per_staff_summary["outliers"]
    top = per_staff_summary["highest"]
    cut = (
        f" ({per_staff_summary['outliers']} in all; the {named_staff.height} furthest outside)"
        if named_staff.height < per_staff_summary["outliers"]
        else ""
    )
    lab.md(
        f"{per_staff_summary['department_years']} department-year(s) state staffing. The highest per head: {top['department_name']} "
        f"({top['fiscal_year']}), {lab.wan(top['value'])} per person over {top['staff_actual']} staff; "
        f"the median: {lab.wan(per_staff_summary['median'])}. "
        + (
            f"IQR outliers per staff{cut}: " + "、".join(f"{n} ({y})" for n, y in answer["outliers_per_staff"]) + "."
            if answer["outliers_per_staff"]
            else "No IQR outlier per staff."
        )
    )

# %% [markdown]
# ## 3. Against 公用经费
#
# 机关运行经费 is the part of 公用经费 that a 行政单位 (or a 参公 unit) spends from the 一般公共预算;
# above 100 % of 公用经费 it deserves a look. Shown: the `TOP` departments where it is the largest
# share of 公用经费.

# %%
against_summary = lab.query(
    """
    select count(*) as department_years,
           median(operating_cost::double / public_expenditure::double * 100) as median_share,
           count(*) filter (where operating_cost::double / public_expenditure::double * 100 > 100) as above
    from marts.mart_department_year
    where operating_cost is not null and public_expenditure > 0
    """
).row(0, named=True)
against = lab.query(
    """
    with both_figures as (
        select department_id, department_name, fiscal_year, phase, operating_cost, public_expenditure,
               operating_cost::double / public_expenditure::double * 100 as share_of_public_pct
        from marts.mart_department_year
        where operating_cost is not null and public_expenditure > 0
    ),
    shown as (
        select department_id, count(*) over () as departments_total
        from both_figures
        group by department_id
        order by max(share_of_public_pct) desc, department_id
        limit 40
    )
    select both_figures.*, shown.departments_total
    from both_figures
    join shown using (department_id)
    order by fiscal_year, department_name
    """
)
if not lab.no_data(against, "机关运行经费 beside 公用经费"):
    shown_departments |= set(against["department_id"])
    shown_years |= set(against["fiscal_year"])
    lab.showing(against["department_id"].n_unique(), against["departments_total"][0],
                "department(s) stating both", "those where it is the largest share of 公用经费")
    top_value = max(against["operating_cost"].max(), against["public_expenditure"].max())
    diagonal = alt.Chart(pl.DataFrame({"x": [0.0, top_value], "y": [0.0, top_value]})).mark_line(
        color="#999", strokeDash=[4, 4]
    ).encode(x="x:Q", y="y:Q")
    points_public = alt.Chart(against).mark_circle(size=70, opacity=0.8).encode(
        x=alt.X("public_expenditure:Q", title="公用经费 (万元)"),
        y=alt.Y("operating_cost:Q", title="机关运行经费 (万元)"),
        color=alt.Color("fiscal_year:O", title="会计年度"),
        tooltip=["department_name", "fiscal_year", "phase", "operating_cost", "public_expenditure", "share_of_public_pct"],
    )
    lab.show((diagonal + points_public).properties(title="机关运行经费 vs 公用经费 (dashed: equal)", width=420, height=320))
    above = (
        against.filter(pl.col("share_of_public_pct") > 100)
        .sort(["share_of_public_pct", "department_name"], descending=[True, False])
        .head(TOP)
        .sort(["fiscal_year", "department_name"])
    )
    lab.md(
        f"Over {against_summary['department_years']} department-year(s) with both figures, 机关运行经费 is on median "
        f"{lab.pct(against_summary['median_share'])} of 公用经费. "
        + (
            f"{against_summary['above']} exceed their 公用经费"
            + (f" (the {above.height} largest shares named)" if above.height < against_summary["above"] else "")
            + f": {lab.names(f'{n} ({y})' for n, y in above.select('department_name', 'fiscal_year').iter_rows())}."
            if against_summary["above"]
            else "None exceeds its 公用经费."
        )
    )

# %% [markdown]
# ## 4. Year over year
#
# One pair per department × year × phase × scope, the prior from the department's own earlier
# document where there is one. The counts are over every pair; shown: the pairs of the `TOP`
# departments with the largest 机关运行经费 (in any year).

# %%
yoy_summary = lab.query(
    """
    with cells as (
        -- one pair per department × year × phase × scope (is_preferred: the own earlier document's first)
        select department_id, fiscal_year, {'change': change::double, 'change_pct': change_pct::double} as pair
        from marts.fct_metric_yoy
        where metric = 'operating_cost' and is_preferred
    ),
    totals as (
        select count(*) as pairs,
               count(*) filter (where pair.change > 0) as rose,
               count(*) filter (where pair.change < 0) as fell,
               count(pair.change) as changes,
               arg_max({'department_id': department_id, 'fiscal_year': fiscal_year, 'change': pair.change, 'change_pct': pair.change_pct},
                       (pair.change, department_id)) filter (where pair.change is not null) as largest_rise,
               arg_min({'department_id': department_id, 'fiscal_year': fiscal_year, 'change': pair.change, 'change_pct': pair.change_pct},
                       (pair.change, department_id)) filter (where pair.change is not null) as largest_fall
        from cells
    )
    select totals.*,
           coalesce(rise.department_name, totals.largest_rise.department_id) as largest_rise_name,
           coalesce(fall.department_name, totals.largest_fall.department_id) as largest_fall_name,
           (select count(*) from marts.fct_metric_yoy where metric = 'operating_cost' and is_restated) as restated
    from totals
    left join marts.dim_department as rise on rise.department_id = totals.largest_rise.department_id
    left join marts.dim_department as fall on fall.department_id = totals.largest_fall.department_id
    """
).row(0, named=True)
cells = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.mart_department_year
        where operating_cost is not null
        group by department_id
        order by max(operating_cost) desc, department_id
        limit 40
    )
    select y.department_id, coalesce(d.department_name, y.department_id) as department_name,
           y.fiscal_year, y.phase, y.scope, y.value, y.prior_value, y.change, y.change_pct, y.prior_source,
           shown.departments_total, (select count(*) from shown) as departments_shown
    from marts.fct_metric_yoy as y
    join shown using (department_id)
    left join marts.dim_department as d using (department_id)
    where y.metric = 'operating_cost' and y.is_preferred
    order by department_name, y.fiscal_year, y.phase
    """
)
if not lab.no_data(yoy_summary["pairs"], "year-over-year changes of 机关运行经费"):
    if cells.height:
        shown_departments |= set(cells["department_id"])
        shown_years |= set(cells["fiscal_year"])
        lab.showing(cells["departments_shown"][0], cells["departments_total"][0],
                    "department(s) stating 机关运行经费", "those with the largest 机关运行经费")
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

    def described(extreme: str) -> str:
        row = yoy_summary[extreme]
        return f"{yoy_summary[extreme + '_name']} in {row['fiscal_year']} ({lab.wan(row['change'])}, {lab.pct(row['change_pct'])})"

    lab.md(
        f"{yoy_summary['pairs']} year-over-year pair(s): {yoy_summary['rose']} rose, {yoy_summary['fell']} fell. "
        + (
            f"The largest rise: {described('largest_rise')}; "
            f"the largest fall or smallest rise: {described('largest_fall')}. "
            if yoy_summary["changes"] > 1
            else (f"The one change: {described('largest_rise')}. " if yoy_summary["changes"] else "")
        )
        + f"Restated priors: {yoy_summary['restated']}."
    )

# %% [markdown]
# ## 5. 预算 against 决算
#
# Shown: the `TOP` departments with the highest 决算 / 预算 %.

# %%
execution_summary = lab.query(
    """
    select count(*) as pairs, median(execution_rate::double) as median_rate,
           count(*) filter (where execution_rate > 100) as over
    from marts.mart_budget_execution
    where item = 'operating_cost'
    """
).row(0, named=True)
execution = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.mart_budget_execution
        where item = 'operating_cost'
        group by department_id
        order by max(execution_rate) desc nulls last, department_id
        limit 40
    )
    select e.department_id, e.department_name, e.fiscal_year, e.scope, e.budget_source,
           e.budget_amount, e.final_amount, e.execution_rate,
           e.budget_source_file, e.budget_locator, e.final_source_file, e.final_locator, shown.departments_total
    from marts.mart_budget_execution as e
    join shown using (department_id)
    where e.item = 'operating_cost'
    order by e.department_name, e.fiscal_year, e.budget_source
    """
)
if not lab.no_data(execution, "机关运行经费 with both a 预算 and a 决算 (no budget paired)"):
    shown_departments |= set(execution["department_id"])
    shown_years |= set(execution["fiscal_year"])
    lab.showing(execution["department_id"].n_unique(), execution["departments_total"][0],
                "department(s) with a 预算 paired", "those with the highest 决算 / 预算 %")
    lab.table(execution.drop("departments_total"))
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
    over = (
        execution.filter(pl.col("execution_rate") > 100)
        .sort(["execution_rate", "department_name"], descending=[True, False])
        .head(TOP)
    )
    lab.md(
        f"{execution_summary['pairs']} budget/final pair(s); median execution {lab.pct(execution_summary['median_rate'])}. "
        + (
            f"Spent above budget ({execution_summary['over']}"
            + (f"; the {over.height} highest named" if over.height < execution_summary["over"] else "")
            + f"): {lab.names(f'{n} ({y}, {lab.pct(r)})' for n, y, r in over.select('department_name', 'fiscal_year', 'execution_rate').iter_rows())}."
            if execution_summary["over"]
            else "No department spent above its budget."
        )
    )

# %% [markdown]
# ## 6. Caveats: what the data checks say about these departments
#
# The departments shown in the charts and tables above.

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
