# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 三公经费 — the parts, across departments of the same kind, budget against final
#
# **Question.** How large are the “三公”经费 — 因公出国（境）费, 公务用车购置及运行维护费, 公务接待费 — of
# departments of the same kind in different places, and how are they split; where both exist, how does
# the 决算 compare with the 预算 it executes; how do they change from one year to the next, like for
# like; and which totals exist only as the 小计 of a table that prints no 合计?
#
# **Like for like.** Peer groups are the same department type, phase, scope and consolidation
# (`mart_peer_disclosure`); a 决算 is set against the 预算 of the same department, year, scope and
# consolidation (else the 年初预算 it states); a change is the same department's, and a pair whose
# document says the definition changed is left out of the ranking with its quote. Every figure is shown
# with the verdict of the disclosure it comes from.
#
# Sources (schema `marts`, amounts in 万元): `mart_coverage`, `mart_sangong`, `mart_peer_spread`,
# `mart_peer_point`, `mart_metric_change`, `fct_disclosure_check`. Every number in the text is computed
# in this run; charts and tables show at most `TOP` departments each.

# %%
import charts
import lab
import polars as pl

TOP = 40  # departments shown per chart or table; the queries below say "limit 40" (keep them equal)
PARTS = {
    "sangong_abroad": "因公出国（境）费",
    "sangong_vehicle": "公务用车购置及运行维护费",
    "sangong_reception": "公务接待费",
}

coverage = lab.coverage(lab.query("""select * from marts.mart_coverage where topic = 'sangong'"""), "三公经费")

# %% [markdown]
# ## 1. One kind of department across places
#
# The most widespread department type: every department's 三公经费 split into its parts, labelled with
# the verdict of its disclosure.

# %%
kind = lab.query(
    """
    select *, count(*) over () as rows_total from marts.mart_sangong
    where department_type = (select largest_type from marts.mart_coverage where topic = 'sangong')
    order by sangong_total desc nulls last, disclosure_id limit 40
    """
)
shown_departments, shown_years = set(kind["department_id"]), set(kind["fiscal_year"])
if not lab.no_data(kind, "三公经费 of one department type"):
    kind_name = kind["department_type"][0]
    lab.showing(kind.height, kind["rows_total"][0], f"{kind_name} disclosure(s)", "the largest 三公经费")
    lab.show(charts.parts(kind, PARTS, "三公经费 (万元)", f"{kind_name}: 三公经费 by part"))
    lab.table(
        kind.select(
            "department_name",
            "place",
            "fiscal_year",
            "comparison_basis_zh",
            "sangong_total",
            "total_source",
            *PARTS,
            "verdict",
            "source_file",
            "source_locator",
        )
    )

# %% [markdown]
# ## 2. The spread within each peer group
#
# 三公经费合计 per department, in the peer groups of at least three departments (box: quartiles from
# `mart_peer_spread`; points: `mart_peer_point`, coloured by verdict, ringed outside the fences).

# %%
spread = lab.query(
    """
    select * from marts.mart_peer_spread where measure = 'sangong_total' and departments >= 3
    order by departments desc, peer_group limit 40
    """
)
points = lab.query(
    """
    select *, count(*) over () as points_total from marts.mart_peer_point
    where measure = 'sangong_total' and peer_departments >= 3
    order by peer_departments desc, peer_group, distance_outside desc limit 40
    """
)
answer = {"over_budget": [], "over_budget_count": 0}
if not lab.no_data(points, "三公经费 in a peer group of three or more departments"):
    shown_departments |= set(points["department_id"])
    shown_years |= set(points["fiscal_year"])
    lab.showing(
        points.height, points["points_total"][0], "department(s) in such peer groups", "those of the largest groups"
    )
    lab.show(charts.peer_boxes(spread, points, "三公经费 (万元)", "三公经费 within peer groups"))

# %% tags=["answer"]
if coverage is not None and not kind.is_empty():
    split = kind.select(*[pl.col(part).sum() for part in PARTS]).row(0, named=True)
    biggest = max(PARTS, key=lambda part: split[part] or 0)
    answer |= {
        "largest_type": kind_name,
        "type_departments": kind["department_id"].n_unique(),
        "type_places": kind["place"].n_unique(),
        "type_largest_part": PARTS[biggest],
    }
    top = kind.row(0, named=True)
    lines = [
        f"**Answer.** {kind['department_id'].n_unique()} {kind_name} in {kind['place'].n_unique()} place(s) state "
        f"三公经费 from {lab.wan(kind['sangong_total'].min())} to {lab.wan(kind['sangong_total'].max())}; the largest is "
        f"**{top['department_name']}** ({top['fiscal_year']}, {top['comparison_basis_zh']}, {top['verdict']}). Of their parts, "
        f"{PARTS[biggest]} weighs most."
    ]
    if spread.height:
        group = spread.row(0, named=True)
        lines.append(
            f"In the largest like-for-like group, **{group['peer_group']}** ({group['departments']} departments, "
            f"{group['place_list']}): median {lab.wan(group['median'])}, {group['outliers']} outlier(s)."
        )
    lab.md(*lines)

# %% [markdown]
# ## 3. 决算 against 预算
#
# For each 决算 with a 预算: from the 预算 document of the same department, year, scope and consolidation,
# else the 年初预算 the 决算 states. Shown: the `TOP` furthest above budget.

# %%
execution = lab.query(
    """
    select *, count(*) over () as rows_total from marts.mart_sangong where phase = 'final' and budget_total is not null
    order by sangong_total - budget_total desc, disclosure_id limit 40
    """
)
over = execution.filter(pl.col("sangong_total") > pl.col("budget_total"))
answer["over_budget"] = sorted((row["department_name"], row["fiscal_year"]) for row in over.iter_rows(named=True))
answer["over_budget_count"] = over.height
answer["paired_finals"] = execution.height
if not lab.no_data(execution, "三公经费 with both a 预算 and a 决算"):
    shown_departments |= set(execution["department_id"])
    lab.showing(execution.height, execution["rows_total"][0], "决算 with a 预算", "the furthest above budget")
    lab.table(
        execution.select(
            "department_name",
            "fiscal_year",
            "budget_source",
            "budget_total",
            "sangong_total",
            "budget_abroad",
            "sangong_abroad",
            "budget_vehicle",
            "sangong_vehicle",
            "budget_reception",
            "sangong_reception",
            "verdict",
            "budget_verdict",
        )
    )
    lab.show(
        charts.against(
            execution,
            "budget_total",
            "sangong_total",
            "预算 (万元)",
            "决算 (万元)",
            "三公经费: 决算 against 预算 (above the dashed line: over budget)",
        )
    )
    lab.md(
        f"{execution.height} 决算 have a 预算 to set against; "
        + (
            f"{over.height} spent above it: " + lab.names(f"**{n}** {y}" for n, y in answer["over_budget"]) + "."
            if over.height
            else "none spent above it."
        )
        + f" The sample holds {coverage['final_disclosures'] if coverage else 0} 决算 in all: budget against final is "
        "answered for these alone."
    )

# %% [markdown]
# ## 4. Totals printed only as a 小计
#
# Some tables print the three parts and a “三公”经费 小计 beside a 合计 that includes 会议费 and 培训费.
# Where the 小计 was not read, the mart takes the sum of the parts (`total_source = 'sum of parts'`)
# and the plausibility check `plausibility_parts_without_total` flags the disclosure.

# %%
from_parts = lab.query(
    """
    select department_id, department_name, fiscal_year, sangong_total, sangong_abroad, sangong_vehicle, sangong_reception,
           verdict, source_file, source_locator from marts.mart_sangong where total_source = 'sum of parts'
    order by department_name, fiscal_year limit 40
    """
)
answer["sum_of_parts"] = [
    (row["department_name"], row["fiscal_year"], row["sangong_total"]) for row in from_parts.iter_rows(named=True)
]
if not lab.no_data(from_parts, "三公 totals taken from their parts (every total was read)"):
    shown_departments |= set(from_parts["department_id"])
    lab.table(from_parts.drop("department_id"))
    lab.md(
        "Totals taken from their parts: "
        + lab.names(
            f"**{row['department_name']}** {row['fiscal_year']}: {lab.wan(row['sangong_total'])} ({row['verdict']})"
            for row in from_parts.iter_rows(named=True)
        )
        + ". Their verdict is *check first* until the 小计 is read."
    )

# %% [markdown]
# ## 5. The same department over the years, like for like
#
# The change of the total and of each part on the year before (`mart_metric_change`), one per
# department, year, phase, scope and consolidation. Ranked: the comparable changes of the total.

# %%
moves = lab.query(
    """
    select metric, count(*) as pairs, count(*) filter (where is_comparable) as comparable,
           count(*) filter (where is_comparable and change > 0) as rose, count(*) filter (where is_comparable and change < 0) as fell
    from marts.mart_metric_change where metric in ('sangong_total', 'sangong_abroad', 'sangong_vehicle', 'sangong_reception')
    group by metric order by metric
    """
)
ranked = lab.query(
    """
    select *, count(*) over () as ranked_total from marts.mart_metric_change
    where metric = 'sangong_total' and change_pct is not null
    order by is_comparable desc, abs(change_pct) desc, department_id limit 40
    """
)
if not lab.no_data(moves, "year-over-year changes of 三公经费"):
    shown_departments |= set(ranked["department_id"])
    if ranked.height:
        lab.showing(ranked.height, ranked["ranked_total"][0], "change(s) of the total", "the largest |同比 %|")
        lab.show(charts.changes(ranked.drop("ranked_total"), "三公经费合计: change on the year before"))
    names = {"sangong_total": "三公经费合计", **PARTS}
    lab.md(
        "Year over year: "
        + "; ".join(
            f"{names[row['metric']]}: {row['pairs']} pair(s), {row['comparable']} comparable, rose in {row['rose']}, fell in {row['fell']}"
            for row in moves.iter_rows(named=True)
        )
        + "."
    )

# %% [markdown]
# ## 6. Caveats: what the data checks say about these departments
#
# The departments shown above. A 三公 total printed in 元 where the document means 万元 shows up here as
# `unit_slip`.

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
