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
# `fct_unresolved_label`, `fct_disclosure`. Every number in the text is computed in this run.

# %%
import altair as alt
import polars as pl

import lab

COMPLETE = 0.8  # share of the standard parts a disclosure needs to count as complete

# %% [markdown]
# ## 1. Files read and files rejected

# %%
files = lab.query(
    """
    select source_file, format, status, reason, reason_zh, department_id, fiscal_year, phase,
           figure_count, warning_count, size_bytes
    from marts.fct_ingest_log
    order by status desc, source_file
    """
)
if not lab.no_data(files, "input files (fct_ingest_log is empty)"):
    counts = files.group_by("status", "format").len().sort("status", "format")
    lab.show(
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("len:Q", title="files"),
            y=alt.Y("format:N", title=None),
            color=alt.Color(
                "status:N", title=None,
                scale=alt.Scale(domain=["parsed", "warned", "rejected"], range=["#54a24b", "#f58518", "#e45756"]),
            ),
            tooltip=["status", "format", "len"],
        )
        .properties(title="Input files by format and status", height=alt.Step(28))
    )
    rejected = files.filter(pl.col("status") == "rejected")
    warned = files.filter(pl.col("status") == "warned")
    lab.md(
        f"{files.height} file(s) read: {files.filter(pl.col('status') == 'parsed').height} parsed, "
        f"{warned.height} warned, {rejected.height} rejected."
    )
    if rejected.height:
        lab.table(rejected.select("source_file", "format", "reason", "reason_zh"))
    if warned.height:
        lab.table(warned.select("source_file", "format", "reason", "warning_count"))

# %% [markdown]
# ## 2. Data checks by department and severity

# %%
checks = lab.query(
    """
    select department_id, department_name, fiscal_year, phase, disclosure_id, check_name, severity,
           expected, actual, difference, message, source_file, source_locator
    from marts.fct_disclosure_check
    order by severity desc, department_name, fiscal_year, check_name
    """
)
if not lab.no_data(checks, "data-check findings (every check passed)"):
    by_department = checks.group_by("department_name", "severity").len()
    lab.show(
        alt.Chart(by_department)
        .mark_bar()
        .encode(
            x=alt.X("len:Q", title="findings"),
            y=alt.Y("department_name:N", title=None, sort="-x"),
            color=alt.Color("severity:N", scale=alt.Scale(domain=["info", "warn"], range=["#9ecae9", "#e45756"])),
            tooltip=["department_name", "severity", "len"],
        )
        .properties(title="Data-check findings per department", height=alt.Step(22))
    )
    by_check = checks.group_by("check_name", "severity").len()
    lab.show(
        alt.Chart(by_check)
        .mark_rect()
        .encode(
            x=alt.X("severity:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("check_name:N", title=None),
            color=alt.Color("len:Q", title="findings", scale=alt.Scale(scheme="reds")),
            tooltip=["check_name", "severity", "len"],
        )
        .properties(title="Findings by check", width=alt.Step(70), height=alt.Step(22))
        + alt.Chart(by_check).mark_text().encode(x="severity:N", y="check_name:N", text="len:Q")
    )
    warns = checks.filter(pl.col("severity") == "warn")
    lab.md(
        f"{checks.height} finding(s) in {checks['disclosure_id'].n_unique()} disclosure(s): "
        f"{warns.height} `warn` (defects of the document) and {checks.height - warns.height} `info` (rounding). "
        + (
            f"The most frequent defect is `{warns.group_by('check_name').len().sort(['len', 'check_name'], descending=[True, False])['check_name'][0]}`."
            if warns.height
            else ""
        )
    )
    lab.table(warns.drop("department_id", "disclosure_id"))

# %% [markdown]
# ## 3. Completeness: the standard parts each disclosure has

# %%
completeness = lab.query(
    """
    select disclosure_id, department_id, department_name, fiscal_year, phase, scope,
           any_value(completeness_score) as completeness_score,
           any_value(parts_present) as parts_present,
           any_value(parts_expected) as parts_expected,
           string_agg(case when not is_present then name_zh end, '、' order by kind, section) as missing_parts
    from marts.mart_disclosure_completeness
    group by all
    order by completeness_score, department_name, fiscal_year
    """
)
if not lab.no_data(completeness, "completeness scores"):
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
    low = completeness.filter(pl.col("completeness_score") < COMPLETE)
    lab.md(
        f"Median completeness over {completeness.height} disclosure(s): "
        f"{lab.pct(completeness['completeness_score'].median() * 100, 0)}; {low.height} below {COMPLETE:.0%}."
    )
    if low.height:
        lab.table(low.select("department_name", "fiscal_year", "phase", "scope", "completeness_score", "missing_parts"))

# %% [markdown]
# ## 4. Labels no code could be given to

# %%
unresolved = lab.query(
    """
    select department_id, fiscal_year, phase, basis, statement, printed_code, raw_label,
           match_method, amount, source_file, source_locator
    from marts.fct_unresolved_label
    order by department_id, fiscal_year, source_file, source_locator
    """
)
if not lab.no_data(unresolved, "unresolved labels (every label has a code)"):
    lab.table(unresolved)
    lab.md(
        f"{unresolved.height} label(s) in {unresolved['department_id'].n_unique()} department(s) are kept without "
        f"a code ({lab.wan(unresolved['amount'].sum())} in all); their amounts are missing from every 类/款/项 roll-up."
    )

# %% [markdown]
# ## 5. Which figures to trust

# %%
disclosures = lab.query(
    """
    select disclosure_id, department_id, department_name, fiscal_year, phase, scope
    from marts.fct_disclosure
    order by department_name, fiscal_year, phase, scope
    """
)
per_check = checks.group_by("disclosure_id").agg(
    warn=(pl.col("severity") == "warn").sum(), info=(pl.col("severity") == "info").sum()
)
per_label = unresolved.group_by("department_id", "fiscal_year", "phase").agg(unresolved=pl.len())
verdicts = (
    disclosures.join(per_check, on="disclosure_id", how="left")
    .join(per_label, on=["department_id", "fiscal_year", "phase"], how="left")
    .join(completeness.select("disclosure_id", "completeness_score"), on="disclosure_id", how="left")
    .with_columns(pl.col("warn", "info", "unresolved").fill_null(0))
    .with_columns(
        verdict=pl.when((pl.col("warn") > 0) | (pl.col("unresolved") > 0))
        .then(pl.lit("check first"))
        .when(pl.col("completeness_score").fill_null(0) < COMPLETE)
        .then(pl.lit("incomplete"))
        .otherwise(pl.lit("trusted"))
    )
)
if not lab.no_data(verdicts, "disclosures"):
    lab.show(
        alt.Chart(verdicts.group_by("verdict", "phase").len())
        .mark_bar()
        .encode(
            x=alt.X("len:Q", title="disclosures"),
            y=alt.Y("verdict:N", title=None, sort=["trusted", "incomplete", "check first"]),
            color=alt.Color("phase:N"),
            tooltip=["verdict", "phase", "len"],
        )
        .properties(title="Verdict per disclosure", height=alt.Step(30))
    )
    lab.table(verdicts.select("department_name", "fiscal_year", "phase", "scope", "warn", "info", "unresolved", "completeness_score", "verdict"), limit=60)

# %% tags=["answer"]
answer = {"check_first": [], "rejected_files": []}
if not verdicts.is_empty():
    first = verdicts.filter(pl.col("verdict") == "check first")
    trusted = verdicts.filter(pl.col("verdict") == "trusted")
    incomplete = verdicts.filter(pl.col("verdict") == "incomplete")
    answer["check_first"] = sorted(first["disclosure_id"].to_list())
    answer["rejected_files"] = sorted(files.filter(pl.col("status") == "rejected")["source_file"].to_list())
    lines = [
        f"**Answer.** Of {verdicts.height} disclosure(s), {trusted.height} can be used as they are, "
        f"{incomplete.height} are defect-free but incomplete, and {first.height} need a look first."
    ]
    if first.height:
        lines.append(
            "Check first: "
            + lab.names(f"**{row['department_name']}** {row['fiscal_year']} {row['phase']}" for row in first.iter_rows(named=True))
            + ". The figures to look at are the `warn` rows of section 2 (file and locator given) and the labels of section 4."
        )
    if answer["rejected_files"]:
        lines.append(
            f"{len(answer['rejected_files'])} file(s) were rejected and contribute nothing: "
            + lab.names(f"`{name}`" for name in answer["rejected_files"])
            + "."
        )
    lab.md(*lines)
