"""What the DOCX, XLSX and HTML readers share: cleaning cell text, and a table's title, unit and headers.

A table handed to the extractors looks the same whatever the format: rows of cells padded to
the table's grid (a merged cell's text once, at its first position, the rest ""), rows with no
text dropped (their cells' locators keep the real row numbers), ``title`` from the table's own
title row or the caption just above it, ``unit`` from a "单位：万元" seen there, ``header_rows``
the rows before the first row that holds a number.
"""

from __future__ import annotations

import re

from ingest.parse.amounts import parse_number
from ingest.parse.document import Cell, Line, Table

UNIT_RE = re.compile(r"(?:金[额額])?[单單]位\s*[:：]\s*(?P<unit>[万萬亿億千]?元)")
UNIT_SIMPLIFIED = {"萬元": "万元", "億元": "亿元"}
COLUMN_NUMBER_WORDS = ("栏次", "欄次", "行次")
MAX_TITLE_CHARS = 50


def clean_text(raw: str) -> str:
    """The same cleaning as the text reader: outer whitespace off, ideographic/no-break spaces as spaces."""
    return raw.strip().replace("\u3000", " ").replace("\xa0", " ").strip()


def find_unit(text: str) -> str | None:
    m = UNIT_RE.search(text)
    return UNIT_SIMPLIFIED.get(m.group("unit"), m.group("unit")) if m else None


def is_title_text(text: str) -> bool:
    """A table title such as "收入决算表" or "部门预算项目支出绩效自评表（2023年度）"."""
    return 0 < len(text) <= MAX_TITLE_CHARS and "表" in text and not text.endswith(("。", "；", "：", ":"))


def title_in_rows(rows: list[list[Cell]]) -> str:
    """The table's own title row: one of its first three rows with a single text that names a table."""
    for row in rows[:3]:
        texts = [cell.text for cell in row if cell.text]
        if len(texts) == 1 and is_title_text(texts[0]):
            return texts[0]
    return ""


def caption_before(lines: list[Line], count: int = 3) -> tuple[str, str | None]:
    """(title, unit) from the few lines printed just above a table."""
    title, unit = "", None
    for line in reversed(lines[-count:]):
        unit = unit or find_unit(line.text)
        if not title and is_title_text(line.text) and not find_unit(line.text):
            title = line.text
    return title, unit


def unit_in_rows(rows: list[list[Cell]]) -> str | None:
    for row in rows[:4]:
        for cell in row:
            unit = find_unit(cell.text)
            if unit:
                return unit
    return None


def count_header_rows(rows: list[list[Cell]]) -> int:
    """Rows before the first one that holds a number (a "栏次 1 2 3" row is still a header); all rows when none does."""
    for index, row in enumerate(rows):
        texts = [cell.text for cell in row]
        if any(word in text for text in texts for word in COLUMN_NUMBER_WORDS):
            continue
        if any(parse_number(text) is not None for text in texts):
            return index
    return len(rows)


def build_table(rows: list[list[Cell]], locator: str, title: str = "", unit: str | None = None) -> Table:
    """Drop rows without text and work out title, unit and headers (rows come padded to the grid)."""
    kept = [row for row in rows if any(cell.text for cell in row)]
    return Table(
        rows=kept,
        locator=locator,
        title=title_in_rows(kept) or title,
        unit=unit_in_rows(kept) or unit,
        header_rows=count_header_rows(kept),
    )
