# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Data quality — which figures can be trusted?
#
# **Question.** Which input files were read and which rejected; which disclosures fail which
# data checks, and how badly; how complete is each disclosure; which labels could not be given a
# code; and so, which disclosures' figures can be used as they are and which need a look first?
#
# The verdict per disclosure, computed below:
# - **check first** — at least one `warn` check (a defect of the document) or an unresolved label;
# - **incomplete** — no defect, but fewer than `COMPLETE` of the standard parts of its phase present;
# - **trusted** — neither (rounding differences, `info`, are allowed).
#
# Sources (schema `marts`): `fct_ingest_log`, `fct_disclosure_check`, `mart_disclosure_completeness`,
# `fct_unresolved_label`, `fct_disclosure`. Every number in the text is computed in this run, in SQL
# over every row; the charts and tables show at most `TOP` departments (or files) each, chosen by the
# criterion each section states.

# %%
import altair as alt
import polars as pl

import lab

COMPLETE = 0.8  # share of the standard parts a disclosure needs to count as complete; the SQL below says 0.8
TOP = 40  # departments (files) shown per chart or table; the detail queries below say "limit 40" / "<= 40"

# %% [markdown]
# ## 1. Files read and files rejected
#
# Listed: the rejected files and the files with the most warnings, at most `TOP` of each.

# %%
file_counts = lab.query(
    """
    select status, format, count(*) as files
    from marts.fct_ingest_log
    group by all
    order by status, format
    """
)
listed = lab.query(
    """
    select source_file, format, status, reason, reason_zh, warning_count,
           count(*) over (partition by status) as status_total
    from marts.fct_ingest_log
    where status in ('rejected', 'warned')
    qualify row_number() over (
        partition by status order by case when status = 'warned' then warning_count end desc nulls last, source_file
    ) <= 40
    order by status, source_file
    """
)
rejected = listed.filter(pl.col("status") == "rejected")
warned = listed.filter(pl.col("status") == "warned")
if not lab.no_data(file_counts, "input files (fct_ingest_log is empty)"):
    lab.show(
        alt.Chart(file_counts)
        .mark_bar()
        .encode(
            x=alt.X("files:Q", title="files"),
            y=alt.Y("format:N", title=None),
            color=alt.Color(
                "status:N", title=None,
                scale=alt.Scale(domain=["parsed", "warned", "rejected"], range=["#54a24b", "#f58518", "#e45756"]),
            ),
            tooltip=["status", "format", "files"],
        )
        .properties(title="Input files by format and status", height=alt.Step(28))
    )
    files_by_status = dict(file_counts.group_by("status").agg(pl.col("files").sum()).iter_rows())
    lab.md(
        f"{file_counts['files'].sum()} file(s) read: {files_by_status.get('parsed', 0)} parsed, "
        f"{files_by_status.get('warned', 0)} warned, {files_by_status.get('rejected', 0)} rejected."
    )
    if rejected.height:
        lab.showing(rejected.height, rejected["status_total"][0], "rejected file(s)", "the first by name")
        lab.table(rejected.select("source_file", "format", "reason", "reason_zh"), limit=TOP)
    if warned.height:
        lab.showing(warned.height, warned["status_total"][0], "warned file(s)", "those with the most warnings")
        lab.table(warned.select("source_file", "format", "reason", "warning_count"), limit=TOP)

# %% [markdown]
# ## 2. Data checks by department and severity
#
# The findings by check are counted over every disclosure; per department, shown: the `TOP`
# departments with the most `warn` findings (then the most findings).

# %%
by_check = lab.query(
    """
    select check_name, severity, count(*) as findings,
           (select count(distinct disclosure_id) from marts.fct_disclosure_check) as disclosures
    from marts.fct_disclosure_check
    group by all
    order by check_name, severity
    """
)
by_department = lab.query(
    """
    select department_id, department_name,
           count(*) filter (where severity = 'warn') as warn, count(*) filter (where severity = 'info') as info,
           count(*) over () as departments_total
    from marts.fct_disclosure_check
    group by all
    order by warn desc, count(*) desc, department_name, department_id
    limit 40
    """
)
warns = lab.query(
    """
    with shown as (
        select department_id
        from marts.fct_disclosure_check
        group by department_id, department_name
        order by count(*) filter (where severity = 'warn') desc, count(*) desc, department_name, department_id
        limit 40
    )
    select department_id, department_name, fiscal_year, phase, disclosure_id, check_name, severity,
           expected, actual, difference, message, source_file, source_locator
    from marts.fct_disclosure_check
    join shown using (department_id)
    where severity = 'warn'
    order by department_name, fiscal_year, check_name
    """
)
if not lab.no_data(by_check, "data-check findings (every check passed)"):
    lab.showing(by_department.height, by_department["departments_total"][0], "department(s) with findings",
                "those with the most warn findings")
    lab.show(
        alt.Chart(by_department.unpivot(index="department_name", on=["warn", "info"], variable_name="severity", value_name="findings"))
        .mark_bar()
        .encode(
            x=alt.X("findings:Q", title="findings"),
            y=alt.Y("department_name:N", title=None, sort="-x"),
            color=alt.Color("severity:N", scale=alt.Scale(domain=["info", "warn"], range=["#9ecae9", "#e45756"])),
            tooltip=["department_name", "severity", "findings"],
        )
        .properties(title="Data-check findings per department", height=alt.Step(22))
    )
    lab.show(
        alt.Chart(by_check)
        .mark_rect()
        .encode(
            x=alt.X("severity:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("check_name:N", title=None),
            color=alt.Color("findings:Q", title="findings", scale=alt.Scale(scheme="reds")),
            tooltip=["check_name", "severity", "findings"],
        )
        .properties(title="Findings by check", width=alt.Step(70), height=alt.Step(22))
        + alt.Chart(by_check).mark_text().encode(x="severity:N", y="check_name:N", text="findings:Q")
    )
    defects = by_check.filter(pl.col("severity") == "warn").sort(["findings", "check_name"], descending=[True, False])
    findings, warn_findings = by_check["findings"].sum(), defects["findings"].sum()
    lab.md(
        f"{findings} finding(s) in {by_check['disclosures'][0]} disclosure(s): "
        f"{warn_findings} `warn` (defects of the document) and {findings - warn_findings} `info` (rounding). "
        + (f"The most frequent defect is `{defects['check_name'][0]}`." if defects.height else "")
    )
    lab.table(warns.drop("department_id", "disclosure_id"))

# %% [markdown]
# ## 3. Completeness: the standard parts each disclosure has
#
# The median and the count below `COMPLETE` are over every disclosure. Shown: the `TOP` departments
# with the least complete disclosure.

# %%
completeness_summary = lab.query(
    """
    with per_score as (
        -- a disclosure has one row per standard part of its phase (parts_expected rows), each with its score
        select completeness_score, count(*) // parts_expected as disclosures
        from marts.mart_disclosure_completeness
        group by completeness_score, parts_expected
    ),
    scores as (
        select completeness_score, unnest(range(disclosures)) from per_score
    )
    select count(*) as disclosures, median(completeness_score) as median_score,
           count(*) filter (where completeness_score < 0.8) as low
    from scores
    """
).row(0, named=True)
completeness = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.mart_disclosure_completeness
        group by department_id
        order by min(completeness_score), department_id
        limit 40
    )
    select disclosure_id, department_id, department_name, fiscal_year, phase, scope,
           any_value(completeness_score) as completeness_score,
           any_value(parts_present) as parts_present,
           any_value(parts_expected) as parts_expected,
           string_agg(case when not is_present then name_zh end, '、' order by kind, section) as missing_parts,
           any_value(departments_total) as departments_total
    from marts.mart_disclosure_completeness
    join shown using (department_id)
    group by disclosure_id, department_id, department_name, fiscal_year, phase, scope
    order by completeness_score, department_name, fiscal_year
    """
)
if not lab.no_data(completeness, "completeness scores"):
    lab.showing(completeness["department_id"].n_unique(), completeness["departments_total"][0], "department(s)",
                "those with the least complete disclosure")
    lab.show(
        alt.Chart(completeness)
        .mark_rect()
        .encode(
            x=alt.X("fiscal_year:O", title="会计年度"),
            xOffset=alt.XOffset("phase:N", sort=["budget", "final"]),
            y=alt.Y("department_name:N", title=None),
            color=alt.Color(
                "completeness_score:Q", title="parts present",
                scale=alt.Scale(scheme="redyellowgreen", domain=[0, 1]), legend=alt.Legend(format="%"),
            ),
            tooltip=["department_name", "fiscal_year", "phase", "scope", "parts_present", "parts_expected", "missing_parts"],
        )
        .properties(
            title="Completeness per disclosure (left half: 预算, right half: 决算)", width=alt.Step(36), height=alt.Step(20)
        )
    )
    lab.md(
        f"Median completeness over {completeness_summary['disclosures']} disclosure(s): "
        f"{lab.pct(completeness_summary['median_score'] * 100, 0)}; {completeness_summary['low']} below {COMPLETE:.0%}."
    )
    low = completeness.filter(pl.col("completeness_score") < COMPLETE)
    if low.height:
        lab.table(low.select("department_name", "fiscal_year", "phase", "scope", "completeness_score", "missing_parts"))

# %% [markdown]
# ## 4. Labels no code could be given to
#
# Counted over every label; listed: the labels of the `TOP` departments with the most of them.

# %%
unresolved = lab.query(
    """
    with labels as (
        select department_id, fiscal_year, phase, basis, statement, printed_code, raw_label,
               match_method, amount, source_file, source_locator
        from marts.fct_unresolved_label
    ),
    totals as (
        select count(*) as labels_total, count(distinct department_id) as departments_total,
               sum(amount::double) as amount_total
        from labels
    ),
    shown as (
        select department_id
        from labels
        group by department_id
        order by count(*) desc, department_id
        limit 40
    )
    select labels.*, totals.*
    from labels
    join shown using (department_id)
    cross join totals
    order by department_id, fiscal_year, source_file, source_locator
    """
)
if not lab.no_data(unresolved, "unresolved labels (every label has a code)"):
    totals = unresolved.row(0, named=True)
    lab.showing(unresolved["department_id"].n_unique(), totals["departments_total"], "department(s) with such labels",
                "those with the most")
    lab.table(unresolved.drop("labels_total", "departments_total", "amount_total"))
    lab.md(
        f"{totals['labels_total']} label(s) in {totals['departments_total']} department(s) are kept without "
        f"a code ({lab.wan(totals['amount_total'])} in all); their amounts are missing from every 类/款/项 roll-up."
    )

# %% [markdown]
# ## 5. Which figures to trust
#
# `fct_disclosure.verdict`, counted over every disclosure: *check first* when a check found a
# `warn` defect or a label has no code, *incomplete* when it has less than 80 % of its phase's
# standard parts, else *trusted*. Shown: the disclosures of the `TOP` departments with the most
# defects (`warn` findings and unresolved labels).

# %%
verdict_counts = lab.query(
    """
    select verdict, phase, count(*) as disclosures
    from marts.fct_disclosure
    group by all
    order by verdict, phase
    """
)
verdicts = lab.query(
    """
    with shown as (
        select department_id, count(*) over () as departments_total
        from marts.fct_disclosure
        group by department_id
        order by sum(warn_findings + unresolved_labels) desc, department_id
        limit 40
    )
    select d.disclosure_id, d.department_id, d.department_name, d.fiscal_year, d.phase, d.scope,
           d.warn_findings as warn, d.info_findings as info, d.unresolved_labels as unresolved,
           d.completeness_score, d.verdict, shown.departments_total
    from marts.fct_disclosure as d
    join shown using (department_id)
    order by d.department_name, d.fiscal_year, d.phase, d.scope
    """
)
if not lab.no_data(verdicts, "disclosures"):
    lab.show(
        alt.Chart(verdict_counts)
        .mark_bar()
        .encode(
            x=alt.X("disclosures:Q", title="disclosures"),
            y=alt.Y("verdict:N", title=None, sort=["trusted", "incomplete", "check first"]),
            color=alt.Color("phase:N"),
            tooltip=["verdict", "phase", "disclosures"],
        )
        .properties(title="Verdict per disclosure", height=alt.Step(30))
    )
    lab.showing(verdicts["department_id"].n_unique(), verdicts["departments_total"][0], "department(s)",
                "those with the most defects")
    lab.table(verdicts.select("department_name", "fiscal_year", "phase", "scope", "warn", "info", "unresolved", "completeness_score", "verdict"), limit=60)

# %% tags=["answer"]
answer = {"check_first": [], "check_first_count": 0, "rejected_files": [], "rejected_count": 0}
if not verdicts.is_empty():
    totals = dict(verdict_counts.group_by("verdict").agg(pl.col("disclosures").sum()).iter_rows())
    first = verdicts.filter(pl.col("verdict") == "check first")
    answer["check_first"] = sorted(first["disclosure_id"].to_list())
    answer["check_first_count"] = totals.get("check first", 0)
    answer["rejected_files"] = sorted(rejected["source_file"].to_list())
    answer["rejected_count"] = rejected["status_total"][0] if rejected.height else 0
    lines = [
        f"**Answer.** Of {verdict_counts['disclosures'].sum()} disclosure(s), {totals.get('trusted', 0)} can be used as they are, "
        f"{totals.get('incomplete', 0)} are defect-free but incomplete, and {answer['check_first_count']} need a look first."
    ]
    if first.height:
        lines.append(
            "Check first"
            + (f" (those of the {verdicts['department_id'].n_unique()} departments shown above)" if first.height < answer["check_first_count"] else "")
            + ": "
            + lab.names(f"**{row['department_name']}** {row['fiscal_year']} {row['phase']}" for row in first.iter_rows(named=True))
            + ". The figures to look at are the `warn` rows of section 2 (file and locator given) and the labels of section 4."
        )
    if answer["rejected_count"]:
        lines.append(
            f"{answer['rejected_count']} file(s) were rejected and contribute nothing: "
            + lab.names(f"`{name}`" for name in answer["rejected_files"])
            + ("" if len(answer["rejected_files"]) == answer["rejected_count"] else " (the first by name)")
            + "."
        )
    lab.md(*lines)
