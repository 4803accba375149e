"""Traditional Chinese text converted to Simplified before any extractor matches it.

Extractors match Simplified words (决算, 财政拨款, 一般公共预算). A disclosure printed in
Traditional characters (決算, 財政撥款) is converted with OpenCC's ``t2s`` phrase tables
(``opencc-python-reimplemented``, Apache-2.0, pure Python), in every line, cell and title.

Detect, do not guess: a character is *Traditional-only* when ``t2s`` changes it and
*Simplified-only* when ``s2t`` does. A Simplified disclosure has no Traditional-only characters
(the Sichuan and Shanghai samples have none among 7,000–18,000 Han characters); the same text
through ``s2t`` has thousands and almost no Simplified-only ones. The document is converted only
when Traditional-only characters are at least ``MIN_TRADITIONAL`` and outnumber Simplified-only
ones ``DOMINANCE`` to one, so a Simplified report quoting one old name (乾) is left alone.

Locators are unchanged and point at the printed (Traditional) text; a document warning says
that the lines and cells were converted.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ingest.parse.document import Cell, Document, Line, Table

HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")
MIN_TRADITIONAL = 10
DOMINANCE = 5
WARNING = (
    "script: printed in Traditional Chinese; lines and cells converted to Simplified (OpenCC t2s) "
    "before matching, locators point at the printed text"
)


@lru_cache(maxsize=2)
def _converter(config: str):
    from opencc import OpenCC

    return OpenCC(config)


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only, Simplified-only) Han characters in ``text``, counted with repeats."""
    # every character counted at once, then the Han ones among the distinct characters kept
    counts = {ch: n for ch, n in Counter(text).items() if HAN.match(ch)}
    traditional = sum(n for ch, n in counts.items() if _script_of(ch)[0])
    simplified = sum(n for ch, n in counts.items() if _script_of(ch)[1])
    return traditional, simplified


@lru_cache(maxsize=65536)
def _script_of(ch: str) -> tuple[bool, bool]:
    """(Traditional-only: t2s changes it, Simplified-only: s2t changes it), worked out once per character."""
    return _converter("t2s").convert(ch) != ch, _converter("s2t").convert(ch) != ch


HAN_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))  # the characters ``HAN`` matches


@lru_cache(maxsize=1)
def _traditional_only() -> re.Pattern[str]:
    """One pattern matching every Traditional-only character (``_script_of(ch)[0]``: t2s changes
    it), worked out once per process: each character t2s's dictionaries hold is converted alone
    (about 4,000; every one of the 27,584 characters ``HAN`` matches took 0.08 s)."""
    t2s = _converter("t2s")
    candidates = _t2s_characters()
    if candidates is None:  # the dictionaries cannot be read: every character is tried
        candidates = [ch for low, high in HAN_RANGES for ch in map(chr, range(low, high + 1))]
    found = [ch for ch in candidates if HAN.match(ch) and t2s.convert(ch) != ch]
    return re.compile("[" + "".join(map(re.escape, found)) + "]")


# the dictionaries OpenCC's t2s conversion reads (opencc/config/t2s.json)
T2S_DICTIONARIES = ("TSPhrases.txt", "TSCharacters.txt")


def _t2s_characters() -> list[str] | None:
    """The single characters t2s's dictionaries convert, in code point order: converted alone, no
    other character can change (a dictionary entry matches its whole text). None when the
    dictionaries are not where opencc-python-reimplemented keeps them
    (tests/ingest/test_parse_fast_paths.py holds the result to trying every character)."""
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"
    found: set[str] = set()
    try:
        for name in T2S_DICTIONARIES:
            with open(folder / name, encoding="utf-8") as handle:
                found.update(key for key in (line.split("\t", 1)[0] for line in handle) if len(key) == 1)
    except OSError:
        return None
    return sorted(found)


def is_traditional(text: str) -> bool:
    # Traditional-only characters counted first, in one scan: a Simplified document has none
    # (or a few), and then nothing else needs counting (counting every character took a third
    # of reading a text)
    if len(_traditional_only().findall(text)) < MIN_TRADITIONAL:
        return False
    traditional, simplified = script_counts(text)
    return traditional >= MIN_TRADITIONAL and traditional >= DOMINANCE * simplified


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else text


def simplify_document(document: Document) -> Document:
    """Convert a Traditional document's lines, cells and titles in place; Simplified ones are untouched."""
    sample = "\n".join(
        [line.text for line in document.lines]
        + [cell.text for table in document.tables for row in table.rows for cell in row]
    )
    if not is_traditional(sample):
        return document
    document.lines = [Line(to_simplified(line.text), line.locator) for line in document.lines]
    document.tables = [_simplify_table(table) for table in document.tables]
    document.warnings.append(WARNING)
    return document


def _simplify_table(table: Table) -> Table:
    rows = [[Cell(to_simplified(cell.text), cell.locator) for cell in row] for row in table.rows]
    unit = to_simplified(table.unit) if table.unit else table.unit
    return Table(
        rows=rows, locator=table.locator, title=to_simplified(table.title), unit=unit, header_rows=table.header_rows
    )
