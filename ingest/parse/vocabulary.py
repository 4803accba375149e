"""The words the extractors read by, as data: one vocabulary that Python and dbt both read.

Real disclosures title, head and label their tables a little differently in every province
(收支总表, 收支预算总表, 收支总体情况表, 收入支出决算总表 …). Reading a new place's wording is a
row in a seed, not a branch in code. The seeds (``seeds/``, loaded by dbt as ordinary seeds):

- ``ref_table_kind.csv``: each kind of table, the statement basis of its function lines, the
  metric its 合计 gives, the standard part it stands for per phase, and how it is read;
- ``ref_table_title.csv``: title patterns → kind, tried in priority order (first match wins);
- ``ref_column_role.csv``: header patterns → column role (row_number, code, name, amount,
  basic, project, personnel, public), tried in priority order;
- ``ref_label.csv``: printed labels → what they name, by context: ``summary`` (a summary
  table's row labels → metric), ``fiscal_grant`` (a metric of the 财政拨款 summary → its own
  metric), ``sangong_part`` (a 三公 header's words → part), ``heading`` (a narrative heading →
  section), ``narrative:<section>`` (a clause's subject → metric and qualifier).

Every row says where the wording was first seen. Patterns are regular expressions matched
against the text with spaces and quotes removed (see ``compact``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ingest.settings import settings

# the reference seeds parsing reads (these and the vocabulary above); editing one re-parses every
# file (ingest/run/cache.py). Seeds that only dbt reads (department types, analysis codes …) are not here.
PARSING_SEEDS = (
    "ref_function_code.csv",
    "ref_function_alias.csv",
    "ref_economic_code.csv",
    "ref_table_kind.csv",
    "ref_table_title.csv",
    "ref_column_role.csv",
    "ref_label.csv",
    "ref_amount_rule.csv",
)


# A note saying a table is empty: 本表无数据, 故本表为空表, 此表为空, 本部门无相关收支项目. The PDF readers
# read a grid's note by these words; the text-dump reader also by 无发生 (本表本年无发生额); the tables
# extractor, which reads a stated zero from an empty table, also by 无此项 and 无该项. Written here
# together; making the three one list changes what 35 figures of the 深圳 and 珠海 2026 budgets read
# (tools/compare_warehouses.py), a decision of its own.
EMPTY_NOTE = r"无数据|为空|空表|无相关(?:收支|数据|项目)"
EMPTY_NOTE_RE = re.compile(EMPTY_NOTE)
TEXT_DUMP_EMPTY_NOTE_RE = re.compile(EMPTY_NOTE + r"|无发生")
STATED_ZERO_NOTE_RE = re.compile(EMPTY_NOTE + r"|本年无发生额|无此项|无该项")


def read_reference_seed(file_name: str) -> list[dict[str, str]]:
    """The rows of one reference seed (``seeds/<file_name>``, one of ``PARSING_SEEDS``), as text."""
    if file_name not in PARSING_SEEDS:
        raise ValueError(f"{file_name} is not declared in PARSING_SEEDS: the ingest cache would not see it change")
    with open(settings().reference_seeds / file_name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def compact(text: str) -> str:
    """Title, header or label words without spaces and quotes: “三公”经费 → 三公经费."""
    return re.sub(r"[\s“”\"'‘’]", "", text)


@dataclass(frozen=True)
class TableKind:
    kind: str
    basis: str  # basis of its function lines ("" when it gives none)
    total_metric: str  # metric its 合计 row gives ("" when none)
    parts: dict  # phase -> standard part id (ref_standard_part.section), "" when none
    read_as: str  # function | summary | economic | sangong | operating_cost | totals | none
    name_zh: str


@lru_cache(maxsize=1)
def table_kinds() -> dict[str, TableKind]:
    return {
        row["kind"]: TableKind(
            row["kind"],
            row["basis"],
            row["total_metric"],
            {"final": row["part_final"], "budget": row["part_budget"]},
            row["read_as"],
            row["name_zh"],
        )
        for row in read_reference_seed("ref_table_kind.csv")
    }


@lru_cache(maxsize=1)
def _title_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = sorted(read_reference_seed("ref_table_title.csv"), key=lambda row: int(row["priority"]))
    kinds = table_kinds()
    for row in rows:
        if row["kind"] not in kinds:
            raise ValueError(f"ref_table_title.csv: kind {row['kind']!r} is not in ref_table_kind.csv")
    return tuple((re.compile(row["pattern"]), row["kind"]) for row in rows)


def kind_of_title(title: str) -> str | None:
    """The kind of table a title names (first matching pattern), None when it names none."""
    text = compact(title)
    return next((kind for pattern, kind in _title_patterns() if pattern.search(text)), None)


@lru_cache(maxsize=1)
def _column_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = sorted(read_reference_seed("ref_column_role.csv"), key=lambda row: int(row["priority"]))
    return tuple((re.compile(row["pattern"]), row["role"]) for row in rows)


def column_role(header_leaf: str) -> str | None:
    """The role a column's own header names (row_number, code, name, basic, project, personnel,
    public, amount), None when it names none of them."""
    text = compact(header_leaf)
    return next((role for pattern, role in _column_patterns() if pattern.search(text)), None)


@dataclass(frozen=True)
class Label:
    pattern: re.Pattern[str]
    target: str  # a metric, or a section id for headings
    qualifier: str


@cache
def labels(context: str) -> tuple[Label, ...]:
    """The label rows of one context, in priority order."""
    rows = [row for row in read_reference_seed("ref_label.csv") if row["context"] == context]
    rows.sort(key=lambda row: int(row["priority"]))
    return tuple(Label(re.compile(row["pattern"]), row["target"], row["qualifier"]) for row in rows)


@lru_cache(maxsize=1)
def label_contexts() -> tuple[str, ...]:
    return tuple(dict.fromkeys(row["context"] for row in read_reference_seed("ref_label.csv")))


def label_target(context: str, text: str) -> str | None:
    """The target of the first label of ``context`` whose pattern finds ``text`` (compacted)."""
    key = compact(text)
    return next((label.target for label in labels(context) if label.pattern.search(key)), None)


def mapped(context: str, key: str) -> str | None:
    """A one-to-one mapping row of ``context`` (pattern is the exact key): fiscal_grant metrics."""
    return next((label.target for label in labels(context) if label.pattern.pattern == key), None)
