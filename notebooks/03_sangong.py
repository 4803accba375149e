# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 三公经费 — budget against final, part by part
#
# **Question.** For each department, how does its “三公”经费 — 因公出国（境）费, 公务用车购置及运行维护费,
# 公务接待费 — compare between the 预算 and the 决算, how does each part move from year to year, and
# which departments spend above budget?
#
# Sources (schema `marts`, amounts in 万元): `fct_disclosure` (the parts as each disclosure states
# them), `mart_budget_execution` (the 预算 from a budget document of the same year, or the 年初预算 the
# 决算 itself states), `fct_metric_yoy`. Every number in the text is computed in this run, in SQL over
# every row; the charts and tables show at most `TOP` departments each (and name at most `TOP` parts
# spent above budget), chosen by the criterion each section states.

# %%
import altair as alt
import polars as pl

import lab

TOP = 40  # departments shown per chart or table; the detail queries below say "limit 40" (keep them equal)
PARTS = {
    "sangong_abroad": "因公出国（境）费",
    "sangong_vehicle": "公务用车购置及运行维护费",
    "sangong_reception": "公务接待费",
}
ITEMS = {"sangong_total": "三公经费合计", **PARTS}
part_names = pl.DataFrame({"item": list(ITEMS), "part": list(ITEMS.values()), "order": range(len(ITEMS))})

# %% [markdown]
# ## 1. The parts, as each disclosure states them
#
# The shares are summed over every disclosure. The heatmap shows the `TOP` departments with the
# largest 三公经费合计 (or, where no total is stated, the sum of its parts) in any disclosure.

# %%
shares = lab.query(
    """
    select fiscal_year, phase, item, sum(amount::double) as amount
    from (
        unpivot (
            select fiscal_year, phase, sangong_abroad, sangong_vehicle, sangong_reception
            from marts.fct_disclosure
        )
        on sangong_abroad, sangong_vehicle, sangong_reception
        into name item value amount
    )
    group by all
    order by fiscal_year, phase, item
    """
).join(part_names, on="item", how="left")
disclosed = lab.query(
    """
    with sangong as (
        select department_id, department_name, fiscal_year, phase, scope,
               sangong_total, sangong_abroad, sangong_vehicle, sangong_reception, sangong_total_budget,
               coalesce(sangong_total, coalesce(sangong_abroad, 0) + coalesce(sangong_vehicle, 0) + coalesce(sangong_reception, 0)) as size
        from marts.fct_disclosure
        where coalesce(sangong_total, sangong_abroad, sangong_vehicle, sangong_reception) is not null
    ),
    shown as (
        select department_id, count(*) over () as departments_total
        from sangong
        group by department_id
        order by max(size) desc, department_id
        limit 40
    )
    select sangong.* exclude (size), shown.departments_total
    from sangong
    join shown using (department_id)
    order by department_name, fiscal_year, phase, scope
    """
)
shown_departments, shown_years = set(disclosed["department_id"]), set(disclosed["fiscal_year"])
if not lab.no_data(shares, "三公经费 parts"):
    lab.showing(disclosed["department_id"].n_unique(), disclosed["departments_total"][0], "department(s) stating 三公经费",
                "those with the largest 三公经费")
    totals = disclosed.filter(pl.col("sangong_total").is_not_null())
    heat = (
        alt.Chart(totals)
        .mark_rect()
        .encode(
            x=alt.X("fiscal_year:O", title="会计年度"),
            xOffset=alt.XOffset("phase:N", sort=["budget", "final"]),
            y=alt.Y("department_name:N", title=None),
            color=alt.Color("sangong_total:Q", title="三公 (万元)", scale=alt.Scale(type="sqrt", scheme="oranges")),
            tooltip=["department_name", "fiscal_year", "phase", "scope", *ITEMS],
        )
        .properties(title="三公经费合计 (left half: 预算, right half: 决算)", width=alt.Step(36), height=alt.Step(20))
    )
    parts_chart = (
        alt.Chart(shares)
        .mark_bar()
        .encode(
            x=alt.X("fiscal_year:O", title="会计年度"),
            y=alt.Y("amount:Q", stack="normalize", title="share of 三公", axis=alt.Axis(format="%")),
            color=alt.Color("part:N", title=None, sort=list(PARTS.values()), legend=alt.Legend(orient="bottom")),
            order=alt.Order("order:Q"),
            column=alt.Column("phase:N", title=None, sort=["budget", "final"]),
            tooltip=["fiscal_year", "phase", "part", "amount:Q"],
        )
        .properties(title="The parts, all departments", width=alt.Step(24), height=200)
    )
    lab.show(alt.hconcat(heat, parts_chart).resolve_scale(color="independent"))

# %% tags=["answer"]
answer = {"over_budget": [], "over_budget_count": 0}
latest = lab.query(
    """
    with finals as (
        select department_name, fiscal_year, sangong_total::double as sangong_total,
               sangong_abroad::double as sangong_abroad, sangong_vehicle::double as sangong_vehicle,
               sangong_reception::double as sangong_reception
        from marts.fct_disclosure
        where phase = 'final' and sangong_total is not null
    )
    select fiscal_year, count(*) as disclosures, sum(sangong_total) as sangong_total,
           coalesce(sum(sangong_abroad), 0) as sangong_abroad, coalesce(sum(sangong_vehicle), 0) as sangong_vehicle,
           coalesce(sum(sangong_reception), 0) as sangong_reception,
           first(department_name order by sangong_total desc, department_name) as top_department,
           max(sangong_total) as top_total
    from finals
    where fiscal_year = (select max(fiscal_year) from finals)
    group by fiscal_year
    """
)
if not lab.no_data(latest, "三公经费 in a 决算"):
    year = latest.row(0, named=True)
    biggest = max(PARTS, key=lambda item: year[item])
    answer["latest_final_year"] = year["fiscal_year"]
    answer["top_department"] = year["top_department"]
    lab.md(
        f"**Answer.** In the latest 决算 year, {year['fiscal_year']}, {year['disclosures']} disclosure(s) spent "
        f"{lab.wan(year['sangong_total'])} on 三公经费; the largest part is {PARTS[biggest]} "
        f"({lab.wan(year[biggest])}). The biggest spender is **{year['top_department']}** "
        f"({lab.wan(year['top_total'])})."
    )

# %% [markdown]
# ## 2. 预算 against 决算
#
# One row per department × year × item and source of the budget; `execution_rate` = 决算 / 预算 × 100.
# Shown: the `TOP` departments furthest above budget (the largest 决算 − 预算 of any item).

# %%
execution = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.mart_budget_execution
        -- the prefix test is pushed into the scan, so other items are skipped before the rest is read
        where item like 'sangong%' and item in ('sangong_total', 'sangong_abroad', 'sangong_vehicle', 'sangong_reception')
        group by department_id
        order by max(final_amount - budget_amount) desc nulls last, department_id
        limit 40
    )
    select e.department_id, e.department_name, e.fiscal_year, e.scope, e.item, e.budget_source,
           e.budget_amount, e.final_amount, e.execution_rate,
           e.budget_source_file, e.budget_locator, e.final_source_file, e.final_locator, shown.departments_total
    from marts.mart_budget_execution as e
    join shown using (department_id)
    where e.item like 'sangong%' and e.item in ('sangong_total', 'sangong_abroad', 'sangong_vehicle', 'sangong_reception')
    order by e.department_name, e.fiscal_year, e.item, e.budget_source
    """
).join(part_names, on="item", how="left")
if not lab.no_data(execution, "三公经费 with both a 预算 and a 决算 (no budget paired)"):
    shown_departments |= set(execution["department_id"])
    shown_years |= set(execution["fiscal_year"])
    lab.showing(execution["department_id"].n_unique(), execution["departments_total"][0],
                "department(s) with a 预算 paired", "those furthest above budget")
    lab.table(execution.drop("department_id", "departments_total"))
    sides = execution.filter(pl.col("budget_amount").is_not_null() & pl.col("final_amount").is_not_null())
    points = alt.Chart().mark_circle(size=70, opacity=0.8).encode(
        x=alt.X("budget_amount:Q", title="预算 (万元)"),
        y=alt.Y("final_amount:Q", title="决算 (万元)"),
        color=alt.Color("budget_source:N", title="budget from", legend=alt.Legend(orient="bottom")),
        tooltip=["department_name", "fiscal_year", "part", "budget_amount", "final_amount", "execution_rate", "budget_source"],
    )
    diagonal = alt.Chart().mark_line(color="#999", strokeDash=[4, 4]).encode(x="budget_amount:Q", y="budget_amount:Q")
    lab.show(
        alt.layer(diagonal, points, data=sides)
        .properties(width=200, height=200)
        .facet(column=alt.Column("part:N", title=None, sort=list(ITEMS.values())))
        .resolve_scale(x="independent", y="independent")
        .properties(title="三公经费: 决算 against 预算 (above the dashed line: over budget)")
    )

# %% tags=["answer"]
by_part = lab.query(
    """
    select item, count(*) as pairs,
           coalesce(sum(budget_amount::double), 0) as budget, coalesce(sum(final_amount::double), 0) as final,
           count(*) filter (where final_amount > budget_amount) as over,
           case when budget > 0 then final / budget * 100 end as rate
    from marts.mart_budget_execution
    where item like 'sangong%' and item in ('sangong_total', 'sangong_abroad', 'sangong_vehicle', 'sangong_reception')
    group by item
    """
).join(part_names, on="item").sort("order")
over = lab.query(
    """
    select department_name, fiscal_year, item, budget_amount, final_amount, count(*) over () as over_total
    from marts.mart_budget_execution
    where item like 'sangong%' and item in ('sangong_abroad', 'sangong_vehicle', 'sangong_reception')
      and final_amount > budget_amount
    order by final_amount - budget_amount desc, department_name, fiscal_year, item
    limit 40
    """
).join(part_names, on="item", how="left").sort(["department_name", "fiscal_year", "item"])
if not by_part.is_empty():
    answer["over_budget"] = sorted({(row["department_name"], row["fiscal_year"], row["item"]) for row in over.iter_rows(named=True)})
    answer["over_budget_count"] = over["over_total"][0] if over.height else 0
    lines = [
        "By part, over every paired department-year: "
        + "; ".join(
            f"{row['part']}: 决算 {lab.wan(row['final'])} of 预算 {lab.wan(row['budget'])} "
            f"({lab.pct(row['rate'])}), above budget in {row['over']} of {row['pairs']}"
            for row in by_part.iter_rows(named=True)
        )
        + "."
    ]
    if over.height:
        lines.append(
            f"Parts spent above budget ({answer['over_budget_count']}"
            + (f"; the {over.height} furthest above named" if over.height < answer["over_budget_count"] else "")
            + "): "
            + lab.names(
                f"**{row['department_name']}** {row['fiscal_year']} {row['part']} "
                f"({lab.wan(row['final_amount'])} vs {lab.wan(row['budget_amount'])})"
                for row in over.iter_rows(named=True)
            )
            + "."
        )
    else:
        lines.append("No part was spent above its budget.")
    lab.md(*lines)

# %% [markdown]
# ## 3. Year over year
#
# One pair per department × year × phase × scope and item, the prior from the department's own
# earlier document where there is one. The counts are over every pair; the heatmap shows the
# departments of section 1 (the `TOP` with the largest 三公经费).

# %%
moves = lab.query(
    """
    with by_part as (
        -- one pair per department × year × phase × scope and part (is_preferred: the own earlier document's first)
        select metric as item, count(*) filter (where change > 0) as rose, count(*) filter (where change < 0) as fell,
               coalesce(sum(change), 0) as net
        from marts.fct_metric_yoy
        -- the prefix test is pushed into the scan, so other metrics are skipped before the rest is read
        where metric like 'sangong%' and metric in ('sangong_abroad', 'sangong_vehicle', 'sangong_reception')
          and is_preferred
        group by metric
    ),
    totals as (
        select count(*) as yoy_rows, count(*) filter (where is_restated) as restated
        from marts.fct_metric_yoy
        where metric like 'sangong%' and metric in ('sangong_total', 'sangong_abroad', 'sangong_vehicle', 'sangong_reception')
    )
    select * from totals left join by_part on true
    """
)
yoy_rows, restated = moves["yoy_rows"][0], moves["restated"][0]
moves = moves.filter(pl.col("item").is_not_null()).join(part_names, on="item").sort("order")
cells = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.fct_disclosure
        where coalesce(sangong_total, sangong_abroad, sangong_vehicle, sangong_reception) is not null
        group by department_id
        order by max(coalesce(sangong_total, coalesce(sangong_abroad, 0) + coalesce(sangong_vehicle, 0) + coalesce(sangong_reception, 0))) desc,
                 department_id
        limit 40
    )
    select y.department_id, coalesce(d.department_name, y.department_id) as department_name,
           y.fiscal_year, y.phase, y.scope, y.metric as item, y.value, y.prior_value, y.change, y.change_pct,
           y.prior_source, shown.departments_total, (select count(*) from shown) as departments_shown
    from marts.fct_metric_yoy as y
    join shown using (department_id)
    left join marts.dim_department as d using (department_id)
    where y.metric like 'sangong%' and y.metric in ('sangong_total', 'sangong_abroad', 'sangong_vehicle', 'sangong_reception')
      and y.is_preferred and y.change_pct is not null
    order by department_name, y.fiscal_year, y.phase, item
    """
).join(part_names, on="item", how="left")
if not lab.no_data(yoy_rows, "year-over-year changes of 三公经费"):
    if not cells.is_empty():
        shown_departments |= set(cells["department_id"])
        shown_years |= set(cells["fiscal_year"])
        lab.showing(cells["departments_shown"][0], cells["departments_total"][0],
                    "department(s) stating 三公经费", "those with the largest 三公经费")
        lab.show(
            alt.Chart(cells)
            .mark_rect()
            .encode(
                x=alt.X("fiscal_year:O", title="会计年度"),
                xOffset=alt.XOffset("phase:N", sort=["budget", "final"]),
                y=alt.Y("department_name:N", title=None),
                color=alt.Color(
                    "change_pct:Q", title="同比 %",
                    scale=alt.Scale(scheme="redblue", reverse=True, domain=[-100, 100], clamp=True),
                ),
                column=alt.Column("part:N", title=None, sort=list(ITEMS.values())),
                tooltip=["department_name", "fiscal_year", "phase", "part", "value", "prior_value", "change", "change_pct", "prior_source"],
            )
            .properties(title="三公经费 year over year, % (left half: 预算, right half: 决算)", width=alt.Step(28), height=alt.Step(18))
        )
    lab.md(
        "Year over year, by part: "
        + "; ".join(
            f"{row['part']} rose in {row['rose']}, fell in {row['fell']} (net {lab.wan(row['net'])})"
            for row in moves.iter_rows(named=True)
        )
        + f". Restated priors: {restated}."
        if moves.height
        else "Only the 三公 totals have a year-over-year pair; no part does."
    )

# %% [markdown]
# ## 4. Per department
#
# The disclosures of the departments of section 1 (the largest 三公经费).

# %%
if not lab.no_data(disclosed, "三公经费 per department"):
    wide = disclosed.select(
        "department_name", "fiscal_year", "phase", "scope", "sangong_total", "sangong_abroad",
        "sangong_vehicle", "sangong_reception", "sangong_total_budget",
    ).rename({"sangong_total_budget": "年初预算 (stated in 决算)"})
    lab.table(wide, limit=60)

# %% [markdown]
# ## 5. Caveats: what the data checks say about these departments
#
# The departments shown in the charts and tables above. A 三公 total printed in 元 where the document
# means 万元 shows up here as `unit_slip`.

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
