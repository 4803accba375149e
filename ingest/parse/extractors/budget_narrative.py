"""What the narrative of a 预算 (部门预算/单位预算) says, beyond what ``narrative.py`` reads.

- 财政拨款支出主要内容 lists one item per 类/款/项 path with its amount:
  "1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”科目43.83万元，主要用于…"
  Each becomes a function line (statement "narrative", basis general_budget):
  ``extract_budget_items``, an extractor (``ingest.parse.passes.EXTRACTORS``).
- In a budget the amount *is* the budget: "“三公”经费预算数为37.91万元" is the 三公 amount of
  that budget, so a narrative figure read as ``budget_amount`` is stored as ``amount``, the
  measure the budget's tables use: ``budget_amounts_as_amounts``, a refining pass
  (``ingest.parse.passes.REFINEMENTS``), since the narrative extractor reads the measure before
  the document's phase matters.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.parse.classification import resolve_function
from ingest.parse.document import Document
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.function_lines import add_function_line
from ingest.parse.extractors.passages import split_sections

ITEM_RE = re.compile(
    r"[“\"]?(?P<path>[\u4e00-\u9fff、（）()]{2,40}（类）[\u4e00-\u9fff、（）()]*?（款）[\u4e00-\u9fff、（）()]*?（项）)[”\"]?"
    r"\s*(?:科目)?\s*(?:支出)?\s*(?P<num>\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|元)"
)


def extract_budget_items(extraction: Extraction, document: Document) -> None:
    """The 财政拨款支出主要内容 items of a budget, as narrative function lines."""
    identity = extraction.identity
    if identity is None or identity.phase != "budget":
        return
    sections = split_sections(document.lines)
    if "budget_items" in sections:
        extract_items(extraction, sections["budget_items"], identity.fiscal_year)


def budget_amounts_as_amounts(extraction: Extraction, document: Document) -> None:
    """Refining: a budget's narrative ``budget_amount`` figures become ``amount`` figures."""
    identity = extraction.identity
    if identity is None or identity.phase != "budget":
        return
    for figure in list(extraction.figures):
        if figure.measure == "budget_amount" and not figure.section.startswith("table:"):
            extraction.replace(figure, replace(figure, measure="amount"))


def extract_items(extraction: Extraction, passage, year: int | None) -> None:
    for m in ITEM_RE.finditer(passage.text):
        path = m.group("path")
        add_function_line(
            extraction,
            statement="narrative",
            basis="general_budget",
            printed_code="",
            raw_label=path,
            match=resolve_function(path, year=year),
            amount_printed=m.group("num"),
            unit=m.group("unit"),
            locator=passage.locator_at(m.start()),
            quote=passage.quote(m.start(), m.end()),
        )
