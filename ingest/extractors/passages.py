"""Running text split into sections by their headings' words, with a locator for every character.

Headings in real documents are mis-numbered (1、 then （2） then 四、) or not numbered at
all, so a section is recognised by the words of its heading, never by its number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ingest.document import Line

# (section, pattern on the heading text once its numbering is stripped); first match wins
SECTION_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("glossary", r"名词解释$|^名词解释"),
        ("attachments", r"^附件\s*\d*$|^附表"),
        ("profile", r"^部门概况$|^.{0,30}概况$"),
        ("sangong", r"三公.{0,4}经费"),
        ("fiscal_grant_total", r"财政拨款收入支出决算总体情况"),
        ("gpb_total", r"一般公共预算财政拨款支出决算总体情况"),
        ("gpb_structure", r"一般公共预算财政拨款支出决算结构"),
        ("gpb_detail", r"一般公共预算财政拨款支出决算具体情况"),
        ("basic", r"基本支出决算情况"),
        ("gpb_total", r"一般公共预算财政拨款支出决算情况"),
        ("government_fund", r"政府性基金预算.*(支出|收入).*情况"),
        ("state_capital", r"国有资本经营预算.*(支出|收入).*情况"),
        ("overview", r"收入支出决算总体情况"),
        ("income", r"^收入决算情况"),
        ("expenditure", r"^支出决算情况"),
        ("operating_cost", r"机关运行经费"),
        ("procurement", r"政府采购"),
        ("assets", r"国有资产"),
        ("performance", r"绩效管理情况"),
        ("other", r"其他重要事项"),
        # 预算 (部门预算/单位预算): the 编制说明, its list of spending items, 绩效目标
        ("budget_explanation", r"预算编制说明$"),
        ("budget_items", r"支出主要内容(?:如下)?[:：]?$"),
        ("performance", r"^绩效目标(?:设置)?(?:情况)?$"),
    )
)

NUMBERING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．]?)\s*"
)
MAX_HEADING_CHARS = 36


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
    """The section a line opens, or None when it is not a heading."""
    stripped = NUMBERING_RE.sub("", text).strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or re.search(r"\d[\d,.]*\s*万?元", stripped):
        return None
    if stripped.endswith(("。", "；")):
        return None
    for name, pattern in SECTION_HEADINGS:
        if pattern.search(stripped):
            return name
    return None


def split_sections(lines: list[Line], headings: list[tuple[str, Line]] | None = None) -> dict[str, Passage]:
    """Group lines under the last heading seen; the text before any heading is 'preamble'.

    When ``headings`` is given, each heading line found is appended to it with its section.
    """
    sections: dict[str, Passage] = {}
    current = "preamble"
    for line in lines:
        name = heading_section(line.text)
        if name is not None:
            current = name
            sections.setdefault(current, Passage())
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
