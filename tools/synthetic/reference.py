"""The 支出功能分类科目 the synthetic corpus may use: the ingest's own reference
(``ingest.parse.classification``: ``seeds/ref_function_code.csv`` and ``seeds/ref_economic_code.csv``).

A 项 is usable in a year when it, its 款 and its 类 are valid that year, when all three names
are plain Chinese (no brackets, digits or quotes: the narrative's "（类）…（款）…（项）" item
grammar reads names of Chinese characters only) and when each name is the only one of that
name among its siblings (so the printed name path resolves to exactly one code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.parse.classification import RefRow, economic_reference, function_reference, name_key, valid_in

PLAIN_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,30}$")
PLAIN_KUAN_RE = re.compile(r"^[\u4e00-\u9fff、]{2,40}$")


@dataclass(frozen=True)
class Pool:
    """Usable codes of one year: 类 → its 款 → their 项 (all sorted by code)."""

    year: int
    classes: tuple[RefRow, ...]  # every 类 valid in the year (for the summary tables)
    tree: dict[str, dict[str, tuple[RefRow, ...]]]  # 类 code → 款 code → 项 codes

    def code(self, code: str) -> RefRow:
        return function_reference()[code]


@lru_cache(maxsize=64)
def economic_names(year: int) -> dict[str, str]:
    """Economic code → its name in ``year``, for the codes valid that year."""
    return {code: row.name for code, row in economic_reference(year).items()}


@lru_cache(maxsize=1)
def _unique_names() -> frozenset[str]:
    """Codes whose name is the only one of its key (as the ingest compares names) among the codes
    of the same parent and level."""
    groups: dict[tuple[str | None, str, str], list[str]] = {}
    for row in function_reference().values():
        groups.setdefault((row.parent_code, row.level, name_key(row.name)), []).append(row.code)
    return frozenset(codes[0] for codes in groups.values() if len(codes) == 1)


@lru_cache(maxsize=64)
def pool(year: int) -> Pool:
    codes = function_reference()
    unique = _unique_names()
    tree: dict[str, dict[str, list[RefRow]]] = {}
    for item in sorted(codes.values(), key=lambda r: r.code):
        if item.level != "项" or not item.parent_code:
            continue
        kuan = codes.get(item.parent_code)
        lei = codes.get(kuan.parent_code) if kuan and kuan.parent_code else None
        if kuan is None or lei is None:
            continue
        path = (lei, kuan, item)
        if not all(valid_in(row, year) and row.code in unique for row in path):
            continue
        if not (PLAIN_NAME_RE.match(lei.name) and PLAIN_KUAN_RE.match(kuan.name) and PLAIN_NAME_RE.match(item.name)):
            continue
        tree.setdefault(lei.code, {}).setdefault(kuan.code, []).append(item)
    classes = tuple(r for r in sorted(codes.values(), key=lambda r: r.code) if r.level == "类" and valid_in(r, year))
    return Pool(
        year, classes, {lei: {kuan: tuple(items) for kuan, items in kuans.items()} for lei, kuans in tree.items()}
    )
