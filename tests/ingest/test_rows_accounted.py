"""Nothing lost unseen: every row with an amount, in a table of a kind the extractors read, ends
up in a record that points back at it (a line, a figure or a warning), in every shipped PDF.

The exceptions are the parts read on purpose by their totals only, listed below with why. A
parser change that drops a row without a word fails here (it found 2 lines of 301 whose 款 had
lost its leading zero, a wrapped 类 name, a 三公 table read as a 支出预算表).
"""

from __future__ import annotations

import re

import pytest

from ingest.parse.amounts import parse_number
from ingest.parse.extractors.summary_tables import SUB_ITEM_RE
from ingest.parse.extractors.table_grid import function_layout, is_column_number_row
from ingest.parse.extractors.tables import data_rows as _data_rows
from ingest.parse.extractors.tables import kind_of as _kind_of
from ingest.parse.extractors.tables import row_locator
from ingest.parse.passes import extract_document
from ingest.parse.readers.pdf import read_pdf
from ingest.parse.vocabulary import table_kinds
from tests.conftest import SAMPLES

# kinds read by their totals only, as the vocabulary says (seeds/ref_table_kind.csv read_as totals or
# none: 政府采购, 项目支出 by project, 绩效目标), and the 类 lines of a 财政拨款收支总表 (its totals are
# read; the 类 come from the 支出 tables)
TOTALS_ONLY = {kind for kind, spec in table_kinds().items() if spec.read_as in ("totals", "none")} | {
    "fiscal_grant_summary"
}
CODE_RE = re.compile(r"\d{3}(?:\s*\d{1,2}){0,2}")


def _code_columns(table) -> set[int]:
    layout = function_layout(table)
    return set(layout.codes) | layout.row_numbers


def _has_amount(cells, skipped: set[int] = frozenset()) -> bool:
    """A number in a cell that is no code part (the table's code and row-number columns are skipped)."""
    return any(
        parse_number(c.text) is not None and not CODE_RE.fullmatch(c.text.strip())
        for j, c in enumerate(cells)
        if j not in skipped
    )


def _read_by_its_group(kind: str, cells, title: str) -> bool:
    """Rows whose amount is read through another row on purpose."""
    texts = [c.text.strip() for c in cells]
    if kind == "income" and not texts[0]:
        return True  # "| 公共财政拨款(补助)资金 | 13,649.07": a part of the group whose 小计 is read
    if kind == "basic" and "一般公共预算" not in re.sub(r"\s", "", title) and "合计" in "".join(texts):
        return True  # the 合计 of a 财政拨款基本支出 table: no metric of its own (its lines are read)
    # "1.财政拨款结余、结转 | 7.34": a numbered part of the item above it, which is read
    return kind in ("summary", "fiscal_grant_summary") and bool(SUB_ITEM_RE.match(next((t for t in texts if t), "")))


@pytest.mark.parametrize(
    "path", sorted(p for p in SAMPLES.rglob("*.pdf") if "reference" not in p.parts), ids=lambda p: p.name[:30]
)
def test_every_row_with_an_amount_is_accounted_for(path):
    relative = str(path.relative_to(SAMPLES))
    document = read_pdf(path.read_bytes(), relative)
    extraction = extract_document(document, relative)
    pointed = {
        (getattr(record, "locator", "") or "").rsplit(" c.", 1)[0]
        for records in (extraction.function_lines, extraction.economic_lines, extraction.figures, extraction.warnings)
        for record in records
    }
    lost = [
        f"{kind} {row_locator(cells)}: {' | '.join(c.text for c in cells if c.text)}"
        for table in document.tables
        if (kind := _kind_of(table)) is not None and kind not in TOTALS_ONLY
        for skipped in [_code_columns(table)]
        for cells in _data_rows(table)
        if _has_amount(cells, skipped)
        and not _read_by_its_group(kind, cells, table.title)
        and not is_column_number_row([c.text for c in cells])
        and row_locator(cells) not in pointed
    ]
    assert lost == []
    # no figure or line comes from a column-number row ("栏次 | 1 | 2 | 3", "** | 1 | 2"): the columns'
    # own numbering, printed under the header and again on continuation pages
    figures_and_lines = {
        (getattr(record, "locator", "") or "").rsplit(" c.", 1)[0]
        for records in (extraction.function_lines, extraction.economic_lines, extraction.figures)
        for record in records
    }
    numbering_rows = {
        row_locator(cells)
        for table in document.tables
        for cells in table.rows
        if is_column_number_row([c.text for c in cells]) and row_locator(cells)
    }
    assert numbering_rows & figures_and_lines == set()
