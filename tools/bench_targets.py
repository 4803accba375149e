"""``make bench``: every target of issue #22 measured, in one table, met or missed, by how much,
and what bounds it.

``python -m tools.bench_targets [--sizes 1000,10000] [--skip-pdf] [--skip-scale] [--out bench/targets.txt]``

It runs the PDF benchmark (``tools.bench``: ours against plain pdfplumber on the same pages in
the same run, on the shipped PDFs and on ``samples/national``, seconds per document per layout
family) and the scale benchmark (``tools.scale_bench`` at each size: full build, no-change
rebuild, one-file change, parsing CPU, dbt models, notebook queries, peak memory), writes their
own tables (``bench/pdf_benchmark.txt``, ``bench/scale_benchmark.txt``) and then reads both
against the targets. The targets are set at 100,000 department-years: a run at other sizes
marks them "not measured" and shows the largest size's figures beside, for reference only.
The table is printed and written to ``--out``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ingest import compiled
from tools import bench, scale_bench
from tools.scale_bench import (
    MEMORY_TARGET_MIB,
    PARSE_TARGET_MS,
    QUERY_TARGET_MS,
    TARGET_SIZE,
    TARGETS,
    SizeResult,
)

ROOT = Path(__file__).resolve().parents[1]
DBT_TARGET_SECONDS = 60.0
NOT_MEASURED = "not measured"


@dataclass
class TargetRow:
    target: str
    limit: str
    measured: str
    verdict: str  # met | missed by … | not measured | "" (a detail row)
    bound: str  # what bounds it, or the figures at the largest size measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_targets", description=__doc__.splitlines()[0])
    scale_bench.add_arguments(parser)
    parser.add_argument("--samples", type=Path, default=ROOT / "samples", help="the PDFs of the PDF benchmark")
    parser.add_argument("--pdf-out", type=Path, default=ROOT / "bench" / "pdf_benchmark.txt")
    parser.add_argument("--targets-out", type=Path, default=ROOT / "bench" / "targets.txt")
    parser.add_argument("--skip-pdf", action="store_true", help="leave the PDF targets not measured")
    parser.add_argument("--skip-scale", action="store_true", help="leave the build targets not measured")
    args = parser.parse_args(argv)
    conditions = machine_conditions()
    pdf_sets = None
    if not args.skip_pdf:
        _say("PDF benchmark …")
        pdf_sets = bench.measure_sets(args.samples)
        write(args.pdf_out, bench.format_report(pdf_sets))
    results: list[SizeResult] = []
    if not args.skip_scale:
        results = scale_bench.run(args)  # writes --out after each size
    table = format_table(evaluate(pdf_sets, results), conditions, results)
    print(table)
    write(args.targets_out, table)
    return 0


def evaluate(pdf_sets: list[bench.PdfSet] | None, results: list[SizeResult]) -> list[TargetRow]:
    """Every target against what was measured; a target at 100,000 without a run at 100,000 is not measured."""
    at_target = next((r for r in results if r.n == TARGET_SIZE), None)
    largest = max(results, key=lambda r: r.n) if results else None
    rows = [
        full_build_row(at_target, largest),
        parse_row(largest),
        dbt_row(at_target, largest),
        step_row("one-file change", at_target, largest),
        step_row("no-change rebuild", at_target, largest),
    ]
    rows += pdf_rows(pdf_sets)
    rows += [memory_row(at_target, largest), queries_row(at_target, largest)]
    return rows


def full_build_row(at_target: SizeResult | None, largest: SizeResult | None) -> TargetRow:
    name, limit = f"full build at {TARGET_SIZE:,}", TARGETS["full build"]
    if at_target is None:
        return _not_measured(name, f"< {limit:g} s", largest, lambda r: _build_parts(r.runs["full build"]))
    run = at_target.runs["full build"]
    return TargetRow(name, f"< {limit:g} s", f"{run.seconds:.0f} s", _below(run.seconds, limit, "s"), _build_parts(run))


def parse_row(largest: SizeResult | None) -> TargetRow:
    """Parsing's CPU per document does not depend on the corpus size: measured at any size."""
    name, limit = "  parsing, CPU per synthetic text doc", f"≤ {PARSE_TARGET_MS:g} ms"
    if largest is None or largest.parse is None or not largest.parse.documents:
        return TargetRow(name, limit, NOT_MEASURED, NOT_MEASURED, "no corpus was generated")
    parse = largest.parse
    verdict = _at_most(parse.ms_per_document, PARSE_TARGET_MS, "ms", digits=2)
    top = ", ".join(f"{function} {share:.0%}" for function, share in parse.top[:3])
    return TargetRow(
        name, limit, f"{parse.ms_per_document:.2f} ms", verdict, f"{parse.documents} docs; own time: {top}"
    )


def dbt_row(at_target: SizeResult | None, largest: SizeResult | None) -> TargetRow:
    name, limit = f"  dbt at {TARGET_SIZE:,}", f"≤ {DBT_TARGET_SECONDS:g} s"

    def models(result: SizeResult) -> str:
        seconds = result.runs["full build"].dbt_seconds
        top = ", ".join(f"{model} {s:.1f} s" for model, s in result.dbt_models[:3]) or "models not read"
        return f"{_dbt_parts(seconds, result.dbt_kinds)}{_floor(result)}; slowest: {top}"

    if at_target is None:
        return _not_measured(name, limit, largest, models)
    seconds = at_target.runs["full build"].dbt_seconds
    if seconds is None:
        return TargetRow(name, limit, NOT_MEASURED, NOT_MEASURED, "the build printed no dbt time")
    return TargetRow(name, limit, f"{seconds:.0f} s", _at_most(seconds, DBT_TARGET_SECONDS, "s"), models(at_target))


def step_row(step: str, at_target: SizeResult | None, largest: SizeResult | None) -> TargetRow:
    name, limit = f"{step} at {TARGET_SIZE:,}", TARGETS[step]
    if at_target is None:
        return _not_measured(name, f"< {limit:g} s", largest, lambda r: _build_parts(r.runs[step]))
    run = at_target.runs[step]
    return TargetRow(name, f"< {limit:g} s", f"{run.seconds:.1f} s", _below(run.seconds, limit, "s"), _build_parts(run))


def pdf_rows(pdf_sets: list[bench.PdfSet] | None) -> list[TargetRow]:
    """One row per set (shipped, national) against 10×, and a detail row per layout family."""
    limit = f"≥ {bench.TARGET_RATIO:g}×"
    if pdf_sets is None:
        return [
            TargetRow(f"PDF vs pdfplumber: {name}", limit, NOT_MEASURED, NOT_MEASURED, "--skip-pdf")
            for name in ("shipped", "national")
        ]
    rows = []
    for pdf_set in pdf_sets:
        name = f"PDF vs pdfplumber: {pdf_set.name}"
        if not pdf_set.rows:
            rows.append(TargetRow(name, limit, NOT_MEASURED, NOT_MEASURED, "no PDF"))
            continue
        families = bench.families(pdf_set)
        slowest = min(families, key=lambda f: f.ratio)
        ratio = pdf_set.ratio
        verdict = "met" if ratio >= bench.TARGET_RATIO else f"missed: needs {bench.TARGET_RATIO / ratio:.2f}× faster"
        count = len(pdf_set.rows)
        rows.append(
            TargetRow(
                name,
                limit,
                f"{ratio:.1f}×",
                verdict,
                f"{_docs(count)}, ours {pdf_set.ours / count:.3f} s/doc vs {pdf_set.plumber / count:.3f}; "
                f"lowest ratio: {slowest.name} {slowest.ratio:.1f}×",
            )
        )
        for family in families:
            docs = len(family.rows)
            rows.append(
                TargetRow(
                    f"    {family.name}",
                    "",
                    f"{family.ratio:.1f}×",
                    "",
                    f"{_docs(docs)}, {family.pages} pages: ours {family.ours / docs:.3f} s/doc, "
                    f"pdfplumber {family.plumber / docs:.3f} s/doc",
                )
            )
    return rows


def memory_row(at_target: SizeResult | None, largest: SizeResult | None) -> TargetRow:
    name, limit = f"peak memory at {TARGET_SIZE:,}", f"< {MEMORY_TARGET_MIB / 1024:g} GiB"

    def peak(result: SizeResult) -> str:
        step, run = max(result.runs.items(), key=lambda item: item[1].peak_mib)
        return f"{run.peak_mib:.0f} MiB in the {step}"

    if at_target is None:
        return _not_measured(name, limit, largest, peak)
    step, run = max(at_target.runs.items(), key=lambda item: item[1].peak_mib)
    return TargetRow(
        name, limit, f"{run.peak_mib:.0f} MiB", _below(run.peak_mib, MEMORY_TARGET_MIB, "MiB"), f"largest in the {step}"
    )


def queries_row(at_target: SizeResult | None, largest: SizeResult | None) -> TargetRow:
    name, limit = f"notebook queries at {TARGET_SIZE:,}", f"< {QUERY_TARGET_MS:g} ms"

    def slowest(result: SizeResult) -> str:
        if not result.queries:
            return "no query timed"
        query, ms, _ = max(result.queries, key=lambda q: q[1])
        return f"slowest of {len(result.queries)}: {query} {ms:.0f} ms"

    if at_target is None:
        return _not_measured(name, limit, largest, slowest)
    if not at_target.queries:
        return TargetRow(name, limit, NOT_MEASURED, NOT_MEASURED, "no query timed")
    ms = max(q[1] for q in at_target.queries)
    over = sum(1 for q in at_target.queries if q[1] >= QUERY_TARGET_MS)
    verdict = _below(ms, QUERY_TARGET_MS, "ms") + (f"; {over} over" if over else "")
    return TargetRow(name, limit, f"{ms:.0f} ms", verdict, slowest(at_target))


def _not_measured(name: str, limit: str, largest: SizeResult | None, describe) -> TargetRow:
    if largest is None:
        return TargetRow(name, limit, NOT_MEASURED, NOT_MEASURED, "no build measured")
    return TargetRow(
        name,
        limit,
        NOT_MEASURED,
        f"{NOT_MEASURED} ({TARGET_SIZE:,} not in sizes)",
        f"for reference, at {largest.n:,}: {describe(largest)}",
    )


def _build_parts(run) -> str:
    """Where a build's seconds went, largest part first."""
    parts = [("ingest", run.ingest_seconds), ("dbt", run.dbt_seconds), ("merge", run.merge_seconds)]
    known = [(name, seconds) for name, seconds in parts if seconds is not None]
    rest = run.seconds - sum(seconds for _, seconds in known)
    known.append(("other", max(rest, 0.0)))
    known.sort(key=lambda item: -item[1])
    text = f"{run.seconds:.1f} s = " + " + ".join(f"{name} {seconds:.1f}" for name, seconds in known)
    return text + (f" (waited {run.waited_seconds:.0f} s for another build, left out)" if run.waited_seconds else "")


DBT_KINDS = (("model", "models"), ("test", "data tests"), ("unit_test", "unit tests"), ("seed", "seeds"))


def _dbt_parts(seconds: float | None, kinds: dict[str, float]) -> str:
    """dbt's seconds by kind of node (run_results.json), and the rest: dbt's own start and bookkeeping."""
    if seconds is None or not kinds:
        return f"dbt {_num(seconds)} s"
    parts = [(label, kinds[kind]) for kind, label in DBT_KINDS if kinds.get(kind)]
    parts.append(("dbt itself", max(seconds - sum(kinds.values()), 0.0)))
    return f"{seconds:.1f} s = " + " + ".join(f"{label} {part:.1f}" for label, part in parts)


def _floor(result: SizeResult) -> str:
    """The same tables written with no logic: the staging models (they read the seeds) plus copies of the rest."""
    if result.floor is None or not result.dbt_models:
        return ""
    staging = scale_bench.staging_seconds(result)
    return (
        f"; with no logic (staging {staging:.1f} + the other {result.floor.tables} tables copied "
        f"{result.floor.seconds:.1f}): {staging + result.floor.seconds:.1f} s"
    )


def _below(value: float, limit: float, unit: str) -> str:
    """Met when strictly below the limit; else by how much it is missed."""
    return "met" if value < limit else f"missed by {value - limit:.1f} {unit} ({value / limit:.1f}×)"


def _at_most(value: float, limit: float, unit: str, digits: int = 1) -> str:
    return "met" if value <= limit else f"missed by {value - limit:.{digits}f} {unit} ({value / limit:.{digits}f}×)"


def _docs(count: int) -> str:
    return f"{count} doc" + ("" if count == 1 else "s")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def machine_conditions() -> str:
    """Cores, memory, load at the start, the commit measured and whether its parser ran compiled
    (ingest/compiled.py): the context the figures hold in."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        commit += " + uncommitted changes" if dirty.strip() else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown commit"
    parser = (
        "parser compiled by mypyc"
        if compiled.status == "compiled"
        else f"parser in Python ({compiled.status.removeprefix('python: ')})"
    )
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, load {load:.1f} at the start · {commit} · {parser} · "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )


def format_table(rows: list[TargetRow], conditions: str, results: list[SizeResult]) -> str:
    sizes = ", ".join(f"{r.n:,}" for r in results) or "none"
    widths = [max(len(getattr(row, column)) for row in rows) for column in ("target", "limit", "measured", "verdict")]
    header = TargetRow("target", "limit", "measured", "verdict", "what bounds it")
    lines = [
        f"juesuan targets (issue #22) · {conditions}",
        f"department-years measured: {sizes} (synthetic text corpus); PDFs: samples/ on one core",
        "",
    ]
    for row in [header, *rows]:
        lines.append(
            f"{row.target:<{widths[0]}}  {row.limit:<{max(widths[1], 5)}}  {row.measured:<{max(widths[2], 8)}}  "
            f"{row.verdict:<{max(widths[3], 7)}}  {row.bound}".rstrip()
        )
    return "\n".join(lines)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
