"""Command line: ``juesuan ingest`` (folder → seeds), ``juesuan extract FILE`` (one document → JSON) and
``juesuan coverage`` (per disclosure: standard parts found, identities that hold)."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from ingest.cache import DEFAULT_CACHE_DIR
from ingest.coverage import add_arguments as add_coverage_arguments, run_coverage
from ingest.parallel import default_jobs
from ingest.pipeline import MAX_FILE_BYTES, ingest_file, ingest_folder
from ingest.writers.seeds import cell

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="juesuan", description="部门决算/预算 disclosures → DuckDB warehouse seeds")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="read every file of a folder and write the seed CSVs")
    ingest.add_argument("--disclosures", type=Path, default=ROOT / "samples", help="folder of disclosures (default: samples/)")
    ingest.add_argument("--warehouse", type=Path, default=ROOT / "warehouse.duckdb", help="whose seeds to write (default: warehouse.duckdb)")
    ingest.add_argument("--seeds", type=Path, default=None, help="where to write the seed CSVs (default: the warehouse's, see ingest/outputs.py)")
    ingest.add_argument("--allow-empty", action="store_true", help="accept a folder with no files")
    ingest.add_argument("--jobs", type=int, default=default_jobs(), help="processes parsing files (default: every core)")
    ingest.add_argument("--no-cache", action="store_true", help="parse every file again (default: reuse .juesuan-cache/)")
    extract = commands.add_parser("extract", help="print what was found in one document, with provenance, as JSON")
    extract.add_argument("file", type=Path)
    sql = commands.add_parser("sql", help="run SQL on the warehouse (read-only) and print the result as a table")
    sql.add_argument("query", nargs="?", help="the SQL (default: read from standard input)")
    sql.add_argument("--warehouse", type=Path, default=ROOT / "warehouse.duckdb")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    coverage = commands.add_parser("coverage", help="per disclosure: standard parts found, identities that hold or fail")
    add_coverage_arguments(coverage)
    args = parser.parse_args(argv)
    if args.command == "coverage":
        return run_coverage(args.warehouse, args.department)
    if args.command == "ingest":
        from ingest.outputs import seeds_dir

        seeds = args.seeds or seeds_dir(args.warehouse)
        return run_ingest(args.disclosures, seeds, max(1, args.jobs), None if args.no_cache else DEFAULT_CACHE_DIR,
                          args.allow_empty)
    if args.command == "sql":
        return run_sql(args.warehouse, args.query if args.query is not None else sys.stdin.read(), args.csv)
    return run_extract(args.file)


def run_ingest(folder: Path, seeds: Path, jobs: int = 1, cache_dir: Path | None = None, allow_empty: bool = False) -> int:
    from ingest.build import disclosures_problem

    problem = disclosures_problem(folder, allow_empty)
    if problem:
        print(f"juesuan: {problem}", file=sys.stderr)
        return 2
    result = ingest_folder(folder, seeds, jobs=jobs, cache_dir=cache_dir, keep_extractions=False, progress=True)
    statuses = Counter(row.status for row in result.log)
    figures = sum(row.figure_count for row in result.log)
    print(
        f"ingested {len(result.log)} files: {statuses['parsed']} parsed, {statuses['warned']} warned, "
        f"{statuses['rejected']} rejected; {figures} figures → {seeds}"
    )
    for row in result.log:
        if row.status == "rejected":
            print(f"  rejected {row.source_file}: {row.reason}")
    return 0


def run_sql(warehouse: Path, sql: str, as_csv: bool = False) -> int:
    """``juesuan sql "select …"``: the warehouse opened read-only (a running build is not held up),
    with the same DuckDB the warehouse was built with; the DuckDB CLI is not needed."""
    import duckdb

    if not warehouse.is_file():
        print(f"juesuan: no warehouse at {warehouse}: run `make build` first (or pass --warehouse)", file=sys.stderr)
        return 2
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        try:
            relation = connection.sql(sql)
        except duckdb.Error as error:
            print(f"juesuan: {error}", file=sys.stderr)
            return 1
        if relation is None:  # a statement without a result
            return 0
        if as_csv:
            relation.to_df().to_csv(sys.stdout, index=False)
        else:
            relation.show(max_width=10_000, max_rows=10_000)
    return 0


def run_extract(path: Path) -> int:
    if not path.is_file():
        print(f"juesuan: no such file: {path}", file=sys.stderr)
        return 2
    size = path.stat().st_size
    data = path.read_bytes() if size <= MAX_FILE_BYTES else None
    digest = hashlib.sha256(data or b"").hexdigest()
    row, extraction = ingest_file(data, path.name, digest, size)
    output = {"ingest_log": _plain(row)}
    if extraction is not None:
        output.update(
            identity=_plain(extraction.identity),
            figures=[_plain(f) for f in extraction.figures],
            function_lines=[_plain(f) for f in extraction.function_lines],
            economic_lines=[_plain(f) for f in extraction.economic_lines],
            performance_projects=[_plain(f) for f in extraction.projects],
            performance_indicators=[_plain(f) for f in extraction.indicators],
            warnings=[_plain(w) for w in extraction.warnings],
        )
    json.dump(output, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def _plain(record) -> dict:
    return {key: (None if value is None else cell(value)) for key, value in asdict(record).items()}


if __name__ == "__main__":
    sys.exit(main())
