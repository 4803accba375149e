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
# **Question.** Which input files were read and which rejected; which disclosures fail which data
# checks (sums, identities, restatements, plausibility), and how badly; how complete is each disclosure;
# which labels could not be given a code; and so, which disclosures' figures can be used as they are,
# place by place and department type by department type, and which need a look first?
#
# The verdict per disclosure (`fct_disclosure.verdict`), shown beside every figure the other notebooks
# chart:
# - **check first** — at least one `warn` finding (a defect of the document, or a figure misread) or an
#   unresolved label;
# - **incomplete** — no defect, but fewer than 80 % of the standard parts of its phase present;
# - **trusted** — neither. Rounding is no defect: a sum off by at most 0.01 万元 per summed row, and a
#   printed figure or stated percentage within the rounding of its printed digits (80.92 % stated where
#   the printed amounts give 80.913 %), are `info` or not listed at all.
#
# Sources (schema `marts`): `mart_coverage`, `fct_ingest_log`, `fct_disclosure_check`,
# `mart_peer_disclosure`, `mart_disclosure_completeness`, `fct_unresolved_label`. Every number in the text
# is computed in this run; charts and tables show at most `TOP` departments (or files, or rows) each.

# %%
import altair as alt
import charts
import lab
import polars as pl

COMPLETE = 0.8  # share of the standard parts a disclosure needs to count as complete; the SQL below says 0.8
TOP = 40  # departments (files, rows) shown per chart or table; the queries below say "limit 40" / "<= 40"

coverage = lab.coverage(lab.query("""select * from marts.mart_coverage where topic = 'all'"""), "figures")

# %% [markdown]
# ## 1. Files read and files rejected
#
# Listed: the rejected files and the files with the most warnings, at most `TOP` of each.

# %%
file_counts = lab.query(
    """select status, format, count(*) as files from marts.fct_ingest_log group by all order by status, format"""
)
listed = lab.query(
    """
    select source_file, format, status, reason, reason_zh, warning_count, count(*) over (partition by status) as status_total
    from marts.fct_ingest_log where status in ('rejected', 'warned')
    qualify row_number() over (partition by status order by warning_count desc, source_file) <= 40
    """
)
rejected = listed.filter(pl.col("status") == "rejected").sort("source_file")
warned = listed.filter(pl.col("status") == "warned")
if not lab.no_data(file_counts, "input files (fct_ingest_log is empty)"):
    lab.show(
        alt.Chart(file_counts)
        .mark_bar()
        .encode(
            x=alt.X("files:Q", title="files"),
            y=alt.Y("format:N", title=None),
            color=alt.Color(
                "status:N",
                title=None,
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
        lab.showing(
            rejected.height,
            rejected["status_total"][0],
            "rejected file(s)",
            "those with the most warnings, then by name",
        )
        lab.table(rejected.select("source_file", "format", "reason", "reason_zh"), limit=TOP)
    if warned.height:
        lab.showing(warned.height, warned["status_total"][0], "warned file(s)", "those with the most warnings")
        lab.table(warned.select("source_file", "format", "reason", "warning_count"), limit=TOP)

# %% [markdown]
# ## 2. Data checks by check and by department
#
# Counted over every disclosure; per department, shown: the `TOP` departments with the most `warn`
# findings.

# %%
by_check = lab.query(
    """
    select check_name, severity, count(*) as findings, count(distinct disclosure_id) as disclosures
    from marts.fct_disclosure_check group by all order by check_name, severity
    """
)
by_department = lab.query(
    """
    select department_id, any_value(department_name) as department_name, count(*) filter (where severity = 'warn') as warn,
           count(*) filter (where severity = 'info') as info, count(*) over () as departments_total
    from marts.fct_disclosure_check group by department_id order by warn desc, info desc, department_id limit 40
    """
)
shown_departments = set(by_department["department_id"])
if not lab.no_data(by_check, "data-check findings (every check passed)"):
    lab.showing(
        by_department.height,
        by_department["departments_total"][0],
        "department(s) with findings",
        "the most warn findings",
    )
    lab.show(
        alt.Chart(
            by_department.unpivot(
                index="department_name", on=["warn", "info"], variable_name="severity", value_name="findings"
            )
        )
        .mark_bar()
        .encode(
            x=alt.X("findings:Q", title="findings"),
            y=alt.Y("department_name:N", title=None, sort="-x"),
            color=alt.Color("severity:N", scale=alt.Scale(domain=["info", "warn"], range=["#9ecae9", "#e45756"])),
            tooltip=["department_name", "severity", "findings"],
        )
        .properties(title="Data-check findings per department", height=alt.Step(18))
        | alt.Chart(by_check)
        .mark_rect()
        .encode(
            x=alt.X("severity:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("check_name:N", title=None),
            color=alt.Color("findings:Q", title="findings", scale=alt.Scale(scheme="reds")),
            tooltip=["check_name", "severity", "findings", "disclosures"],
        )
        .properties(title="Findings by check", width=alt.Step(70), height=alt.Step(22))
    )
    defects = by_check.filter(pl.col("severity") == "warn").sort(["findings", "check_name"], descending=[True, False])
    findings, warn_findings = by_check["findings"].sum(), defects["findings"].sum()
    lab.md(
        f"{findings} finding(s): {warn_findings} `warn` (defects of the document, or misreadings) and "
        f"{findings - warn_findings} `info` (rounding). "
        + (
            f"The most frequent defect is `{defects['check_name'][0]}` ({defects['findings'][0]})."
            if defects.height
            else ""
        )
    )

# %% [markdown]
# ## 3. Plausibility
#
# The checks of `seeds/ref_plausibility_rule.csv`: 机关运行经费 not above 基本支出 or 公用经费, a 三公 total
# where its parts are stated, stated shares within 0-100 %, no tenfold jump of a total without a stated
# reason. Each finding quotes the figure; shown: the first `TOP`.

# %%
plausibility = lab.query(
    """
    select department_id, department_name, fiscal_year, phase, check_name, severity, message, source_file, source_locator, quote,
           count(*) over () as findings_total
    from marts.fct_disclosure_check where check_name like 'plausibility%'
    order by severity desc, check_name, department_name, fiscal_year limit 40
    """
)
answer = {
    "plausibility": [
        (row["department_name"], row["fiscal_year"], row["check_name"]) for row in plausibility.iter_rows(named=True)
    ]
}
if not lab.no_data(plausibility, "plausibility findings (every figure is plausible)"):
    shown_departments |= set(plausibility["department_id"])
    lab.showing(plausibility.height, plausibility["findings_total"][0], "plausibility finding(s)", "warn first")
    lab.table(plausibility.drop("department_id", "findings_total"), limit=TOP)

# %% [markdown]
# ## 4. Stated percentages and rounding
#
# A stated share or growth is compared with the one the printed amounts give, rounded to the digits
# printed; a gap within the rounding of those digits is not listed. What is left is a real gap.

# %%
stated = lab.query(
    """
    select department_id, department_name, fiscal_year, check_name, expected, actual, difference, message, source_file, source_locator,
           count(*) over () as findings_total
    from marts.fct_disclosure_check where check_name in ('stated_share', 'stated_growth')
    order by abs(difference) desc, department_name limit 40
    """
)
answer["stated_rate_gaps"] = [abs(value) for value in stated["difference"].to_list() if value is not None]
if not lab.no_data(stated, "stated percentages off their figures"):
    shown_departments |= set(stated["department_id"])
    lab.showing(
        stated.height, stated["findings_total"][0], "stated percentage(s) off their figures", "the largest gaps"
    )
    lab.table(stated.drop("department_id", "findings_total"), limit=TOP)
    lab.md(
        f"The smallest gap listed is {lab.num(min(answer['stated_rate_gaps']))} point(s): every gap of one unit of the last "
        "printed decimal is rounding and is not listed."
    )

# %% [markdown]
# ## 5. Completeness: the standard parts each disclosure has
#
# Listed: the disclosures with less than `COMPLETE` of the standard parts of their phase, and the parts
# they miss.

# %%
completeness = lab.query(
    """
    select count(*) as disclosures, median(completeness_score) as median_score, count(*) filter (where completeness_score < 0.8) as low
    from marts.mart_peer_disclosure
    """
).row(0, named=True)
missing = lab.query(
    """
    select department_id, department_name, fiscal_year, phase, scope, completeness_score, name_zh as missing_part
    from marts.mart_disclosure_completeness where not is_present and completeness_score < 0.8
    order by completeness_score, disclosure_id, name_zh limit 40
    """
)
if not lab.no_data(completeness["disclosures"], "completeness scores"):
    lab.md(
        f"Median completeness over {completeness['disclosures']} disclosure(s): "
        f"{lab.pct((completeness['median_score'] or 0) * 100, 0)}; {completeness['low']} below {COMPLETE:.0%}."
    )
    if missing.height:
        shown_departments |= set(missing["department_id"])
        lab.table(missing.drop("department_id"), limit=TOP)

# %% [markdown]
# ## 6. Labels no code could be given to
#
# Counted over every label; listed: the `TOP` largest amounts. A local item (the document's own item
# under an official 类 or 款) counts in its parent and is not listed.

# %%
unresolved = lab.query(
    """
    select department_id, fiscal_year, phase, basis, printed_code, raw_label, amount, source_file, source_locator,
           count(*) over () as labels_total
    from marts.fct_unresolved_label where not is_local_item order by amount desc nulls last, source_file, source_locator limit 40
    """
)
if not lab.no_data(unresolved, "unresolved labels (every label has a code)"):
    shown_departments |= set(unresolved["department_id"])
    lab.showing(unresolved.height, unresolved["labels_total"][0], "label(s) without a code", "the largest amounts")
    lab.table(unresolved.drop("labels_total"), limit=TOP)

# %% [markdown]
# ## 7. Which figures to trust, place by place
#
# The verdicts counted over every disclosure, per place and per department type; listed: the `TOP`
# disclosures with the most defects (`warn` findings and unresolved labels).

# %%
by_place = lab.query(
    """
    select place, verdict, count(*) as disclosures from marts.mart_peer_disclosure group by all order by place, verdict
    """
)
verdicts = lab.query(
    """
    select disclosure_id, department_id, department_name, place, department_type, fiscal_year, phase, scope, warn_findings,
           unresolved_labels, completeness_score, verdict, count(*) over () as disclosures_total
    from marts.mart_peer_disclosure order by warn_findings + unresolved_labels desc, disclosure_id limit 40
    """
)
if not lab.no_data(verdicts, "disclosures"):
    shown_departments |= set(verdicts["department_id"])
    lab.show(
        alt.Chart(by_place)
        .mark_bar()
        .encode(
            x=alt.X("disclosures:Q", title="disclosures"),
            y=alt.Y("place:N", title=None),
            color=charts.verdict_colour(),
            tooltip=["place", "verdict", "disclosures"],
        )
        .properties(title="Verdict per disclosure, by place", height=alt.Step(22))
    )
    lab.showing(verdicts.height, verdicts["disclosures_total"][0], "disclosure(s)", "the most defects")
    lab.table(verdicts.drop("disclosure_id", "department_id", "disclosures_total"), limit=TOP)

# %% tags=["answer"]
answer |= {
    "check_first": [],
    "check_first_count": 0,
    "rejected_files": sorted(rejected["source_file"].to_list()),
    "rejected_count": int(rejected["status_total"][0]) if rejected.height else 0,
}
if not verdicts.is_empty():
    totals = dict(by_place.group_by("verdict").agg(pl.col("disclosures").sum()).iter_rows())
    first = verdicts.filter(pl.col("verdict") == "check first")
    answer["check_first"] = sorted(first["disclosure_id"].to_list())
    answer["check_first_count"] = totals.get("check first", 0)
    answer["trusted_count"] = totals.get("trusted", 0)
    lines = [
        f"**Answer.** Of {by_place['disclosures'].sum()} disclosure(s), {totals.get('trusted', 0)} can be used as they are, "
        f"{totals.get('incomplete', 0)} are defect-free but incomplete, and {answer['check_first_count']} need a look first."
    ]
    if first.height:
        lines.append(
            "Check first"
            + (f" (the {first.height} with the most defects)" if first.height < answer["check_first_count"] else "")
            + ": "
            + lab.names(
                f"**{row['department_name']}** {row['fiscal_year']} {row['phase']} ({row['warn_findings']} warn, "
                f"{row['unresolved_labels']} label(s))"
                for row in first.iter_rows(named=True)
            )
            + ". Their findings are listed in sections 2-4 (file, locator and quote) and their labels in section 6."
        )
    if answer["rejected_count"]:
        lines.append(
            f"{answer['rejected_count']} file(s) were rejected and contribute nothing: "
            + lab.names(f"`{name}`" for name in answer["rejected_files"])
            + ("" if len(answer["rejected_files"]) == answer["rejected_count"] else " (the first listed)")
            + "."
        )
    lab.md(*lines)
