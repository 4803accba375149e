"""List the 政府收支分类 codes the shipped PDFs print beside a name that the reference seeds lack.

Not part of the shipped ``ingest`` package: a maintainer's tool for extending
``seeds/ref_function_code.csv`` and ``seeds/ref_economic_code.csv`` (``seeds/ref_sources.md``).
It runs the scan of ``tests/ingest/test_reference_coverage.py`` (same pattern, same notion of
"the same name") and prints, per code the reference lacks or knows under another name:

* the names it is printed with, each with the files, pages and fiscal years that print it (the
  fiscal year as ``ingest``'s identity extractor reads it, never from the file name); names cut
  by a narrow cell ("大中型水库移民后期扶持基") count as the longer name they begin;
* ``CONFLICT`` when one code is printed with two different names: reported for a person to
  decide, never chosen;
* the parent it would have (its 款, else its 类) and whether the reference has it.

``--csv`` prints candidate rows for the function and economic seeds (code, level, name,
parent_code, valid_from = the earliest fiscal year printing it, valid_to, source = seen in the
first file printing it) for codes without conflict, to be reviewed by hand before pasting.

    .venv/bin/python tools/scan_printed_codes.py [--csv] [--samples samples]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.parse.classification import name_key  # noqa: E402
from tests.ingest.test_reference_coverage import (  # noqa: E402
    is_local_economic_item,
    official_names,
    printed_pairs,
    same_name,
)

LEVEL_BY_LENGTH = {3: "类", 5: "款", 7: "项"}


@dataclass
class Sighting:
    """Where one name of a code is printed."""

    printed: set[str] = field(default_factory=set)
    pages: set[tuple[str, int]] = field(default_factory=set)
    years: set[int] = field(default_factory=set)

    def add(self, other: Sighting) -> None:
        self.printed |= other.printed
        self.pages |= other.pages
        self.years |= other.years


def scan(samples: Path) -> dict[str, dict[str, Sighting]]:
    """code → name key → where it is printed."""
    found: dict[str, dict[str, Sighting]] = defaultdict(lambda: defaultdict(Sighting))
    for file_name, page, code, name, year in printed_pairs(samples):
        sighting = found[code][name_key(name)]
        sighting.printed.add(name)
        sighting.pages.add((file_name, page))
        if year:
            sighting.years.add(year)
    return found


def names_of(keys: dict[str, Sighting]) -> dict[str, Sighting]:
    """The distinct names among the keys: a key that begins another (a name cut short) joins the longest."""
    merged: dict[str, Sighting] = {}
    for key in sorted(keys, key=len, reverse=True):
        longer = next((k for k in merged if k.startswith(key)), None)
        if longer is None:
            merged[key] = Sighting()
            longer = key
        merged[longer].add(keys[key])
    return merged


def parent_of(code: str) -> str | None:
    return code[:5] if len(code) == 7 else code[:3] if len(code) == 5 else None


def report(found: dict[str, dict[str, Sighting]], as_csv: bool) -> None:
    names = official_names()
    if as_csv:
        print("code,level,name,parent_code,valid_from,valid_to,source")
    for code in sorted(found):
        if is_local_economic_item(code, names):
            continue
        keys = {
            key: s
            for key, s in found[code].items()
            if code not in names or not any(same_name(key, o) for o in names[code])
        }
        if not keys:
            continue
        distinct = names_of(keys)
        parent = parent_of(code)
        missing = code not in names
        parent_state = (
            "" if parent is None else "known" if parent in names else ("proposed" if parent in found else "UNKNOWN")
        )
        if as_csv:
            if missing and len(distinct) == 1 and parent_state != "UNKNOWN":
                ((_key, sighting),) = distinct.items()
                name = max(sighting.printed, key=len)
                print(
                    f"{code},{LEVEL_BY_LENGTH[len(code)]},{name},{parent or ''},"
                    f"{min(sighting.years) if sighting.years else ''},,seen in {min(sighting.pages)[0]}"
                )
            continue
        kind = "MISSING" if missing else "RENAMED"
        conflict = " CONFLICT" if len(distinct) > 1 else ""
        official = "" if missing else f" official: {' / '.join(sorted(names[code]))}"
        print(f"{kind}{conflict} {code} (parent {parent} {parent_state}){official}")
        for _key, sighting in sorted(distinct.items()):
            pages = ", ".join(f"{f} p.{p}" for f, p in sorted(sighting.pages)[:3])
            more = f" (+{len(sighting.pages) - 3})" if len(sighting.pages) > 3 else ""
            print(f"    {max(sighting.printed, key=len)!r} years {sorted(sighting.years)}: {pages}{more}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--csv", action="store_true", help="candidate seed rows for codes without conflict")
    args = parser.parse_args(argv)
    report(scan(args.samples), args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
