# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 抚恤金 — which departments pay it, how much of their social-security spending is it, and what drives it
#
# **Question.** Where does 抚恤 (款 20808: 死亡抚恤 2080801, 伤残抚恤 2080802 and the other 优抚 items) sit,
# by department type, place, year and phase; how large a share of 社会保障和就业支出 (类 208) is it, and
# 抚恤金 (经济分类 30304) of 人员经费; how does it relate to staff and retirees where the documents state
# them; what reasons do they give; and which departments drive its change from one year to the next?
#
# **Like for like.** Amounts are summed only within one fiscal year, phase and comparison basis (预算 ·
# 部门 · 汇总 …: `mart_peer_disclosure`), never a 预算 with a 决算. A share takes numerator and denominator
# from the same statement (一般公共预算 first: `seeds/ref_basis_preference.csv`). A department has *no*
# 抚恤 only when its statement is complete (its 类 lines add up to the statement's total) and has no 20808
# line; otherwise it is *unknown*. The codes are read by name from `seeds/ref_analysis_code.csv`.
#
# Sources (schema `marts`, amounts in 万元): `mart_coverage`, `mart_death_benefit`. Every number in the
# text is computed in this run; charts and tables show at most `TOP` departments (or rows) each.

# %%
import charts
import lab
import polars as pl

TOP = 40  # departments (rows) shown per chart or table; the queries below say "limit 40" (keep them equal)
ITEMS = {
    "death_benefit": "死亡抚恤",
    "disability_benefit": "伤残抚恤",
    "other_pension_benefits": "其他优抚（褒扬纪念 …）",
}

coverage = lab.coverage(
    lab.query("""select * from marts.mart_coverage where topic = 'death_benefit'"""),
    "amounts by function (支出功能分类)",
)

# %% [markdown]
# ## 1. Where 抚恤 sits: by year, comparison basis and department type
#
# One row per fiscal year × comparison basis × department type, summed over its departments only.
# Shown: the `TOP` rows with the most 抚恤.

# %%
by_type = lab.query(
    """
    select fiscal_year, comparison_basis_zh, coalesce(department_type, '(no type)') as department_type, count(*) as departments,
           count(*) filter (where pension_benefits > 0) as paying, count(*) filter (where pension_status = 'unknown') as unknown,
           sum(pension_benefits) as pension_benefits, sum(death_benefit) as death_benefit, sum(disability_benefit) as disability_benefit,
           sum(other_pension_benefits) as other_pension_benefits, count(*) over () as rows_total
    from marts.mart_death_benefit group by all order by pension_benefits desc nulls last, departments desc, department_type limit 40
    """
)
totals = lab.query(
    """
    select count(*) as disclosures, count(*) filter (where pension_status = 'stated') as stated,
           count(*) filter (where pension_status = 'none') as none, count(*) filter (where pension_status = 'unknown') as unknown,
           count(distinct department_type) filter (where pension_benefits > 0) as paying_types
    from marts.mart_death_benefit
    """
).row(0, named=True)
if not lab.no_data(by_type, "抚恤 by department type"):
    lab.showing(by_type.height, by_type["rows_total"][0], "year × basis × type row(s)", "the most 抚恤")
    lab.table(by_type.drop("rows_total"), limit=TOP)
    lab.md(
        f"Of {totals['disclosures']} disclosure(s) with amounts by function, {totals['stated']} state a 抚恤 line, "
        f"{totals['none']} have none in a complete statement, {totals['unknown']} cannot tell. 抚恤 is paid by "
        f"{totals['paying_types']} department type(s)."
    )

# %% [markdown]
# ## 2. The departments that pay it, item by item
#
# 死亡抚恤, 伤残抚恤 and the rest of 20808, per disclosure stating 抚恤 above 0; the label carries the
# verdict of the disclosure. Shown: the `TOP` largest.

# %%
paying = lab.query(
    """
    select *, count(*) over () as rows_total from marts.mart_death_benefit where pension_benefits > 0
    order by pension_benefits desc, disclosure_id limit 40
    """
)
shown_departments, shown_years = set(paying["department_id"]), set(paying["fiscal_year"])
if not lab.no_data(paying, "抚恤 above 0 in any disclosure"):
    lab.showing(paying.height, paying["rows_total"][0], "disclosure(s) paying 抚恤", "the largest")
    lab.show(charts.parts(paying, ITEMS, "抚恤 (万元)", "抚恤 by item (预算 and 决算 side by side, never summed)"))
    lab.table(
        paying.select(
            "department_name",
            "place",
            "fiscal_year",
            "comparison_basis_zh",
            "department_type",
            "pension_benefits",
            *ITEMS,
            "social_security",
            "pension_share_of_social_security_pct",
            "verdict",
            "source_file",
            "source_locator",
        )
    )

# %% [markdown]
# ## 3. One kind of department across places
#
# The most widespread department type: each department's 抚恤 and its share of 社会保障和就业支出, with
# the comparison basis as the shape and the verdict as the colour.

# %%
kind = lab.query(
    """
    select *, count(*) over () as rows_total from marts.mart_death_benefit
    where department_type = (select largest_type from marts.mart_coverage where topic = 'death_benefit')
    order by pension_benefits desc nulls last, disclosure_id limit 40
    """
)
answer = {}
if not lab.no_data(kind, "抚恤 of one department type"):
    shown_departments |= set(kind["department_id"])
    shown_years |= set(kind["fiscal_year"])
    kind_name = kind["department_type"][0]
    lab.showing(kind.height, kind["rows_total"][0], f"{kind_name} disclosure(s)", "the most 抚恤")
    lab.show(
        charts.type_strip(kind, "social_security", "社会保障和就业支出 (万元)", f"{kind_name}: 社会保障和就业支出")
        | charts.type_strip(kind, "pension_benefits", "抚恤 (万元)", f"{kind_name}: 抚恤")
    )
    lab.table(
        kind.select(
            "department_name",
            "place",
            "fiscal_year",
            "comparison_basis_zh",
            "basis",
            "pension_status",
            "social_security",
            "pension_benefits",
            "pension_share_of_social_security_pct",
            "verdict",
        )
    )

# %% tags=["answer"]
if coverage is not None and not kind.is_empty():
    answer |= {
        "largest_type": kind_name,
        "type_departments": kind["department_id"].n_unique(),
        "type_places": kind["place"].n_unique(),
        "type_paying": kind.filter(pl.col("pension_benefits") > 0)["department_id"].n_unique(),
        "type_none": kind.filter(pl.col("pension_status") == "none")["department_id"].n_unique(),
        "paying": sorted(paying["department_name"].unique().to_list()),
    }
    lines = [
        f"**Answer.** Of the {answer['type_departments']} {kind_name} in {answer['type_places']} place(s) "
        f"({lab.names(kind['place'].unique(maintain_order=True))}), {answer['type_paying']} budget 抚恤 and "
        f"{answer['type_none']} have no 抚恤 line in a complete statement, while their 社会保障和就业支出 runs from "
        f"{lab.wan(kind['social_security'].min())} to {lab.wan(kind['social_security'].max())}: none of it is 抚恤."
    ]
    if paying.height:
        top = paying.row(0, named=True)
        answer["top_payer"] = top["department_name"]
        lines.append(
            f"抚恤 sits with few departments: {paying['department_id'].n_unique()} pay any. The largest is **{top['department_name']}** "
            f"({top['fiscal_year']}, {top['comparison_basis_zh']}, {top['verdict']}): {lab.wan(top['pension_benefits'])}, "
            f"{lab.pct(top['pension_share_of_social_security_pct'])} of its 社会保障和就业支出 — "
            + "、".join(f"{ITEMS[item]} {lab.wan(top[item])}" for item in ITEMS if top[item])
            + "."
        )
    lab.md(*lines)

# %% [markdown]
# ## 4. 抚恤金 (30304) beside 人员经费
#
# 30304 is 抚恤金 inside the 基本支出 by economic classification; 人员经费 here is 301 + 303 of the same
# statement. It measures another cut than 20808 and need not agree with it.

# %%
economic = lab.query(
    """
    select department_id, department_name, fiscal_year, comparison_basis_zh, economic_basis, pension_benefit_economic, personnel_economic,
           pension_benefit_share_of_personnel_pct, pension_benefits, verdict, count(*) over () as rows_total
    from marts.mart_death_benefit where pension_benefit_economic is not null
    order by pension_benefit_economic desc, disclosure_id limit 40
    """
)
if not lab.no_data(economic, "抚恤金 (30304) in any economic statement"):
    shown_departments |= set(economic["department_id"])
    lab.showing(economic.height, economic["rows_total"][0], "disclosure(s) stating 30304", "the largest")
    lab.table(economic.drop("department_id", "rows_total"))
    lab.md(
        f"{economic['rows_total'][0]} disclosure(s) print a 30304 line; where above 0 it is "
        f"{lab.pct(economic.filter(pl.col('pension_benefit_share_of_personnel_pct') > 0)['pension_benefit_share_of_personnel_pct'].median())} "
        "of 人员经费 on median. Most economic tables print only the items a department spends on, so a missing 30304 line says nothing."
    )

# %% [markdown]
# ## 5. Staff and retirees
#
# 在职 staff (实有人数) where the disclosure states it; retirees only as money (2080501 行政单位离退休,
# 2080502 事业单位离退休): no document of the sample gives a head count of retirees that is read.

# %%
staffing = lab.query(
    """
    select department_id, department_name, fiscal_year, staff_actual, pension_benefits, pension_benefits_per_staff,
           admin_retirees, institution_retirees, verdict
    from marts.mart_death_benefit where staff_actual is not null order by staff_actual desc, disclosure_id limit 40
    """
)
retirees = lab.query(
    """
    select count(*) filter (where coalesce(admin_retirees, 0) + coalesce(institution_retirees, 0) > 0) as with_retiree_money,
           count(*) filter (where pension_benefits > 0 and coalesce(admin_retirees, 0) + coalesce(institution_retirees, 0) > 0) as paying_with_retiree_money
    from marts.mart_death_benefit
    """
).row(0, named=True)
answer["staff_stated"] = staffing.height
shown_departments |= set(staffing["department_id"])
if staffing.height:
    lab.table(staffing.drop("department_id"))
lab.md(
    f"Staffing is stated in {staffing.height} disclosure(s) with amounts by function"
    + (": too few to relate 抚恤 to staff across departments." if staffing.height < 5 else ".")
    + f" {retirees['with_retiree_money']} disclosure(s) spend on 离退休 (2080501/2080502), {retirees['paying_with_retiree_money']} of them "
    "also pay 抚恤; that is money beside money, not 抚恤 per retiree: **the data cannot say how 抚恤 relates to the number of "
    "retirees**."
)

# %% [markdown]
# ## 6. What drives the change
#
# The same department's 抚恤 on the year before, same statement, phase, scope and consolidation; a change
# whose document says the definition changed is left out. Shown: the `TOP` largest changes.

# %%
drivers = lab.query(
    """
    select department_id, department_name, fiscal_year, comparison_basis_zh, pension_benefits_prior, pension_benefits,
           pension_benefits_change, pension_benefits_change_pct, pension_benefits_prior_source, is_pension_change_comparable,
           pension_change_comparability_quote, verdict, count(*) over () as rows_total
    from marts.mart_death_benefit where pension_benefits_change is not null
    order by abs(pension_benefits_change) desc, disclosure_id limit 40
    """
)
answer["changes"] = drivers.height
if not lab.no_data(drivers, "a change of 抚恤 from one year to the next"):
    shown_departments |= set(drivers["department_id"])
    lab.showing(drivers.height, drivers["rows_total"][0], "change(s)", "the largest")
    lab.table(drivers.drop("department_id", "rows_total"))
    comparable = drivers.filter(pl.col("is_pension_change_comparable"))
    if comparable.height:
        top = comparable.row(0, named=True)
        lab.md(
            f"The largest comparable change: **{top['department_name']}** {top['fiscal_year']}, "
            f"{lab.wan(top['pension_benefits_change'])} ({lab.pct(top['pension_benefits_change_pct'])})."
        )
else:
    lab.md(
        "No department states 抚恤 for two consecutive years of the same phase and basis (nor a comparative for the year "
        "before): **which departments drive the change of 抚恤 cannot be answered from this warehouse.**"
    )

# %% [markdown]
# ## 7. The reasons the documents give
#
# Stated reasons (`fct_stated_reason`) whose sentence names 抚恤.

# %%
reasons = lab.query(
    """
    select department_id, department_name, fiscal_year, comparison_basis_zh, stated_reasons, reason_texts, verdict
    from marts.mart_death_benefit where stated_reasons > 0 order by stated_reasons desc, disclosure_id limit 40
    """
)
answer["reasons"] = int(reasons["stated_reasons"].sum()) if reasons.height else 0
if not lab.no_data(reasons, "stated reasons about 抚恤"):
    shown_departments |= set(reasons["department_id"])
    lab.table(reasons.drop("department_id"))

# %% [markdown]
# ## 8. Caveats: what the data checks say about these departments
#
# The departments shown in the charts and tables above.

# %%
checks, unresolved = lab.caveats(shown_departments, shown_years)
