"""Reader for disclosures published as web pages on government portals.

Parsed with lxml.html (libxml2's HTML parser, BSD; no network, no DTD), never with regular
expressions over markup. A portal page carries the page title, an information block
(索引号 / 发布机构 / 发文时间 …), the body text and the tables; the reader gives:

- lines in reading order, one per block element (``p``, ``div``, ``h1``…, ``li``, a cell of a
  layout table); a ``<br>`` splits a block into lines with the same locator. The page
  ``<title>`` comes first, located ``"title"``. The information block becomes one line per
  field ("发布机构：XXX"), whether it is printed as one run of text or as label and value
  cells of a small table, so identity reads 发布机构 like any labelled name;
- tables: every ``<table>`` that holds data; a table holding another table or a heading, of
  one column, or with a cell over 500 characters lays out the page and is read as running text. ``rowspan`` and
  ``colspan`` are laid out on a grid: the text once, at its first position, covered
  positions "";
- locators name the element the way XPath ``(//tag)[k]`` does: ``"p[12]"`` is the page's
  12th ``<p>``; cells ``"table[1] r3c2"`` by grid row and column from 1.

Inline elements never end a line: a Word-to-HTML page that splits "2026年" or "1,066.60"
over several ``<span>``s reads them whole.

What is not the disclosure is not read: ``script``, ``style``, ``nav``, ``header``, ``footer``
and the like; a block of ``NAVIGATION_LINKS`` links or more whose text is at least
``LINK_SHARE`` link text (menus, breadcrumbs, lists of related sites, however the site tags
them; a paragraph that is one link to an attachment stays); and the text after the *article*,
the innermost element that holds at least ``ARTICLE_SHARE`` of the page's remaining text and
every table (the site footer with its 主办单位 and ICP lines). What comes before the article
(the page's own title line, 来源 / 发布机构 / 发布时间) is read.

A web page that is a PDF converted to HTML (every text run and cell border an absolutely
positioned element, no table markup) is read by its geometry with the PDF reader's table
functions: see ``html_positioned.py`` (lines ``"pg.3 l.5"``, cells ``"pg.3 r.4 c.2"``).

Whitespace follows the browser: runs collapse to one space, except a line break between two
Chinese characters, which disappears. The encoding is UTF-8 when the bytes are UTF-8, else the
one the page declares in ``<meta>`` (GB2312/GBK read as GB18030, their superset), else GB18030.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from ingest.parse.document import Cell, Document, Line
from ingest.parse.readers.common import build_table, caption_before, clean_text
from ingest.parse.readers.encoding import decode_text
from ingest.parse.readers.html_positioned import is_positioned, page_boxes, read_pages
from ingest.parse.readers.script import simplify_document

DROPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "nav",
    "header",
    "footer",
    "aside",
    "head",
    "button",
    "select",
    "svg",
    "object",
    "embed",
    "form",
}
BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "center",
    "address",
    "figcaption",
    "caption",
    "ul",
    "ol",
    "dl",
    "td",
    "th",
    "tr",
    "figure",
    "body",
    "html",
}
META_LABELS = (
    "索引号",
    "发布机构",
    "发文机关",
    "发文时间",
    "发文日期",
    "发布时间",
    "发布日期",
    "成文日期",
    "发文字号",
    "文号",
    "主题分类",
    "公开方式",
    "公开范围",
    "信息来源",
    "来源",
    "生成日期",
    "日期",
)
META_RE = re.compile("(?:" + "|".join(META_LABELS) + r")\s*[:：]")
BARE_LABEL_RE = re.compile("^(?:" + "|".join(META_LABELS) + r")\s*[:：]?$")
CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
CJK_BREAK_RE = re.compile(rf"(?<={CJK})[ \t\r\f\v]*\n\s*(?={CJK})")
SPACES_RE = re.compile(r"[ \t\r\n\f\v]+")
VISIBLE_RE = re.compile(r"\s+")  # str patterns: \s covers no-break and full-width spaces too
BREAK = "\x00"  # stands for <br> and block edges while text is gathered (never in parsed text)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
NAVIGATION_BLOCKS = (BLOCKS - {"body", "html"}) | {"table", "nav", "menu"}
LAYOUT_CELL_CHARS = 500
LINK_SHARE = 0.5  # a block whose visible text is at least this share link text is navigation,
NAVIGATION_LINKS = 2  # when it holds at least this many links
ARTICLE_SHARE = 0.8  # the article holds at least this share of the text outside navigation
GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936", "hz-gb-2312"}


def read_html(data: bytes, source_file: str) -> Document:
    text, warning = decode_html(data)
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)
    root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    document = Document(source_file=source_file, format="html")
    if warning:
        document.warnings.append(warning)
    _Page(root, document).read()
    return simplify_document(document)


def decode_html(data: bytes) -> tuple[str, str | None]:
    """The page's text and a warning when it was not UTF-8 (see the module docstring)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared and declared not in GB_FAMILY:
        try:
            return data.decode(declared), f"encoding: decoded as {declared} (declared by the page)"
        except (UnicodeDecodeError, LookupError):
            pass
    return decode_text(data)


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` declares, read from the markup parsed as Latin-1 (tags are ASCII)."""
    root = lxml.html.document_fromstring(data[:65536].decode("latin-1"))
    for meta in root.iter("meta"):
        charset = meta.get("charset")
        if not charset and (meta.get("http-equiv") or "").lower() == "content-type":
            content = meta.get("content") or ""
            charset = content.lower().partition("charset=")[2].split(";")[0]
        if charset:
            name = charset.strip().strip("'\"").lower()
            try:
                codecs.lookup(name)
            except LookupError:
                continue
            return name
    return None


def collapse(text: str) -> str:
    """Browser whitespace: a line break between Chinese characters vanishes, other runs become one space."""
    return SPACES_RE.sub(" ", CJK_BREAK_RE.sub("", text))


class _Page:
    def __init__(self, root, document: Document) -> None:
        self.root = root
        self.document = document
        self.index: dict[object, str] = {}
        counts: dict[str, int] = {}
        for element in root.iter(etree.Element):
            tag = element.tag if isinstance(element.tag, str) else ""
            counts[tag] = counts.get(tag, 0) + 1
            self.index[element] = f"{tag}[{counts[tag]}]"
        self.buffer: list[str] = []
        self.lines_before_table = 0
        body = root.find("body")
        self.body = body if body is not None else root
        self.chars, self.navigation = _text_shares(root)
        self.article = _article(self.body, self.chars, self.navigation)
        self.after_article = False
        self.boxes = set(page_boxes(self.body, self.chars.get(self.body, 0), lambda e: self.chars.get(e, 0)))
        self.boxes_read = False

    def read(self) -> None:
        title = self.root.find("head/title")
        if title is not None and clean_text(collapse(title.text_content())):
            self.document.lines.append(Line(clean_text(collapse(title.text_content())), "title"))
        self._flow(self.body, "body")
        self._flush("body")

    def _positioned(self) -> None:
        """All page boxes of a PDF-to-HTML page, read once by their geometry where the first stands."""
        if self.boxes_read:
            return
        self.boxes_read = True
        ordered = [element for element in self.root.iter(etree.Element) if element in self.boxes]
        found = read_pages(ordered, flowed={box for box in ordered if box is self.body or box is self.root})
        self.document.lines.extend(found.lines)
        self.document.tables.extend(found.tables)
        self.document.warnings.extend(found.warnings)
        self.document.page_count = found.page_count
        self.lines_before_table = len(self.document.lines)

    # -- running text ---------------------------------------------------------------------
    def _flow(self, element, locator: str) -> None:
        box = element in self.boxes  # <body> holding the positioned elements itself: read where the first stands
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in DROPPED and child not in self.navigation:
                if child in self.boxes or (box and is_positioned(child)):
                    self._flush(locator)
                    self._positioned()
                elif tag == "br":
                    self.buffer.append(BREAK)
                elif tag == "table":
                    self._flush(locator)
                    self._table(child)
                elif tag in BLOCKS:
                    self._flush(locator)
                    self._flow(child, self.index[child])
                    self._flush(self.index[child])
                else:
                    self._flow(child, locator)
                if child is self.article:
                    self._flush(locator)
                    self.after_article = True
            if child.tail:
                self.buffer.append(child.tail)

    def _flush(self, locator: str) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if self.after_article:
            return  # the site's footer
        for piece in collapse_keep_breaks(text).split(BREAK):
            for line in split_meta(clean_text(piece)):
                if line:
                    self.document.lines.append(Line(line, locator))

    # -- tables ---------------------------------------------------------------------------
    def _table(self, table) -> None:
        if self.after_article:
            return  # the article holds every table with text: this one is the footer's layout
        rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
        grid = _grid(rows)
        if _is_layout(table, grid):
            for tr in rows:
                for cell in tr:
                    if isinstance(cell.tag, str) and cell.tag in ("td", "th"):
                        self._flow(cell, self.index[cell])
                        self._flush(self.index[cell])
            return
        locator = self.index[table]
        cells = [
            [Cell(text, f"{locator} r{r}c{c}") for c, text in enumerate(row, start=1)]
            for r, row in enumerate(grid, start=1)
        ]
        if _is_meta_table(cells):
            self._meta_lines(cells)
            return
        caption = table.find("caption")
        title, unit = caption_before(self.document.lines[self.lines_before_table :])
        if caption is not None and clean_text(collapse(caption.text_content())):
            title = clean_text(collapse(caption.text_content()))
        self.document.tables.append(build_table(cells, locator, title, unit))
        self.lines_before_table = len(self.document.lines)

    def _meta_lines(self, cells: list[list[Cell]]) -> None:
        for row in cells:
            filled = [cell for cell in row if cell.text]
            i = 0
            while i < len(filled):
                cell = filled[i]
                following = filled[i + 1] if i + 1 < len(filled) else None
                if BARE_LABEL_RE.match(cell.text) and following is not None and not META_RE.match(following.text):
                    label = cell.text.rstrip(":： ")
                    self.document.lines.append(Line(f"{label}：{following.text}", cell.locator))
                    i += 2
                    continue
                for line in split_meta(cell.text):
                    self.document.lines.append(Line(line, cell.locator))
                i += 1


def collapse_keep_breaks(text: str) -> str:
    """Collapse whitespace inside each ``<br>``-separated piece, keeping the separators."""
    return BREAK.join(collapse(piece) for piece in text.split(BREAK))


def split_meta(text: str) -> list[str]:
    """ "索引号：123 发布机构：XX局 发文时间：2024-09-01" → one line per field; other text unchanged."""
    starts = [m.start() for m in META_RE.finditer(text)]
    if len(starts) < 2:
        return [text]
    pieces = [text[: starts[0]]] + [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    return [clean_text(piece) for piece in pieces if clean_text(piece)]


def _owner(element):
    """The nearest enclosing <table> of an element."""
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(cell, attribute: str) -> int:
    try:
        return max(1, min(int((cell.get(attribute) or "1").strip()), 1000))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    pieces: list[str] = []

    def walk(element) -> None:
        if element.text:
            pieces.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in DROPPED:
                if tag == "br" or tag in BLOCKS:
                    pieces.append(BREAK)
                if tag != "br":
                    walk(child)
                if tag in BLOCKS:
                    pieces.append(BREAK)
            if child.tail:
                pieces.append(child.tail)

    walk(cell)
    parts = [clean_text(part) for part in collapse_keep_breaks("".join(pieces)).split(BREAK)]
    return "\n".join(part for part in parts if part)


def _grid(rows) -> list[list[str]]:
    """Rows of cell texts with rowspan/colspan laid out: text at the first position, "" elsewhere."""
    grid: list[list[str]] = []
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        row: dict[int, str] = {}
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            row[c] = _cell_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            c += colspan
        width = max([c for (rr, c) in taken if rr == r] + list(row), default=-1) + 1
        grid.append([row.get(i, "") for i in range(width)])
    width = max((len(row) for row in grid), default=0)
    return [row + [""] * (width - len(row)) for row in grid]


def _is_layout(table, grid: list[list[str]]) -> bool:
    """A table that lays out the page rather than holding figures: it holds another table or a
    heading, has a single column, or has a cell of more than ``LAYOUT_CELL_CHARS`` characters."""
    if max((len(row) for row in grid), default=0) <= 1:
        return True
    if any(len(text) > LAYOUT_CELL_CHARS for row in grid for text in row):
        return True
    return any(inner is not table for inner in table.iter("table", *HEADINGS))


def _is_meta_table(cells: list[list[Cell]]) -> bool:
    """A small table of page information (索引号, 发布机构, …), not a table of figures."""
    labels = sum(1 for row in cells for cell in row if META_RE.match(cell.text) or BARE_LABEL_RE.match(cell.text))
    return labels >= 2 and len(cells) <= 6


def _text_shares(root) -> tuple[dict, set]:
    """Readable characters per element (outside navigation), and the navigation blocks.

    One pass, children before parents. A block is navigation when it holds at least
    ``NAVIGATION_LINKS`` links and at least ``LINK_SHARE`` of its visible text sits in links (a
    menu, a breadcrumb trail, a list of related sites; a paragraph that is one link to an
    attachment is not); its characters then count for nothing in its ancestors."""
    readable: dict = {}
    printed: dict = {}  # visible characters, navigation included
    linked: dict = {}  # of which in links
    anchors: dict = {}  # links with text
    navigation: set = set()
    for element in reversed(list(root.iter(etree.Element))):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in DROPPED:
            readable[element] = printed[element] = linked[element] = anchors[element] = 0
            continue
        own = _visible(element.text)
        total, links, count, kept = own, 0, 0, own
        for child in element:
            tail = _visible(child.tail)
            total += printed.get(child, 0) + tail
            links += linked.get(child, 0)
            count += anchors.get(child, 0)
            kept += readable.get(child, 0) + tail
        if tag == "a" and total:
            links, count = total, 1
        if total and tag in NAVIGATION_BLOCKS and count >= NAVIGATION_LINKS and links >= LINK_SHARE * total:
            navigation.add(element)
            kept = 0
        readable[element], printed[element], linked[element], anchors[element] = kept, total, links, count
    return readable, navigation


def _article(body, chars: dict, navigation: set):
    """The innermost element holding at least ``ARTICLE_SHARE`` of the page's readable text and
    every table outside navigation (so that a table after the text, and its caption, is never
    taken for the footer)."""
    total = chars.get(body, 0)
    holders = None  # the elements that hold every table
    for table in body.iter("table"):
        ancestors = set(table.iterancestors())
        if chars.get(table, 0) and not (ancestors | {table}) & navigation:
            holders = ancestors if holders is None else holders & ancestors
    article = body
    while total:
        inner = next(
            (
                child
                for child in article
                if chars.get(child, 0) >= ARTICLE_SHARE * total and (holders is None or child in holders)
            ),
            None,
        )
        if inner is None:
            return article
        article = inner
    return article


def _visible(text: str | None) -> int:
    """Printed characters: all but white space (no-break and full-width spaces included)."""
    return len(VISIBLE_RE.sub("", text)) if text else 0
