"""Match printed 政府收支分类科目 labels and codes to the reference seeds.

Two classifications are covered, both loaded from ``seeds/`` at the repository root:

* 支出功能分类科目 (functional: 类 = 3 digits, 款 = 5, 项 = 7), with historic names
  in ``ref_function_alias.csv``;
* 部门预算支出经济分类科目 (economic: 类 = 3 digits, 款 = 5), with the years each row is
  valid for: the 2018 reform re-coded several 款 (before 2018 30311 was 住房公积金, since
  then it is 代缴社会保险费), so a code is read in the list of the document's fiscal year.

Resolution order, first hit wins:

1. ``printed_code``: a code printed next to the label ("208 05 05", "2080505") that
   exists in the reference. The official name is returned, so rows whose name is
   wrapped, garbled or missing from the text layer still resolve. Only a label that
   clearly names another, unrelated code makes the row ``ambiguous`` (see
   ``_contradicts``: the document follows an older list or its own numbering).
   An unknown printed code falls back to the name and the method gets the suffix
   ``UNKNOWN_CODE_SUFFIX`` (e.g. ``"name_path+unknown_printed_code"``).
1b. ``name_over_printed_code`` (``NAME_OVER_CODE``): the label is exactly (or by alias) the
   official name of one code of that year, in the same 类 and at the same level as the
   printed code, and the printed code's official name is another one: the document numbers
   its lines its own way (普陀区社会福利院 2024: "302 03 水费", officially 30205). The name
   wins; ``CodeMatch.note`` says what the printed code would have meant, and the caller
   records it as a ``code_label_mismatch`` warning. A disagreement across 类 (an older list
   moving an item elsewhere) stays ``ambiguous``.
2. ``name_path``: each level of a label such as
   "社会保障和就业支出（类）抚恤（款）死亡抚恤（项）" is looked up among the children
   of the level resolved before it; a plain item name is looked up under
   ``parent_code`` when given.
3. ``alias``: historic names (医疗卫生与计划生育支出 → 210) within their years
   (``ALIAS_GRACE_YEARS`` of slack, because a budget for year N is drafted in N-1). Outside
   them (a 2024 document still printing the old name) an alias is ``alias_outside_its_years``,
   and only while no code of the list bears that name and all its aliases point to one code.
4. ``fuzzy``: rapidfuzz ``ratio`` over normalised names within the same candidates;
   accepted only when the best score is >= ``FUZZY_THRESHOLD`` and beats the best
   *different* name by at least ``FUZZY_MARGIN``.

A name shared by several codes with nothing to decide between them is ``ambiguous``
(code None, candidates listed). Nothing is ever forced: no match is ``unresolved``.

Two rules look beyond one label:

* ``resolve_economic_table``: once a table has shown that it numbers its 款 its own way (a
  ``name_over_printed_code`` line), its other printed 款 codes are no evidence either: a line
  whose label does not look like its printed code's official name becomes
  ``printed_code_distrusted`` (code None) instead of taking that code.
* ``resolve_from_table_lines`` (``SAME_DOCUMENT_TABLE``): a narrative 类/款/项 path whose last
  name is not in the reference is given the code of the one table line of the same document
  and basis that lies under the path's resolved 类 (or 款), at the path's level, with the
  same amount (to ``SAME_AMOUNT_RULE``). Two such lines: nothing is chosen.

Local items (``LOCAL_ITEM``, the steering's ruling): a line whose printed code lies under an
official code but is itself no official item, and whose name is no official name, is a local
item of the document's own list (普陀区社会福利院 2024 p.14: "302 10 车辆运行费", "302 11
事业单位离退休人员福利费"). It is resolved *at its parent's level*: code stays None (no code is
invented), ``CodeMatch.parent_code`` is the official parent its amount rolls up into, and the
warehouse lists it in ``fct_unresolved_label`` as a local item without counting it as
unresolved. For 支出功能分类 only a 7-digit printed code that the reference lacks, under an
official 款, qualifies; for 经济分类 a 款 under an official 类 (a national list stops at 款, so a
7-digit 经济分类 code is a local sub-item of its 款, 重庆: 3010201 规范性津补贴), and, in a
table that numbers its 款 its own way, a printed 款 whose official meaning the table does not
follow. A name that is exactly (or by alias) some official name is never a local item: it
stays ``unresolved``/``ambiguous``, since it may be that code misfiled.

Names are compared after normalisation: NFKC (full-width brackets/digits to
half-width), whitespace and quotes removed, leading list numbering removed,
其它 → 其他, and a trailing 支出 ignored (documents write 社会保障和就业 for
社会保障和就业支出 and 社会保险经办机构支出 for 社会保险经办机构).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rapidfuzz import fuzz

from ingest.parse.amounts import amount_rule
from ingest.parse.vocabulary import read_reference_seed

FUZZY_THRESHOLD = 90.0
FUZZY_MARGIN = 5.0
ALIAS_GRACE_YEARS = 1
UNKNOWN_CODE_SUFFIX = "+unknown_printed_code"
NAME_OVER_CODE = "name_over_printed_code"
CODE_DISTRUSTED = "printed_code_distrusted"
SAME_DOCUMENT_TABLE = "same_document_table"
ALIAS_OUTSIDE_YEARS = "alias_outside_its_years"
SAME_AMOUNT_RULE = "same_amount"  # ref_amount_rule.csv: 0.005 万元, narratives print two decimals, tables often four
LOCAL_ITEM = "local_item_under_parent"
# the parent a local item may roll up into, by classification: the 款 of a 7-digit function code;
# the 类 of a 5-digit economic code, the 款 of a 7-digit one
LOCAL_ITEM_PARENT_LENGTHS = {"function": {7: 5}, "economic": {5: 3, 7: 5}}

LENGTH_BY_LEVEL = {"类": 3, "款": 5, "项": 7}
LEVEL_BY_LENGTH = {length: level for level, length in LENGTH_BY_LEVEL.items()}


@dataclass(frozen=True)
class CodeMatch:
    code: str | None  # "2080801" or None when unresolved/ambiguous
    level: str | None  # "类" | "款" | "项"
    name: str | None  # official name of the code (for an economic code: in the list of the year asked for)
    method: str  # "printed_code" | "name_over_printed_code" | "name_path" | "alias" | "alias_outside_its_years"
    #              | "fuzzy" | "same_document_table" | "local_item_under_parent"
    #              | "unresolved" | "ambiguous" | "printed_code_distrusted"
    score: float | None  # 100.0 for exact methods, rapidfuzz score for fuzzy, None when unresolved or by amount
    candidates: tuple[str, ...] = ()  # candidate codes when ambiguous (the printed code when distrusted)
    note: str = ""  # why a printed code was overridden or distrusted, for the extraction's warning
    parent_code: str | None = None  # a local item's official parent (its amount rolls up there), else None

    @property
    def is_local_item(self) -> bool:
        """Resolved at its parent's level: counted there, never as an unresolved label."""
        return self.method == LOCAL_ITEM


@dataclass(frozen=True)
class RefRow:
    """One row of a reference seed."""

    code: str
    level: str
    name: str
    parent_code: str | None
    valid_from: int | None = None
    valid_to: int | None = None
    source: str = ""


@dataclass(frozen=True)
class Alias:
    """A historic or variant name of a functional code."""

    alias: str
    code: str
    valid_from: int | None
    valid_to: int | None
    source: str


UNRESOLVED = CodeMatch(None, None, None, "unresolved", None)


# --------------------------------------------------------------------------- seeds


def _year(value: str | None) -> int | None:
    return int(value) if value and value.strip() else None


def _ref_row(row: dict[str, str]) -> RefRow:
    """A row of ``ref_function_code.csv`` or ``ref_economic_code.csv`` (the same columns)."""
    return RefRow(
        code=row["code"],
        level=row["level"],
        name=row["name"],
        parent_code=row["parent_code"] or None,
        valid_from=_year(row["valid_from"]),
        valid_to=_year(row["valid_to"]),
        source=row["source"],
    )


@lru_cache(maxsize=1)
def function_reference() -> dict[str, RefRow]:
    """支出功能分类科目 by code."""
    return {row["code"]: _ref_row(row) for row in read_reference_seed("ref_function_code.csv")}


@lru_cache(maxsize=1)
def function_aliases() -> tuple[Alias, ...]:
    """Historic and variant names of functional codes."""
    return tuple(
        Alias(row["alias"], row["code"], _year(row["valid_from"]), _year(row["valid_to"]), row["source"])
        for row in read_reference_seed("ref_function_alias.csv")
    )


@lru_cache(maxsize=1)
def economic_rows() -> tuple[RefRow, ...]:
    """Every row of 部门预算支出经济分类科目, each with the years it is valid for."""
    return tuple(_ref_row(row) for row in read_reference_seed("ref_economic_code.csv"))


def valid_in(row: RefRow, year: int | None) -> bool:
    """The row is in force in ``year`` (strictly); ``None`` means the current list.

    The one rule of code validity on the Python side; dbt's is the macro ``code_valid_in``
    (``dbt_project/macros/codes.sql``), and tests/ingest/test_code_validity.py holds the two to the
    same answers."""
    if year is None:
        return row.valid_to is None
    return (row.valid_from is None or row.valid_from <= year) and (row.valid_to is None or year <= row.valid_to)


@lru_cache(maxsize=32)
def economic_reference(year: int | None = None) -> dict[str, RefRow]:
    """部门预算支出经济分类科目 by code, as in force in ``year`` (``None``: the current list)."""
    return {row.code: row for row in economic_rows() if valid_in(row, year)}


@lru_cache(maxsize=2)
def official_name_keys(classification: str) -> frozenset[str]:
    """Every official name (any year) and alias of a classification, as ``name_key``s: a label
    that is one of them is never a local item."""
    if classification == "function":
        names = [row.name for row in function_reference().values()] + [a.alias for a in function_aliases()]
    else:
        names = [row.name for row in economic_rows()]
    return frozenset(name_key(name) for name in names)


# --------------------------------------------------------------------------- text


_CODE_PATTERN = re.compile(r"\d{3}(?:[\s\-./]*\d{2}){0,2}")
_LEVEL_MARKER = re.compile(r"[（(]\s*(类|款|项)\s*[）)]")
_LEADING_NUMBERING = re.compile(
    r"^(?:[（(]\s*(?:\d+|[一二三四五六七八九十]+)\s*[）)]|(?:\d+|[一二三四五六七八九十]+)\s*[.．、,，)）])"
)
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")
_EDGE_PUNCTUATION = "、:：,，;；。.．"


def normalise_code(printed: str | None) -> str | None:
    """Return a printed code as bare digits ("208 05 05" -> "2080505"), else None."""
    if printed is None:
        return None
    text = unicodedata.normalize("NFKC", str(printed)).strip()
    if not _CODE_PATTERN.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) in LEVEL_BY_LENGTH else None


def code_from_columns(parts: Sequence[str]) -> str:
    """The code of one table row printed across its 类 / 款 / 项 columns (or spaced in one), parts joined by a space.

    A 款 or 项 is two digits wide, but a PDF's text layer can drop its leading zero
    (普陀区万里街道 2024: "301 | 2 | 津贴补贴" for 30102): a one-digit part after a three-digit
    类 is read as 0 and that digit. Anything else is joined as printed, to be judged by
    ``normalise_code``.
    """
    cleaned = [piece for part in parts if part for piece in part.split()]
    if len(cleaned) > 1 and re.fullmatch(r"\d{3}", cleaned[0]):
        cleaned = [cleaned[0], *(part.zfill(2) if re.fullmatch(r"\d", part) else part for part in cleaned[1:])]
    return " ".join(cleaned)


def _clean_name(text: str) -> str:
    """Strip whitespace, quotes, list numbering and edge punctuation from one name."""
    text = re.sub(r"\s+", "", text.replace("\u3000", " "))
    text = _QUOTES.sub("", text)
    text = _LEADING_NUMBERING.sub("", text)
    return text.strip(_EDGE_PUNCTUATION)


def split_label_path(raw_label: str) -> list[tuple[str, str | None]]:
    """Split "A（类）B（款）C（项）" into [(A, "类"), (B, "款"), (C, "项")].

    A plain name gives [(name, None)]; text after the last marker becomes a final
    part without level. Empty parts are dropped.
    """
    parts: list[tuple[str, str | None]] = []
    position = 0
    for marker in _LEVEL_MARKER.finditer(raw_label or ""):
        name = _clean_name(raw_label[position : marker.start()])
        if name:
            parts.append((name, marker.group(1)))
        position = marker.end()
    tail = _clean_name((raw_label or "")[position:])
    if tail:
        parts.append((tail, None))
    return parts


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Comparison key of a name: NFKC, no blanks/quotes/numbering, 其它→其他, no trailing 支出."""
    key = _clean_name(unicodedata.normalize("NFKC", name)).replace("其它", "其他")
    if key.endswith("支出") and len(key) > 3:
        key = key[:-2]
    return key


# --------------------------------------------------------------------------- matching


def _in_years(valid_from: int | None, valid_to: int | None, year: int | None) -> bool:
    if year is None:
        return True
    if valid_from is not None and year < valid_from - ALIAS_GRACE_YEARS:
        return False
    return valid_to is None or year <= valid_to + ALIAS_GRACE_YEARS


def _from_row(row: RefRow, method: str, score: float = 100.0) -> CodeMatch:
    return CodeMatch(row.code, row.level, row.name, method, score)


def _one_or_ambiguous(rows: list[RefRow], method: str) -> CodeMatch:
    if len(rows) == 1:
        return _from_row(rows[0], method)
    return CodeMatch(None, None, None, "ambiguous", 100.0, tuple(sorted(r.code for r in rows)))


@dataclass(frozen=True)
class Candidates:
    """The codes one question may resolve to, indexed by their names' ``name_key``: a name is
    looked up, not compared with each of the thousands of codes of a whole list."""

    rows: tuple[RefRow, ...]
    by_name: dict[str, tuple[RefRow, ...]]  # name_key → its rows, in the order of ``rows``
    codes: frozenset[str]

    @classmethod
    def of(cls, rows: tuple[RefRow, ...]) -> Candidates:
        by_name: dict[str, list[RefRow]] = {}
        for row in rows:
            by_name.setdefault(name_key(row.name), []).append(row)
        return cls(rows, {key: tuple(found) for key, found in by_name.items()}, frozenset(row.code for row in rows))


_CANDIDATES: dict[tuple, tuple[dict, Candidates]] = {}


def _candidates(reference: dict[str, RefRow], parent: str | None, length: int | None, year: int | None) -> Candidates:
    """Codes of the wanted length under ``parent`` (parent ignored if not above that length).

    Remembered per reference list, parent, length and year: a document asks the same few
    questions for every line, and scanning the whole list each time was a fifth of ingest time.
    """
    if parent and length and length <= len(parent):
        parent = None
    key = (id(reference), parent, length, year)
    remembered = _CANDIDATES.get(key)
    if remembered is not None and remembered[0] is reference:
        return remembered[1]
    found = Candidates.of(
        tuple(
            row
            for row in reference.values()
            if (parent is None or (row.code.startswith(parent) and row.code != parent))
            and (length is None or len(row.code) == length)
            and _in_years(row.valid_from, row.valid_to, year)
        )
    )
    if len(_CANDIDATES) > 50_000:
        _CANDIDATES.clear()
    _CANDIDATES[key] = (reference, found)
    return found


def _fuzzy(key: str, candidates: list[RefRow]) -> CodeMatch:
    """Best fuzzy candidate if clearly above threshold and ahead of other names.

    A candidate scoring below ``FUZZY_THRESHOLD - FUZZY_MARGIN`` can neither win nor hold the
    winner back (the winner is at least ``FUZZY_MARGIN`` ahead of it, as of no runner-up at all):
    it is left out before sorting, which sorted hundreds of scores for each name no code bears."""
    floor = FUZZY_THRESHOLD - FUZZY_MARGIN
    scored = sorted(
        ((score, row) for row in candidates if (score := fuzz.ratio(key, name_key(row.name))) >= floor),
        key=lambda item: (-item[0], item[1].code),
    )
    if not scored or scored[0][0] < FUZZY_THRESHOLD:
        return UNRESOLVED
    best_score, best = scored[0]
    same_name = [row for score, row in scored if name_key(row.name) == name_key(best.name)]
    if len(same_name) > 1:
        return CodeMatch(None, None, None, "ambiguous", best_score, tuple(sorted(r.code for r in same_name)))
    runner_up = next((score for score, row in scored[1:] if name_key(row.name) != name_key(best.name)), 0.0)
    if best_score - runner_up < FUZZY_MARGIN:
        return UNRESOLVED
    return _from_row(best, "fuzzy", float(best_score))


def _match_name(
    reference: dict[str, RefRow],
    aliases: tuple[Alias, ...],
    name: str,
    length: int | None,
    parent: str | None,
    year: int | None,
) -> CodeMatch:
    """Resolve one name among the candidates: exact name, then alias, then fuzzy."""
    candidates = _candidates(reference, parent, length, year)
    key = name_key(name)
    exact = list(candidates.by_name.get(key, ()))
    classes = [row for row in exact if len(row.code) == LENGTH_BY_LEVEL["类"]]
    if parent is None and length is None and len(exact) > 1 and len(classes) == 1:
        # a bare name with neither parent nor level that is one 类's name names that 类: 类 head the
        # tables (其他支出 is 229; the 款 21999 其他支出 of 援助其他地区支出 is read under its 类)
        return _from_row(classes[0], "name_path")
    if exact:
        return _one_or_ambiguous(exact, "name_path")
    allowed = candidates.codes
    named = [alias for alias in _aliases_by_name(aliases).get(key, ()) if alias.code in allowed]
    alias_codes = {alias.code for alias in named if _in_years(alias.valid_from, alias.valid_to, year)}
    if alias_codes:
        return _one_or_ambiguous([reference[code] for code in alias_codes], "alias")
    # an old name still printed after its years (普陀区社会福利院 2024 writes 医疗卫生与计划生育支出
    # for 210): it names its code while no code of the list bears that name and its aliases agree
    stale_codes = {alias.code for alias in named}
    if len(stale_codes) == 1 and not any(name_key(row.name) == key for row in reference.values()):
        return _from_row(reference[stale_codes.pop()], ALIAS_OUTSIDE_YEARS)
    return _fuzzy(key, candidates.rows)


_ALIASES_BY_NAME: dict[int, tuple[tuple, dict[str, tuple[Alias, ...]]]] = {}


def _aliases_by_name(aliases: tuple[Alias, ...]) -> dict[str, tuple[Alias, ...]]:
    """The aliases by their ``name_key``, each key's in the aliases' order (remembered per tuple)."""
    remembered = _ALIASES_BY_NAME.get(id(aliases))
    if remembered is not None and remembered[0] is aliases:
        return remembered[1]
    found: dict[str, list[Alias]] = {}
    for alias in aliases:
        found.setdefault(name_key(alias.alias), []).append(alias)
    index = {key: tuple(named) for key, named in found.items()}
    if len(_ALIASES_BY_NAME) > 100:
        _ALIASES_BY_NAME.clear()
    _ALIASES_BY_NAME[id(aliases)] = (aliases, index)
    return index


def _resolve_path(
    reference: dict[str, RefRow],
    aliases: tuple[Alias, ...],
    raw_label: str,
    year: int | None,
    parent: str | None,
) -> CodeMatch:
    """Walk the 类/款/项 parts, each under the last resolved level; the last part decides."""
    parts = split_label_path(raw_label)
    if not parts:
        return UNRESOLVED
    next_length = len(parent) + 2 if parent else None
    match = UNRESOLVED
    for name, level in parts:
        length = LENGTH_BY_LEVEL[level] if level else next_length
        match = _match_name(reference, aliases, name, length, parent, year)
        if match.code:
            parent, next_length = match.code, len(match.code) + 2
        else:
            next_length = length + 2 if length else None
    return match


def _known_ancestor(code: str, reference: dict[str, RefRow]) -> str | None:
    """Longest prefix of an unknown code (5 or 3 digits) that is in the reference."""
    for length in (5, 3):
        if len(code) > length and code[:length] in reference:
            return code[:length]
    return None


def _contradicts(printed: RefRow, named: CodeMatch, raw_label: str) -> bool:
    """True when the label names another, unrelated code and does not look like the printed one.

    This happens when a document prints a code of a list other than the one of its year
    (a 2019 table printing 30311 住房公积金, which was 30311 only until 2017) or its own
    numbering (普陀区社会福利院 2024: 302 03 水费); see ``_name_outweighs_code`` for when the
    name is trusted, else neither side is. A label naming an ancestor or descendant of the
    printed code (310 其他资本性支出) is no contradiction, nor is an empty, wrapped or
    garbled label.
    """
    if named.code is None or named.code.startswith(printed.code) or printed.code.startswith(named.code):
        return False
    leaf = split_label_path(raw_label)[-1][0]
    return fuzz.ratio(name_key(leaf), name_key(printed.name)) < FUZZY_THRESHOLD


def _name_outweighs_code(code: str, named: CodeMatch) -> bool:
    """An exact (or alias) official name, one code only, in the printed code's 类 and level."""
    return (
        named.code is not None
        and named.method in ("name_path", "alias")
        and named.score == 100.0
        and len(named.code) == len(code)
        and named.code[:3] == code[:3]
    )


def local_item(
    classification: str, reference: dict[str, RefRow], raw_label: str, printed_code: str | None
) -> CodeMatch | None:
    """The line as a local item under the official parent of its printed code, or None.

    The parent is the proper ancestor of the printed code at the length the classification
    allows (``LOCAL_ITEM_PARENT_LENGTHS``), present in ``reference`` (the list of the document's
    year). The label's last name must be no official name or alias at all (``official_name_keys``),
    or missing (a name the text layer lost).
    """
    code = normalise_code(printed_code)
    parent_length = LOCAL_ITEM_PARENT_LENGTHS[classification].get(len(code or ""))
    if code is None or parent_length is None or code[:parent_length] not in reference:
        return None
    parts = split_label_path(raw_label or "")
    # a name missing from the text layer (the code printed, the name not) cannot name another code:
    # the line counts under its printed code's official parent all the same
    if parts and name_key(parts[-1][0]) in official_name_keys(classification):
        return None
    # no note: a local item is no disagreement between code and name (no code_label_mismatch warning)
    parent = reference[code[:parent_length]].code
    return CodeMatch(None, LEVEL_BY_LENGTH[len(code)], None, LOCAL_ITEM, None, (parent,), "", parent)


_RESOLVED: dict[tuple, tuple[dict, tuple, CodeMatch]] = {}


def _resolve(
    reference: dict[str, RefRow],
    aliases: tuple[Alias, ...],
    raw_label: str,
    printed_code: str | None,
    year: int | None,
    parent_code: str | None,
    classification: str,
) -> CodeMatch:
    """``_resolve_now``, remembered per reference list, aliases and question (as ``_candidates``
    remembers its lists): documents print the same labels on every table and every year, and a
    label only a fuzzy match reads was scored against every candidate each time."""
    key = (id(reference), id(aliases), raw_label, printed_code, year, parent_code, classification)
    remembered = _RESOLVED.get(key)
    if remembered is not None and remembered[0] is reference and remembered[1] is aliases:
        return remembered[2]
    match = _resolve_now(reference, aliases, raw_label, printed_code, year, parent_code, classification)
    if len(_RESOLVED) > 50_000:
        _RESOLVED.clear()
    _RESOLVED[key] = (reference, aliases, match)
    return match


def _resolve_now(
    reference: dict[str, RefRow],
    aliases: tuple[Alias, ...],
    raw_label: str,
    printed_code: str | None,
    year: int | None,
    parent_code: str | None,
    classification: str,
) -> CodeMatch:
    code = normalise_code(printed_code)
    parent = normalise_code(parent_code)
    if code and code in reference:
        named = _resolve_path(reference, aliases, raw_label or "", year, parent)
        if _contradicts(reference[code], named, raw_label or ""):
            if _name_outweighs_code(code, named):
                printed = reference[code]
                note = (
                    f"printed code {printed_code} is {printed.name} in the official list, but the name "
                    f"{raw_label!r} is {named.code} {named.name}: read by name"
                )
                return CodeMatch(named.code, named.level, named.name, NAME_OVER_CODE, named.score, (code,), note)
            return CodeMatch(None, None, None, "ambiguous", None, tuple(sorted((code, named.code))))
        return _from_row(reference[code], "printed_code")
    if code and parent is None:
        parent = _known_ancestor(code, reference)
    match = _resolve_path(reference, aliases, raw_label or "", year, parent)
    if code and match.code:
        return CodeMatch(match.code, match.level, match.name, match.method + UNKNOWN_CODE_SUFFIX, match.score)
    if code and match.method == "unresolved":
        return local_item(classification, reference, raw_label, printed_code) or match
    return match


def resolve_function(
    raw_label: str,
    printed_code: str | None = None,
    year: int | None = None,
    parent_code: str | None = None,
) -> CodeMatch:
    """Resolve a 支出功能分类 label (and optional printed code) to a reference code."""
    return _resolve(function_reference(), function_aliases(), raw_label, printed_code, year, parent_code, "function")


def resolve_economic(raw_label: str, printed_code: str | None = None, year: int | None = None) -> CodeMatch:
    """Resolve a 部门预算支出经济分类 label (and optional printed code) to a code valid in ``year``."""
    return _resolve(economic_reference(year), (), raw_label, printed_code, year, None, "economic")


def resolve_economic_table(lines: Sequence[tuple[str, str | None]], year: int | None = None) -> list[CodeMatch]:
    """Resolve the (label, printed code) lines of one table by economic classification.

    A table that has shown its own numbering of 款 (a line read ``name_over_printed_code``)
    lends its other printed 款 codes no weight: a line whose label does not look like the
    official name of its printed code is not forced onto that code (普陀区社会福利院 2024:
    "302 11 事业单位离退休人员福利费" is no 30211 差旅费). Its printed 类 still holds: when its
    name is no official name it is a local item of that 类 (``LOCAL_ITEM``), else
    ``printed_code_distrusted`` (code None). So is a line left ``ambiguous`` between its printed
    款 and another official code its name only resembles ("302 06 办公设备购置费": 30206 is 电费,
    31002 办公设备购置 is 资本性支出).

    A line printed without a code whose name several 类 share (办公设备购置 is 30902 under 309
    资本性支出（基本建设） and 31002 under 310 资本性支出) is read under the 类 of the line above it
    (``_under_class_above``).
    """
    matches = _under_class_above(lines, [resolve_economic(label, printed, year) for label, printed in lines], year)
    if not any(match.method == NAME_OVER_CODE for match in matches):
        return matches
    reference = economic_reference(year)
    for index, ((label, printed), match) in enumerate(zip(lines, matches)):
        leaf = split_label_path(label or "")
        if match.method == "ambiguous" and normalise_code(printed) in match.candidates:
            matches[index] = local_item("economic", reference, label, printed) or match
            continue
        if match.method != "printed_code" or match.level != "款" or not leaf:
            continue
        if fuzz.ratio(name_key(leaf[-1][0]), name_key(match.name or "")) < FUZZY_THRESHOLD:
            note = (
                f"printed code {printed} is {match.name} in the official list, not {label!r}: not trusted, "
                "the table numbers its 款 its own way"
            )
            local = local_item("economic", reference, label, printed)
            matches[index] = local or CodeMatch(None, None, None, CODE_DISTRUSTED, None, (match.code,), note)
    return matches


def _under_class_above(
    lines: Sequence[tuple[str, str | None]], matches: list[CodeMatch], year: int | None
) -> list[CodeMatch]:
    """Name-only lines left ``ambiguous`` between 类, resolved among the children of the 类 of
    the nearest resolved line above them in the table."""
    reference = economic_reference(year)
    resolved: list[CodeMatch] = []
    class_above: str | None = None
    for (label, printed), match in zip(lines, matches):
        if match.method == "ambiguous" and not normalise_code(printed) and class_above:
            under = _resolve(reference, (), label, None, year, class_above, "economic")
            match = under if under.code else match
        if match.code:
            class_above = match.code[:3]
        resolved.append(match)
    return resolved


# --------------------------------------------------------------------------- same document


def _path_anchor(raw_label: str, year: int | None) -> tuple[str | None, int | None]:
    """(deepest code resolved above the path's last part, length of the code the last part names)."""
    parts = split_label_path(raw_label)
    if len(parts) < 2:
        return None, None
    reference, aliases = function_reference(), function_aliases()
    parent: str | None = None
    length: int | None = None
    for index, (name, level) in enumerate(parts):
        length = LENGTH_BY_LEVEL[level] if level else (length + 2 if length else None)
        if index == len(parts) - 1 or length is None:
            break
        match = _match_name(reference, aliases, name, length, parent, year)
        if match.code:
            parent = match.code
    if parent is None or length is None or length <= len(parent):
        return None, None
    return parent, length


def resolve_from_table_lines(
    raw_label: str,
    amount: Decimal | None,
    table_lines: Sequence[tuple[str | None, Decimal | None]],
    year: int | None = None,
) -> tuple[CodeMatch, int | None]:
    """A narrative path no name resolves, given the code of the one equal table line below its 类/款.

    ``table_lines`` are (code, amount in 万元) of the same document's table lines of the same
    basis (一般公共预算财政拨款 …). The path's resolved 类 (or 款) and its last part's level
    (（项） → 7 digits) select the candidates; exactly one with the same amount (to
    ``SAME_AMOUNT_RULE``) gives the code, method ``same_document_table`` and the index of
    that line. None, or several (``ambiguous``, with their codes), give no code.
    """
    anchor, length = _path_anchor(raw_label or "", year)
    if anchor is None or amount is None or amount == 0:
        return UNRESOLVED, None
    hits = [
        index
        for index, (code, line_amount) in enumerate(table_lines)
        if code
        and len(code) == length
        and code.startswith(anchor)
        and line_amount is not None
        and abs(line_amount - amount) <= amount_rule(SAME_AMOUNT_RULE)
    ]
    codes = sorted({table_lines[index][0] for index in hits})
    if len(codes) != 1:
        method = "ambiguous" if codes else "unresolved"
        return CodeMatch(None, None, None, method, None, tuple(codes)), None
    code = codes[0]
    row = function_reference().get(code)
    if row is None:
        return UNRESOLVED, None
    return CodeMatch(code, row.level, row.name, SAME_DOCUMENT_TABLE, None), hits[0]
