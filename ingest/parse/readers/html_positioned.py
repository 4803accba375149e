"""Web pages that are a PDF converted to HTML: every text run and every cell border is an
absolutely positioned element (``left``/``top``/``width``/``height`` in its inline CSS) inside
one box per printed page, and there is no table markup.

Read as text, such a page gives one cell per line and header cells broken mid-word. So the
page geometry is rebuilt and handed to the PDF reader's own functions (``ingest/parse/readers/pdf.py``:
ruled tables, captions, continued tables, page numbers, paragraphs), and the tables come out as
``Table`` objects exactly as they would from the PDF:

- **pages**: the nearest not absolutely positioned ancestor of positioned elements (the
  converter's ``<div class="page" style="width:595pt;height:842pt">``, or ``<body>`` itself when
  the runs stand in it), in document order; the page height is that box's CSS height (the PDF
  reader drops page numbers in its margins).
- **glyphs**: a positioned element's text (inline children included) starts at its ``left`` /
  ``top`` (offsets of positioned ancestors added) and is split into one box per character, each
  as wide as its font size for wide (Chinese, full-width) characters and ``NARROW_WIDTH`` of it
  for narrow ones (digits, Latin, ASCII punctuation): the converter gives no width (``width:auto``),
  and a run of digits right-aligned in its cell lines up this way on the sample pages (the runs
  "28,685.65" and "218.00" of one column end within 0.1pt of each other, and none of the 3,757
  runs of 烟台's 53 pages crosses a cell border). When an element does give a width and the
  text would overflow it, the advances are squeezed to fit. The box is the font size high,
  centred in the CSS line height. ``<br>`` and a block child start a new line of the element.
- **rules**: each side of an element with a visible border (``border``, ``border-top`` …) is a
  horizontal or vertical rule at that edge; an element no thicker than ``RULE_THICKNESS`` with
  a background colour is a rule too (a border drawn as a thin filled box).
- sizes in pt, px (0.75pt), in, cm, mm, pc, em; everything is converted to points, the unit the
  PDF reader's tolerances are written in.

Locators: ``"pg.N l.M"`` for a paragraph (line M of positioned page N, its first line), ``"pg.N
r.K c.C"`` for a cell, ``"pg.N"`` / ``"pg.N-M"`` for a table; N counts the page boxes from 1 and
K the rows with text of that table on that page, as the PDF reader's ``"p.N …"`` do ("pg" so that
a web page's page box is not taken for a PDF page or for a ``<p>`` element).

A document is read this way when at least ``MIN_POSITIONED_TEXTS`` positioned elements carry
text and hold at least ``POSITIONED_SHARE`` of the page's readable text (``html.py`` decides).
Text inside a page box that has no position of its own cannot be placed: it is not read and the
document carries a warning that says how much. Only inline ``style`` attributes are read: a
converter that positions its runs through classes of a style sheet is read as running text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ingest.parse.document import Cell, Line, Table
from ingest.parse.readers.pdf import Glyph, _caption, _join, _lattice, _notes, _page_lines, _paragraphs
from ingest.parse.readers.pdf_aligned import aligned_tables

MIN_POSITIONED_TEXTS = 30  # positioned elements with text, at least, for a page to be read by its geometry
POSITIONED_SHARE = 0.5  # share of the page's readable text they must hold
NARROW_WIDTH = 0.5  # advance of a narrow character (digit, Latin letter, ASCII sign), in font sizes
DEFAULT_FONT_SIZE = 12.0  # points: a browser's 16px when no font-size is given
NORMAL_LINE_HEIGHT = 1.2  # line height in font sizes when none is given (CSS "normal")
RULE_THICKNESS = 3.0  # points: a filled box no thicker than this is a rule (pdf.py's THIN)
RULE_LENGTH = 4.0  # points: shorter borders are decorations, not rules (pdf.py's MIN_RULE)
POINTS = {"pt": 1.0, "px": 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pc": 12.0, "": 0.75}
LENGTH_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(pt|px|in|cm|mm|pc|em|rem)?\s*$", re.IGNORECASE)
ZERO_WIDTH = {"\ufeff", "\u200b", "\u200c", "\u200d"}
BLANKS = {"\u00a0", "\u3000"} | ZERO_WIDTH
BORDER_STYLES = {"solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset", "none", "hidden"}
INVISIBLE_BORDERS = {"none", "hidden"}
MEDIUM_BORDER = 2.25  # points: a border with a style and no width is "medium" (3px)
TRANSPARENT = {"transparent", "none", "initial", "inherit", ""}
SKIPPED = {"script", "style", "noscript", "template", "head"}
LINE_BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "dt", "dd"}
LOCATOR_PREFIX_RE = re.compile(r"^p\.(?=\d)")
WHITESPACE_RE = re.compile(r"[ \t\r\n\f]+")
ABSOLUTE_RE = re.compile(r"(?:^|;)\s*position\s*:\s*absolute\b", re.IGNORECASE)
OFFSET_RE = re.compile(r"(?:^|;)\s*(?:top|left)\s*:", re.IGNORECASE)


@dataclass
class PositionedRead:
    lines: list[Line]
    tables: list[Table]
    page_count: int
    warnings: list[str]


# ---------------------------------------------------------------------------------------
# which elements are positioned, and which boxes are pages


def style_of(element) -> dict[str, str]:
    """The element's inline CSS as {property: value}, properties lower case."""
    declarations: dict[str, str] = {}
    for part in (element.get("style") or "").split(";") if isinstance(element.tag, str) else ():
        name, colon, value = part.partition(":")
        if colon:
            declarations[name.strip().lower()] = value.strip()
    return declarations


def is_positioned(element) -> bool:
    """Absolutely positioned, with a ``top`` or a ``left`` of its own."""
    declared = element.get("style") if isinstance(element.tag, str) else None
    return bool(declared and ABSOLUTE_RE.search(declared) and OFFSET_RE.search(declared))


def page_boxes(body, readable_chars: int, chars_of) -> list:
    """The page boxes of a PDF-to-HTML page, in document order; [] for any other page.

    ``chars_of(element)`` is the number of readable characters an element holds (html.py
    counts them once for the whole page)."""
    outermost = [element for element in positioned_within(body) if chars_of(element)]
    if len(outermost) < MIN_POSITIONED_TEXTS:
        return []
    boxes: list = []
    for element in outermost:
        box = element.getparent()
        if box is not None and box not in boxes:
            boxes.append(box)
    held = sum(chars_of(box) for box in boxes)
    if readable_chars <= 0 or held < POSITIONED_SHARE * readable_chars:
        return []
    return boxes


def positioned_within(element, outside: list[int] | None = None):
    """The outermost positioned elements inside ``element``, in document order. ``outside``
    (a one-item list) counts the printed characters that lie outside all of them."""
    if outside is not None:
        outside[0] += _visible(element.text)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in SKIPPED:
            if is_positioned(child):
                yield child
            else:
                yield from positioned_within(child, outside)
        if outside is not None:
            outside[0] += _visible(child.tail)


def _visible(text: str | None) -> int:
    return sum(1 for char in text or "" if not _is_blank(char)) if text else 0


# ---------------------------------------------------------------------------------------
# reading the pages


def read_pages(boxes: list, flowed=frozenset()) -> PositionedRead:
    """Lines and tables of the page boxes, read as the PDF reader reads its pages (the page loop
    of ``pdf._read_document``, with glyphs and rules from the CSS instead of PDFium). The
    static text of a box in ``flowed`` (the ``<body>`` itself holding the positioned elements)
    is read as running text by the caller, so it is not counted as unplaced."""
    grids = []
    paragraphs: list[list] = []
    carried = None
    continued = None
    unplaced = 0
    for number, box in enumerate(boxes, start=1):
        glyphs, rules, height, lost = page_geometry(box)
        unplaced += 0 if box in flowed else lost
        page_grids, outside = _lattice(glyphs, rules, number)
        lines = _page_lines(outside, height)
        aligned, lines, continued = aligned_tables(lines, number, continued)
        if aligned:
            page_grids = sorted(page_grids + aligned, key=lambda grid: grid.top)
        carried = _caption(page_grids, lines, carried)
        grids.extend(page_grids)
        _notes(page_grids, lines)
        paragraphs.extend(_paragraphs(lines, number, paragraphs))
    warnings = []
    if unplaced:
        warnings.append(f"positioned page: {unplaced} characters of text without a position of their own: not read")
    lines = [Line(text, relabel(locator)) for text, locator, _ in paragraphs if text]
    tables = [_relabelled(table) for table in _join(grids)]
    return PositionedRead(lines, tables, len(boxes), warnings)


def relabel(locator: str) -> str:
    """The PDF reader's "p.3 l.5" / "p.3 r.4 c.2" / "p.3-4" as this reader's "pg.…"."""
    return LOCATOR_PREFIX_RE.sub("pg.", locator)


def _relabelled(table: Table) -> Table:
    table.rows = [[Cell(cell.text, relabel(cell.locator)) for cell in row] for row in table.rows]
    table.locator = relabel(table.locator)
    return table


def page_geometry(box) -> tuple[list[Glyph], tuple[list, list], float, int]:
    """Glyphs, (horizontal, vertical) rules and height of one page box, in points, and the number
    of printed characters inside it that have no position."""
    glyphs: list[Glyph] = []
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    box_style = style_of(box)
    base_size = length(box_style.get("font-size", ""), DEFAULT_FONT_SIZE) or DEFAULT_FONT_SIZE
    bottom = 0.0
    unplaced = [0]
    # (element, x and y of its containing block, inherited font size), in document order
    pending = [(element, 0.0, 0.0, base_size) for element in reversed(list(positioned_within(box, unplaced)))]
    while pending:
        element, x, y, size = pending.pop()
        style = style_of(element)
        size = length(style.get("font-size", ""), size) or size
        left = x + (length(style.get("left", ""), size) or 0.0)
        top = y + (length(style.get("top", ""), size) or 0.0)
        width = length(style.get("width", ""), size)
        height = length(style.get("height", ""), size)
        leaf = len(element) == 0
        blank = leaf and not (element.text or "").strip()  # a cell border drawn as an empty box
        placed = [] if blank else _element_glyphs(element, left, top, width, size, style)
        glyphs.extend(placed)
        _element_rules(style, left, top, width, height, size, horizontal, vertical)
        bottom = max([bottom, top + (height or 0.0)] + [glyph.bottom for glyph in placed])
        if not leaf:
            pending.extend((child, left, top, size) for child in reversed(list(positioned_within(element))))
    page_height = length(box_style.get("height", ""), base_size) or bottom
    return glyphs, (horizontal, vertical), page_height, unplaced[0]


@lru_cache(maxsize=4096)
def length(value: str, font_size: float) -> float | None:
    """A CSS length in points; None for "auto", percentages and what cannot be read."""
    match = LENGTH_RE.match(value or "")
    if not match:
        return None
    number, unit = float(match.group(1)), (match.group(2) or "").lower()
    if unit in ("em", "rem"):
        return number * font_size
    return number * POINTS[unit]


# -- text -------------------------------------------------------------------------------


def _element_glyphs(element, left: float, top: float, width: float | None, size: float, style) -> list[Glyph]:
    """One glyph per visible character of the element's own text (inline children included,
    positioned descendants not), laid out left to right from its top-left corner."""
    runs = _text_runs(element, size)  # lines of (character, font size)
    glyphs: list[Glyph] = []
    spacing = length(style.get("letter-spacing", ""), size) or 0.0
    line_top = top
    for run in runs:
        if not run:
            line_top += _line_height(style, size)
            continue
        advances = [_advance(char, char_size) + spacing for char, char_size in run]
        natural = sum(advances)
        scale = width / natural if width and natural > width else 1.0
        x = left
        line_size = max(char_size for _, char_size in run)
        lead = max(0.0, (_line_height(style, line_size) - line_size) / 2)
        for (char, char_size), advance in zip(run, advances):
            step = advance * scale
            if not _is_blank(char):
                glyph_top = line_top + lead + (line_size - char_size)
                glyphs.append(Glyph(char, x, x + step - spacing * scale, glyph_top, glyph_top + char_size))
            x += step
        line_top += _line_height(style, line_size)
    return glyphs


def _text_runs(element, size: float) -> list[list[tuple[str, float]]]:
    """The element's text as lines of (character, font size); ``<br>`` and block children start a
    new line, positioned descendants are skipped (they are read as elements of their own)."""
    lines: list[list[tuple[str, float]]] = [[]]

    def add(text: str | None, char_size: float) -> None:
        for char in WHITESPACE_RE.sub(" ", text or ""):  # a browser collapses runs of white space
            lines[-1].append((char, char_size))

    def walk(node, char_size: float) -> None:
        add(node.text, char_size)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in SKIPPED and not is_positioned(child):
                if child.tag == "br":
                    lines.append([])
                else:
                    inner = length(style_of(child).get("font-size", ""), char_size) or char_size
                    if child.tag in LINE_BLOCKS and lines[-1]:
                        lines.append([])
                    walk(child, inner)
                    if child.tag in LINE_BLOCKS:
                        lines.append([])
            add(child.tail, char_size)

    walk(element, size)
    return [_trimmed(line) for line in lines]


def _trimmed(run: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Collapsed leading/trailing ASCII spaces (a browser drops them); full-width spaces are
    printed characters that indent the text, so they stay."""
    start, end = 0, len(run)
    while start < end and run[start][0] == " ":
        start += 1
    while end > start and run[end - 1][0] == " ":
        end -= 1
    return run[start:end]


def _advance(char: str, size: float) -> float:
    """Wide (Chinese, full-width, and the ambiguous signs “ ” — ① a Chinese font prints wide)
    take the font size; the rest, the no-break space included, ``NARROW_WIDTH`` of it."""
    if char in ZERO_WIDTH:
        return 0.0
    if char != "\u00a0" and unicodedata.east_asian_width(char) in ("W", "F", "A"):
        return size
    return size * NARROW_WIDTH


def _is_blank(char: str) -> bool:
    return char.isspace() or char in BLANKS or ord(char) < 32


def _line_height(style: dict[str, str], size: float) -> float:
    value = style.get("line-height", "")
    match = LENGTH_RE.match(value)
    if match and not match.group(2):
        return float(match.group(1)) * size  # a unitless line height multiplies the font size
    return length(value, size) or NORMAL_LINE_HEIGHT * size


# -- rules ------------------------------------------------------------------------------


def _element_rules(style, left, top, width, height, size, horizontal, vertical) -> None:
    """The element's visible borders, and the element itself when it is a thin filled box."""
    w, h = width or 0.0, height or 0.0
    borders = tuple((name, value) for name, value in style.items() if name.startswith("border"))
    top_width, right_width, bottom_width, left_width = _border_sides(borders, size) if borders else (0, 0, 0, 0)
    outer_w = w + left_width + right_width
    outer_h = h + top_width + bottom_width
    if top_width and outer_w >= RULE_LENGTH:
        horizontal.append((top + top_width / 2, left, left + outer_w))
    if bottom_width and outer_w >= RULE_LENGTH:
        horizontal.append((top + top_width + h + bottom_width / 2, left, left + outer_w))
    if left_width and outer_h >= RULE_LENGTH:
        vertical.append((left + left_width / 2, top, top + outer_h))
    if right_width and outer_h >= RULE_LENGTH:
        vertical.append((left + left_width + w + right_width / 2, top, top + outer_h))
    if top_width or right_width or bottom_width or left_width or not _filled(style):
        return
    if h <= RULE_THICKNESS and w >= RULE_LENGTH:
        horizontal.append((top + h / 2, left, left + w))
    elif w <= RULE_THICKNESS and h >= RULE_LENGTH:
        vertical.append((left + w / 2, top, top + h))


@lru_cache(maxsize=4096)
def _border_sides(items: tuple[tuple[str, str], ...], size: float) -> tuple[float, float, float, float]:
    """Widths of the visible top, right, bottom and left borders of a style's ``border…``
    declarations (0 where none)."""
    style = dict(items)
    return tuple(_border_width(style, side, size) for side in ("top", "right", "bottom", "left"))


def _border_width(style: dict[str, str], side: str, size: float) -> float:
    """The width of one visible border side, 0 when there is none ("border-bottom:0.5pt solid #000",
    "border:1px solid", "border-width:0 0 1px 0; border-style:solid")."""
    words: list[str] = []
    for name in ("border", f"border-{side}"):
        if name in style:
            words = style[name].split()
    width = (
        style.get(f"border-{side}-width")
        or _per_side(style.get("border-width"), side)
        or next((w for w in words if LENGTH_RE.match(w)), None)
    )
    kind = (
        style.get(f"border-{side}-style")
        or _per_side(style.get("border-style"), side)
        or next((w for w in words if w.lower() in BORDER_STYLES), "")
    )
    if not kind or kind.lower() in INVISIBLE_BORDERS:
        return 0.0
    if width is None:
        return MEDIUM_BORDER
    return max(length(width, size) or 0.0, 0.0)


def _per_side(value: str | None, side: str) -> str | None:
    """One side's value of a 1–4 value CSS shorthand (top, right, bottom, left)."""
    if not value:
        return None
    values = value.split()
    order = {"top": 0, "right": 1, "bottom": 2, "left": 3}[side]
    picks = {1: (0, 0, 0, 0), 2: (0, 1, 0, 1), 3: (0, 1, 2, 1), 4: (0, 1, 2, 3)}.get(len(values))
    return values[picks[order]] if picks else None


def _filled(style: dict[str, str]) -> bool:
    colour = style.get("background-color") or style.get("background") or ""
    return colour.strip().lower() not in TRANSPARENT
