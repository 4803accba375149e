"""The standard tables of a 决算 or 预算, whatever the format and whoever printed them.

A table is recognised by the words of its title (the ``ref_table_title`` patterns of the
vocabulary: 收入决算表, 2025年部门收入预算总表, 收支总体情况表, 收入总表 …), never by its number;
a cut title whose header says 三公 is a 三公 table. Its kind (``ref_table_kind``) says which
standard part it stands for in the document's phase and how it is read:

- ``function``: one function line per 类/款/项 row and the 合计 row's figures
  (``function_tables``); a table that prints no code or function name reads its totals only;
- ``summary``: label/amount pairs (``summary_tables``);
- ``economic``: lines by 经济分类, 人员经费 / 公用经费 (``economic_tables``);
- ``sangong``: the 三公 parts (``sangong_tables``); ``operating_cost``: 机关运行经费 and its lines;
- ``totals``: its 合计 only (项目支出表, 政府采购表); ``none``: marked present (绩效目标表).

A table that says 本表无数据 (``Table.is_empty``) is a stated zero of its total. A table without
a unit of its own is read in the unit the document's other tables state (or 万元), with a warning.
"""

from __future__ import annotations

from collections import Counter

from ingest.parse.amounts import parse_number
from ingest.parse.document import Document, Table
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.economic_tables import basic_table, economic_table, operating_cost_table
from ingest.parse.extractors.function_tables import function_table, headline_table
from ingest.parse.extractors.sangong_tables import sangong_column, sangong_table
from ingest.parse.extractors.summary_tables import summary_table
from ingest.parse.extractors.table_grid import (
    TOTAL_WORDS,
    column_labels,
    data_rows,
    function_layout,
    header_text,
    row_locator,
    row_quote,
    squash,
)
from ingest.parse.vocabulary import STATED_ZERO_NOTE_RE, compact, kind_of_title, table_kinds

__all__ = ["column_labels", "data_rows", "extract_tables", "row_locator", "sangong_column", "table_kind"]


def extract_tables(extraction: Extraction, document: Document) -> None:
    """The ``tables`` extractor of ``ingest.parse.passes.EXTRACTORS``."""
    identity = extraction.identity
    year = identity.fiscal_year if identity else None
    phase = (identity.phase if identity else None) or "final"
    document_unit = _document_unit(document)
    for table in document.tables:
        kind = kind_of(table)
        if kind is None:
            continue
        spec = table_kinds()[kind]
        part = spec.parts.get(phase, "")
        if part:
            extraction.mark_section("table", part, table.title, table.locator)
        section = f"table:{part or kind}"
        if spec.read_as == "none":
            continue
        unit = table.unit or _assumed_unit(extraction, table, document_unit)
        if table.is_empty or not data_rows(table):
            _stated_zero(extraction, document, table, kind, section)
        elif spec.read_as == "function" and _prints_functions(table):
            function_table(extraction, table, spec.basis, section, unit, year)
        elif spec.read_as == "function":
            headline_table(extraction, table, spec.basis, section, unit)
        elif spec.read_as == "summary":
            summary_table(extraction, table, section, unit, year, fiscal_grant=kind == "fiscal_grant_summary")
        elif spec.read_as == "economic" and kind == "basic":
            basic_table(extraction, table, section, unit, year)
        elif spec.read_as == "economic":
            economic_table(extraction, table, section, unit, year)
        elif spec.read_as == "sangong":
            sangong_table(extraction, table, section, unit, phase, year)
        elif spec.read_as == "operating_cost":
            operating_cost_table(extraction, table, section, unit, year)
        elif spec.read_as == "totals" and spec.total_metric:
            _table_total(extraction, table, spec.total_metric, section, unit)


def kind_of(table: Table) -> str | None:
    """The kind its title says, unless its header says 三公: a title cut short by a page break
    ("支出预算表" for 一般公共预算“三公”经费、会议费、培训费支出预算表, 江苏省人民检察院 2018)
    must not make a 三公 table's 合计 a total of the department's spending."""
    kind = table_kind(table.title)
    if kind != "sangong" and "三公" in compact(header_text(table)):
        return "sangong"  # also a title cut to "算表" by a wrapped line (江苏省人大办公厅 2017)
    return kind


def table_kind(title: str) -> str | None:
    return kind_of_title(title)


def _prints_functions(table: Table) -> bool:
    """Codes in a column or in the name cells, or names of the 支出功能分类 down the name column."""
    from ingest.parse.classification import resolve_function
    from ingest.parse.extractors.table_grid import code_in_name

    layout = function_layout(table)
    if layout.codes:
        return True
    names = [
        squash(row[layout.name].text)
        for row in data_rows(table)
        if layout.name is not None and layout.name < len(row) and row[layout.name].text.strip()
    ]
    if any(code_in_name(name) for name in names):
        return True
    return any(resolve_function(name).level == "类" for name in names[:40])


def _document_unit(document: Document) -> str | None:
    """The money unit most of the document's tables state, if any."""
    units = Counter(table.unit for table in document.tables if table.unit)
    return units.most_common(1)[0][0] if units else None


def _assumed_unit(extraction: Extraction, table: Table, document_unit: str | None) -> str:
    unit = document_unit or "万元"
    source = "the unit the document's other tables state" if document_unit else "no unit stated anywhere"
    extraction.warn("unit_missing", f"{table.title}: no unit printed, read as {unit} ({source})", table.locator)
    return unit


def _table_total(extraction: Extraction, table: Table, metric: str, section: str, unit: str) -> None:
    """The first total row's first amount (项目支出表, 政府采购表: read by their totals only)."""
    for cells in data_rows(table):
        if any(squash(c.text) in TOTAL_WORDS for c in cells):
            value = next((c.text.strip() for c in cells if parse_number(c.text) is not None), None)
            if value:
                extraction.money(
                    section=section,
                    metric=metric,
                    printed_value=value,
                    printed_unit=unit,
                    locator=row_locator(cells),
                    quote=row_quote(cells),
                )
            return


def _stated_zero(extraction: Extraction, document: Document, table: Table, kind: str, section: str) -> None:
    """本表无数据: the table's total is a stated zero."""
    metric = table_kinds()[kind].total_metric or None
    note = _empty_note(document, table, STATED_ZERO_NOTE_RE)
    if metric is None or not (table.is_empty or note):
        return
    rows = data_rows(table)
    total_row = next(
        (cells for cells in rows if any(squash(c.text) in TOTAL_WORDS for c in cells)),
        rows[0] if len(rows) == 1 else None,
    )
    locator = row_locator(total_row) if total_row else table.locator
    extraction.money(
        section=section,
        metric=metric,
        printed_value="0",
        printed_unit=table.unit or "万元",
        shown_as="本表无数据",
        locator=locator,
        quote=note or f"{table.title}: 本表无数据",
    )


def _empty_note(document: Document, table: Table, pattern) -> str:
    texts = [cell.text for row in table.rows for cell in row]
    page = table.locator.split("-")[0]
    texts += [line.text for line in document.lines if line.locator.split(" ")[0] == page]
    return next((t for t in texts if pattern.search(t)), "")
