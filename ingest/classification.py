"""Labels → codes of the 政府收支分类科目 (functional 类/款/项) and of the economic classification.

Resolution order, each step only when the one before found nothing:

1. ``printed_code``: the code the document prints ("208 05 05" or "2080505"), when the
   reference knows it. The official name comes with it, so a name missing from the text
   layer or garbled still resolves.
2. ``name_path``: the names of a path (社会保障和就业支出（类）抚恤（款）死亡抚恤（项）), each
   resolved among the children of the one before; a bare name among the children of
   ``parent_code`` when the caller knows it (a table row under 款 20105), else among all codes.
3. ``alias``: historic and variant names (医疗卫生与计划生育支出 → 210), within their years.
4. ``fuzzy``: rapidfuzz similarity within the same scope, accepted at ≥ FUZZY_THRESHOLD and
   FUZZY_MARGIN points clear of the next candidate.

A name shared by several codes with no parent to decide (一般行政管理事务) is ``ambiguous``
with its candidates; nothing found is ``unresolved``. Neither is ever forced to a code.
Names are compared after normalisation: full-width forms folded, spaces, quotes and list
numbering dropped, the (类)/(款)/(项) markers removed, and a trailing 支出 ignored (documents
write 社会保障和就业（类） for 社会保障和就业支出).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FUZZY_THRESHOLD = 90.0
FUZZY_MARGIN = 5.0
LEVEL_BY_LENGTH = {3: "类", 5: "款", 7: "项"}
LENGTH_BY_LEVEL = {"类": 3, "款": 5, "项": 7}
MARKER_RE = re.compile(r"[（(]\s*([类款项])\s*[)）]")


@dataclass(frozen=True)
class CodeMatch:
    code: str | None
    level: str | None
    name: str | None
    method: str  # printed_code | name_path | alias | fuzzy | unresolved | ambiguous
    score: float | None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    names: dict[str, str]  # code -> official name
    children: dict[str | None, tuple[str, ...]]  # parent code (None for the top) -> codes
    keys: dict[str, tuple[str, ...]]  # normalised name -> codes
    aliases: tuple[tuple[str, str, int | None, int | None], ...]  # (normalised alias, code, from, to)


# ---------------------------------------------------------------------------------------
# normalisation


def normalise_code(printed: str | None) -> str | None:
    """ "208 05 05" / "2080505" / "208-05-05" / " 20805 " → "2080505" / "20805"; else None."""
    if not printed:
        return None
    text = unicodedata.normalize("NFKC", printed).strip()
    if not re.fullmatch(r"\d{3}(?:[\s\-.]*\d{2}){0,2}", text):
        return None
    return re.sub(r"\D", "", text)


def name_key(name: str) -> str:
    """The form two names are compared in."""
    text = unicodedata.normalize("NFKC", name)
    text = MARKER_RE.sub("", text)
    text = re.sub(r"[\s“”\"'‘’]", "", text)
    text = re.sub(r"^(?:\d+[.、．]?|[、.．:：])+", "", text)
    text = text.strip(":：。，,")
    return text[:-2] if text.endswith("支出") and len(text) > 3 else text


def split_label_path(raw_label: str) -> list[tuple[str, str | None]]:
    """ "社会保障和就业支出（类）抚恤（款）  死亡抚恤（项）" → [(…,"类"), ("抚恤","款"), ("死亡抚恤","项")]."""
    text = unicodedata.normalize("NFKC", raw_label).strip()
    text = re.sub(r"^(?:\d+[.、．]?|[、.．])+", "", text).strip()
    parts: list[tuple[str, str | None]] = []
    last = 0
    for m in MARKER_RE.finditer(text):
        name = text[last : m.start()].strip(" 、:：")
        if name:
            parts.append((name, m.group(1)))
        last = m.end()
    tail = text[last:].strip(" 、:：。")
    if tail:
        parts.append((tail, None))
    return parts


# ---------------------------------------------------------------------------------------
# reference data


def _read(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _year(text: str) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


@lru_cache(maxsize=None)
def function_reference() -> Reference:
    return _reference(_read("ref_function_code.csv"), _read("ref_function_alias.csv"))


@lru_cache(maxsize=None)
def economic_reference() -> Reference:
    return _reference(_read("ref_economic_code.csv"), [])


def _reference(rows: list[dict[str, str]], alias_rows: list[dict[str, str]]) -> Reference:
    names = {row["code"]: row["name"] for row in rows}
    children: dict[str | None, list[str]] = defaultdict(list)
    keys: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        children[row["parent_code"] or None].append(row["code"])
        keys[name_key(row["name"])].append(row["code"])
    aliases = tuple(
        (name_key(a["alias"]), a["code"], _year(a["valid_from"]), _year(a["valid_to"])) for a in alias_rows
    )
    return Reference(
        names=names,
        children={k: tuple(sorted(v)) for k, v in children.items()},
        keys={k: tuple(sorted(v)) for k, v in keys.items()},
        aliases=aliases,
    )


# ---------------------------------------------------------------------------------------
# resolution


def resolve_function(
    raw_label: str, printed_code: str | None = None, year: int | None = None, parent_code: str | None = None
) -> CodeMatch:
    return _resolve(function_reference(), raw_label, printed_code, year, parent_code)


def resolve_economic(raw_label: str, printed_code: str | None = None) -> CodeMatch:
    return _resolve(economic_reference(), raw_label, printed_code, None, None)


def _resolve(ref: Reference, raw_label: str, printed_code: str | None, year: int | None, parent_code: str | None) -> CodeMatch:
    code = normalise_code(printed_code)
    if code and code in ref.names:
        return _match(ref, code, "printed_code", 100.0)
    path = split_label_path(raw_label or "")
    if not path:
        return CodeMatch(None, None, None, "unresolved", None, (code,) if code else ())
    if len(path) > 1:
        return _resolve_path(ref, path, year)
    name, hint = path[0]
    return _resolve_name(ref, name, hint, year, parent_code)


def _resolve_path(ref: Reference, path: list[tuple[str, str | None]], year: int | None) -> CodeMatch:
    parent: str | None = None
    result = CodeMatch(None, None, None, "unresolved", None)
    method, score = "name_path", 100.0
    for name, hint in path:
        step = _resolve_name(ref, name, hint, year, parent, top_level=parent is None)
        if step.code is None:
            return step
        if step.method in ("alias", "fuzzy"):
            method = step.method
            score = min(score, step.score or 0.0)
        parent, result = step.code, step
    return CodeMatch(result.code, result.level, result.name, method, score)


def _resolve_name(
    ref: Reference, name: str, hint: str | None, year: int | None, parent: str | None, top_level: bool = False
) -> CodeMatch:
    key = name_key(name)
    if not key:
        return CodeMatch(None, None, None, "unresolved", None)
    scope = _scope(ref, parent, hint, top_level)
    exact = [c for c in ref.keys.get(key, ()) if c in scope]
    if len(exact) == 1:
        return _match(ref, exact[0], "name_path", 100.0)
    if len(exact) > 1:
        return CodeMatch(None, None, None, "ambiguous", None, tuple(exact))
    aliased = sorted({c for alias, c, start, end in ref.aliases if alias == key and c in scope and _in_years(year, start, end)})
    if len(aliased) == 1:
        return _match(ref, aliased[0], "alias", 100.0)
    if len(aliased) > 1:
        return CodeMatch(None, None, None, "ambiguous", None, tuple(aliased))
    return _fuzzy(ref, key, scope)


def _scope(ref: Reference, parent: str | None, hint: str | None, top_level: bool) -> set[str]:
    if parent is not None:
        scope = set(ref.children.get(parent, ()))
    elif top_level or hint == "类":
        scope = set(ref.children.get(None, ()))
    else:
        scope = set(ref.names)
    if hint in LENGTH_BY_LEVEL:
        scope = {c for c in scope if len(c) == LENGTH_BY_LEVEL[hint]}
    return scope


def _in_years(year: int | None, start: int | None, end: int | None) -> bool:
    return year is None or ((start is None or year >= start) and (end is None or year <= end))


def _fuzzy(ref: Reference, key: str, scope: set[str]) -> CodeMatch:
    choices = {code: name_key(ref.names[code]) for code in scope}
    if not choices:
        return CodeMatch(None, None, None, "unresolved", None)
    ranked = process.extract(key, choices, scorer=fuzz.ratio, limit=5)
    best_name, best_score, best_code = ranked[0]
    rivals = [s for n, s, c in ranked[1:] if n != best_name]
    same_name = [c for n, s, c in ranked if n == best_name]
    if best_score < FUZZY_THRESHOLD or (rivals and best_score - rivals[0] < FUZZY_MARGIN):
        return CodeMatch(None, None, None, "unresolved", round(best_score, 1), (best_code,))
    if len(same_name) > 1:
        return CodeMatch(None, None, None, "ambiguous", round(best_score, 1), tuple(sorted(same_name)))
    return _match(ref, best_code, "fuzzy", round(best_score, 1))


def _match(ref: Reference, code: str, method: str, score: float) -> CodeMatch:
    return CodeMatch(code, LEVEL_BY_LENGTH.get(len(code)), ref.names[code], method, score)
