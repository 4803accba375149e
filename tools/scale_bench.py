"""Scale benchmark: the whole build over synthetic corpora of N department-years.

``python -m tools.scale_bench [--sizes 1000,10000] [--format text] [--out bench/scale_benchmark.txt]``

For each N it writes a synthetic corpus (``tools.synthetic``, clearly labelled, deterministic
by seed) into ``--workdir``, then runs the real build command (``python -m ingest.warehouse.build``) into
a warehouse of its own, with its own seeds folder and ingest cache, and measures:

- **full build**: empty cache, no warehouse: ingest (parse every file, on every core) + ``dbt build``;
- **no-change rebuild**: the same command again;
- **one-file change**: one document rewritten with other amounts, then the command again;
- **notebook queries**: every ``lab.query(...)`` (triple-quoted SQL) of ``notebooks/*.py``, run through
  ``lab.query`` (connection, query, polars frame) as the notebooks run them; the median of 5 runs;
- **parsing CPU**: ``PARSE_SAMPLE`` documents of the corpus, evenly spaced, parsed in this process as a
  worker parses them (``ingest_file`` + ``seed_fragments``), in CPU seconds of one core
  (``time.process_time``), with the top functions of a profile of the same documents;
- **dbt models**: each model's seconds in the full build (dbt's ``target/run_results.json``), and
  the seconds of its models, data tests, unit tests and seeds;
- **write floor**: what the models' time would be with no logic between the seeds and the tables: the
  staging models (read each seed, type it, write it) plus every other table of the warehouse copied as
  it is into a scratch database (``write_floor``), one at a time, with the build's DuckDB settings.

Time is wall-clock, less any time the build waited for another build's lock (it says so);
peak memory is the largest resident set of the build process and its children (``wait4``), so
dbt's DuckDB is included. The table is printed and written to ``--out``; ``tools.bench_targets``
reads the results against the targets of issue #22.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
QUERY = re.compile(r'lab\.query\(\s*"""(.*?)"""', re.S)
TARGETS = {"full build": 300.0, "no-change rebuild": 3.0, "one-file change": 20.0}  # seconds, issue #22
PARSE_SAMPLE = 300  # documents parsed in this process to measure parsing's CPU per document
PROFILED = 100  # of those, profiled for the top functions
QUERY_TARGET_MS = 200.0
PARSE_TARGET_MS = 4.0  # CPU of one core per synthetic text document
TARGET_SIZE = 100_000  # department-years the targets are set at
MEMORY_TARGET_MIB = 4096.0


@dataclass
class Run:
    seconds: float  # wall, less the wait for another build's lock
    peak_mib: float
    ingest_seconds: float | None
    dbt_seconds: float | None
    output: str
    waited_seconds: float = 0.0  # for another build's lock, left out of ``seconds``
    merge_seconds: float | None = None  # a delta build's merge


@dataclass
class ParseCpu:
    documents: int
    ms_per_document: float  # CPU of one core
    top: list[tuple[str, float]] = field(default_factory=list)  # (function, share of the CPU)


@dataclass
class SizeResult:
    n: int
    files: int
    corpus_mib: float
    generate_seconds: float
    runs: dict[str, Run] = field(default_factory=dict)
    queries: list[tuple[str, float, int]] = field(default_factory=list)  # (name, median ms, rows)
    warehouse_mib: float = 0.0
    seeds_mib: float = 0.0
    row_counts: dict[str, int] = field(default_factory=dict)
    parse: ParseCpu | None = None
    dbt_models: list[tuple[str, float]] = field(default_factory=list)  # (model, seconds), slowest first
    dbt_elapsed: float | None = None  # dbt's own time for the full build's nodes
    dbt_kinds: dict[str, float] = field(default_factory=dict)  # seconds per kind of node: model, test, unit_test, seed
    floor: WriteFloor | None = None


@dataclass
class WriteFloor:
    """The warehouse's tables outside staging, copied as they are: the cost of writing them with no logic."""

    tables: int
    rows: int
    seconds: float
    by_schema: dict[str, float] = field(default_factory=dict)  # seconds per schema (intermediate, marts, raw)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.queries_on:
        print(format_queries(notebook_query_latencies(args.queries_on.resolve()), label=args.queries_on.name))
        return 0
    print(format_report(run(args), args))
    return 0


def parse_args(argv: list[str] | None = None, prog: str = "python -m tools.scale_bench") -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    add_arguments(parser)
    return parser.parse_args(argv)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sizes", default="1000,10000", help="department-years, comma-separated (e.g. 1000,10000,100000)"
    )
    parser.add_argument("--format", choices=("text", "pdf"), default="text")
    parser.add_argument("--years", type=int, default=5, help="years per department (N / years departments)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "scale_benchmark.txt")
    parser.add_argument("--keep", action="store_true", help="keep corpora and warehouses in --workdir")
    parser.add_argument(
        "--queries-on",
        type=Path,
        metavar="WAREHOUSE",
        help="only time the notebooks' queries on an existing warehouse and print them",
    )


def sizes(args) -> list[int]:
    return [int(s) for s in args.sizes.split(",") if s.strip()]


def run(args) -> list[SizeResult]:
    """Every size of ``--sizes``; the report is written to ``--out`` after each, so a long run leaves partial results."""
    results = []
    for n in sizes(args):
        results.append(measure_size(n, args))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(format_report(results, args) + "\n", encoding="utf-8")
    return results


def measure_size(n: int, args) -> SizeResult:
    work = args.workdir / f"{args.format}-{n}"
    shutil.rmtree(work, ignore_errors=True)
    corpus, seeds, cache, warehouse = work / "corpus", work / "seeds", work / "cache", work / "warehouse.duckdb"
    started = time.monotonic()
    files = generate(corpus, n, args)
    result = SizeResult(n, len(files), _mib(corpus), time.monotonic() - started)
    _say(f"N={n}: {len(files)} files, {result.corpus_mib:.0f} MiB generated in {result.generate_seconds:.0f} s")
    result.parse = parse_cpu(files, corpus)
    _say(f"  parsing: {result.parse.ms_per_document:.1f} ms CPU per document ({result.parse.documents} documents)")
    command = [
        sys.executable,
        "-m",
        "ingest.warehouse.build",
        "--disclosures",
        str(corpus),
        "--warehouse",
        str(warehouse),
        "--seeds",
        str(seeds),
        "--cache",
        str(cache),
    ]
    full_started = time.time()
    result.runs["full build"] = timed(command)
    result.dbt_models, result.dbt_elapsed, result.dbt_kinds = dbt_model_seconds(full_started)
    result.runs["no-change rebuild"] = timed(command)
    change_one_file(files[len(files) // 2], args)
    result.runs["one-file change"] = timed(command)
    result.queries = notebook_query_latencies(warehouse)
    result.warehouse_mib, result.seeds_mib = _mib(warehouse), _mib(seeds)
    result.row_counts = row_counts(warehouse)
    result.floor = write_floor(warehouse, work / "write_floor.duckdb")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


def generate(corpus: Path, n: int, args) -> list[Path]:
    from tools.synthetic import write_corpus

    departments = max(1, n // args.years)
    years = list(range(2025 - args.years + 1, 2026))
    write_corpus(corpus, departments=departments, years=years, seed=args.seed, fmt=args.format)
    return sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))


def change_one_file(path: Path, args) -> None:
    """Another version of one document: the same department-year drawn with another seed."""
    from tools.synthetic import rewrite_with_seed

    rewrite_with_seed(path, seed=args.seed + 1)


def timed(command: list[str]) -> Run:
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    waited = lock_wait_seconds(output)
    seconds = time.monotonic() - started - waited
    if process.returncode != 0:
        raise SystemExit(f"build failed (exit {process.returncode}):\n{output[-4000:]}")
    _say(
        f"  {seconds:7.1f} s  {output.strip().splitlines()[-1][:120]}" + (f" (waited {waited:.0f} s)" if waited else "")
    )
    return Run(seconds, usage.ru_maxrss / 1024, *step_seconds(output), output, waited, merge_seconds(output))


def lock_wait_seconds(output: str) -> float:
    """How long the build waited for another build's lock, as it said."""
    found = re.search(r"^build: another build is running: waited ([\d.]+) s", output, re.M)
    return float(found.group(1)) if found else 0.0


def merge_seconds(output: str) -> float | None:
    found = re.search(r"^build: \d+ tables merged in ([\d.]+) s", output, re.M)
    return float(found.group(1)) if found else None


def parse_cpu(files: list[Path], corpus: Path, sample: int = PARSE_SAMPLE) -> ParseCpu:
    """CPU of one core per document, as a worker parses it (``parse_task``): ``sample`` documents
    evenly spaced over the corpus, after one parse that loads the reference tables; then the
    first ``PROFILED`` of them again under cProfile for the functions that take the time."""
    import hashlib

    from ingest.run.parallel import FileTask
    from ingest.run.pipeline import parse_task

    step = max(1, len(files) // sample)
    tasks = []
    for path in files[::step][:sample]:
        data = path.read_bytes()
        relative = path.relative_to(corpus).as_posix()
        tasks.append(FileTask(str(path), relative, hashlib.sha256(data).hexdigest(), len(data)))
    if not tasks:
        return ParseCpu(0, 0.0)
    parse_task(tasks[0], keep_extraction=False, file_timeout=None)  # loads the gazetteer and code lists
    started = time.process_time()
    for task in tasks:
        parse_task(task, keep_extraction=False, file_timeout=None)
    ms = (time.process_time() - started) * 1000 / len(tasks)
    profile = cProfile.Profile()
    profile.enable()
    for task in tasks[:PROFILED]:
        parse_task(task, keep_extraction=False, file_timeout=None)
    profile.disable()
    return ParseCpu(len(tasks), ms, top_functions(pstats.Stats(profile)))


def top_functions(stats: pstats.Stats, count: int = 5) -> list[tuple[str, float]]:
    """The functions with the most time of their own, as ``module:function`` and share of all. A
    function of the compiled parser (ingest/compiled.py) is one C call to cProfile, its compiled
    callees included: ``narrative:extract_narrative (compiled)``."""
    entries = stats.stats  # (file, line, name) → (calls, primitive calls, own time, cumulative, callers)
    total = sum(entry[2] for entry in entries.values()) or 1.0
    ranked = sorted(entries.items(), key=lambda item: -item[1][2])[:count]
    named = []
    for (filename, _, name), entry in ranked:
        module = Path(filename).stem if filename not in ("~", "") else "builtins"
        compiled = COMPILED_FUNCTION_RE.fullmatch(name) if module == "builtins" else None
        shown = f"{compiled['module']}:{compiled['function']} (compiled)" if compiled else f"{module}:{name}"
        named.append((shown, entry[2] / total))
    return named


# how cProfile names a function of a module compiled by mypyc: <built-in method ingest.parse.x.f>
COMPILED_FUNCTION_RE = re.compile(r"<built-in method ingest\.(?:\w+\.)*(?P<module>\w+)\.(?P<function>\w+)>")


def dbt_model_seconds(
    after: float, path: Path = ROOT / "dbt_project" / "target" / "run_results.json"
) -> tuple[list[tuple[str, float]], float | None, dict[str, float]]:
    """The models of the full build by seconds, slowest first, dbt's own elapsed time, and the seconds
    per kind of node (model, test, unit_test, seed), from dbt's ``run_results.json``, when the file is
    that build's (started after ``after``, epoch seconds): another build may have written it since,
    and then nothing is reported rather than its figures."""
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
        started = datetime.fromisoformat(results["metadata"]["invocation_started_at"].replace("Z", "+00:00"))
    except (OSError, ValueError, KeyError):
        return [], None, {}
    if started.timestamp() < after:
        return [], None, {}
    models = [
        (r["unique_id"].split(".")[-1], r["execution_time"])
        for r in results["results"]
        if r["unique_id"].startswith("model.")
    ]
    kinds: dict[str, float] = {}
    for r in results["results"]:
        kind = r["unique_id"].split(".")[0]
        kinds[kind] = kinds.get(kind, 0.0) + r["execution_time"]
    return sorted(models, key=lambda item: -item[1]), results.get("elapsed_time"), kinds


def write_floor(warehouse: Path, scratch: Path) -> WriteFloor:
    """Every base table of ``warehouse`` outside staging (which reads the seeds, and is timed in the
    build) copied as it is into ``scratch``, one at a time and dropped after, with the build's DuckDB
    settings (dbt_project/profiles.yml): what writing the tables the build keeps costs with no logic.
    ``scratch`` is removed after."""
    import duckdb

    from ingest.warehouse.outputs import remove_database

    remove_database(scratch)
    settings = {
        "memory_limit": os.environ.get("JUESUAN_DUCKDB_MEMORY", "3GB"),
        "preserve_insertion_order": False,
    }
    floor = WriteFloor(0, 0, 0.0)
    try:
        with duckdb.connect(str(scratch), config=settings) as connection:
            connection.execute("set enable_progress_bar = false")
            connection.execute("attach ? as built (read_only)", [str(warehouse)])
            tables = connection.execute(
                "select schema_name, table_name from duckdb_tables() "
                "where database_name = 'built' and schema_name <> 'staging' order by 1, 2"
            ).fetchall()
            for schema, table in tables:
                started = time.perf_counter()
                connection.execute(f'create table copied as select * from built."{schema}"."{table}"')
                seconds = time.perf_counter() - started
                floor.seconds += seconds
                floor.by_schema[schema] = floor.by_schema.get(schema, 0.0) + seconds
                floor.rows += connection.execute("select count(*) from copied").fetchone()[0]
                floor.tables += 1
                connection.execute("drop table copied")
    finally:
        remove_database(scratch)
    return floor


def staging_seconds(result: SizeResult) -> float:
    """The staging models' seconds in the full build: reading each seed and writing it typed."""
    return sum(seconds for model, seconds in result.dbt_models if model.startswith("stg_"))


def step_seconds(output: str) -> tuple[float | None, float | None]:
    """The ingest's and dbt's seconds as the build printed them (a delta build's dbt run included)."""
    ingest = re.search(r"^ingest: .* in ([\d.]+) s$", output, re.M)
    dbt = re.search(r"^dbt: (?:delta )?build finished in ([\d.]+) s", output, re.M)
    return (float(ingest.group(1)) if ingest else None), (float(dbt.group(1)) if dbt else None)


def how_built(output: str) -> str:
    """The build's own word on how it went: a delta build (and its size) or why from scratch."""
    said = [
        line.removeprefix("build: ")
        for line in output.splitlines()
        if line.startswith(("build: delta build:", "build: from scratch:", "build: the delta could not"))
    ]
    return "; ".join(said)


def notebook_queries() -> list[tuple[str, str]]:
    queries = []
    for notebook in sorted(NOTEBOOKS.glob("[0-9]*.py")):
        for number, sql in enumerate(QUERY.findall(notebook.read_text(encoding="utf-8")), start=1):
            queries.append((f"{notebook.stem} #{number}", sql))
    return queries


def notebook_query_latencies(warehouse: Path, repeats: int = 5) -> list[tuple[str, float, int]]:
    """The median time of each notebook query through ``lab.query``, as the notebooks run it."""
    previous = os.environ.get("JUESUAN_WAREHOUSE")
    os.environ["JUESUAN_WAREHOUSE"] = str(warehouse)
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import lab

        latencies = []
        for name, sql in notebook_queries():
            times, rows = [], 0
            for _ in range(repeats):
                started = time.perf_counter()
                rows = lab.query(sql).height
                times.append((time.perf_counter() - started) * 1000)
            latencies.append((name, statistics.median(times), rows))
        return latencies
    finally:
        sys.path.remove(str(NOTEBOOKS))
        if previous is None:
            os.environ.pop("JUESUAN_WAREHOUSE", None)
        else:
            os.environ["JUESUAN_WAREHOUSE"] = previous


def row_counts(warehouse: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        names = [
            r[0]
            for r in connection.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_schema in ('staging', 'marts') and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
        ]
        return {name: connection.execute(f"select count(*) from {name}").fetchone()[0] for name in names}


def format_report(results: list[SizeResult], args) -> str:
    lines = [
        f"juesuan scale benchmark · synthetic {args.format} corpus · {os.cpu_count()} cores · "
        f"{time.strftime('%Y-%m-%d')}",
        f"(targets are at {TARGET_SIZE:,} department-years: at another size a step is not judged; "
        "wall s leaves out any wait for another build's lock)",
        "",
        f"{'N dept-years':>12} {'step':<18} {'wall s':>8} {'ingest s':>9} {'dbt s':>7} {'merge s':>7} "
        f"{'peak MiB':>9}  target at {TARGET_SIZE:,}",
    ]
    for result in results:
        for step, run in result.runs.items():
            lines.append(
                f"{result.n:>12} {step:<18} {run.seconds:>8.1f} {_num(run.ingest_seconds):>9} {_num(run.dbt_seconds):>7} "
                f"{_num(run.merge_seconds):>7} {run.peak_mib:>9.0f}  {step_verdict(result.n, step, run.seconds)}"
            )
    for result in results:
        for step, run in result.runs.items():
            if how_built(run.output):
                lines.append(f"{result.n:>12} {step}: {how_built(run.output)}")
    lines += ["", f"{'N':>8}  parsing, CPU of one core per synthetic document (target ≤ {PARSE_TARGET_MS:g} ms)"]
    for result in results:
        if result.parse:
            top = ", ".join(f"{name} {share:.0%}" for name, share in result.parse.top)
            lines.append(
                f"{result.n:>8}  {result.parse.ms_per_document:.1f} ms ({result.parse.documents} documents); "
                f"most own time: {top}"
            )
    lines += ["", f"{'N':>8}  dbt models of the full build, slowest first (seconds; dbt's own total)"]
    for result in results:
        shown = ", ".join(f"{name} {seconds:.1f}" for name, seconds in result.dbt_models[:10])
        total = f"total {result.dbt_elapsed:.1f} s: " if result.dbt_elapsed else ""
        lines.append(f"{result.n:>8}  {total}{shown or 'not read (run_results.json was not this build’s)'}")
        if result.floor and result.dbt_models:
            lines.append(
                f"{result.n:>8}  write floor {staging_seconds(result) + result.floor.seconds:.1f} s: the staging models "
                f"{staging_seconds(result):.1f} s + the other {result.floor.tables} tables "
                f"({result.floor.rows:,} rows) copied with no logic {result.floor.seconds:.1f} s ("
                + ", ".join(f"{schema} {seconds:.1f}" for schema, seconds in sorted(result.floor.by_schema.items()))
                + ")"
            )
    lines += ["", f"{'N':>8} {'notebook query':<22} {'median ms':>10} {'rows':>8}  (target < {QUERY_TARGET_MS:g} ms)"]
    for result in results:
        lines.append(format_queries(result.queries, label=str(result.n)))
    lines += [
        "",
        f"{'N':>8} {'files':>7} {'corpus MiB':>10} {'gen s':>6} {'seeds MiB':>9} {'warehouse MiB':>13}  largest tables (rows)",
    ]
    for result in results:
        largest = sorted(result.row_counts.items(), key=lambda item: -item[1])[:4]
        lines.append(
            f"{result.n:>8} {result.files:>7} {result.corpus_mib:>10.0f} {result.generate_seconds:>6.0f} "
            f"{result.seeds_mib:>9.0f} {result.warehouse_mib:>13.0f}  " + ", ".join(f"{k} {v:,}" for k, v in largest)
        )
    return "\n".join(lines)


def step_verdict(n: int, step: str, seconds: float) -> str:
    """Met or missed (by how much) at the target's size; at another size, the target only for reference."""
    target = TARGETS[step]
    if n != TARGET_SIZE:
        return f"< {target:g} s (not judged at this size)"
    if seconds < target:
        return f"< {target:g} s: met"
    return f"< {target:g} s: missed by {seconds - target:.1f} s ({seconds / target:.1f}×)"


def format_queries(queries: list[tuple[str, float, int]], label: str) -> str:
    lines = []
    for name, ms, rows in queries:
        flag = "" if ms < QUERY_TARGET_MS else f"  {ms / QUERY_TARGET_MS:.1f}× over"
        lines.append(f"{label:>8} {name:<22} {ms:>10.1f} {rows:>8}{flag}")
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _mib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20 if path.exists() else 0.0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
