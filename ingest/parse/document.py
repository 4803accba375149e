"""What every reader hands to the extractors: a document as lines and tables with locators.

Readers (one per format, in ``ingest/parse/readers/``) know about bytes, pages and cells;
extractors (``ingest/parse/extractors/``) only see :class:`Document`. A locator is a short
human-readable place in the source file: ``"line 23"``, ``"p.6"``, ``"p.6 row 4"``,
``"sheet 收入决算表!B7"``. Every figure the warehouse holds carries one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.parse.frozen import frozen


@frozen
class Line:
    """One line of running text in reading order."""

    text: str
    locator: str


@frozen
class Cell:
    text: str
    locator: str


@dataclass
class Table:
    """A table as rows of cells, in reading order.

    ``title`` is the nearest heading printed above the table (e.g. "收入决算表"),
    ``unit`` the unit the table declares ("万元" or "元"), when the reader saw one.
    ``header_rows`` tells how many leading rows are headers.
    """

    rows: list[list[Cell]]
    locator: str
    title: str = ""
    unit: str | None = None
    header_rows: int = 0
    is_empty: bool = False  # the table says 本表无数据: a stated zero, not a missing table
    columns: list = field(default_factory=list)  # reader's column geometry, when it has one
    number: str = ""  # the table's printed number, as printed ("表 1", "公开01表", "预算表 3"), "" when none
    # how the reader found the cells: "ruled" (drawn grid or real table markup), "aligned"
    # (columns of text aligned without rules), "text" (cells split from a line of plain text)
    layout: str = "ruled"


@dataclass
class Document:
    """A disclosure as the extractors see it, whatever its format."""

    source_file: str  # path relative to the disclosures folder, with forward slashes
    format: str  # "text" | "pdf" | "docx" | "xlsx" | "html"
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    page_count: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
