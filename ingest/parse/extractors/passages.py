"""Running text split into sections by their headings' words, with a locator for every character.

Headings in real documents are mis-numbered (1、 then （2） then 四、) or not numbered at
all, so a section is recognised by the words of its heading, never by its number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from ingest.parse.document import Line
from ingest.parse.vocabulary import labels

# headings → section: the ``heading`` labels of the vocabulary (seeds/ref_label.csv), first match wins


@cache
def section_headings() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(section, pattern on the heading text once its numbering is stripped), in priority order."""
    return tuple((label.target, label.pattern) for label in labels("heading"))


@cache
def _any_heading() -> re.Pattern[str] | None:
    """One pattern finding wherever a heading pattern would (most lines name no section); None when
    the patterns cannot be joined."""
    try:
        return re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in section_headings()))
    except re.error:
        return None


NUMBERING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．]?)\s*"
)
MAX_HEADING_CHARS = 36
MAX_INLINE_TITLE_CHARS = 20  # a heading that runs into its text ("（一）机关运行经费：…") is this short
INLINE_SEPARATOR_RE = re.compile(r"[：:。]")
INLINE_TITLE_END_RE = re.compile(r"情况说明|说明(?=\d|本|我|[^\W\d_])")
TABLE_TITLES = "_table_titles"  # the lines between tables: titles, no narrative section
TABLE_TITLE_RE = re.compile(r"表\s*(?:[（(][^）)]{0,12}[）)])?$")
AMOUNT_IN_TEXT_RE = re.compile(r"\d[\d,.]*\s*万?元")  # a line stating an amount is no heading


@dataclass
class Passage:
    """Text joined from lines, remembering which line each character came from.

    Lines are joined with nothing between them: Chinese needs no space, and a PDF line
    that breaks inside a number ("1,727." / "58") joins back into one number.
    """

    text: str = ""
    starts: list[int] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)
    # where 。 and ； stand in ``text`` (``_sentence_ends``), with the text they were found in
    ends: tuple[str, list[int]] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.ends = None  # set here too: a class compiled by mypyc (ingest/compiled.py) has no defaults for init=False

    def add(self, line: Line) -> None:
        self.starts.append(len(self.text))
        self.locators.append(line.locator)
        self.text += line.text.strip()

    def locator_at(self, offset: int) -> str:
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.locators[index] if self.locators else ""

    def quote(self, start: int, end: int) -> str:
        """The sentence around text[start:end], on one line, for provenance: from after the last
        。 or ； before ``start`` to the first one at or after ``end``."""
        text = self.text
        marks = self._sentence_ends()
        before = bisect.bisect_left(marks, start)  # marks[:before] lie before start
        left = marks[before - 1] + 1 if before else 0
        after = bisect.bisect_left(marks, end)  # marks[after] is the first at or after end
        right = marks[after] if after < len(marks) else len(text)
        return text[left : right + 1].strip()

    def _sentence_ends(self) -> list[int]:
        """Where 。 and ； stand in the text, found once per text (a passage quotes every figure)."""
        remembered = self.ends
        if remembered is None or remembered[0] is not self.text:
            remembered = (self.text, _positions(self.text, "。") + _positions(self.text, "；"))
            remembered[1].sort()
            self.ends = remembered
        return remembered[1]


def _positions(text: str, mark: str) -> list[int]:
    """Every position of ``mark`` in ``text``."""
    found, index = [], text.find(mark)
    while index >= 0:
        found.append(index)
        index = text.find(mark, index + 1)
    return found


def heading_section(text: str) -> str | None:
    """The section a line opens, or None when it is not a heading.

    A table's title printed as a line ("一般公共预算“三公”经费支出表") opens no narrative section:
    it closes the one before (``TABLE_TITLES``), so that the 说明 printed after a run of tables is
    not read as the last table's section. A short numbered heading may end with 。 ("1.机关运行经费。").
    """
    numbered = NUMBERING_RE.match(text)
    # the numbering is matched at the start only (and never empty), so removing it is slicing it off
    stripped = (text[numbered.end() :] if numbered else text).strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or AMOUNT_IN_TEXT_RE.search(stripped):
        return None
    if numbered and numbered.group().strip() and len(stripped) <= MAX_INLINE_TITLE_CHARS:
        stripped = stripped.rstrip("。：:")
    if stripped.endswith(("。", "；")):
        return None
    if TABLE_TITLE_RE.search(stripped):
        return TABLE_TITLES
    any_heading = _any_heading()
    if any_heading is not None and not any_heading.search(stripped):
        return None
    for name, pattern in section_headings():
        if pattern.search(stripped):
            return name
    return None


def inline_heading(text: str) -> tuple[str, str] | None:
    """(section, the text after the heading) for a numbered heading that runs into its text:
    "（一）机关运行经费：2026年…122.98万元…", "（一）机关运行经费。2026年…"."""
    numbered = NUMBERING_RE.match(text)
    if not numbered or not numbered.group().strip():
        return None
    after = text[numbered.end() :]
    m = INLINE_SEPARATOR_RE.search(after[: MAX_INLINE_TITLE_CHARS + 1])
    if m:
        title, rest = after[: m.start()], after[m.end() :].strip()
    else:
        # "十一、一般公共预算机关运行经费支出预算情况说明2018年本部门…": the title ends with 说明 and
        # the text runs on without a separator (a PDF line joined to its paragraph)
        m = INLINE_TITLE_END_RE.search(after[:MAX_HEADING_CHARS])
        if not m:
            return None
        title, rest = after[: m.end()], after[m.end() :].strip()
    name = heading_section(title) if rest else None
    return (name, rest) if name and name != TABLE_TITLES else None


def split_sections(lines: list[Line], headings: list[tuple[str, Line]] | None = None) -> dict[str, Passage]:
    """Group lines under the last heading seen; the text before any heading is 'preamble'.

    A heading that runs into its own text opens a section for that line only; the lines after
    it stay in the section they were in. When ``headings`` is given, each heading line found is
    appended to it with its section.
    """
    sections: dict[str, Passage] = {}

    def section(name: str) -> Passage:  # made when first named (no Passage made per line to be thrown away)
        passage = sections.get(name)
        if passage is None:
            passage = sections[name] = Passage()
        return passage

    current = "preamble"
    for line in lines:
        name = heading_section(line.text)
        if name is not None:
            current = name
            section(current)
            if headings is not None and name != TABLE_TITLES:
                headings.append((name, line))
            continue
        inline = inline_heading(line.text)
        if inline is not None:
            name, rest = inline
            section(name).add(Line(rest, line.locator))
            if headings is not None:
                headings.append((name, line))
            continue
        section(current).add(line)
    return sections


def whole_text(lines: list[Line]) -> Passage:
    """The lines as one passage, as ``Passage.add`` would join them (joined once: adding a
    document's hundreds of lines one by one copied its text as often)."""
    texts = [line.text.strip() for line in lines]
    starts, length = [], 0
    for text in texts:
        starts.append(length)
        length += len(text)
    return Passage("".join(texts), starts, [line.locator for line in lines])
