"""Fuzzing the ingest with malformed variants of the real samples (issue #7: nothing lost, nothing wrong).

1,012 variants are made, with a fixed seed (each source and mutation kind from a
generator of its own), from the Sichuan text sample (as UTF-8 text, GBK text, the portal .html
and the .docx of ``tests/formats/make_fixtures.py``), the .xlsx rendering of the Shanghai 财政局
2024 决算 tables, and two Shanghai PDFs (the 财政局 2024 决算 and the 万里街道 2025 预算).
Mutations: random byte flips, truncation at a random offset, shuffled table rows, numbers with a
stray character (a letter, a space, a comma, a dot, a full-width digit, a 元), and deleted lines
(in a .docx/.xlsx: paragraphs and rows; in a PDF: byte lines; a PDF's "shuffle" swaps two objects).

Each variant goes through ``ingest.parse.outcome.ingest_file`` under a SIGALRM time limit. Then:

- no crash: ``ingest_file`` never raises;
- no hang: no variant takes longer than ``TIME_LIMIT`` seconds;
- nothing wrong: every number the variant's extraction states (figures with a value; every
  money, percent field of function and economic lines) is compared with the extraction of the
  unmangled file (the *baseline*), by a key that does not depend on where in the file it was
  found (line numbers shift when lines are deleted):

  ============= ======================================================================
  record         key
  ============= ======================================================================
  figure         (section, metric, qualifier, measure, unit)
  function line  (basis, printed code without spaces, field) — and (basis, printed label,
                 field) too, so that a line whose code lost a glyph is still found; a line
                 printed without a code has only the label key
  economic line  the same, field "amount"
  ============= ======================================================================

  The table title (``statement``) is left out of the key: a byte flipped in a title must not
  make every line of the table "new"; the basis says which kind of table it is. A number is:

  - ``equal``: the baseline has the same value under the same key;
  - ``flagged``: the variant has a warning the baseline has not, at this number's line or row,
    or at its table (a warning about the whole document, such as damaged bytes replaced or an
    identity not found, flags nothing);
  - ``own text changed``: the value is printed by text the mutation made — a cell that differs
    from the unmangled row most like it, or, in a sentence, a number whose two neighbouring
    characters either side are printed nowhere in the unmangled document — re-read with
    ``ingest.parse.amounts.parse_number`` from the whole number-like run (stray letters, spaces,
    commas and dots included, so "1,23x4.56" reads as nothing, never as 4.56); for a key the
    baseline has, the value must also not be one of the numbers of the baseline's own quote
    (an existing number moved to another key is no text change). A number under a new key
    may instead be named by mutated words (a qualifier or label that is no label or cell of the
    unmangled document), or come from a sentence that lost its start (its subject);
  - ``relabelled`` (new keys only): the same value of the same metric and measure (or line
    field), from the same row or sentence (the same numbers), under a label that differs by a
    few characters the mutation took (财政拨款收 / 财政拨款收入) or under a section or basis
    changed with a mangled title or heading;
  - ``own clause changed``: in a sentence, the mutation changed the very clause that prints the
    value (its name or cue words: "一公共预算拨款支出预算18,976.76万元"), or the clause it
    continues;
  - ``own table header changed``: the header rows of its table (what each column is) are not
    the unmangled ones, and its row prints the value;
  - ``own row rearranged``: its table row is no row of the unmangled document (cells moved,
    lost, or a merged cell now over it) and prints the value — the spec's rule (c) as it stands;
  - ``WRONG``: anything else. There must be none.

Counts (with a few examples of every verdict) are printed (``pytest -s``) and written to
``tests/artifacts/fuzz_counts.txt`` (ignored by git, like everything in tests/artifacts).
"""

from __future__ import annotations

import hashlib
import random
import re
import signal
import time
import traceback
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from io import BytesIO
from pathlib import Path

import pytest

from ingest.parse.amounts import money_units, normalise_text, parse_number, to_wan
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.passages import split_sections
from ingest.parse.outcome import ingest_file
from ingest.parse.readers import READERS
from ingest.parse.readers.detect import detect_format
from tests.conftest import ROOT, SICHUAN

SEED = 20_240_607
TIME_LIMIT = 10.0  # seconds per variant; the slowest variant (a PDF) takes about 1 s
ARTIFACT = ROOT / "tests" / "artifacts" / "fuzz_counts.txt"
SHANGHAI = ROOT / "samples" / "shanghai"
PDF_FINAL = SHANGHAI / "上海市普陀区财政局2024年度部门决算.pdf"
PDF_BUDGET = SHANGHAI / "普陀区万里街道2025部门预算.pdf"

# variants per (source, mutation kind): 1,012 in all, most of them from the fast formats (a PDF
# variant takes 0.2-0.8 s, a .docx one 0.1-0.25 s, a text one 0.01-0.07 s; a damaged ZIP is
# refused at once, so byte flips and cuts of a .docx/.xlsx are cheap)
PLAN: dict[str, dict[str, int]] = {
    "text": {"byte_flip": 100, "truncate": 66, "shuffle_rows": 50, "number": 130, "delete_lines": 80},
    "gbk": {"byte_flip": 30, "truncate": 20, "number": 20},
    "html": {"byte_flip": 20, "truncate": 15, "shuffle_rows": 15, "number": 15, "delete_lines": 10},
    "docx": {"byte_flip": 80, "truncate": 25, "shuffle_rows": 10, "number": 16, "delete_lines": 10},
    "xlsx": {"byte_flip": 90, "truncate": 25, "shuffle_rows": 45, "number": 55, "delete_lines": 25},
    "pdf_final": {"byte_flip": 14, "truncate": 6, "shuffle_rows": 5, "delete_lines": 5},
    "pdf_budget": {"byte_flip": 14, "truncate": 6, "shuffle_rows": 5, "delete_lines": 5},
}
MIN_VARIANTS = 1_000
EXAMPLES = 3  # examples of each verdict in the report


# ---------------------------------------------------------------------------------------
# the sources and their baselines


@dataclass
class Source:
    """One unmangled file: its bytes, how it is named, and what was extracted from it."""

    key: str
    name: str  # relative name given to ingest_file
    fmt: str  # text | html | docx | xlsx | pdf
    data: bytes
    encoding: str = "utf-8"  # text formats only
    baseline: Extraction | None = None
    items: dict[tuple, list[Item]] = field(default_factory=dict)  # by key and by alias
    by_family: dict[tuple, list[Item]] = field(default_factory=dict)
    quotes: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)  # labels printed in the unmangled document (no spaces)
    rows: list[tuple[str, ...]] = field(default_factory=list)
    row_index: dict[str, set[int]] = field(default_factory=dict)  # cell text -> rows holding it
    row_set: set[tuple[str, ...]] = field(default_factory=set)
    sentences: list[str] = field(default_factory=list)  # the baseline's sentence quotes
    headers: dict[str, tuple] = field(default_factory=dict)  # table title -> its header rows
    warnings: Counter = field(default_factory=Counter)
    cells: set[str] = field(default_factory=set)
    corpus: str = ""

    def prepare(self) -> None:
        row, extraction = run(self.data, self.name)
        assert row.status in ("parsed", "warned") and extraction is not None, (self.key, row)
        self.baseline = extraction
        for item in items_of(extraction):
            for key in {item.key, item.alias} - {None}:
                self.items.setdefault(key, []).append(item)
            self.by_family.setdefault(item.family, []).append(item)
            self.quotes.add(item.quote)
        self.warnings = Counter((w.kind, w.message) for w in extraction.warnings)
        document = READERS[row.format](self.data, self.name)
        lines = [line.text for line in document.lines]
        self.cells = {cell.text for table in document.tables for r in table.rows for cell in r}
        # table rows as quoted (cells with text, in order), and the rows that a quote joined
        self.rows = [tuple(c.text for c in r if c.text) for table in document.tables for r in table.rows]
        self.rows += [tuple(quote_parts(q)) for q in self.quotes if len(quote_parts(q)) > 1]
        self.headers = {t.title: header_rows(t) for t in document.tables}
        self.row_set = set(self.rows)
        self.sentences = sorted({q for q in self.quotes if len(quote_parts(q)) == 1})
        for index, parts in enumerate(self.rows):
            for part in parts:
                self.row_index.setdefault(part, set()).add(index)
        # narrative quotes are cut from a section's lines joined with nothing between them, its
        # headings left out (passages.py)
        passages = [passage.text for passage in split_sections(document.lines).values()]
        self.labels = {squash(i.label) for i in items_of(extraction)}
        self.labels |= {squash(c) for c in self.cells} | {ORDINAL_RE.sub("", squash(c)) for c in self.cells}
        self.corpus = "\x00".join(["\n".join(lines), *passages, *sorted(self.cells)])
        unexplained = [i for i in items_of(extraction) if self.changed_parts(i.quote)]
        assert not unexplained, f"{self.key}: baseline quotes not found in the document: {unexplained[:3]}"

    def changed_parts(self, quote: str) -> list[str]:
        """The pieces of a quote the mutation made. A table row is compared with the unmangled
        row most like it, so a cell that reads like some other cell of the document ("2" of a
        "326.72" split in two) is still a changed one."""
        parts = quote_parts(quote)
        if len(parts) == 1:
            return [] if self.original(parts[0]) else parts
        near = Counter(i for part in parts for i in self.row_index.get(part, ()))
        if not near:
            return parts
        best = max(near, key=lambda i: (sum((Counter(parts) & Counter(self.rows[i])).values()), -i))
        extra = Counter(parts) - Counter(self.rows[best])
        changed = []
        for part in parts:
            if extra[part] > 0:
                changed.append(part)
                extra[part] -= 1
        return changed

    def label_changed(self, item: Item) -> bool:
        """Whether the words that name the number (a qualifier, a line's label) are mutated text:
        from a table, no label or cell of the unmangled document ("财政拨款收" of a header that
        lost its 入); from a sentence, printed nowhere in it."""
        label = squash(item.label)
        if not label or label in self.labels:
            return False
        return item.from_table or label not in self.corpus

    def mutated_numbers(self, quote: str, unit: str) -> set[Decimal]:
        """What the mutated text of a quote says: the numbers of its cells that the unmangled
        document does not have, or, in a sentence, of the number-like runs that, with the two
        characters either side, are printed nowhere in it ("完成预算10元0%": 10 and 0, not the
        untouched 1,727.58 of a sentence that a deleted line merely joined to another)."""
        parts = quote_parts(quote)
        found: set[Decimal] = set()
        for part in self.changed_parts(quote):
            if len(parts) > 1:
                found |= stated_numbers(part, unit)
                continue
            found |= stated_numbers(part, unit, lambda m: part[max(0, m.start() - 2) : m.end() + 2] not in self.corpus)  # noqa: B023
        return found

    def clause_changed(self, item: Item) -> bool:
        """Whether, in a sentence quote, the mutation changed the words of the very clause that
        states the value (its name or cue: "一公共预算拨款支出预算18,976.76万元", "其用车8辆",
        "因公出图（境）费支出决算0万元"), the value being printed in that clause. The quote is
        compared with the unmangled sentence most like it."""
        quote = item.quote
        if len(quote_parts(quote)) > 1 or self.original(quote):
            return False
        near = max(
            self.sentences, key=lambda s: SequenceMatcher(None, quote, s, autojunk=False).quick_ratio(), default=""
        )
        changed = [
            (i1, i2)
            for tag, i1, i2, _, _ in SequenceMatcher(None, quote, near, autojunk=False).get_opcodes()
            if tag != "equal"
        ]
        for m in NUMBER_RUN_RE.finditer(fold(quote)):
            if item.value not in stated_numbers(quote, item.unit, lambda n: n.start() == m.start()):  # noqa: B023
                continue
            start = _clause_start(quote, m.start())
            while CONTINUES_RE.match(quote[start:]) and start > 0:  # "比上年增加…" goes on with the clause before
                start = _clause_start(quote, start - 1)
            end = len(quote) - _clause_start(quote[::-1], len(quote) - m.end())  # its unit is its clause's too
            if any(i1 <= end and i2 >= start for i1, i2 in changed):
                return True
        return False

    def header_changed(self, item: Item, document) -> bool:
        """Whether the header of the table a number was read from (its title, the rows that say
        what each column is) is not the unmangled one: a header row lost or moved changes what a
        column means (a 三公 table without its 预算数/决算数 row has its 预算数 as amounts)."""
        if not item.from_table or document is None:
            return False
        tables = [t for t in document.tables if _in_table(item.locator, t.locator) or item.locator == t.locator]
        return bool(tables) and all(self.headers.get(t.title) != header_rows(t) for t in tables)

    def row_rearranged(self, quote: str) -> bool:
        """Whether a table row's quote is no row of the unmangled document: its cells moved,
        lost, or merged over it (a shuffled sheet keeps its merged ranges where they were)."""
        parts = quote_parts(quote)
        return len(parts) > 1 and tuple(parts) not in self.row_set

    def lost_its_start(self, quote: str) -> bool:
        """Whether a sentence quote is the end of a sentence of the unmangled document whose start
        (the words naming what it is about) the mutation removed: "增加0.71万元，增长100%。" of
        "公务接待费支出决算比2022年增加0.71万元，增长100%。" after a deleted line."""
        if len(quote_parts(quote)) > 1 or self.original(quote):
            return False
        start = self.corpus.find(quote)
        while start != -1:
            after = self.corpus[start + len(quote) : start + len(quote) + 1]
            if quote[-1] in "。；;" or after in ("", "\x00", "\n"):
                return True
            start = self.corpus.find(quote, start + 1)
        return False

    def original(self, part: str) -> bool:
        """Whether a one-piece quote is printed so in the unmangled document: a cell, a quote of
        the baseline, or a whole sentence of it (one cut short, "支出决算为307.9", is not)."""
        if part in self.cells or part in self.quotes:
            return True
        start = self.corpus.find(part)
        while start != -1:
            end = start + len(part)
            before = self.corpus[:start].rstrip(" ")[-1:]
            after = self.corpus[end : end + 1]
            opens = before in ("", "\x00", "\n", "。", "；", ";")
            closes = part[-1] in "。；;" or after in ("", "\x00", "\n")
            if opens and closes:
                return True
            start = self.corpus.find(part, start + 1)
        return False


def run(data: bytes, name: str):
    return ingest_file(data, name, hashlib.sha256(data).hexdigest(), len(data))


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Source]:
    return build_sources(tmp_path_factory.mktemp("fuzz"))


def build_sources(folder: Path) -> dict[str, Source]:
    from tests.formats.make_fixtures import write_shanghai_xlsx, write_sichuan_docx, write_sichuan_html

    write_sichuan_docx(folder / "sichuan.docx")
    write_sichuan_html(folder / "sichuan.html")
    write_shanghai_xlsx(folder / "shanghai.xlsx")
    text = SICHUAN.read_bytes()
    found = {
        "text": Source("text", "sichuan/" + SICHUAN.name, "text", text),
        "gbk": Source("gbk", "sichuan/gbk-" + SICHUAN.name, "text", text.decode("utf-8").encode("gbk"), "gbk"),
        "html": Source("html", "sichuan/" + SICHUAN.stem + ".html", "html", (folder / "sichuan.html").read_bytes()),
        "docx": Source("docx", "sichuan/" + SICHUAN.stem + ".docx", "docx", (folder / "sichuan.docx").read_bytes()),
        "xlsx": Source("xlsx", "shanghai/" + PDF_FINAL.stem + ".xlsx", "xlsx", (folder / "shanghai.xlsx").read_bytes()),
        "pdf_final": Source("pdf_final", "shanghai/" + PDF_FINAL.name, "pdf", PDF_FINAL.read_bytes()),
        "pdf_budget": Source("pdf_budget", "shanghai/" + PDF_BUDGET.name, "pdf", PDF_BUDGET.read_bytes()),
    }
    for source in found.values():
        source.prepare()
    return found


# ---------------------------------------------------------------------------------------
# the numbers an extraction states


MONEY_FIELDS = ("amount", "basic_amount", "project_amount", "budget_amount", "prior_amount")
PERCENT_FIELDS = ("completion_pct", "share_pct")


@dataclass(frozen=True)
class Item:
    record: str
    key: tuple
    value: Decimal
    unit: str  # the printed unit the value was converted from ("" when none was printed)
    quote: str
    locator: str
    label: str = ""  # the figure's qualifier, the line's printed label
    from_table: bool = False  # read from a table (its label from a cell or a header), not a sentence
    alias: tuple | None = None  # a line is found by its printed code and by its label
    family: tuple = ()  # what the number is, whatever its label: (record, metric, measure, unit) / (record, field)


def items_of(extraction: Extraction) -> list[Item]:
    found = []
    for f in extraction.figures:
        if f.value is not None:
            found.append(
                Item(
                    "figure",
                    ("figure", f.section, f.metric, f.qualifier, f.measure, f.unit),
                    f.value,
                    f.printed_unit,
                    f.quote,
                    f.locator,
                    f.qualifier,
                    f.section.startswith("table:"),
                    family=("figure", f.metric, f.measure, f.unit),
                )
            )
    lines = [("function_line", line, MONEY_FIELDS + PERCENT_FIELDS) for line in extraction.function_lines]
    lines += [("economic_line", line, ("amount",)) for line in extraction.economic_lines]
    for record, line, fields in lines:
        code = re.sub(r"\s", "", line.printed_code)
        for name in fields:
            value = getattr(line, name)
            if value is None:
                continue
            unit = line.printed_unit if name in MONEY_FIELDS else "%"
            by_label = (record, line.basis, "label", line.raw_label, name)
            key = (record, line.basis, "code", code, name) if code else by_label
            found.append(
                Item(
                    record,
                    key,
                    value,
                    unit,
                    line.quote,
                    line.locator,
                    line.raw_label,
                    line.statement != "narrative",
                    by_label if code and line.raw_label else None,
                    (record, name),
                )
            )
    return found


ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def header_rows(table) -> tuple:
    return tuple(tuple(cell.text for cell in row) for row in table.rows[: table.header_rows])


def quote_parts(quote: str) -> list[str]:
    """A table row's quote is its cells joined by " | "; a narrative quote is one piece."""
    return [part for part in quote.split(" | ") if part]


# a number as printed, with whatever stray letters, spaces, commas, dots and damaged bytes (U+FFFD)
# are glued into it
NUMBER_RUN_RE = re.compile(r"[-−]?\d(?:[\dA-Za-z,.\ufffd]|\s(?=[\dA-Za-z,.]))*")


def fold(text: str) -> str:
    """Full-width digits, letters and commas as ASCII, one character for one (positions kept)."""
    return "".join(f if len(f := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text)


def stated_numbers(text: str, unit: str, only: Callable[[re.Match], bool] = lambda m: True) -> set[Decimal]:
    """What the text says, re-read independently of the extractors: every number-like run (that
    ``only`` accepts), parsed by ``parse_number`` (so a run with a stray letter reads as nothing),
    in 万元 when it is money (in the unit printed right after it, else in ``unit``), with its
    negative (a stated decrease)."""
    values = set()
    for m in NUMBER_RUN_RE.finditer(fold(text)):
        number = parse_number(m.group().rstrip(".,\ufffd"))
        if number is None or not only(m):
            continue
        after = normalise_text(text[m.end() : m.end() + 4]).lstrip()
        printed = next((u for u in money_units() if after.startswith(u)), None)
        for candidate in (number, -number):
            values.add(candidate)
            if unit in money_units():
                values.add(to_wan(candidate, printed or unit))
    return values


# a clause that goes on with the one before it: a share, a comparison, a change
CONTINUES_RE = re.compile(r"\s*(?:占|完成|比|较|与|增|减|下降|上升|降低|同比)")


CLAUSE_MARK_RE = re.compile(r"[，；;。：:、]|,(?!\d)")  # not the comma inside "18,976.76"


def _clause_start(text: str, end: int) -> int:
    return max((m.end() for m in CLAUSE_MARK_RE.finditer(text, 0, end)), default=0)


def same_numbers(a: tuple, b: tuple) -> bool:
    """The same row or sentence by its numbers: the same ones, or (for a quote cut at a length,
    which may end a number early or take in one more) the same but for the last few."""
    if a == b:
        return bool(a)
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 2 and longer[: len(shorter) - 1] == shorter[:-1] and len(longer) - len(shorter) <= 2


def number_signature(quote: str) -> tuple:
    """The numbers a quote states, in order: the same row or sentence, whatever happened to its words."""
    return tuple(
        n for n in (parse_number(r.rstrip(".,\ufffd")) for r in NUMBER_RUN_RE.findall(fold(quote))) if n is not None
    )


# ---------------------------------------------------------------------------------------
# the oracle


@dataclass
class Verdicts:
    counts: Counter = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)  # the first few of each verdict but "equal"

    def add(self, verdict: str, item: Item, candidates: list[Item], variant: Variant) -> None:
        self.counts[verdict] += 1
        baseline = ", ".join(f"{c.value} ← {c.quote[:60]!r}" for c in candidates[:2]) or "none"
        text = (
            f"{variant.label}: {item.key} = {item.value} at {item.locator} ← {item.quote[:120]!r}; "
            f"baseline: {baseline}; mutation: {variant.note[:160]}"
        )
        if verdict.endswith("WRONG"):
            self.wrong.append(text)
        elif len(self.examples.setdefault(verdict, [])) < EXAMPLES:
            self.examples[verdict].append(text)


def judge(source: Source, extraction: Extraction, variant: Variant, verdicts: Verdicts) -> None:
    new_warnings = Counter((w.kind, w.message) for w in extraction.warnings) - source.warnings
    # a warning about the whole document (damaged bytes replaced, extension and content disagree,
    # identity not found) says nothing about any one number: it flags none, so that a number it
    # would excuse is still judged
    flag_locators = {w.locator for w in extraction.warnings if new_warnings[(w.kind, w.message)] > 0} - {"document"}
    stated = Counter()
    read: list = []

    def document():  # the variant as its reader gives it, read again only when a number needs it
        if not read:
            try:
                fmt = detect_format(variant.data, source.name)
                read.append(READERS[fmt](variant.data, source.name))
            except Exception:
                read.append(None)
        return read[0]

    for item in items_of(extraction):
        candidates = source.items.get(item.key, []) + (source.items.get(item.alias, []) if item.alias else [])
        stated.update({id(c) for c in candidates if c.value == item.value})
        if any(c.value == item.value for c in candidates):
            verdicts.counts["equal"] += 1
            continue
        prefix = "changed" if candidates else "new"
        flag = _flag(item.locator, flag_locators)
        if flag:
            verdicts.add(f"{prefix}: flagged ({flag})", item, candidates, variant)
            continue
        said = source.mutated_numbers(item.quote, item.unit)
        verdict = ""
        if candidates:
            before = set().union(*(stated_numbers(c.quote, c.unit) for c in candidates))
            if item.value in said and item.value not in before:
                verdict = "own text changed"
        else:
            signature = number_signature(item.quote)
            same_row = [
                b for b in source.by_family.get(item.family, []) if same_numbers(number_signature(b.quote), signature)
            ]
            # the words that name it changed with the text (a glyph lost from a label in the quote,
            # or from a header or title outside it): the number is still the same number
            relabelled = (
                any(b.label == item.label for b in same_row)
                or source.label_changed(item)
                or (squash(item.label) in squash(item.quote) and bool(source.changed_parts(item.quote)))
            )
            if relabelled and any(b.value == item.value and similar(b.label, item.label) for b in same_row):
                verdict = "relabelled (same number, same row or sentence; its label, header or title mangled)"
                candidates = same_row
            elif item.value in said or (
                source.label_changed(item) and item.value in stated_numbers(item.quote, item.unit)
            ):
                verdict = "own text changed"
            elif source.lost_its_start(item.quote) and item.value in stated_numbers(item.quote, item.unit):
                verdict = "own text changed (its sentence lost its start)"
        if not verdict and source.clause_changed(item):
            verdict = "own clause changed"
        if (
            not verdict
            and item.value in stated_numbers(item.quote, item.unit)
            and source.header_changed(item, document())
        ):
            verdict = "own table header changed"
        if not verdict and source.row_rearranged(item.quote) and item.value in stated_numbers(item.quote, item.unit):
            # the spec's rule (c) as it stands, for a table row only: the row is no row of the
            # unmangled document (cells moved, lost or merged over it) and states the value
            verdict = "own row rearranged"
        if verdict:
            verdicts.add(f"{prefix}: {verdict}", item, candidates, variant)
            continue
        verdicts.add(f"{prefix}: WRONG", item, candidates, variant)
    baseline_items = {id(i): i for items in source.items.values() for i in items}
    verdicts.counts["baseline numbers not stated (lost)"] += sum(1 for i in baseline_items if i not in stated)


def similar(a: str, b: str) -> bool:
    """Two labels that differ by what a mutation does to one: a few characters lost or changed
    (at most one in three, at least one): 财政拨款收 / 财政拨款收入, 社会保和就业支出 / 社会保障和就业支出,
    not 一般公共预算财政拨款收入 / 政府性基金预算财政拨款收入, nor 轿车 / 越野车."""
    return edit_distance(a, b) <= max(1, max(len(a), len(b)) // 3)


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _flag(locator: str, flag_locators: set[str]) -> str:
    if locator in flag_locators:
        return "same place"
    if any(_in_table(locator, f) for f in flag_locators):
        return "its table"
    return ""


def _in_table(locator: str, table: str) -> bool:
    """Whether a row or cell locator lies in a table located so: "sheet 收入决算表!A7" in "sheet
    收入决算表", "table 2 r5c3" in "table 2", "p.13 r.16" in a table over pages "p.10-13"."""
    if locator.startswith((table + " ", table + "!")):
        return True
    pages, page = re.fullmatch(r"p\.(\d+)(?:-(\d+))?", table), re.match(r"p\.(\d+) r\.", locator)
    return bool(pages and page) and int(pages[1]) <= int(page[1]) <= int(pages[2] or pages[1])


# ---------------------------------------------------------------------------------------
# mutations


@dataclass
class Variant:
    source: str
    kind: str
    index: int
    data: bytes
    note: str

    @property
    def label(self) -> str:
        return f"{self.source}/{self.kind}#{self.index}"


def byte_flip(data: bytes, rng: random.Random, hot: list[tuple[int, int]] | None = None) -> tuple[bytes, str]:
    """XOR one to eight random bytes with a random non-zero byte (for a PDF, half of them in
    its text-bearing objects, not in the image data that makes up most of the file)."""
    out = bytearray(data)
    offsets = []
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
        if hot and rng.random() < 0.5:
            start, end = rng.choice(hot)
            offset = rng.randrange(start, end)
        else:
            offset = rng.randrange(len(out))
        out[offset] ^= rng.randrange(1, 256)
        offsets.append(offset)
    return bytes(out), f"flipped bytes at {sorted(offsets)}"


def truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    cut = rng.randrange(len(data))
    return data[:cut], f"cut at {cut} of {len(data)}"


STRAY = {
    "letter": lambda t, i, rng: t[:i] + rng.choice("xXoOlI") + t[i:],
    "space": lambda t, i, rng: t[:i] + " " + t[i:],
    "comma": lambda t, i, rng: t[:i] + "," + t[i:],
    "dot": lambda t, i, rng: t[:i] + "." + t[i:],
    "yuan": lambda t, i, rng: t[:i] + "元" + t[i:],
    "fullwidth": None,  # one digit replaced by its full-width form
}


def mangle_number(token: str, rng: random.Random) -> str:
    kind = rng.choice(sorted(STRAY))
    if kind == "fullwidth":
        positions = [i for i, ch in enumerate(token) if ch.isdigit()]
        i = rng.choice(positions)
        return token[:i] + chr(ord(token[i]) + 0xFEE0) + token[i + 1 :]
    position = rng.randrange(1, len(token)) if len(token) > 1 else rng.choice((0, 1))
    if kind == "yuan" and rng.random() < 0.5:
        position = len(token)  # a stray 元 after the number: "1,234.56元"
    return STRAY[kind](token, position, rng)


NUMBER_TOKEN_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def mangle_numbers(text: str, rng: random.Random, allowed: Callable[[int], bool] = lambda i: True) -> tuple[str, str]:
    """One to four printed numbers (two digits or more, or with a decimal point) get a stray character."""
    tokens = [
        m for m in NUMBER_TOKEN_RE.finditer(text) if (len(m.group()) > 1 or "." in m.group()) and allowed(m.start())
    ]
    if not tokens:
        return text, "no number to mangle"
    chosen = sorted(rng.sample(tokens, min(len(tokens), rng.randint(1, 4))), key=lambda m: m.start())
    out, last, notes = [], 0, []
    for m in chosen:
        mangled = mangle_number(m.group(), rng)
        out += [text[last : m.start()], mangled]
        last = m.end()
        notes.append(f"{m.group()!r}→{mangled!r}")
    out.append(text[last:])
    return "".join(out), "numbers " + ", ".join(notes)


def delete_lines(text: str, rng: random.Random) -> tuple[str, str]:
    """One to five random non-blank lines, or a block of two to ten lines, deleted."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if rng.random() < 0.5:
        gone = set(rng.sample(filled, min(len(filled), rng.randint(1, 5))))
    else:
        start = rng.choice(filled)
        gone = set(range(start, min(len(lines), start + rng.randint(2, 10))))
    return "\n".join(
        line for i, line in enumerate(lines) if i not in gone
    ), f"deleted lines {sorted(i + 1 for i in gone)}"


def shuffle_rows_text(text: str, rng: random.Random) -> tuple[str, str]:
    """Rows of a text-format table (tab-led cell lines, rows between blank lines) put out of order."""
    lines = text.split("\n")
    blocks: list[list[tuple[int, int]]] = []  # per table: its rows as (first line, end line)
    i = 0
    while i < len(lines):
        if not lines[i].startswith("\t"):
            i += 1
            continue
        rows: list[tuple[int, int]] = []
        while i < len(lines) and (lines[i].startswith("\t") or not lines[i].strip()):
            if lines[i].startswith("\t"):
                start = i
                while i < len(lines) and lines[i].startswith("\t"):
                    i += 1
                rows.append((start, i))
            else:
                i += 1
        blocks.append(rows)
    blocks = [rows for rows in blocks if len(rows) >= 3]
    if not blocks:
        return text, "no table to shuffle"
    rows = rng.choice(blocks)
    order, note = _shuffled_range(len(rows), rng)
    span_start, span_end = rows[0][0], rows[-1][1]
    pieces = ["\n".join(lines[a:b]) for a, b in (rows[k] for k in order)]
    rebuilt = lines[:span_start] + "\n\n".join(pieces).split("\n") + lines[span_end:]
    return "\n".join(rebuilt), f"table at line {span_start + 1}: rows {note}"


def _shuffled_range(count: int, rng: random.Random) -> tuple[list[int], str]:
    """A permutation of range(count) that moves rows: two swapped, or a stretch shuffled."""
    order = list(range(count))
    if rng.random() < 0.5:
        a, b = rng.sample(range(count), 2)
        order[a], order[b] = order[b], order[a]
        return order, f"{a + 1}↔{b + 1}"
    a = rng.randrange(count - 1)
    b = rng.randint(a + 2, min(count, a + 12))
    part = order[a:b]
    while part == order[a:b]:
        rng.shuffle(part)
    order[a:b] = part
    return order, f"{a + 1}..{b} shuffled"


def shuffle_elements(xml: str, container: str, element: str, rng: random.Random, fix=None) -> tuple[str, str]:
    """Children ``element`` of one ``container`` (e.g. <tr> of a <table>) put out of order."""
    containers = list(re.finditer(container, xml, re.S))
    choices = []
    for m in containers:
        found = list(re.finditer(element, m.group(), re.S))
        if len(found) >= 3:
            choices.append((m, found))
    if not choices:
        return xml, "no table to shuffle"
    outer, rows = rng.choice(choices)
    order, note = _shuffled_range(len(rows), rng)
    body = outer.group()
    texts = [body[r.start() : r.end()] for r in rows]
    out, last = [], 0
    for position, r in enumerate(rows):
        moved = texts[order[position]]
        out += [body[last : r.start()], fix(moved, r, rows[order[position]]) if fix else moved]
        last = r.end()
    out.append(body[last:])
    return xml[: outer.start()] + "".join(out) + xml[outer.end() :], f"rows {note}"


def delete_elements(xml: str, element: str, rng: random.Random) -> tuple[str, str]:
    found = list(re.finditer(element, xml, re.S))
    gone = sorted(rng.sample(range(len(found)), min(len(found), rng.randint(1, 4))))
    out, last = [], 0
    for k in gone:
        out.append(xml[last : found[k].start()])
        last = found[k].end()
    out.append(xml[last:])
    return "".join(out), f"deleted elements {[k + 1 for k in gone]} of {len(found)}"


def rezip(data: bytes, changed: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, changed.get(info.filename, source.read(info.filename)))
    return out.getvalue()


# -- per format ---------------------------------------------------------------------------


def text_mutation(source: Source, kind: str, rng: random.Random) -> tuple[bytes, str]:
    if kind == "byte_flip":
        return byte_flip(source.data, rng)
    if kind == "truncate":
        return truncate(source.data, rng)
    text = source.data.decode(source.encoding)
    if kind == "number":
        if source.fmt == "html":  # only in text between tags
            tags = [(m.start(), m.end()) for m in re.finditer(r"<[^>]*>", text)]
            text, note = mangle_numbers(text, rng, lambda i: not any(a <= i < b for a, b in tags))
        else:
            text, note = mangle_numbers(text, rng)
    elif kind == "delete_lines":
        text, note = delete_lines(text, rng)
    elif source.fmt == "html":
        text, note = shuffle_elements(text, r"<table border.*?</table>", r"<tr>.*?</tr>", rng)
    else:
        text, note = shuffle_rows_text(text, rng)
    return text.encode(source.encoding), note


DOCX_BODY = "word/document.xml"


def docx_mutation(source: Source, kind: str, rng: random.Random) -> tuple[bytes, str]:
    if kind == "byte_flip":
        return byte_flip(source.data, rng)
    if kind == "truncate":
        return truncate(source.data, rng)
    with zipfile.ZipFile(BytesIO(source.data)) as archive:
        xml = archive.read(DOCX_BODY).decode("utf-8")
    if kind == "number":
        texts = [(m.start(2), m.end(2)) for m in re.finditer(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)", xml)]
        xml, note = mangle_numbers(xml, rng, lambda i: any(a <= i < b for a, b in texts))
    elif kind == "delete_lines":
        element = r"<w:p[ >].*?</w:p>" if rng.random() < 0.6 else r"<w:tr[ >].*?</w:tr>"
        xml, note = delete_elements(xml, element, rng)
    else:
        xml, note = shuffle_elements(xml, r"<w:tbl>.*?</w:tbl>", r"<w:tr[ >].*?</w:tr>", rng)
    return rezip(source.data, {DOCX_BODY: xml.encode("utf-8")}), note


def xlsx_mutation(source: Source, kind: str, rng: random.Random) -> tuple[bytes, str]:
    if kind == "byte_flip":
        return byte_flip(source.data, rng)
    if kind == "truncate":
        return truncate(source.data, rng)
    with zipfile.ZipFile(BytesIO(source.data)) as archive:
        sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        sheet = rng.choice(sheets)
        xml = archive.read(sheet).decode("utf-8")
    if kind == "number":
        xml, note = _mangle_cells(xml, rng)
    elif kind == "delete_lines":
        xml, note = delete_elements(xml, r'<row r="\d+"[^>]*>.*?</row>', rng)
    else:
        xml, note = shuffle_elements(xml, r"<sheetData>.*?</sheetData>", r'<row r="\d+"[^>]*>.*?</row>', rng, _renumber)
    return rezip(source.data, {sheet: xml.encode("utf-8")}), f"{sheet}: {note}"


def _renumber(row_xml: str, target: re.Match, moved_from: re.Match) -> str:
    """A row moved to another row's place takes that place's number (cells are placed by it)."""
    number = re.match(r'<row r="(\d+)"', target.group()).group(1)
    row_xml = re.sub(r'^<row r="\d+"', f'<row r="{number}"', row_xml)
    return re.sub(r'(<c r="[A-Z]+)\d+"', rf'\g<1>{number}"', row_xml)


CELL_NUMBER_RE = re.compile(r'<c r="(?P<ref>[A-Z]+\d+)"(?P<attrs>[^>]*) t="n"><v>(?P<value>[^<]+)</v></c>')


def _mangle_cells(xml: str, rng: random.Random) -> tuple[str, str]:
    """Amount cells (numbers) become text cells holding the amount as printed ("2,940.05") with a stray character."""
    cells = list(CELL_NUMBER_RE.finditer(xml))
    if not cells:
        return mangle_numbers(xml, rng, lambda i: False)
    chosen = sorted(rng.sample(cells, min(len(cells), rng.randint(1, 4))), key=lambda m: m.start())
    out, last, notes = [], 0, []
    for m in chosen:
        printed = f"{Decimal(m.group('value')):,.2f}"
        mangled = mangle_number(printed, rng)
        out += [xml[last : m.start()], f'<c r="{m.group("ref")}" t="inlineStr"><is><t>{mangled}</t></is></c>']
        last = m.end()
        notes.append(f"{m.group('ref')} {printed!r}→{mangled!r}")
    out.append(xml[last:])
    return "".join(out), "cells " + ", ".join(notes)


def pdf_text_objects(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of the PDF's objects that are not images (content streams, fonts, xref)."""
    spans = []
    for m in re.finditer(rb"\d+ 0 obj", data):
        end = data.find(b"endobj", m.end())
        if end == -1:
            continue
        head = data[m.end() : min(end, m.end() + 400)]
        if b"/Image" not in head and end > m.end():
            spans.append((m.start(), end))
    return spans


def pdf_mutation(source: Source, kind: str, rng: random.Random, hot: list[tuple[int, int]]) -> tuple[bytes, str]:
    data = source.data
    if kind == "byte_flip":
        return byte_flip(data, rng, hot)
    if kind == "truncate":
        return truncate(data, rng)
    if kind == "shuffle_rows":  # two objects swapped: every offset in the xref table is then wrong
        a, b = sorted(rng.sample(hot, 2))
        if a[1] > b[0]:
            return data, "overlapping objects"
        return data[: a[0]] + data[b[0] : b[1]] + data[a[1] : b[0]] + data[a[0] : a[1]] + data[
            b[1] :
        ], f"swapped objects at {a[0]} and {b[0]}"
    lines = data.split(b"\n")
    gone = set(rng.sample(range(len(lines)), rng.randint(1, 3)))
    return b"\n".join(line for i, line in enumerate(lines) if i not in gone), f"deleted byte lines {sorted(gone)}"


def variants(sources: dict[str, Source]) -> Iterator[Variant]:
    """The variants of PLAN, each (source, kind) from a random generator of its own, seeded from
    SEED and its name: the same variants on every run, whatever the other counts."""
    for key, plan in PLAN.items():
        source = sources[key]
        hot = pdf_text_objects(source.data) if source.fmt == "pdf" else []
        for kind, count in plan.items():
            rng = random.Random(f"{SEED}/{key}/{kind}")
            for index in range(count):
                if source.fmt == "pdf":
                    data, note = pdf_mutation(source, kind, rng, hot)
                elif source.fmt == "docx":
                    data, note = docx_mutation(source, kind, rng)
                elif source.fmt == "xlsx":
                    data, note = xlsx_mutation(source, kind, rng)
                else:
                    data, note = text_mutation(source, kind, rng)
                yield Variant(key, kind, index, data, note)


# ---------------------------------------------------------------------------------------
# the run


class Hang(BaseException):
    """A variant over its time limit (a BaseException, so that no ``except Exception`` swallows it)."""


def _alarm(signum, frame):
    raise Hang()


@dataclass
class FuzzRun:
    tried: Counter = field(default_factory=Counter)  # (source, kind)
    outcome: Counter = field(default_factory=Counter)  # status
    outcome_by_kind: Counter = field(default_factory=Counter)  # (kind, status)
    unchanged: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    verdicts: Verdicts = field(default_factory=Verdicts)
    slowest: tuple[float, str] = (0.0, "")
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.tried.values())

    def report(self) -> str:
        lines = [f"fuzz: {self.total} variants (seed {SEED}, time limit {TIME_LIMIT:g} s each) in {self.seconds:.1f} s"]
        by_kind = Counter()
        for (_source, kind), n in sorted(self.tried.items()):
            by_kind[kind] += n
        lines.append("variants by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items())))
        lines.append(
            "variants by source: "
            + ", ".join(f"{s} {sum(n for (src, _), n in self.tried.items() if src == s)}" for s in PLAN)
        )
        lines.append(f"identical to the source (mutation found nothing to change): {self.unchanged}")
        lines.append("outcome: " + ", ".join(f"{k} {n}" for k, n in sorted(self.outcome.items())))
        for kind in sorted(by_kind):
            lines.append(
                f"  {kind}: "
                + ", ".join(f"{status} {n}" for (k, status), n in sorted(self.outcome_by_kind.items()) if k == kind)
            )
        lines.append(
            f"crashes: {len(self.crashes)}, hangs: {len(self.hangs)}, slowest variant: "
            f"{self.slowest[0]:.2f} s ({self.slowest[1]})"
        )
        lines.append("numbers stated by the variants, against the baseline:")
        for verdict, n in sorted(self.verdicts.counts.items()):
            lines.append(f"  {verdict}: {n}")
        for verdict, examples in sorted(self.verdicts.examples.items()):
            lines.append(f"examples of {verdict}:")
            lines += [f"  {e}" for e in examples]
        wrong = len(self.verdicts.wrong)
        lines.append(f"wrong: {wrong}")
        lines += [f"  {w}" for w in self.verdicts.wrong[:40]]
        lines += [f"  crash {c}" for c in self.crashes[:20]] + [f"  hang {h}" for h in self.hangs[:20]]
        return "\n".join(lines)


@pytest.fixture(scope="module")
def fuzz(sources) -> FuzzRun:
    result = run_fuzz(sources)
    text = result.report()
    print("\n" + text)
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(text + "\n", encoding="utf-8")
    return result


def run_fuzz(sources: dict[str, Source]) -> FuzzRun:
    result = FuzzRun()
    started = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for variant in variants(sources):
            source = sources[variant.source]
            result.tried[(variant.source, variant.kind)] += 1
            if variant.data == source.data:
                result.unchanged += 1
            name = source.name
            begun = time.perf_counter()
            try:
                signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
                try:
                    row, extraction = run(variant.data, name)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except Hang:
                result.hangs.append(f"{variant.label} ({variant.note})")
                result.outcome["hang"] += 1
                continue
            except Exception as error:
                where = traceback.extract_tb(error.__traceback__)[-1]
                result.crashes.append(
                    f"{variant.label}: {type(error).__name__}: {error} at "
                    f"{where.filename}:{where.lineno} ({variant.note})"
                )
                result.outcome["crash"] += 1
                continue
            took = time.perf_counter() - begun
            if took > result.slowest[0]:
                result.slowest = (took, variant.label)
            result.outcome[row.status] += 1
            result.outcome_by_kind[(variant.kind, row.status)] += 1
            if extraction is not None and row.status != "rejected":
                judge(source, extraction, variant, result.verdicts)
    finally:
        signal.signal(signal.SIGALRM, previous)
    result.seconds = time.perf_counter() - started
    return result


# ---------------------------------------------------------------------------------------
# the tests


def test_enough_variants_of_every_kind(fuzz):
    assert fuzz.total >= MIN_VARIANTS
    kinds = Counter(kind for (_, kind), n in fuzz.tried.items() for _ in range(n))
    assert set(kinds) == {"byte_flip", "truncate", "shuffle_rows", "number", "delete_lines"}
    # a mutation that changed nothing tests nothing: only a few may come out identical
    assert fuzz.unchanged <= fuzz.total * 0.02, fuzz.unchanged


def test_no_variant_crashes_the_ingest(fuzz):
    assert not fuzz.crashes, "\n".join(fuzz.crashes[:20])


def test_no_variant_hangs(fuzz):
    assert not fuzz.hangs, "\n".join(fuzz.hangs)


def test_the_variants_still_give_figures(fuzz):
    """The oracle must have something to judge: most variants are still read (a mutation touches a
    few places of a document), each states well over 20 numbers (every source states hundreds),
    and nearly all of them agree with the baseline."""
    read = fuzz.outcome["parsed"] + fuzz.outcome["warned"]
    assert read >= fuzz.total * 0.5, fuzz.outcome
    judged = sum(fuzz.verdicts.counts.values()) - fuzz.verdicts.counts["baseline numbers not stated (lost)"]
    assert judged >= 20 * read, fuzz.verdicts.counts
    assert fuzz.verdicts.counts["equal"] >= 0.95 * judged, fuzz.verdicts.counts


def test_no_number_is_wrong(fuzz):
    assert not fuzz.verdicts.wrong, f"{len(fuzz.verdicts.wrong)} wrong numbers:\n" + "\n".join(fuzz.verdicts.wrong[:30])


# -- the oracle itself ----------------------------------------------------------------------


def test_the_oracle_rereads_numbers_with_stray_characters_as_unreadable():
    assert Decimal("1234.56") in stated_numbers("支出1,234.56万元", "万元")
    assert Decimal("0.123456") in stated_numbers("1,234.56", "元")
    assert Decimal("1234.56") in stated_numbers("12 34.56", "万元")  # a stray space: the same number
    assert Decimal("1234.56") in stated_numbers("1,２34.56", "万元")  # a full-width digit: the same number
    said = stated_numbers("支出1,23x4.56万元", "万元")
    assert Decimal("4.56") not in said and Decimal("23") not in said and Decimal("1234.56") not in said


def test_the_oracle_calls_a_moved_number_wrong(sources):
    """A variant that states a baseline number under another key, or a changed value with an
    unchanged quote, is judged wrong; an honest re-read of a changed quote is not."""
    source = sources["text"]
    basic = next(f for f in source.baseline.figures if f.metric == "basic_expenditure" and f.measure == "amount")
    general = next(
        f for f in source.baseline.figures if f.qualifier == "一般公共预算财政拨款收入" and f.measure == "amount"
    )
    fake = Extraction(document_id="x", warnings=list(source.baseline.warnings))
    fake.figures = [
        # 基本支出 1,558.92 read as the 支出合计 from the same, unchanged sentence: wrong
        _copy(basic, metric="expenditure_total", value=Decimal("1558.92")),
        # the same sentence with the digit 5 flipped to 6 in 1,558.92: the text says 1,658.92
        _copy(basic, value=Decimal("1658.92"), quote=basic.quote.replace("1,558.92", "1,658.92")),
        # a stray letter: "1,5x58.92" does not say 58.92
        _copy(basic, value=Decimal("58.92"), quote=basic.quote.replace("1,558.92", "1,5x58.92")),
        # the 1727.58 of 一般公共预算财政拨款收入 given to 政府性基金预算财政拨款收入 (a similar label): wrong
        _copy(general, qualifier="政府性基金预算财政拨款收入"),
        # the same number under its label with a glyph lost (入), in a sentence that lost it too
        _copy(general, qualifier="一般公共预算财政拨款收", quote=general.quote.replace("拨款收入1727", "拨款收1727")),
    ]
    verdicts = Verdicts()
    judge(source, fake, Variant("text", "test", 0, b"", "none"), verdicts)
    assert verdicts.counts["changed: WRONG"] == 3, verdicts.counts
    assert verdicts.counts["changed: own text changed"] == 1, verdicts.counts
    assert sum(n for verdict, n in verdicts.counts.items() if verdict.startswith("new: relabelled")) == 1, (
        verdicts.counts
    )


def _copy(row, **changes):
    from dataclasses import replace

    return replace(row, **changes)
