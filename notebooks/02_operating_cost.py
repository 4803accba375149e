# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 机关运行经费 — how widely does it spread across departments of the same kind?
#
# **Question.** How much 机关运行经费 (the 公用经费 of the 基本支出 that keeps an office running) do
# departments of the same kind spend in different places; which are outliers, and what do their
# documents print; how large a share of their 基本支出 and 公用经费 is it; what does it come to per
# person on staff, where staffing is stated; and how does the same department's 机关运行经费 change
# from one year to the next, like for like?
#
# **Like for like.** Departments are compared within a *peer group*: the same department type (a
# rule of `seeds/ref_department_type.csv` on the department's name), the same phase (预算 or 决算), the
# same scope (部门 or 单位) and the same consolidation (本级 alone, or the department with its units);
# each department counts once, with its latest disclosure in the group (its year is shown). Outliers
# follow Tukey's rule within a peer group of at least four departments. Two printed amounts are equal
# when their gap lies within the rounding of the printed digits. A change from one year to the next is
# the same department's, same phase, scope and consolidation; a pair whose document says the
# definition changed (口径发生调整, 无可比性 …), or whose value cannot be the same concept (机关运行经费
# above that year's 基本支出), is left out of the rankings and listed with its quote.
#
# Sources (schema `marts`, amounts in 万元): `mart_coverage`, `mart_operating_cost`, `mart_peer_spread`,
# `mart_peer_point`, `mart_metric_change`. The questions are answered in dbt; this notebook reads the
# answers and draws them. Every number in the text is computed in this run; charts and tables show at
# most `TOP` departments each, chosen by the criterion each section states.

# %%
import charts
import lab
import polars as pl

TOP = 40  # departments shown per chart or table; the queries below say "limit 40" (keep them equal)

coverage = lab.coverage(
    lab.query("""select * from marts.mart_coverage where topic = 'operating_cost'"""), "机关运行经费 (above 0)"
)

# %% [markdown]
# ## 1. One kind of department across places
#
# The most widespread department type (the coverage line above names it), every department of it:
# 机关运行经费 and its share of 基本支出. The shape says the comparison basis: points of different
# shapes are never summarised together.

# %%
kind = lab.query(
    """
    select *, count(*) over () as rows_total from marts.mart_operating_cost
    where department_type = (select largest_type from marts.mart_coverage where topic = 'operating_cost')
      and not is_stated_zero
    order by operating_cost desc, disclosure_id limit 40
    """
)
shown_departments, shown_years = set(kind["department_id"]), set(kind["fiscal_year"])
if not lab.no_data(kind, "机关运行经费 of one department type"):
    kind_name = kind["department_type"][0]
    lab.showing(kind.height, kind["rows_total"][0], f"{kind_name} disclosure(s)", "the largest 机关运行经费")
    lab.show(
        charts.type_strip(kind, "operating_cost", "机关运行经费 (万元)", f"{kind_name}: 机关运行经费 by place")
        | charts.type_strip(
            kind, "share_of_basic_pct", "机关运行经费 / 基本支出 (%)", f"{kind_name}: share of 基本支出"
        )
    )
    lab.table(
        kind.select(
            "department_name",
            "place",
            "fiscal_year",
            "comparison_basis_zh",
            "operating_cost",
            "share_of_basic_pct",
            "share_of_public_pct",
            "verdict",
            "printed",
            "source_file",
            "source_locator",
        )
    )

# %% [markdown]
# ## 2. The spread within each peer group
#
# Box plots from the quartiles computed in dbt (`mart_peer_spread`), for the peer groups of at least
# three departments; on top, each department (`mart_peer_point`), coloured by the verdict of its
# disclosure and ringed when it lies outside the fences. Shown: the largest groups first, at most `TOP`
# departments; on the left 机关运行经费 in 万元, on the right its share of 基本支出.

# %%
spread = lab.query(
    """
    select * from marts.mart_peer_spread
    where measure in ('operating_cost', 'operating_cost_share_of_basic_pct') and departments >= 3
    order by departments desc, peer_group, measure limit 40
    """
)
points = lab.query(
    """
    select *, count(*) over () as points_total from marts.mart_peer_point
    where measure = 'operating_cost' and peer_departments >= 3
    order by peer_departments desc, peer_group, distance_outside desc limit 40
    """
)
share_points = lab.query(
    """
    select *, count(*) over () as points_total from marts.mart_peer_point
    where measure = 'operating_cost_share_of_basic_pct' and peer_departments >= 3
    order by peer_departments desc, peer_group, distance_outside desc limit 40
    """
)
if not lab.no_data(points, "机关运行经费 in a peer group of three or more departments"):
    shown_departments |= set(points["department_id"]) | set(share_points["department_id"])
    shown_years |= set(points["fiscal_year"])
    lab.showing(
        points.height,
        points["points_total"][0],
        "department(s) in such peer groups",
        "those of the largest groups, furthest outside their fences first",
    )
    lab.show(
        charts.peer_boxes(
            spread.filter(pl.col("measure") == "operating_cost"),
            points,
            "机关运行经费 (万元)",
            "机关运行经费 within peer groups",
        )
        | charts.peer_boxes(
            spread.filter(pl.col("measure") == "operating_cost_share_of_basic_pct"),
            share_points,
            "机关运行经费 / 基本支出 (%)",
            "Its share of 基本支出",
        )
    )

# %% tags=["answer"]
outliers = lab.query(
    """
    select department_id, department_name, place, fiscal_year, peer_group, value, lower_fence, upper_fence, verdict,
           source_file, source_locator, quote, count(*) over () as outliers_total
    from marts.mart_peer_point where measure = 'operating_cost' and is_outlier
    order by distance_outside desc, department_name limit 40
    """
)
largest = lab.query(
    """
    select s.* from marts.mart_peer_spread as s join marts.mart_coverage as c on c.largest_peer_group = s.peer_group
    where c.topic = 'operating_cost' and s.measure = 'operating_cost'
    """
)
answer = {"outliers": [], "outlier_count": 0}
if coverage is not None and not kind.is_empty():
    answer |= {
        "largest_type": kind_name,
        "type_departments": kind["department_id"].n_unique(),
        "type_places": kind["place"].n_unique(),
    }
    lines = [
        f"**Answer.** {kind['department_id'].n_unique()} {kind_name} in {kind['place'].n_unique()} place(s) "
        f"({lab.names(kind['place'].unique(maintain_order=True))}) state 机关运行经费 from {lab.wan(kind['operating_cost'].min())} "
        f"to {lab.wan(kind['operating_cost'].max())}, {lab.pct(kind['share_of_basic_pct'].min())} to "
        f"{lab.pct(kind['share_of_basic_pct'].max())} of their 基本支出."
    ]
    if largest.height:
        group = largest.row(0, named=True)
        answer["largest_peer_group"] = group["peer_group"]
        answer["largest_peer_group_median"] = group["median"]
        lines.append(
            f"Like for like, in **{group['peer_group']}** ({group['departments']} departments, {group['place_list']}, "
            f"{group['first_year']}–{group['last_year']}): median {lab.wan(group['median'])}, quartiles "
            f"{lab.num(group['q1'])}–{lab.num(group['q3'])}, fences {lab.num(group['lower_fence'])}–{lab.num(group['upper_fence'])}."
        )
    answer["outlier_count"] = int(outliers["outliers_total"][0]) if outliers.height else 0
    answer["outliers"] = [(row["department_name"], row["fiscal_year"]) for row in outliers.iter_rows(named=True)]
    if outliers.height:
        shown_departments |= set(outliers["department_id"])
        cut = (
            f" ({answer['outlier_count']} in all; the {outliers.height} furthest outside named)"
            if outliers.height < answer["outlier_count"]
            else ""
        )
        lines.append(
            f"IQR outliers within their peer group{cut}: "
            + "; ".join(
                f"**{row['department_name']}** ({row['fiscal_year']}: {lab.wan(row['value'])}, fences "
                f"{lab.num(row['lower_fence'])}–{lab.num(row['upper_fence'])}, {row['verdict']}; "
                f"“{row['quote']}”, {row['source_file']} {row['source_locator']})"
                for row in outliers.iter_rows(named=True)
            )
            + "."
        )
    else:
        lines.append("No department lies outside the fences of a peer group of four or more departments.")
    lab.md(*lines)

# %% [markdown]
# ## 3. Against 基本支出 and 公用经费
#
# 机关运行经费 is the part of 公用经费 (and so of 基本支出) that a 行政单位 spends; above either it deserves
# a look. "Above" means above beyond the rounding of the two printed figures: 213.28 万元 printed in the
# 三公 table beside a 公用经费 of 2,132,777.54 元 is equal.

# %%
shares = lab.query(
    """
    select count(*) as stated, count(share_of_basic_pct) as with_basic, median(share_of_basic_pct) as median_basic,
           count(share_of_public_pct) as with_public, median(share_of_public_pct) as median_public,
           count(*) filter (where is_above_public) as above_public, count(*) filter (where is_above_basic) as above_basic
    from marts.mart_operating_cost where not is_stated_zero
    """
).row(0, named=True)
above = lab.query(
    """
    select department_id, department_name, fiscal_year, comparison_basis_zh, operating_cost, basic_expenditure,
           public_expenditure, is_above_basic, is_above_public, verdict, printed, source_file, source_locator, quote
    from marts.mart_operating_cost where is_above_public or is_above_basic
    order by operating_cost - coalesce(public_expenditure, basic_expenditure) desc, disclosure_id limit 40
    """
)
answer |= {
    "above_public": sorted(above.filter(pl.col("is_above_public"))["department_name"].to_list()),
    "above_basic": sorted(above.filter(pl.col("is_above_basic"))["department_name"].to_list()),
}
if not lab.no_data(shares["stated"], "机关运行经费 above 0"):
    shown_departments |= set(above["department_id"])
    lab.md(
        f"Of {shares['stated']} disclosure(s) stating 机关运行经费 above 0, {shares['with_basic']} state 基本支出 (median "
        f"share {lab.pct(shares['median_basic'])}) and {shares['with_public']} 公用经费 (median share "
        f"{lab.pct(shares['median_public'])}). Above 公用经费 beyond rounding: {shares['above_public']}; above 基本支出: "
        f"{shares['above_basic']}."
        + (
            " Those above: "
            + lab.names(
                f"**{row['department_name']}** {row['fiscal_year']} ({row['printed']}; 基本支出 {lab.wan(row['basic_expenditure'])}, "
                f"公用经费 {lab.wan(row['public_expenditure'])}; {row['source_file']} {row['source_locator']})"
                for row in above.iter_rows(named=True)
            )
            + ". A figure above its 基本支出 is no 机关运行经费 in today's sense "
            "(the plausibility check `plausibility_ceiling` lists it in 04)."
            if above.height
            else ""
        )
    )
    if above.height:
        lab.show(
            charts.against(
                above,
                "public_expenditure",
                "operating_cost",
                "公用经费 (万元)",
                "机关运行经费 (万元)",
                "Above 公用经费 or 基本支出 (dashed: equal)",
            )
        )

# %% [markdown]
# ## 4. Per person on staff
#
# 机关运行经费 / 实有人数, where the disclosure states its staffing. Budgets rarely do.

# %%
per_staff = lab.query(
    """
    select department_id, department_name, fiscal_year, operating_cost, staff_actual, per_staff, verdict, source_file
    from marts.mart_operating_cost where per_staff is not null
    order by per_staff desc, disclosure_id limit 40
    """
)
if not lab.no_data(per_staff, "机关运行经费 per staff (no disclosure states its staffing beside 机关运行经费)"):
    shown_departments |= set(per_staff["department_id"])
    lab.table(per_staff.drop("department_id"))
    lab.md(
        f"{per_staff.height} disclosure(s) state their staffing beside 机关运行经费"
        + (
            ": one figure per staff, with no peer to compare it with. The data cannot say which departments spend "
            "more per head."
            if per_staff.height == 1
            else "."
        )
    )

# %% [markdown]
# ## 5. The same department over the years, like for like
#
# One change per department, year, phase, scope and consolidation (`mart_metric_change`), from the
# department's own earlier document or from the comparative its document states. The ranking keeps the
# comparable pairs; the pairs left out are listed below with the sentence or figure that rules them out.

# %%
change = lab.query(
    """
    select count(*) as pairs, count(*) filter (where is_comparable) as comparable, count(*) filter (where not is_comparable) as left_out,
           arg_min({'name': department_name, 'year': fiscal_year, 'pct': change_pct}, change_pct) filter (where is_comparable) as largest_fall,
           arg_max({'name': department_name, 'year': fiscal_year, 'pct': change_pct}, change_pct) filter (where is_comparable) as largest_rise
    from marts.mart_metric_change where metric = 'operating_cost'
    """
).row(0, named=True)
ranked = lab.query(
    """
    select *, count(*) over () as ranked_total from marts.mart_metric_change
    where metric = 'operating_cost' and is_comparable and change_pct is not null
    order by abs(change_pct) desc, department_id limit 40
    """
)
left_out = lab.query(
    """
    select * from marts.mart_metric_change where metric = 'operating_cost' and not is_comparable
    order by department_name, fiscal_year limit 40
    """
)
answer["left_out"] = [
    (row["department_name"], row["fiscal_year"], row["comparability_quote"]) for row in left_out.iter_rows(named=True)
]
if not lab.no_data(change["pairs"], "year-over-year changes of 机关运行经费"):
    shown_departments |= set(ranked["department_id"]) | set(left_out["department_id"])
    if ranked.height:
        lab.showing(ranked.height, ranked["ranked_total"][0], "comparable change(s)", "the largest |同比 %|")
        lab.show(
            charts.changes(
                pl.concat([ranked.drop("ranked_total"), left_out]), "机关运行经费: change on the year before"
            )
        )
    words = [
        f"{change['pairs']} change(s) from one year to the next: {change['comparable']} comparable, {change['left_out']} left out."
    ]
    if change["largest_fall"]:
        answer["largest_comparable_fall"] = [
            change["largest_fall"]["name"],
            change["largest_fall"]["year"],
            change["largest_fall"]["pct"],
        ]
        words.append(
            f"Among the comparable ones the largest fall is {change['largest_fall']['name']} {change['largest_fall']['year']} "
            f"({lab.pct(change['largest_fall']['pct'])}), the largest rise {change['largest_rise']['name']} "
            f"{change['largest_rise']['year']} ({lab.pct(change['largest_rise']['pct'])})."
        )
    if left_out.height:
        words.append(
            "Left out of the ranking: "
            + "; ".join(
                f"**{row['department_name']}** {row['fiscal_year']} ({lab.pct(row['change_pct'])}): {row['comparability_note']}"
                f" — “{row['comparability_quote']}” ({row['comparability_source_file']} {row['comparability_source_locator']})"
                for row in left_out.iter_rows(named=True)
            )
            + "."
        )
    lab.md(*words)

# %% [markdown]
# ## 6. Caveats: what the data checks say about these departments
#
# The departments shown in the charts and tables above.

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
