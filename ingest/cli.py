"""Command line: ``juesuan ingest`` (folder → seeds) and ``juesuan extract FILE`` (one document → JSON)."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from ingest.cache import DEFAULT_CACHE_DIR
from ingest.parallel import default_jobs
from ingest.pipeline import MAX_FILE_BYTES, ingest_file, ingest_folder
from ingest.writers.seeds import cell

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="juesuan", description="部门决算/预算 disclosures → DuckDB warehouse seeds")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="read every file of a folder and write the seed CSVs")
    ingest.add_argument("--disclosures", type=Path, default=ROOT / "samples", help="folder of disclosures (default: samples/)")
    ingest.add_argument("--seeds", type=Path, default=ROOT / "seeds" / "extracted", help="where to write the seed CSVs (default: seeds/extracted/)")
    ingest.add_argument("--jobs", type=int, default=default_jobs(), help="processes parsing files (default: every core)")
    ingest.add_argument("--no-cache", action="store_true", help="parse every file again (default: reuse .juesuan-cache/)")
    extract = commands.add_parser("extract", help="print what was found in one document, with provenance, as JSON")
    extract.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "ingest":
        return run_ingest(args.disclosures, args.seeds, max(1, args.jobs), None if args.no_cache else DEFAULT_CACHE_DIR)
    return run_extract(args.file)


def run_ingest(folder: Path, seeds: Path, jobs: int = 1, cache_dir: Path | None = None) -> int:
    if not folder.is_dir():
        print(f"juesuan: no such folder: {folder}", file=sys.stderr)
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
