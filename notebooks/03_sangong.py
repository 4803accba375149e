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
# 决算 itself states), `fct_metric_yoy`. Every number in the text is computed in this run.

# %%
import altair as alt
import polars as pl

import lab

PARTS = {
    "sangong_abroad": "因公出国（境）费",
    "sangong_vehicle": "公务用车购置及运行维护费",
    "sangong_reception": "公务接待费",
}
ITEMS = {"sangong_total": "三公经费合计", **PARTS}
part_names = pl.DataFrame({"item": list(ITEMS), "part": list(ITEMS.values()), "order": range(len(ITEMS))})

# %% [markdown]
# ## 1. The parts, as each disclosure states them

# %%
disclosed = lab.query(
    """
    select department_id, department_name, fiscal_year, phase, scope,
           sangong_total, sangong_abroad, sangong_vehicle, sangong_reception, sangong_total_budget
    from marts.fct_disclosure
    where coalesce(sangong_total, sangong_abroad, sangong_vehicle, sangong_reception) is not null
    order by department_name, fiscal_year, phase, scope
    """
)
shown_departments = set(disclosed["department_id"])
shown_years = set(disclosed["fiscal_year"])
parts = (
    disclosed.unpivot(
        index=["department_id", "department_name", "fiscal_year", "phase", "scope"],
        on=list(PARTS),
        variable_name="item",
        value_name="amount",
    )
    .join(part_names, on="item", how="left")
    .filter(pl.col("amount").is_not_null())
)
if not lab.no_data(parts, "三公经费 parts"):
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
    shares = (
        alt.Chart(parts)
        .mark_bar()
        .encode(
            x=alt.X("fiscal_year:O", title="会计年度"),
            y=alt.Y("sum(amount):Q", stack="normalize", title="share of 三公", axis=alt.Axis(format="%")),
            color=alt.Color("part:N", title=None, sort=list(PARTS.values()), legend=alt.Legend(orient="bottom")),
            order=alt.Order("order:Q"),
            column=alt.Column("phase:N", title=None, sort=["budget", "final"]),
            tooltip=["fiscal_year", "phase", "part", "sum(amount):Q"],
        )
        .properties(title="The parts, all departments", width=alt.Step(24), height=200)
    )
    lab.show(alt.hconcat(heat, shares).resolve_scale(color="independent"))

# %% tags=["answer"]
answer = {"over_budget": []}
finals = disclosed.filter((pl.col("phase") == "final") & pl.col("sangong_total").is_not_null())
if not lab.no_data(finals, "三公经费 in a 决算"):
    latest = finals["fiscal_year"].max()
    year = finals.filter(pl.col("fiscal_year") == latest)
    totals = {item: year[item].sum() for item in PARTS}
    biggest = max(totals, key=lambda item: (totals[item] or 0))
    top = year.sort(["sangong_total", "department_name"], descending=[True, False]).row(0, named=True)
    answer["latest_final_year"] = latest
    answer["top_department"] = top["department_name"]
    lab.md(
        f"**Answer.** In the latest 决算 year, {latest}, {year.height} disclosure(s) spent "
        f"{lab.wan(year['sangong_total'].sum())} on 三公经费; the largest part is {PARTS[biggest]} "
        f"({lab.wan(totals[biggest])}). The biggest spender is **{top['department_name']}** "
        f"({lab.wan(top['sangong_total'])})."
    )

# %% [markdown]
# ## 2. 预算 against 决算
#
# One row per department × year × item and source of the budget; `execution_rate` = 决算 / 预算 × 100.

# %%
execution = lab.query(
    """
    select department_id, department_name, fiscal_year, scope, item, budget_source,
           budget_amount, final_amount, execution_rate,
           budget_source_file, budget_locator, final_source_file, final_locator
    from marts.mart_budget_execution
    where item in ('sangong_total', 'sangong_abroad', 'sangong_vehicle', 'sangong_reception')
    order by department_name, fiscal_year, item, budget_source
    """
).join(part_names, on="item", how="left")
if not lab.no_data(execution, "三公经费 with both a 预算 and a 决算 (no budget paired)"):
    lab.table(execution.drop("department_id"))
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
if not execution.is_empty():
    by_part = (
        execution.group_by("item", "part")
        .agg(
            pairs=pl.len(),
            budget=pl.col("budget_amount").sum(),
            final=pl.col("final_amount").sum(),
            over=(pl.col("final_amount") > pl.col("budget_amount")).sum(),
        )
        .with_columns(rate=pl.when(pl.col("budget") > 0).then(pl.col("final") / pl.col("budget") * 100))
        .join(part_names.select("item", "order"), on="item")
        .sort("order")
    )
    over = execution.filter(
        (pl.col("item") != "sangong_total") & (pl.col("final_amount") > pl.col("budget_amount"))
    ).sort(["department_name", "fiscal_year", "item"])
    answer["over_budget"] = sorted({(row["department_name"], row["fiscal_year"], row["item"]) for row in over.iter_rows(named=True)})
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
            "Parts spent above budget: "
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

# %%
yoy = lab.query(
    """
    select y.department_id, coalesce(d.department_name, y.department_id) as department_name,
           y.fiscal_year, y.phase, y.scope, y.metric as item, y.value, y.prior_value, y.change,
           y.change_pct, y.prior_source, y.is_restated, y.source_file, y.source_locator
    from marts.fct_metric_yoy as y
    left join marts.dim_department as d using (department_id)
    where y.metric in ('sangong_total', 'sangong_abroad', 'sangong_vehicle', 'sangong_reception')
    order by department_name, y.fiscal_year, y.phase, y.metric
    """
).join(part_names, on="item", how="left")
if not lab.no_data(yoy, "year-over-year changes of 三公经费"):
    cells = yoy.sort(pl.col("prior_source") != "own document").unique(
        ["department_id", "fiscal_year", "phase", "scope", "item"], keep="first", maintain_order=True
    )
    lab.show(
        alt.Chart(cells.filter(pl.col("change_pct").is_not_null()))
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
    moves = (
        cells.filter(pl.col("item") != "sangong_total")
        .group_by("part")
        .agg(rose=(pl.col("change") > 0).sum(), fell=(pl.col("change") < 0).sum(), net=pl.col("change").sum())
        .join(part_names.select("part", "order"), on="part")
        .sort("order")
    )
    lab.md(
        "Year over year, by part: "
        + "; ".join(
            f"{row['part']} rose in {row['rose']}, fell in {row['fell']} (net {lab.wan(row['net'])})"
            for row in moves.iter_rows(named=True)
        )
        + f". Restated priors: {yoy.filter(pl.col('is_restated')).height}."
        if moves.height
        else "Only the 三公 totals have a year-over-year pair; no part does."
    )

# %% [markdown]
# ## 4. Per department

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
# A 三公 total printed in 元 where the document means 万元 shows up here as `unit_slip`.

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
