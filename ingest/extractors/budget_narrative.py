"""What the narrative of a 预算 (部门预算/单位预算) says, beyond what ``narrative.py`` reads.

- In a budget the amount *is* the budget: "“三公”经费预算数为37.91万元" is the 三公 amount of
  that budget, so a narrative figure read as ``budget_amount`` is stored as ``amount``, the
  measure the budget's tables use.
- 财政拨款支出主要内容 lists one item per 类/款/项 path with its amount:
  "1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”科目43.83万元，主要用于…"
  Each becomes a function line (statement "narrative", basis general_budget).

Registered in ``pipeline.TABLE_EXTRACTORS`` (it runs after the narrative extractors).
"""

from __future__ import annotations

import re

from ingest.classification import resolve_function
from ingest.document import Document
from ingest.extraction import Extraction
from ingest.extractors.function_lines import add_function_line
from ingest.extractors.passages import split_sections

ITEM_RE = re.compile(
    r"[“\"]?(?P<path>[\u4e00-\u9fff、（）()]{2,40}（类）[\u4e00-\u9fff、（）()]*?（款）[\u4e00-\u9fff、（）()]*?（项）)[”\"]?"
    r"\s*(?:科目)?\s*(?:支出)?\s*(?P<num>\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|元)"
)


def extract_budget_narrative(extraction: Extraction, document: Document) -> None:
    identity = extraction.identity
    if identity is None or identity.phase != "budget":
        return
    for figure in extraction.figures:
        if figure.measure == "budget_amount" and not figure.section.startswith("table:"):
            figure.measure = "amount"
    sections = split_sections(document.lines)
    if "budget_items" in sections:
        extract_items(extraction, sections["budget_items"], identity.fiscal_year)


def extract_items(extraction: Extraction, passage, year: int | None) -> None:
    for m in ITEM_RE.finditer(passage.text):
        path = m.group("path")
        add_function_line(
            extraction, statement="narrative", basis="general_budget", printed_code="", raw_label=path,
            match=resolve_function(path, year=year), amount_printed=m.group("num"), unit=m.group("unit"),
            locator=passage.locator_at(m.start()), quote=passage.quote(m.start(), m.end()),
        )
