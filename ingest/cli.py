"""The ``juesuan`` command: build, ingest, extract, query and check from any directory.

``juesuan build`` (folder → warehouse, the options of ``python -m ingest.warehouse.build``),
``juesuan export`` and ``juesuan docs`` (the same as ``make export`` / ``make docs``),
``juesuan ingest`` (folder → seeds), ``juesuan extract FILE`` (one document → JSON),
``juesuan sql`` (read-only SQL on the warehouse) and ``juesuan coverage`` (per disclosure:
standard parts found, identities that hold).

``--project DIR`` (or ``$JUESUAN_HOME``) names the checkout that holds ``dbt_project/`` and
``seeds/``; without it the checkout the package was installed from is used (``ingest.settings``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from ingest.settings import HOME_VARIABLE, settings, use_home

# commands that are another module's command line, given the rest of the arguments as they are
DELEGATED = {
    "build": ("ingest.warehouse.build", "folder of disclosures → warehouse (dbt build, swapped in atomically)"),
    "export": ("ingest.warehouse.exports", "Parquet per mart, Fiscal Data Package and Excel-safe CSV of a warehouse"),
    "docs": ("ingest.warehouse.docs", "the dbt docs site as one static HTML file"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", type=Path)
    known, rest = project.parse_known_args(argv)
    if known.project is not None:
        use_home(known.project)
    if rest and rest[0] in DELEGATED:
        return _delegate(rest[0], rest[1:])
    return _own_command(_parser().parse_args(rest))


def _delegate(command: str, arguments: list[str]) -> int:
    import importlib

    problem = settings().problem()
    if problem:
        print(f"juesuan: {problem}", file=sys.stderr)
        return 2
    return importlib.import_module(DELEGATED[command][0]).main(arguments)


def _parser() -> argparse.ArgumentParser:
    from ingest.run.parallel import default_jobs
    from ingest.warehouse.coverage import add_arguments as add_coverage_arguments

    home = settings()
    parser = argparse.ArgumentParser(prog="juesuan", description="部门决算/预算 disclosures → DuckDB warehouse")
    parser.add_argument(
        "--project",
        type=Path,
        help=f"the juesuan checkout (dbt_project/, seeds/); default: ${HOME_VARIABLE}, "
        f"else the checkout the package was installed from ({home.home})",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (_module, text) in DELEGATED.items():
        commands.add_parser(name, help=f"{text} (juesuan {name} --help: its options)", add_help=False)
    ingest = commands.add_parser("ingest", help="read every file of a folder and write the seed CSVs")
    ingest.add_argument(
        "--disclosures", type=Path, default=home.samples, help="folder of disclosures (default: samples/)"
    )
    ingest.add_argument(
        "--warehouse", type=Path, default=home.warehouse, help="whose seeds to write (default: warehouse.duckdb)"
    )
    ingest.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="where to write the seed CSVs (default: the warehouse's, see ingest/warehouse/outputs.py)",
    )
    ingest.add_argument("--allow-empty", action="store_true", help="accept a folder with no files")
    ingest.add_argument(
        "--jobs", type=int, default=default_jobs(), help="processes parsing files (default: every core)"
    )
    ingest.add_argument(
        "--no-cache", action="store_true", help="parse every file again (default: reuse .juesuan-cache/)"
    )
    extract = commands.add_parser("extract", help="print what was found in one document, with provenance, as JSON")
    extract.add_argument("file", type=Path)
    sql = commands.add_parser("sql", help="run SQL on the warehouse (read-only) and print the result as a table")
    sql.add_argument("query", nargs="?", help="the SQL (default: read from standard input)")
    sql.add_argument("--warehouse", type=Path, default=home.warehouse)
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    coverage = commands.add_parser(
        "coverage", help="per disclosure: standard parts found, identities that hold or fail"
    )
    add_coverage_arguments(coverage)
    return parser


def _own_command(args: argparse.Namespace) -> int:
    if args.command == "coverage":
        from ingest.warehouse.coverage import run_coverage

        return run_coverage(args.warehouse, args.department)
    if args.command == "ingest":
        from ingest.run.cache import default_cache_dir
        from ingest.warehouse.outputs import seeds_dir

        seeds = args.seeds or seeds_dir(args.warehouse)
        return run_ingest(
            args.disclosures, seeds, max(1, args.jobs), None if args.no_cache else default_cache_dir(), args.allow_empty
        )
    if args.command == "sql":
        return run_sql(args.warehouse, args.query if args.query is not None else sys.stdin.read(), args.csv)
    return run_extract(args.file)


def run_ingest(
    folder: Path, seeds: Path, jobs: int = 1, cache_dir: Path | None = None, allow_empty: bool = False
) -> int:
    from ingest.run.pipeline import ingest_folder
    from ingest.warehouse.build import disclosures_problem

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
    from ingest.parse.outcome import MAX_FILE_BYTES, ingest_file

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
    from ingest.parse.seed_rows import cell

    return {key: (None if value is None else cell(value)) for key, value in asdict(record).items()}


if __name__ == "__main__":
    sys.exit(main())
