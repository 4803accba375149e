"""A small grammar for the sentences of a disclosure's narrative.

A sentence (up to 。 or ；) is cut into comma clauses. Each clause has a *subject*
(what is measured: 三公经费, 公务接待费, 机关运行经费 …), found from a keyword list per
section, or inherited from the clause before when the clause only continues it
("占0%", "增长13.59%"). Each printed number with its unit is a *token*, and the words just
before it (the *cue*) say which measure it is: 年初预算为 → budget_amount, 占 → share_pct,
完成预算 → completion_pct, 增加/减少 → change_amount (signed), otherwise amount or count.
This is how one extractor reads both "收、支总计均为1,727.58万元，…增加542.05万元，增长45.72%"
and "年度收入支出总计 2995.39 万元。…减少 56.95 万元，下降 1.87%".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import NamedTuple

from ingest.parse.amounts import NUMBER, money_units, parse_number

UNITS = r"亿元|万元|元|%|％|个|人次|人|批次|次|辆|台（套）|台\(套\)|台|套|分|家|项"
TOKEN_RE = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>{UNITS})?")
UNIT_RE = re.compile(rf"\s*(?P<unit>{UNITS})")
# a unit as tokens give it: full-width percent and ASCII brackets folded (the other UNITS are kept)
UNIT_FORMS = {"％": "%", "台(套)": "台（套）"}
# characters that, touching a number, make them one printed run: "1,5x58.92", "0.7.1", "1,558. 92"
# (and ASCII letters, and U+FFFD between digits: "1727�58")
GLUED_CHARS = ".,，"
SENTENCE_RE = re.compile(r"[^。；;]+[。；;]?")
# a comma splits clauses, except the thousands separator inside a number ("1,727.58"), and an
# ASCII comma after a digit, letter, dot or comma and before a digit, dot or comma (a space aside),
# a stray one inside a number ("6,9人次", "542,.05", "1,,558.92", "1 ,727.58", "1I,558.92")
CLAUSE_SPLIT_RE = re.compile(
    r"，(?!(?<=\d，)\d{3}(?!\d))|(?<![0-9A-Za-z.,])(?<![0-9A-Za-z.,] ),|,(?![\d.,]| [\d.,])|其中[:：]?|主要包括[:：]"
)
# "本年数小于上年预算数29.65万元" (江苏 budgets) states a decrease of 29.65
INCREASE = ("增加", "增长", "上升", "提高", "上涨", "大于", "高于", "多于")
DECREASE = ("减少", "下降", "降低", "减", "小于", "低于", "少于")
CONTINUATION_RE = re.compile(
    r"^\s*(占|完成|比|较|与|增|减|下降|上升|降低|同比|决算数|支出决算|(?:变动的)?主要(?:变动)?原因|原因主要|主要用于"
    r"|按[^，,]{0,12}相比|本年(?:数)?(?:比|较|与))"  # "按与上年统计口径一致相比，本年比上年减少…"
)
REASON_RE = re.compile(
    r"(?:主要(?:变动)?原因|变动的主要原因|原因主要|主要(?=是|系|由于|因为))(?:是|为|系|由于|因为|：|:)?\s*[:：]?\s*(?P<reason>[^。；]+)"
)
SKIP_CUES = ("单价", "截至", "截止")
# a comparison with another year: what follows is a change, said by 增加/减少 …
COMPARED_RE = re.compile(r"(?:较|比|与)\s*(?:上年|上一年|去年|同期|\d{4}\s*年)")
# the words just before a number that say it is a budget, not a 决算 ("…年初预算为"): a heading run
# into the sentence ("…部门决算情况说明“三公”经费…年初预算为0.95万元") is no part of them
NEAR_CUE = 12


class Token(NamedTuple):
    """One printed number of a clause (a named tuple: a clause makes one per number, and a frozen
    dataclass cost three times as much to make)."""

    measure: str  # amount | budget_amount | prior_amount | change_amount | change_pct | share_pct | completion_pct | count | score
    value: Decimal | None  # None: a printed number with stray characters in it, unreadable
    unit: str  # printed unit ("" when none)
    printed: str
    start: int  # offset in the passage text


@dataclass(frozen=True)
class Subject:
    metric: str
    qualifier: str = ""


@dataclass(frozen=True, eq=False)  # one object per section, compared and hashed as itself
class Keywords:
    """The subjects one section talks about: (pattern, subject) pairs in priority order.

    ``any_of`` finds wherever one of the patterns would: most clauses and cues name no subject,
    and one search says so where a search per pattern took a sixth of the narrative's time.
    """

    pairs: tuple[tuple[re.Pattern[str], Subject], ...]
    any_of: re.Pattern[str] | None  # None when the patterns cannot be joined into one


def keywords(pairs: Iterable[tuple[str | re.Pattern[str], Subject]]) -> Keywords:
    """``Keywords`` of (pattern, subject) pairs, patterns given as text or compiled."""
    compiled = tuple((re.compile(pattern), subject) for pattern, subject in pairs)
    try:  # an alternation finds a match wherever one of its members does
        any_of = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in compiled)) if compiled else None
    except re.error:  # e.g. two patterns naming the same group: searched one by one
        any_of = None
    return Keywords(compiled, any_of)


def names_none(text: str, keywords: Keywords) -> bool:
    """No pattern of ``keywords`` finds anything in ``text``."""
    if not keywords.pairs:
        return True
    return keywords.any_of is not None and keywords.any_of.search(text) is None


def sentences(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in SENTENCE_RE.finditer(text) if m.group().strip()]


@cache
def _clause_split(extra_separators: str) -> re.Pattern[str]:
    return re.compile(CLAUSE_SPLIT_RE.pattern + (f"|[{extra_separators}]" if extra_separators else ""))


def clauses(sentence: str, extra_separators: str = "") -> list[tuple[int, str]]:
    """Comma clauses of a sentence with their offsets; ``extra_separators`` adds e.g. 、."""
    result, last = [], 0
    for m in _clause_split(extra_separators).finditer(sentence):
        result.append((last, sentence[last : m.start()]))
        last = m.end()
    result.append((last, sentence[last:]))
    return [(offset, text) for offset, text in result if text.strip()]


def tokens(clause: str, base: int = 0) -> list[Token]:
    """The numbers of a clause, each classified by the words before it.

    A number is read as the whole run of digits and the letters, dots, commas and spaces
    glued into it: "1,558. 92万元" is 1558.92 (``parse_number`` drops stray spaces), never 92.
    A run that is no number ("1,5x58.92", "0.7.1") gives a token with ``value`` None, so that
    the caller can say the number is unreadable instead of reading a piece of it. ``start`` is
    the token's offset in the clause plus ``base``.
    """
    found = _tokens_of(clause)
    if not base:
        return list(found)
    return [Token(t.measure, t.value, t.unit, t.printed, t.start + base) for t in found]


@lru_cache(maxsize=1 << 14)
def _tokens_of(clause: str) -> tuple[Token, ...]:
    """``tokens(clause)``, remembered: more than half the clauses of a document are printed in
    other documents too ("占0.00%", "与上年相比…")."""
    found: list[Token] = []
    previous_end = 0
    for m in TOKEN_RE.finditer(clause):
        num_start, num_end = m.span(1)  # the "num" group
        if num_start < previous_end:
            continue  # inside the run of the number before
        start, end = glued_run(clause, num_start, num_end)
        if start == num_start and end == num_end:
            printed, unit = m.group(1, 2)  # "num", "unit"
            unit, token_end = unit or "", m.end()
        else:
            printed = clause[start:end]
            after_run = UNIT_RE.match(clause, end)
            unit, token_end = (after_run.group("unit"), after_run.end()) if after_run else ("", end)
        unit = UNIT_FORMS.get(unit, unit)
        cue = clause[previous_end:start]
        previous_end = token_end
        reading = _cue_reading(cue, unit, clause[token_end : token_end + 1])
        if reading is None:
            continue
        measure, decrease = reading
        value = parse_number(printed)
        if value is not None and decrease:
            value = -value
        found.append(Token(measure, value, unit, printed, start))
    return tuple(found)


@lru_cache(maxsize=1 << 14)
def _cue_reading(cue: str, unit: str, after: str) -> tuple[str, bool] | None:
    """(measure, whether the number is a decrease) of a number read with the words before it, its
    unit and the character after it; None when it is no figure (a date, a label's number, a change
    whose direction was lost). Remembered: the same cues recur in every document."""
    if _is_date_or_label(unit, cue, after):
        return None
    measure = _measure(cue, unit)
    if measure in ("amount", "share_pct") and COMPARED_RE.search(cue) and not _names_a_figure(cue):
        return None  # "较上年…0.71万元" without 增加/减少 (a word lost): more or less, it cannot be told
    return measure, measure in ("change_amount", "change_pct") and any(w in cue for w in DECREASE)


def _names_a_figure(cue: str) -> bool:
    """决算, 预算 or 占 in the cue: the number is a figure, not a bare comparison."""
    return "决算" in cue or "预算" in cue or "占" in cue


def glued_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the printed number around text[start:end]: digits with the ASCII letters,
    dots, commas and damaged bytes glued to them, and spaces between such characters; a dot or comma that
    only ends the run ("1." of "1.社会保障"), or a comma that opens it, is left out."""

    if (start == 0 or not _may_glue(text[start - 1])) and (end == len(text) or not _may_glue(text[end])):
        return start, end  # nothing touches the number (most numbers): the loops below would not move

    def glued(ch: str, beyond: int) -> bool:  # a damaged byte (U+FFFD) only between digits: "1727�58"
        if ch == "\ufffd":
            return 0 <= beyond < len(text) and text[beyond].isdigit()
        return ch.isdigit() or ch in GLUED_CHARS or (ch.isascii() and ch.isalpha())

    def extend(index: int, step: int) -> int:
        while True:
            probe = index if step > 0 else index - 1
            while 0 <= probe < len(text) and text[probe] == " ":
                probe += step
            if not (0 <= probe < len(text)) or not glued(text[probe], probe + step):
                return index
            index = probe + 1 if step > 0 else probe

    left, right = extend(start, -1), extend(end, 1)
    while right > end and text[right - 1] in GLUED_CHARS + " ":
        right -= 1
    while left < start and text[left] in ",， ":  # a leading dot stays: ".05" is no 5
        left += 1
    return left, right


def _may_glue(ch: str) -> bool:
    """A character ``glued_run`` may extend a number over (a space or U+FFFD only if more follows)."""
    if "\u4e00" <= ch <= "\u9fff":  # a Han character (most neighbours of a number): no digit, no letter
        return False
    return ch == " " or ch == "\ufffd" or ch.isdigit() or ch in GLUED_CHARS or (ch.isascii() and ch.isalpha())


def _is_date_or_label(unit: str, cue: str, after: str) -> bool:
    cue_end = cue.rstrip()
    if after in ("年", "月", "日", "号") or cue_end.endswith(("第", "（", "(")):
        return True
    if cue_end.endswith(SKIP_CUES):
        return True
    return unit == "" and not cue_end.endswith(STATING_WORDS)


# the word just before a number printed without a unit that says it is a figure: "为", "计" …
STATING_WORDS = ("为", "是", "计", "达", "数")
CHANGE_WORDS = INCREASE + DECREASE
CHANGE_WORD_RE = re.compile("|".join(map(re.escape, CHANGE_WORDS)))  # finds one of them wherever ``in`` does
COMPLETION_CUE_RE = re.compile(r"完成(?:年初)?(?:调整)?预算(?:的)?$|执行率(?:为)?$|完成率(?:为)?$")
SHARE_CUE_RE = re.compile(r"占[^，]*?(?:的)?$")
STATED_AMOUNT_RE = re.compile(r"决算(?:数)?为|预算(?:数)?为")
BUDGET_CUE_RE = re.compile(r"(年初|全年)?预算(?:数)?(?:安排)?(?:为)?$|预算安排$|年初预算数?$")
PRIOR_CUE_RE = re.compile(r"(上年|上一年|\d{4}年)(?:当年)?(?:预算)?执行数(?:为)?$")


@lru_cache(maxsize=1 << 14)
def _measure(cue: str, unit: str) -> str:
    """The measure the cue before a number says (remembered: the same cues recur in every document)."""
    cue = cue.strip()
    is_pct = unit == "%"
    if is_pct:
        if COMPLETION_CUE_RE.search(cue):
            return "completion_pct"
        changes = CHANGE_WORD_RE.search(cue) is not None
        if SHARE_CUE_RE.search(cue) and not changes:
            return "share_pct"
        if changes:
            return "change_pct"
        return "share_pct"
    if unit in ("分",):
        return "score"
    if unit == "" or unit in money_units():  # an amount printed without a unit is read as money
        if CHANGE_WORD_RE.search(cue) and not STATED_AMOUNT_RE.search(cue):
            return "change_amount"
        if BUDGET_CUE_RE.search(cue) and "决算" not in cue[-NEAR_CUE:]:
            return "budget_amount"
        if PRIOR_CUE_RE.search(cue):
            return "prior_amount"
        return "amount"
    return "count"


# words after a subject's name that make it a heading's, not a subject's: "一般公共预算支出情况说明…"
HEADING_AFTER_RE = re.compile(r"(?:预算)?(?:总体)?(?:情况|表)")


@lru_cache(maxsize=1 << 14)
def find_subject(clause: str, keywords: Keywords) -> Subject | None:
    """The subject named earliest in the clause (longest keyword on ties). Remembered: two clauses
    in three are printed in other documents too."""
    if names_none(clause, keywords):
        return None
    best: tuple[int, int, Subject] | None = None
    for pattern, subject in keywords.pairs:
        m = _first_not_a_heading(pattern, clause)
        if m and (best is None or (m.start(), -len(m.group())) < (best[0], -best[1])):
            best = (m.start(), len(m.group()), subject)
    return best[2] if best else None


def _first_not_a_heading(pattern: re.Pattern[str], clause: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``clause`` that no heading word follows."""
    m = pattern.search(clause)  # the first match is the one nearly always
    if m is None or not HEADING_AFTER_RE.match(clause, m.end()):
        return m
    return next((m for m in pattern.finditer(clause) if not HEADING_AFTER_RE.match(clause, m.end())), None)


@lru_cache(maxsize=1 << 14)
def is_continuation(clause: str) -> bool:
    """The clause only continues the one before ("占0%", "与上年相比"): remembered, as they recur."""
    return bool(CONTINUATION_RE.match(clause))


def states_a_reason(text: str) -> bool:
    """Whether ``REASON_RE`` or ``REASON_START_RE`` can find anything in ``text``: each of their
    words holds 原因 or 主要, and most clauses hold neither."""
    return "原因" in text or "主要" in text


def stated_reason(sentence: str) -> str | None:
    if not states_a_reason(sentence):
        return None
    m = REASON_RE.search(sentence)
    return m.group("reason").strip(" ：:，,") if m else None
