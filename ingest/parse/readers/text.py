"""Reader for plain-text disclosures: a .docx dumped to text, or the text layer of a PDF.

Two kinds of text files arrive, told apart by their content:

- **a .docx saved as text** (the Sichuan sample): lines that start with a tab are table cells
  (one cell a line); a blank line ends a table row; any other non-blank line ends the table.
  ``[bookmark: …]`` markers that Word exporters leave behind are removed. Locators are 1-based
  line numbers of the file ("line 23").
- **a PDF's text layer** (``pdftotext``, PDFium): pages joined with form feeds, table rows as
  space-separated cells. A file with no tab-led lines that has form feeds, or several lines of
  several amounts, is read this way by ``text_tables``: its tables become ``Table``s
  (``layout="text"``) and the other lines running text, located "p.15 l.9" (page, line within
  the page; "line 9" when the file has no form feed).

Text printed in Traditional characters is converted to Simplified (``script.py``).
"""

from __future__ import annotations

import re

from ingest.parse.document import Cell, Document, Line, Table
from ingest.parse.readers.encoding import decode_text
from ingest.parse.readers.script import simplify_document
from ingest.parse.readers.text_tables import is_text_dump, read_dump

BOOKMARK_RE = re.compile(r"\[bookmark: [^\]]*\]")
TAB_LED_RE = re.compile(r"^\t", re.MULTILINE)


def read_text(data: bytes, source_file: str) -> Document:
    text, encoding_warning = decode_text(data)
    document = Document(source_file=source_file, format="text")
    if encoding_warning:
        document.warnings.append(encoding_warning)
    if not TAB_LED_RE.search(text) and is_text_dump(text):
        _read_pdf_dump(document, text)
    else:
        _read_docx_dump(document, text)
    return simplify_document(document)


def _read_pdf_dump(document: Document, text: str) -> None:
    lines, tables, warnings = read_dump(BOOKMARK_RE.sub("", text))
    document.lines.extend(lines)
    document.tables.extend(tables)
    document.warnings.extend(warnings)
    if "\f" in text:
        document.page_count = text.count("\f") + 1


def _read_docx_dump(document: Document, text: str) -> None:
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    table_start = 0

    def close_row() -> None:
        nonlocal row
        if row and any(cell.text for cell in row):
            rows.append(row)
        row = []

    def close_table() -> None:
        nonlocal rows
        close_row()
        if rows:
            document.tables.append(_table(rows, table_start))
        rows = []

    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("\t"):
            if not rows and not row:
                table_start = number
            row.append(Cell(_clean(raw), f"line {number}"))
        elif not raw.strip():
            if row:
                close_row()
        else:
            if rows or row:
                close_table()
            cleaned = _clean(raw)
            if cleaned:
                document.lines.append(Line(cleaned, f"line {number}"))
    close_table()


def _clean(raw: str) -> str:
    if "[bookmark: " in raw:  # most lines have no marker to remove
        raw = BOOKMARK_RE.sub("", raw)
    return raw.strip().replace("\u3000", " ").strip()


def _table(rows: list[list[Cell]], start_line: int) -> Table:
    title = ""
    for row in rows[:3]:
        texts = [cell.text for cell in row if cell.text]
        if len(texts) == 1 and "表" in texts[0]:
            title = texts[0]
            break
    return Table(rows=rows, locator=f"line {start_line}", title=title)
