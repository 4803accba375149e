"""Running text split into sections by their headings' words, with a locator for every character.

Headings in real documents are mis-numbered (1、 then （2） then 四、) or not numbered at
all, so a section is recognised by the words of its heading, never by its number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ingest.parse.document import Line
from ingest.parse.vocabulary import labels

# headings → section: the ``heading`` labels of the vocabulary (seeds/ref_label.csv), first match wins


def section_headings() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(section, pattern on the heading text once its numbering is stripped), in priority order."""
    return tuple((label.target, label.pattern) for label in labels("heading"))


NUMBERING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．]?)\s*"
)
MAX_HEADING_CHARS = 36
MAX_INLINE_TITLE_CHARS = 20  # a heading that runs into its text ("（一）机关运行经费：…") is this short
INLINE_SEPARATOR_RE = re.compile(r"[：:。]")
INLINE_TITLE_END_RE = re.compile(r"情况说明|说明(?=\d|本|我|[^\W\d_])")
TABLE_TITLES = "_table_titles"  # the lines between tables: titles, no narrative section
TABLE_TITLE_RE = re.compile(r"表\s*(?:[（(][^）)]{0,12}[）)])?$")


@dataclass
class Passage:
    """Text joined from lines, remembering which line each character came from.

    Lines are joined with nothing between them: Chinese needs no space, and a PDF line
    that breaks inside a number ("1,727." / "58") joins back into one number.
    """

    text: str = ""
    starts: list[int] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)

    def add(self, line: Line) -> None:
        self.starts.append(len(self.text))
        self.locators.append(line.locator)
        self.text += line.text.strip()

    def locator_at(self, offset: int) -> str:
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.locators[index] if self.locators else ""

    def quote(self, start: int, end: int) -> str:
        """The sentence around text[start:end], on one line, for provenance."""
        left = max(self.text.rfind(mark, 0, start) for mark in "。；") + 1
        right_candidates = [self.text.find(mark, end) for mark in "。；"]
        right = min([r for r in right_candidates if r >= 0] or [len(self.text)])
        return self.text[left : right + 1].strip()


def heading_section(text: str) -> str | None:
    """The section a line opens, or None when it is not a heading.

    A table's title printed as a line ("一般公共预算“三公”经费支出表") opens no narrative section:
    it closes the one before (``TABLE_TITLES``), so that the 说明 printed after a run of tables is
    not read as the last table's section. A short numbered heading may end with 。 ("1.机关运行经费。").
    """
    numbered = NUMBERING_RE.match(text)
    stripped = NUMBERING_RE.sub("", text).strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or re.search(r"\d[\d,.]*\s*万?元", stripped):
        return None
    if numbered and numbered.group().strip() and len(stripped) <= MAX_INLINE_TITLE_CHARS:
        stripped = stripped.rstrip("。：:")
    if stripped.endswith(("。", "；")):
        return None
    if TABLE_TITLE_RE.search(stripped):
        return TABLE_TITLES
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
    current = "preamble"
    for line in lines:
        name = heading_section(line.text)
        if name is not None:
            current = name
            sections.setdefault(current, Passage())
            if headings is not None and name != TABLE_TITLES:
                headings.append((name, line))
            continue
        inline = inline_heading(line.text)
        if inline is not None:
            name, rest = inline
            sections.setdefault(name, Passage()).add(Line(rest, line.locator))
            if headings is not None:
                headings.append((name, line))
            continue
        sections.setdefault(current, Passage()).add(line)
    return sections


def whole_text(lines: list[Line]) -> Passage:
    passage = Passage()
    for line in lines:
        passage.add(line)
    return passage
