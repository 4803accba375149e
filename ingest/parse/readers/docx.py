"""Reader for Word .docx disclosures: paragraphs and real Word tables, in body order.

The package is checked first (``safety.open_office_zip``: ZIP bomb limits, no DTD in any XML
part), then opened with python-docx (MIT), whose lxml parser does not substitute entities.
The body is walked in order, so a table sits between the paragraphs around it:

- each body paragraph is a :class:`Line` located ``"para N"`` (N counts the body's paragraphs
  from 1, empty ones included, so N is stable; a line break inside a paragraph splits it into
  lines with the same locator). Headings are paragraphs, so they are their own lines. Text in
  text boxes and drawings is not read.
- each table is a :class:`Table` located ``"table T"``; its cells ``"table T rRcC"`` by Word row R
  and grid column C (from 1). A cell merged across columns (``gridSpan``) or rows (``vMerge``)
  gives its text once, at its first position; the positions it covers are "" so every row
  lines up with the header. A cell holding several paragraphs joins them with a newline.

Tracked deletions are not read (``w:delText``), tracked insertions are; field codes are not,
their shown results are. Automatic list numbers (一、 made by Word's numbering, not typed) are
not rendered: extractors know sections by the words of their headings, not their numbers.
"""

from __future__ import annotations

import io

from ingest.parse.document import Cell, Document, Line, Table
from ingest.parse.readers.common import build_table, caption_before, clean_text
from ingest.parse.readers.safety import DamagedDocument, open_office_zip
from ingest.parse.readers.script import simplify_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# wrappers whose children are body content (content controls, custom XML, smart tags)
WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}
# subtrees whose text is not running text: properties, text boxes, duplicated fallbacks, deletions
SKIPPED = {W + "pPr", W + "rPr", W + "txbxContent", MC + "Fallback", W + "del", W + "instrText", W + "delText"}
CHARACTERS = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


def read_docx(data: bytes, source_file: str) -> Document:
    open_office_zip(data, "docx").close()
    import docx  # python-docx; imported here so the other readers load without it

    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError or its own package errors
        raise DamagedDocument(f"not a readable Word document: {type(error).__name__}: {error}") from None
    document = Document(source_file=source_file, format="docx")
    _Body(document).read(word.element.body)
    return simplify_document(document)


class _Body:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.paragraphs = 0
        self.lines_before_table = 0  # lines[this:] were printed after the previous table

    def read(self, element) -> None:
        for child in element:
            if child.tag == W + "p":
                self.paragraphs += 1
                locator = f"para {self.paragraphs}"
                for piece in paragraph_text(child).split("\n"):
                    text = clean_text(piece)
                    if text:
                        self.document.lines.append(Line(text, locator))
            elif child.tag == W + "tbl":
                self.document.tables.append(self._table(child, len(self.document.tables) + 1))
            elif child.tag in WRAPPERS:
                self.read(child)

    def _table(self, tbl, number: int) -> Table:
        locator = f"table {number}"
        grid = table_grid(tbl)
        rows = [
            [Cell(text, f"{locator} r{r}c{c}") for c, text in enumerate(row, start=1)]
            for r, row in enumerate(grid, start=1)
        ]
        title, unit = caption_before(self.document.lines[self.lines_before_table :])
        self.lines_before_table = len(self.document.lines)
        return build_table(rows, locator, title, unit)


def paragraph_text(element) -> str:
    """The text of a paragraph (or any run container) as Word shows it."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIPPED:
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag in CHARACTERS:
                parts.append(CHARACTERS[tag])
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _children(element, tag: str):
    """Direct children with ``tag``, looking through content-control and custom-XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in WRAPPERS:
            yield from _children(child, tag)


def _int_attribute(element, path: str, default: int) -> int:
    found = element.find(path)
    if found is None:
        return default
    try:
        return int(found.get(W + "val", default))
    except ValueError:
        return default


def table_grid(tbl) -> list[list[str]]:
    """Cell texts on the table's grid: merged cells give their text once, covered positions are ""."""
    width = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    grid: list[list[str]] = []
    for tr in _children(tbl, W + "tr"):
        row: list[str] = [""] * _int_attribute(tr, f"{W}trPr/{W}gridBefore", 0)
        for tc in _children(tr, W + "tc"):
            span = max(1, _int_attribute(tc, f"{W}tcPr/{W}gridSpan", 1))
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continued = merge is not None and merge.get(W + "val", "continue") != "restart"
            row.append("" if continued else _cell_text(tc))
            row.extend([""] * (span - 1))
        grid.append(row)
    width = max([width] + [len(row) for row in grid])
    return [row + [""] * (width - len(row)) for row in grid]


def _cell_text(tc) -> str:
    texts = []
    for child in tc.iter(W + "p"):
        text = clean_text(paragraph_text(child))
        if text:
            texts.append(text)
    return "\n".join(texts)
