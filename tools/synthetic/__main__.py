"""Write a synthetic corpus (for scale benchmarks only: every document is labelled 合成数据 SYNTHETIC).

    python -m tools.synthetic --departments 1000 --years 2021-2023 --seed 7 --format text --out DIR

writes DIR/合成-<region>-<department>-<year>-部门决算.txt (or .pdf) and the ground truth (one row
per 项: department, year, total expenditure, code, amounts) to ``--truth`` (default: DIR.truth.csv
beside the folder, never inside it: the ingest reads every file of the folder).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tools.synthetic.writer import EXTENSIONS, write_corpus


def parse_years(text: str) -> list[int]:
    """ "2021-2023" → [2021, 2022, 2023]; "2019,2021" → [2019, 2021]."""
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            first, last = (int(p) for p in part.split("-", 1))
            years.extend(range(first, last + 1))
        elif part:
            years.append(int(part))
    if not years or any(not 2000 <= y <= 2099 for y in years):
        raise argparse.ArgumentTypeError(f"years must be like 2021-2023 or 2019,2021 (2000–2099), got {text!r}")
    return sorted(set(years))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, required=True, help="number of departments (N)")
    parser.add_argument("--years", type=parse_years, required=True, help="e.g. 2021-2023 or 2019,2021")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=sorted(EXTENSIONS), default="text")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the documents into")
    parser.add_argument("--truth", type=Path, help="ground-truth CSV (default: <out>.truth.csv beside the folder)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    if args.departments < 1:
        parser.error("--departments must be at least 1")
    truth = args.truth or args.out.parent / f"{args.out.name}.truth.csv"
    try:
        stats = write_corpus(
            args.out, args.departments, args.years, seed=args.seed, fmt=args.format, truth=truth, jobs=args.jobs
        )
    except (ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    pages = f", {stats.pages} pages ({stats.pages_per_second:.0f} pages/s)" if stats.pages else ""
    print(
        f"synthetic corpus: {stats.files} {args.format} documents, {stats.bytes / 2**20:.1f} MiB in "
        f"{stats.seconds:.1f} s ({stats.documents_per_second:.0f} documents/s{pages}) → {args.out}; truth → {truth}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
