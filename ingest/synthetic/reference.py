"""The 支出功能分类科目 the synthetic corpus may use, read from ``seeds/ref_function_code.csv``
(and the economic classification of ``seeds/ref_economic_code.csv``).

A 项 is usable in a year when it, its 款 and its 类 are valid that year, when all three names
are plain Chinese (no brackets, digits or quotes: the narrative's "（类）…（款）…（项）" item
grammar reads names of Chinese characters only) and when each name is the only one of that
name among its siblings (so the printed name path resolves to exactly one code).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FUNCTION_CODES = SEEDS / "ref_function_code.csv"
ECONOMIC_CODES = SEEDS / "ref_economic_code.csv"

PLAIN_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,30}$")
PLAIN_KUAN_RE = re.compile(r"^[\u4e00-\u9fff、]{2,40}$")


@dataclass(frozen=True)
class FunctionCode:
    code: str
    level: str  # 类 | 款 | 项
    name: str
    parent_code: str | None
    valid_from: int | None
    valid_to: int | None

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or year >= self.valid_from) and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class Pool:
    """Usable codes of one year: 类 → its 款 → their 项 (all sorted by code)."""

    year: int
    classes: tuple[FunctionCode, ...]  # every 类 valid in the year (for the summary tables)
    tree: dict[str, dict[str, tuple[FunctionCode, ...]]]  # 类 code → 款 code → 项 codes

    def code(self, code: str) -> FunctionCode:
        return function_codes()[code]


@lru_cache(maxsize=1)
def function_codes() -> dict[str, FunctionCode]:
    with open(FUNCTION_CODES, encoding="utf-8", newline="") as handle:
        return {
            row["code"]: FunctionCode(
                code=row["code"],
                level=row["level"],
                name=row["name"],
                parent_code=row["parent_code"] or None,
                valid_from=int(row["valid_from"]) if row["valid_from"].strip() else None,
                valid_to=int(row["valid_to"]) if row["valid_to"].strip() else None,
            )
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def economic_codes() -> tuple[FunctionCode, ...]:
    """部门预算支出经济分类科目 rows (a code may have several, each valid in its own years)."""
    with open(ECONOMIC_CODES, encoding="utf-8", newline="") as handle:
        return tuple(
            FunctionCode(
                code=row["code"],
                level=row["level"],
                name=row["name"],
                parent_code=row["parent_code"] or None,
                valid_from=int(row["valid_from"]) if (row.get("valid_from") or "").strip() else None,
                valid_to=int(row["valid_to"]) if (row.get("valid_to") or "").strip() else None,
            )
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=64)
def economic_names(year: int) -> dict[str, str]:
    """Economic code → its name in ``year``, for the codes valid that year."""
    return {row.code: row.name for row in economic_codes() if row.valid_in(year)}


def name_key(name: str) -> str:
    """How the ingest compares names: 其它 = 其他, a trailing 支出 ignored."""
    key = name.replace("其它", "其他")
    return key[:-2] if key.endswith("支出") and len(key) > 3 else key


@lru_cache(maxsize=1)
def _unique_names() -> frozenset[str]:
    """Codes whose name is the only one of its key among the codes of the same parent and level."""
    groups: dict[tuple[str | None, str, str], list[str]] = {}
    for row in function_codes().values():
        groups.setdefault((row.parent_code, row.level, name_key(row.name)), []).append(row.code)
    return frozenset(codes[0] for codes in groups.values() if len(codes) == 1)


@lru_cache(maxsize=64)
def pool(year: int) -> Pool:
    codes = function_codes()
    unique = _unique_names()
    tree: dict[str, dict[str, list[FunctionCode]]] = {}
    for item in sorted(codes.values(), key=lambda r: r.code):
        if item.level != "项" or not item.parent_code:
            continue
        kuan = codes.get(item.parent_code)
        lei = codes.get(kuan.parent_code) if kuan and kuan.parent_code else None
        if kuan is None or lei is None:
            continue
        path = (lei, kuan, item)
        if not all(row.valid_in(year) and row.code in unique for row in path):
            continue
        if not (PLAIN_NAME_RE.match(lei.name) and PLAIN_KUAN_RE.match(kuan.name) and PLAIN_NAME_RE.match(item.name)):
            continue
        tree.setdefault(lei.code, {}).setdefault(kuan.code, []).append(item)
    classes = tuple(r for r in sorted(codes.values(), key=lambda r: r.code) if r.level == "类" and r.valid_in(year))
    return Pool(year, classes, {lei: {kuan: tuple(items) for kuan, items in kuans.items()} for lei, kuans in tree.items()})
