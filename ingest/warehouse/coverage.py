"""``juesuan coverage``: per disclosure, which standard parts were found and which identities hold.

Reads ``marts.mart_disclosure_coverage`` (and the verdict of ``marts.fct_disclosure``) of a built
warehouse, read-only, and prints one compact block per disclosure:

    上海市审计局 2026 budget/unit — check first  [310000-审计局|2026|budget|unit]
      parts 13/15: missing project_expenditure 项目支出预算表 (table), performance 预算绩效目标设置情况 (narrative)
      identities: 5 hold, 1 fail, 1 not checkable
        fails         summary_totals 收支总表 总计 = 总计: … (national/上海/….pdf p.12 r.7)
        not checkable gpb_vs_fiscal_grant_summary …: no 一般公共预算 line of the 财政拨款收支总表 read

``--department`` keeps the disclosures whose department id or name contains the text.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.settings import settings

STATUS_WIDTH = len("not checkable")  # the identity lines align on their status

COVERAGE_SQL = """
select c.disclosure_id, c.department_name, c.fiscal_year, c.phase, c.scope, d.verdict,
       c.item_type, c.item, c.kind, c.name_zh, c.status, c.detail, c.source_file, c.source_locator
from marts.mart_disclosure_coverage as c
left join marts.fct_disclosure as d using (disclosure_id)
where ? is null
   or strpos(lower(c.department_id), lower(?)) > 0
   or strpos(lower(coalesce(c.department_name, '')), lower(?)) > 0
order by c.department_id, c.fiscal_year, c.phase, c.scope, c.item_type desc, c.item_order
"""


@dataclass
class Item:
    """One part or identity of a disclosure, as the mart states it."""

    item: str
    kind: str | None
    name_zh: str
    status: str
    detail: str | None
    source_file: str | None
    source_locator: str | None


@dataclass
class Disclosure:
    """The coverage of one disclosure."""

    disclosure_id: str
    title: str
    verdict: str | None
    parts: list[Item] = field(default_factory=list)
    identities: list[Item] = field(default_factory=list)


def read_coverage(warehouse: Path, department: str | None = None) -> list[Disclosure]:
    """The coverage of every disclosure (or those of ``department``), in the mart's order."""
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = connection.execute(COVERAGE_SQL, [department, department, department]).fetchall()
    finally:
        connection.close()
    disclosures: dict[str, Disclosure] = {}
    for (
        disclosure_id,
        name,
        year,
        phase,
        scope,
        verdict,
        item_type,
        item,
        kind,
        name_zh,
        status,
        detail,
        source_file,
        source_locator,
    ) in rows:
        disclosure = disclosures.get(disclosure_id)
        if disclosure is None:
            title = f"{name or disclosure_id} {year or '?'} {phase}/{scope}"
            disclosure = disclosures[disclosure_id] = Disclosure(disclosure_id, title, verdict)
        entry = Item(item, kind, name_zh, status, detail, source_file, source_locator)
        (disclosure.parts if item_type == "part" else disclosure.identities).append(entry)
    return list(disclosures.values())


def format_disclosure(disclosure: Disclosure) -> list[str]:
    """The compact report of one disclosure: what is missing and what does not hold, with where."""
    lines = [f"{disclosure.title} — {disclosure.verdict or 'no verdict'}  [{disclosure.disclosure_id}]"]
    found = [p for p in disclosure.parts if p.status == "found"]
    missing = [p for p in disclosure.parts if p.status != "found"]
    parts = f"  parts {len(found)}/{len(disclosure.parts)}"
    if missing:
        parts += ": missing " + ", ".join(f"{p.item} {p.name_zh} ({p.kind})" for p in missing)
    lines.append(parts)
    counts = {
        status: sum(1 for i in disclosure.identities if i.status == status)
        for status in ("holds", "fails", "not_checkable")
    }
    lines.append(
        f"  identities: {counts['holds']} hold, {counts['fails']} fail, {counts['not_checkable']} not checkable"
    )
    for identity in disclosure.identities:
        if identity.status == "holds":
            continue
        where = f" ({identity.source_file} {identity.source_locator})" if identity.source_locator else ""
        status = identity.status.replace("_", " ").ljust(STATUS_WIDTH)
        lines.append(f"    {status} {identity.item} {identity.name_zh}: {identity.detail}{where}")
    return lines


def summary_line(disclosures: list[Disclosure]) -> str:
    parts = [p for d in disclosures for p in d.parts]
    identities = [i for d in disclosures for i in d.identities]
    count = lambda items, status: sum(1 for i in items if i.status == status)  # noqa: E731
    return (
        f"{len(disclosures)} disclosures: parts {count(parts, 'found')}/{len(parts)} found; identities "
        f"{count(identities, 'holds')} hold, {count(identities, 'fails')} fail, "
        f"{count(identities, 'not_checkable')} not checkable"
    )


def run_coverage(warehouse: Path, department: str | None = None, out=None) -> int:
    out = out or sys.stdout
    if not warehouse.is_file():
        print(f"juesuan: no warehouse at {warehouse} (run `make build` first)", file=sys.stderr)
        return 2
    disclosures = read_coverage(warehouse, department)
    if not disclosures:
        print(f"juesuan: no disclosure of a department matching {department!r}", file=sys.stderr)
        return 1
    for disclosure in disclosures:
        print("\n".join(format_disclosure(disclosure)), file=out)
    print(summary_line(disclosures), file=out)
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse", type=Path, default=settings().warehouse, help="the warehouse to read (default: warehouse.duckdb)"
    )
    parser.add_argument("--department", help="only departments whose id or name contains this text")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.warehouse.coverage", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run_coverage(args.warehouse, args.department)


if __name__ == "__main__":
    sys.exit(main())
