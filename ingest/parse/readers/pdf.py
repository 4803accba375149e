"""Reader for text PDFs: running text rebuilt from character boxes, tables from their ruling lines
(and, printed without rules, from how their text lines up: ``pdf_aligned``).

Library: pypdfium2 (PDFium, Apache-2.0/BSD), used through its raw API one character and one
path object at a time. Reading and extracting runs 11.6–12.2× a bare pdfplumber/pdfminer.six
``extract_text`` pass on the national sample and 8.8–9.9× on the shipped PDFs (same run), whose
pages cost pdfplumber less while PDFium's own page loading and per-character calls, about half
our time there, stay (``python -m tools.bench``, bench/profile_parse.txt); pdfplumber is not used here.

What a page becomes:

- **glyphs**: every non-blank character with its loose box (font ascent to descent), turned
  to display coordinates (points, y downwards, page rotation applied). A glyph printed twice
  on the same spot (fake bold) is kept once.
- **tables** (lattice): the page's horizontal and vertical rules (thin paths, stroked
  rectangles and polylines, also those inside form XObjects: some exporters wrap the whole page,
  borders included, in one form) are grouped into connected frames; a frame with at least two rules
  each way is a table. Its grid is the rules' distinct x and y positions; two grid positions
  are one cell when no rule separates them (merged cells). Each glyph goes to the cell its
  centre falls in, so a number printed lower than its name, or a name wrapped over two lines,
  stays in its row. Rows are ``Cell`` lists padded to the grid, a merged cell's text once at
  its first position (the DOCX reader's convention); cells located ``"p.N r.K c.C"`` (K counts
  the rows with text of that table on that page).
- **tables without rules** (``pdf_aligned``): below a table title, lines whose numbers line up
  in columns are read as a table of ``layout == "aligned"``: columns from the white gutters
  between the text, header cells (wrapped, spanning) assigned by position, a wrapped name folded
  into its row. Same ``Grid`` as a ruled table, so what follows applies to both.
- **lines**: the glyphs outside tables, grouped by vertical overlap and ordered by x, so that
  numbers set in another font stay in their sentence ("总计2995.39万元"). A line wrapped at
  the right margin is joined with the next one (also across a page break), so a paragraph is
  one ``Line`` and a heading stays a short line of its own, as in a DOCX; located ``"p.N l.M"``
  by the paragraph's first line. A page number alone as the first or last line in the top or
  bottom margin is dropped (the narrative joins lines without a separator, so a stray "5"
  would glue onto the next number).
- **title, number and unit** of a table: the nearest title-like line above it ("…表"), its
  number on a line of its own ("表 1", "公开01表") or printed with the title ("收支总表（预算表 1）",
  "表1：收支预算总表": the number is never part of the title), and a "单位：万元/元" on the
  lines between it and the table or in its first rows. A title row with its number inside the
  table's frame is the table's own and wins over a heading above it.
- **continued tables**: a table at the top of a page with no title of its own (or the same
  title) continues the last table of the page before; a repeated header is dropped and its
  columns are matched by position.
- **empty tables**: a table without figures whose note (or a row) says so (本表无数据,
  故本表为空表, 此表为空, 无相关收支) is ``is_empty``: the extractors record a stated zero.

Refusals (the pipeline logs them as rejected with the reason): no text layer at all (a
scanned PDF), an encrypted PDF that needs a password, a file PDFium cannot open.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from operator import attrgetter

from ingest.parse.amounts import parse_number
from ingest.parse.document import Cell, Document, Line, Table
from ingest.parse.readers.common import count_header_rows, find_unit, is_title_text, unit_in_rows
from ingest.parse.readers.script import simplify_document
from ingest.parse.vocabulary import EMPTY_NOTE_RE

TOLERANCE = 2.0  # points: rules this close are one position
THIN = 3.0  # points: a path no thicker than this is a rule
MIN_RULE = 4.0  # points: shorter strokes are glyph decorations, not rules
# points: a path whose bounds are smaller than this both ways (a dot, a glyph drawn as a path,
# a tick) holds no rule, since every point of it lies within its bounds (PDFium's bounds of a
# path are those of all its points, control points included, widened by the stroke); the
# half-point below MIN_RULE covers PDFium's float arithmetic against ours
SPECK = MIN_RULE - 0.5
NEAR = 0.01  # points: a path's size this close to THIN or MIN_RULE is read outline by outline
MARGIN = 0.15  # share of the page height where page numbers live (first or last line only)
PAGE_NUMBER_RE = re.compile(
    r"^[-—–─－\s]*\d{1,3}[-—–─－\s]*$|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
# a table's number: 表 1, 表1, 表一, 附表3, 公开表一, 公开02表, 公开 01 表, 预算表 1, 单位预算01表, 表1-2
NUMBER_PATTERN = (  # a year is no number: "表 2026年…" is a title
    r"(?:[\u4e00-\u9fff]{1,4}\s*)?(?:表\s*[\d一二三四五六七八九十]+(?:\s*[-－—]\s*\d+)?(?![\d年度])|[\d一二三四五六七八九十]+\s*表)"
)
TABLE_NUMBER_RE = re.compile(rf"^{NUMBER_PATTERN}$")
# a title printed with its number: 收支总表（预算表 1）, 公开01表：收支预算总表, 表1：2026年…收支预算总表
NUMBER_SUFFIX_RE = re.compile(rf"^(?P<title>.*表)\s*[（(]\s*(?P<number>{NUMBER_PATTERN})\s*[）)]$")
NUMBER_PREFIX_RE = re.compile(rf"^(?P<number>{NUMBER_PATTERN})\s*(?:[：:、．.]\s*|\s+)(?P<title>.+)$")
# a table title ends with 表, or with 表 and a short parenthesis: 财政拨款支出预算表（功能科目）
TITLE_END_RE = re.compile(r"表\s*(?:[（(][^）)]{0,12}[）)])?$")
# a line that opens with a numbering starts a paragraph of its own
NUMBERED_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．](?!\d))"
)
CJK_RE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
WHITESPACE_RE = re.compile(r"\s+")


X0, X1, TOP, BOTTOM = (attrgetter(name) for name in ("x0", "x1", "top", "bottom"))


class PdfRefused(ValueError):
    """A PDF that cannot be read for a reason a person can act on."""


@dataclass(slots=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class TextLine:
    glyphs: list[Glyph]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Grid:
    """One ruled table on one page, before it is joined with its continuation."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    columns: list[float]  # x boundaries, left to right
    rows: list[list[str]] = field(default_factory=list)  # text rows, padded to the grid
    title: str = ""
    unit: str | None = None
    titled: bool = False  # a title line was printed above it on its page
    says_empty: bool = False  # a note under it (or a row in it) says the table has no data
    number: str = ""  # the table's printed number ("表 1", "预算表 1"), see ``table_number``
    layout: str = "ruled"  # "ruled" (from its rules) or "aligned" (text lined up, pdf_aligned)


# ---------------------------------------------------------------------------------------
# entry point


def read_pdf(data: bytes, source_file: str, *, ignore_rules: bool = False) -> Document:
    """The PDF as a Document. ``ignore_rules`` reads every page as if it had no ruling lines
    (the aligned-table reader then reads its tables): a way to test that reader on real pages
    and to compare both readings of a ruled table."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            raise PdfRefused("encrypted PDF: a password is needed to open it") from None
        raise PdfRefused(f"damaged PDF: {message}") from None
    try:
        return _read_document(pdf, source_file, ignore_rules)
    finally:
        pdf.close()


def _read_document(pdf, source_file: str, ignore_rules: bool = False) -> Document:
    from ingest.parse.readers.pdf_aligned import aligned_tables

    page_count = len(pdf)
    if page_count == 0:
        raise PdfRefused("damaged PDF: no pages")
    document = Document(source_file=source_file, format="pdf", page_count=page_count)
    grids: list[Grid] = []
    paragraphs: list[list] = []  # [text, locator, ends at the right margin]
    carried: tuple[str, str | None] | None = None  # a title printed at the foot of the page before
    continued = None  # an aligned table that ran to the foot of the page before
    glyph_total = 0
    image_pages: list[int] = []
    for index in range(page_count):
        number = index + 1
        try:
            page = pdf[index]
        except Exception as error:
            document.warnings.append(f"p.{number}: page cannot be read ({type(error).__name__})")
            continue
        try:
            glyphs, rules, has_image, height = _page_content(page)
        finally:
            page.close()
        glyph_total += len(glyphs)
        if not glyphs and has_image:
            image_pages.append(number)
        page_grids, outside = _lattice(glyphs, ([], []) if ignore_rules else rules, number)
        lines = _page_lines(outside, height)
        aligned, lines, continued = aligned_tables(lines, number, continued)
        if aligned:
            page_grids = sorted(page_grids + aligned, key=lambda grid: grid.top)
        carried = _caption(page_grids, lines, carried)
        grids.extend(page_grids)
        _notes(page_grids, lines)
        paragraphs.extend(_paragraphs(lines, number, paragraphs))
    if glyph_total == 0:
        raise PdfRefused("no text layer: scanned PDF (pages are images), OCR would be needed")
    if image_pages:
        document.warnings.append(f"no text layer on page(s) {', '.join(map(str, image_pages))} (images only): not read")
    document.lines = [Line(text, locator) for text, locator, _ in paragraphs if text]
    document.tables = _join(grids)
    return simplify_document(document)


# ---------------------------------------------------------------------------------------
# characters and rules


def _page_content(page) -> tuple[list[Glyph], tuple[list, list], bool, float]:
    width, height = page.get_size()
    rotation = page.get_rotation() % 360
    to_display = _display_transform(rotation, width, height)
    textpage = page.get_textpage()
    try:
        glyphs = _glyphs(textpage, None if rotation in (90, 180, 270) else height, to_display)
    finally:
        textpage.close()
    horizontal, vertical, has_image = _rules(page, to_display)
    return glyphs, (horizontal, vertical), has_image, height


BLANK_CODES = frozenset((0xA0, 0x3000, 0xFEFF, 0xFFFE, 0xFFFF))  # printed as nothing (and every code <= 32)
BLANK_CHARACTERS = frozenset(map(chr, BLANK_CODES))
RECT = struct.Struct("4f")  # FS_RECTF as PDFium fills it: left, top, right, bottom (C floats)


def _glyphs(textpage, upright_height: float | None, to_display) -> list[Glyph]:
    """Every non-blank character of a text page with its loose box in display space, a fake-bold
    repeat (``_same_spot``) kept once. The loop runs once per character of the document: the
    characters come in one call (``_characters``), the box call is looked up once and its four
    floats read at once, the repeat is tested against the last glyph kept, and on an unrotated
    page (``upright_height``: its height) the box is turned as ``to_display`` turns it, written
    out in the loop."""
    import pypdfium2.raw as raw

    page = textpage.raw
    get_box = raw.FPDFText_GetLooseCharBox
    rect = raw.FS_RECTF()
    read_rect = RECT.unpack_from
    blank = BLANK_CHARACTERS
    glyphs: list[Glyph] = []
    last: Glyph | None = None
    for k, text in enumerate(_characters(textpage)):
        if text <= " " or text in blank:  # "" too: a blank code of the slow path
            continue
        if not get_box(page, k, rect):
            continue
        left, top_, right, bottom_ = read_rect(rect)
        if upright_height is None:
            x0, top, x1, bottom = to_display(left, bottom_, right, top_)
        else:  # the upright transform of ``_display_transform``, min and max of two as the builtins decide
            a, b = upright_height - top_, upright_height - bottom_
            x0, top, x1, bottom = (
                right if right < left else left,
                b if b < a else a,
                right if right > left else left,
                b if b > a else a,
            )
        if last is not None and last.text == text and abs(last.x0 - x0) < 1.0 and abs(last.top - top) < 1.0:
            continue  # fake bold: the same character printed twice, slightly offset (``_same_spot``)
        last = Glyph(text, x0, x1, top, bottom)
        glyphs.append(last)
    return glyphs


def _characters(textpage) -> str | list[str]:
    """The text page's characters, one per character index, as ``FPDFText_GetUnicode`` gives them
    (a blank code as ``""``), read in one call when that call gives them.

    ``get_text_range`` reads PDFium's text buffer, which holds each character's code at its index
    when every character is in it (its length is then the character count; a control character
    or one beyond U+FFFF is left out, so the length tells). It differs from the character's own
    code only where PDFium writes U+FFFE for a code it cannot give (0, or 2 for a hyphen at a line
    break): blank either way. Otherwise each character is asked for on its own, as before."""
    import pypdfium2.raw as raw

    page, get_unicode = textpage.raw, raw.FPDFText_GetUnicode
    count = raw.FPDFText_CountChars(page)
    if count <= 0:
        return ""  # no characters (-1: PDFium failed to count them, read as none, as before)
    text = textpage.get_text_range(0, count)
    if len(text) == count:
        return text
    return [_character(get_unicode(page, k)) for k in range(count)]


def _character(code: int) -> str:
    return "" if code <= 32 or code in BLANK_CODES else chr(code)


def _display_transform(rotation: int, width: float, height: float):
    """PDF user space (y up, unrotated) → display space (y down, rotated) for a box.

    ``width``/``height`` are the displayed page size (PDFium swaps them for 90/270).
    """

    def transform(left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        if rotation == 90:
            xs, ys = (bottom, top), (left, right)
        elif rotation == 180:
            xs, ys = (width - right, width - left), (bottom, top)
        elif rotation == 270:
            xs, ys = (width - top, width - bottom), (height - right, height - left)
        else:
            xs, ys = (left, right), (height - top, height - bottom)
        return min(xs), min(ys), max(xs), max(ys)

    def upright(left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        # ``transform`` of an unrotated page (nearly every page; called once per character), with
        # min and max of two written out as the builtins decide them
        a, b = height - top, height - bottom
        return (right if right < left else left, b if b < a else a, right if right > left else left, b if b > a else a)

    return upright if rotation not in (90, 180, 270) else transform


def _same_spot(a: Glyph, b: Glyph) -> bool:
    return a.text == b.text and abs(a.x0 - b.x0) < 1.0 and abs(a.top - b.top) < 1.0


def _rules(page, to_display) -> tuple[list, list, bool]:
    """Horizontal rules (y, x0, x1) and vertical rules (x, y0, y1) in display space.

    Paths inside form XObjects count too: some exporters wrap a whole page (table borders
    included) in one form, whose objects are in the form's own space (its matrix maps them to
    the page).
    """
    import pypdfium2.raw as raw

    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    images: list[bool] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    matrix = raw.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    get_bounds = raw.FPDFPageObj_GetBounds
    for obj, form in _page_paths(page, images):
        if not get_bounds(obj, left, bottom, right, top):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        x0, y0, x1, y1 = to_display(*(box if form is None else _box_on_page(box, form)))
        w, h = x1 - x0, y1 - y0
        if h <= THIN and w >= MIN_RULE:
            horizontal.append(((y0 + y1) / 2, x0, x1))
            continue
        if w <= THIN and h >= MIN_RULE:
            vertical.append(((x0 + x1) / 2, y0, y1))
            continue
        if w < SPECK and h < SPECK:
            continue  # no piece of it reaches MIN_RULE: its points lie in its bounds (``SPECK``)
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        raw.FPDFPageObj_GetMatrix(obj, matrix)
        own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        if not stroke.value and _one_upright_outline(obj, own, form, w, h):
            continue  # its one outline has the bounds found above: no rule (``_one_upright_outline``)
        for subpath in _subpaths(obj, _compose(own, form), to_display, x, y):
            xs = [p[0] for p in subpath]
            ys = [p[1] for p in subpath]
            sw, sh = max(xs) - min(xs), max(ys) - min(ys)
            if sh <= THIN and sw >= MIN_RULE:  # a border drawn as a thin filled box
                horizontal.append(((min(ys) + max(ys)) / 2, min(xs), max(xs)))
            elif sw <= THIN and sh >= MIN_RULE:
                vertical.append(((min(xs) + max(xs)) / 2, min(ys), max(ys)))
            elif stroke.value:  # stroked outlines: each straight segment is a rule
                for a, b in pairwise(subpath):
                    _add_segment(a, b, horizontal, vertical)
    return horizontal, vertical, bool(images)


def _one_upright_outline(obj, own: Matrix, form: Matrix | None, width: float, height: float) -> bool:
    """A filled path of one outline (one subpath), drawn without a turn or a skew, whose bounds
    (``width`` by ``height`` on the page) are no rule and not within NEAR of telling one: its
    outline is then no rule either, and its points need not be read.

    The outline's points are all the path's points, and PDFium's bounds of an unstroked path are
    those of its points, mapped by its matrix: upright (no b, c term), that is the box of the
    mapped points, the outline's own box but for float arithmetic (thousandths of a point), so a
    width or height farther than NEAR from THIN and MIN_RULE is on the same side of both for the
    outline as for the path. Telling one outline from several takes the segments' kinds only
    (two calls a segment, not four)."""
    import pypdfium2.raw as raw

    if own[1] or own[2] or (form is not None and (form[1] or form[2])):
        return False  # turned or skewed (or NaN): its bounds may be wider than its points
    if min(abs(width - THIN), abs(width - MIN_RULE), abs(height - THIN), abs(height - MIN_RULE)) <= NEAR:
        return False
    get_segment, get_kind, move_to = raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetType, raw.FPDF_SEGMENT_MOVETO
    return all(get_kind(get_segment(obj, s)) != move_to for s in range(1, raw.FPDFPath_CountSegments(obj)))


def _page_paths(page, images: list[bool]):
    """The page's path objects in page order, each with the matrix of the form it is drawn in (None
    on the page itself), a form's objects read where the form stands; an image seen appends to
    ``images``. Most objects are text: each is dismissed after one look at its type."""
    import pypdfium2.raw as raw

    get_type, get_matrix = raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetMatrix
    path_kind, form_kind, image_kind = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_IMAGE
    matrix = raw.FS_MATRIX()

    def walk(get_object, owner, count: int, form: Matrix | None):
        for index in range(count):
            obj = get_object(owner, index)
            kind = get_type(obj)
            if kind == path_kind:
                yield obj, form
            elif kind == image_kind:
                images.append(True)
            elif kind == form_kind:
                get_matrix(obj, matrix)
                inner = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), form)
                yield from walk(raw.FPDFFormObj_GetObject, obj, raw.FPDFFormObj_CountObjects(obj), inner)

    return walk(raw.FPDFPage_GetObject, page.raw, raw.FPDFPage_CountObjects(page.raw), None)


Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as PDF writes it


def _compose(inner: Matrix, outer: Matrix | None) -> Matrix:
    """``inner`` then ``outer`` (PDF row-vector convention): an object's matrix inside a form."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (
        a * oa + b * oc,
        a * ob + b * od,
        c * oa + d * oc,
        c * ob + d * od,
        e * oa + f * oc + oe,
        e * ob + f * od + of,
    )


def _box_on_page(box: tuple[float, float, float, float], form: Matrix) -> tuple[float, float, float, float]:
    """A box in a form's space as the page box around its four transformed corners."""
    left, bottom, right, top = box
    a, b, c, d, e, f = form
    xs, ys = [], []
    for px, py in ((left, bottom), (left, top), (right, bottom), (right, top)):
        xs.append(a * px + c * py + e)
        ys.append(b * px + d * py + f)
    return min(xs), min(ys), max(xs), max(ys)


def _subpaths(obj, matrix: Matrix, to_display, x, y) -> list[list[tuple[float, float]]]:
    """The path's subpaths as display-space points, each closed subpath ending at its start."""
    import pypdfium2.raw as raw

    a, b, c, d, e, f = matrix
    get_segment, get_point = raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint
    get_kind, get_close, move_to = raw.FPDFPathSegment_GetType, raw.FPDFPathSegment_GetClose, raw.FPDF_SEGMENT_MOVETO
    subpaths: list[list[tuple[float, float]]] = []
    for s in range(raw.FPDFPath_CountSegments(obj)):
        segment = get_segment(obj, s)
        get_point(segment, x, y)
        x_value, y_value = x.value, y.value
        px = a * x_value + c * y_value + e
        py = b * x_value + d * y_value + f
        point = to_display(px, py, px, py)[:2]
        if get_kind(segment) == move_to or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if get_close(segment):
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _add_segment(a, b, horizontal, vertical) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= 0.5 and abs(ax - bx) >= MIN_RULE:
        horizontal.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
    elif abs(ax - bx) <= 0.5 and abs(ay - by) >= MIN_RULE:
        vertical.append(((ax + bx) / 2, min(ay, by), max(ay, by)))


# ---------------------------------------------------------------------------------------
# lines of text


def _group_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into visual lines: sorted by their middle, cut where the middles part."""
    if not glyphs:
        return []
    first = glyphs[0]
    top, bottom = first.top, first.bottom
    if top <= bottom and math.isfinite(top + bottom):
        for glyph in glyphs:
            if glyph.top != top or glyph.bottom != bottom:
                break
        else:  # every glyph in the same band (a cell's text, one font): one line, as the loop
            # below finds it (the middles are equal, so the order by middle is the order given)
            return [sorted(glyphs, key=X0)]
    # run for every cell and every page: the glyphs' middle and size (``cy``, ``size``) and min and
    # max of two are written out, the same arithmetic as the properties and builtins; the middles
    # are worked out once, for the sort (the same keys, so the same order) and for the loop
    middles = [(glyph.top + glyph.bottom) / 2 for glyph in glyphs]
    order = sorted(range(len(glyphs)), key=middles.__getitem__)
    first = glyphs[order[0]]
    lines: list[list[Glyph]] = [[first]]
    band_top, band_bottom = first.top, first.bottom
    for index in order[1:]:
        glyph = glyphs[index]
        top, bottom = glyph.top, glyph.bottom
        line_middle = (band_top + band_bottom) / 2
        band, size = band_bottom - band_top, bottom - top
        reach = 0.5 * (size if size > band else band)
        if abs(middles[index] - line_middle) <= reach * 0.8:
            lines[-1].append(glyph)
            if top < band_top:
                band_top = top
            if bottom > band_bottom:
                band_bottom = bottom
        else:
            lines.append([glyph])
            band_top, band_bottom = top, bottom
    return [sorted(line, key=X0) if len(line) > 1 else line for line in lines]


def _join_glyphs(glyphs: list[Glyph], space_gap: float = 0.8) -> str:
    """One line's text; a space only where a wide gap separates two non-Chinese characters.

    A gap no wider than ``space_gap`` (from 0 to 2.5) is never a space, the size it is measured in
    being at least 1: such a gap, nearly every gap of a line or a cell, is passed with the sizes
    unread. The sizes are ``Glyph.size`` written out."""
    quick = 0.0 <= space_gap <= 2.5
    parts: list[str] = []
    previous: Glyph | None = None
    for glyph in glyphs:
        if previous is not None:
            gap = glyph.x0 - previous.x1
            if not (quick and gap <= space_gap):
                size = max(previous.bottom - previous.top, glyph.bottom - glyph.top, 1.0)
                if (
                    gap > space_gap * size and not (CJK_RE.match(previous.text) or CJK_RE.match(glyph.text))
                ) or gap > 2.5 * size:
                    parts.append(" ")
        parts.append(glyph.text)
        previous = glyph
    return "".join(parts)


def _page_lines(glyphs: list[Glyph], height: float) -> list[TextLine]:
    lines = []
    for group in _group_lines(glyphs):
        text = _join_glyphs(group).strip()
        lines.append(
            TextLine(
                group,
                text,
                min(map(X0, group)),
                max(map(X1, group)),
                min(map(TOP, group)),
                max(map(BOTTOM, group)),
            )
        )
    edges = {id(lines[0]), id(lines[-1])} if lines else set()
    return [
        line
        for line in lines
        if not (
            id(line) in edges
            and PAGE_NUMBER_RE.match(line.text)
            and (line.bottom < height * MARGIN or line.top > height * (1 - MARGIN))
        )
    ]


def _paragraphs(lines: list[TextLine], page: int, before: list[list]) -> list[list]:
    """Lines wrapped at the right margin joined with the next one: a paragraph reads as one line.

    A heading is short and stands alone, so the narrative extractors (which know a heading by its
    words and its length) do not take a wrapped body line that mentions 政府采购 for one. A line
    that opens with a numbering (一、 （二） 3. 第四部分) always starts a new paragraph. The first
    line of a page may continue the last paragraph of the page before. Locators are those of
    the paragraph's first line.
    """
    body = [line for line in lines if len(line.glyphs) >= 8]
    if not body:
        return [[line.text, f"p.{page} l.{m}", False] for m, line in enumerate(lines, start=1)]
    ends = sorted(line.x1 for line in body)
    right = ends[int(0.8 * (len(ends) - 1))]  # the text's right margin (a few lines overhang it)
    left = min(line.x0 for line in body)
    result: list[list] = []
    for m, line in enumerate(lines, start=1):
        full = len(line.glyphs) >= 8 and right - line.x1 <= 2.5 * _median_size(line.glyphs)
        previous = result[-1] if result else (before[-1] if before else None)
        continues = (
            previous is not None
            and previous[2]
            and line.x0 <= left + 2.5 * _median_size(line.glyphs)
            and not NUMBERED_RE.match(line.text)
            and not find_unit(line.text)
            and not _title_part(line.text)
        )
        if continues:
            previous[0] += line.text
            previous[2] = full
        else:
            result.append([line.text, f"p.{page} l.{m}", full])
    return result


def _median_size(glyphs: list[Glyph]) -> float:
    """The middle glyph size of a line (``Glyph.size`` written out), worked out only for the
    lines that need it: long lines and those that may continue a paragraph."""
    return sorted([glyph.bottom - glyph.top for glyph in glyphs])[len(glyphs) // 2]


# ---------------------------------------------------------------------------------------
# ruled tables


def _cluster(values: list[float], tolerance: float = TOLERANCE) -> list[float]:
    result: list[float] = []
    for value in sorted(values):
        if result and value - result[-1] <= tolerance:
            continue
        result.append(value)
    return result


def _merge_rules(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear rules that touch or overlap become one: (position, start, end).

    Positions within TOLERANCE of each other are one line (a border drawn in pieces, each a
    fraction of a point off); along it, pieces separated by less than TOLERANCE are joined.
    """
    merged: list[tuple[float, float, float]] = []
    ordered = sorted(rules)
    index = 0
    while index < len(ordered):
        group = [ordered[index]]
        while index + 1 < len(ordered) and ordered[index + 1][0] - group[-1][0] <= TOLERANCE:
            index += 1
            group.append(ordered[index])
        index += 1
        position = sum(r[0] for r in group) / len(group)
        runs: list[list[float]] = []
        for _, start, end in sorted(group, key=lambda r: r[1]):
            if runs and start <= runs[-1][1] + TOLERANCE:
                runs[-1][1] = max(runs[-1][1], end)
            else:
                runs.append([start, end])
        merged.extend((position, start, end) for start, end in runs)
    return merged


def _frames(horizontal, vertical) -> list[tuple[list, list]]:
    """Connected groups of rules (a horizontal and a vertical rule that cross or touch are connected)."""
    rules = [("h", r) for r in horizontal] + [("v", r) for r in vertical]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    t = TOLERANCE
    hs = [(i, r) for i, (kind, r) in enumerate(rules) if kind == "h"]
    vs = [(i, r) for i, (kind, r) in enumerate(rules) if kind == "v"]
    for i, (y, x0, x1) in hs:
        for j, (x, y0, y1) in vs:
            if x0 - t <= x <= x1 + t and y0 - t <= y <= y1 + t:
                parent[find(i)] = find(j)
    groups: dict[int, tuple[list, list]] = {}
    for i, (kind, rule) in enumerate(rules):
        group = groups.setdefault(find(i), ([], []))
        (group[0] if kind == "h" else group[1]).append(rule)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _lattice(glyphs: list[Glyph], rules, page: int) -> tuple[list[Grid], list[Glyph]]:
    """The page's ruled tables, and the glyphs outside them."""
    horizontal, vertical = (_merge_rules(r) for r in rules)
    grids: list[Grid] = []
    remaining = glyphs
    for hs, vs in sorted(_frames(horizontal, vertical), key=lambda f: min(r[0] for r in f[0])):
        grid, remaining = _read_grid(hs, vs, remaining, page)
        if grid is not None:
            grids.append(grid)
    return grids, remaining


def _read_grid(hs, vs, glyphs: list[Glyph], page: int) -> tuple[Grid | None, list[Glyph]]:
    xs = _cluster([x for x, _, _ in vs] + [min(r[1] for r in hs), max(r[2] for r in hs)])
    ys = _cluster([y for y, _, _ in hs] + [min(r[1] for r in vs), max(r[2] for r in vs)])
    if len(xs) < 2 or len(ys) < 2:
        return None, glyphs
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    slot = _cell_slots(hs, vs, xs, ys)
    # each glyph to the cell its centre falls in: the column and row whose span holds the centre;
    # a centre inside the grid is at or after its first position, and one on its last line
    # belongs to the last column or row
    cell_glyphs: dict[int, list[Glyph]] = {}
    outside: list[Glyph] = []
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    last_row, last_col = n_rows - 1, n_cols - 1
    find_x, find_y = partial(bisect.bisect_right, xs), partial(bisect.bisect_right, ys)
    for glyph in glyphs:
        cx, cy = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
        if left <= cx <= right and top <= cy <= bottom:
            c, r = find_x(cx) - 1, find_y(cy) - 1
            position = slot[(r if r < last_row else last_row) * n_cols + (c if c < last_col else last_col)]
            members = cell_glyphs.get(position)
            if members is None:
                cell_glyphs[position] = [glyph]
            else:
                members.append(glyph)
        else:
            outside.append(glyph)
    if not cell_glyphs:
        return None, glyphs  # an empty frame (a box, a blank table outline)
    rows = [[""] * n_cols for _ in range(n_rows)]
    for position, members in cell_glyphs.items():
        rows[position // n_cols][position % n_cols] = _cell_text(members)
    grid = Grid(page=page, x0=xs[0], x1=xs[-1], top=ys[0], bottom=ys[-1], columns=xs)
    grid.rows = [row for row in rows if any(row)]
    return grid, outside


def _cell_slots(hs, vs, xs: list[float], ys: list[float]) -> list[int]:
    """For each grid position (row by row), the first position of the cell it belongs to: grid
    positions not separated by a rule share one cell (merged cells).

    Between two positions side by side the rule is present when a vertical rule at the column
    boundary (within TOLERANCE) reaches the row's middle (within TOLERANCE), and likewise below.
    Worked out once per boundary, not once per cell: the middles a rule reaches are a run of the
    sorted middles (``bisect``), and nearly every rule of a table reaches all of them."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    row_middles = [(ys[r] + ys[r + 1]) / 2 for r in range(n_rows)]
    col_middles = [(xs[c] + xs[c + 1]) / 2 for c in range(n_cols)]
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k in range(1, n_cols):  # the boundary between columns k - 1 and k
        spans = [(y0, y1) for x, y0, y1 in vs if abs(x - xs[k]) <= TOLERANCE]
        for r in _unreached(row_middles, spans):
            parent[find(r * n_cols + k)] = find(r * n_cols + k - 1)
    for k in range(1, n_rows):  # the boundary between rows k - 1 and k
        spans = [(x0, x1) for y, x0, x1 in hs if abs(y - ys[k]) <= TOLERANCE]
        for c in _unreached(col_middles, spans):
            parent[find(k * n_cols + c)] = find((k - 1) * n_cols + c)
    first_position: dict[int, int] = {}
    slot = []
    for position in range(n_rows * n_cols):
        slot.append(first_position.setdefault(find(position), position))
    return slot


def _unreached(middles: list[float], spans: list[tuple[float, float]]) -> list[int]:
    """Indexes of the middles that no span (start, end), widened by TOLERANCE, holds.

    Middles in ascending order (a grid's, nearly always) are searched (``bisect``); others (a NaN
    among them, from a grid reaching infinity) are tested one by one, the plain rule. A span
    that holds no number (a NaN end) holds no middle either way."""
    reached = [False] * len(middles)
    # (no NaN: a NaN fails every comparison of a pair; a lone middle is tested itself)
    ascending = all(a <= b for a, b in pairwise(middles)) and not any(map(math.isnan, middles[:1]))
    for start, end in spans:
        low, high = start - TOLERANCE, end + TOLERANCE
        if not low <= high:
            continue
        if not ascending:
            for index, middle in enumerate(middles):
                if low <= middle <= high:
                    reached[index] = True
            continue
        first = bisect.bisect_left(middles, low)
        stop = bisect.bisect_right(middles, high)
        if first == 0 and stop == len(middles):
            return []
        for index in range(first, stop):
            reached[index] = True
    return [index for index, done in enumerate(reached) if not done]


def _cell_text(glyphs: list[Glyph]) -> str:
    """Lines of a cell joined without a separator: a wrapped name reads as one."""
    if len(glyphs) == 1:  # one character (many cells): its line is itself
        return glyphs[0].text.strip()
    return "".join(_join_glyphs(line, space_gap=0.5).strip() for line in _group_lines(glyphs))


def _caption(
    grids: list[Grid], lines: list[TextLine], carried: tuple[str, str | None] | None
) -> tuple[str, str | None] | None:
    """Title and unit of each table from the lines printed between it and what is above it.

    ``carried`` is a title (and unit) printed at the foot of the page before, below its last
    table: some exports put a table's title on the page before the table. It goes to this
    page's first table when that has no title of its own. Returns such a title of this page.
    """
    previous_bottom = 0.0
    ordered = sorted(grids, key=lambda g: g.top)
    for index, grid in enumerate(ordered):
        above = [line for line in lines if previous_bottom - 1 <= line.top and line.bottom <= grid.top + 1]
        for line in reversed(above):
            text = line.text
            if not grid.unit:
                grid.unit = find_unit(text)
            if not grid.title:
                candidate, number = _title_and_number(text)
                if candidate:
                    grid.title, grid.titled = candidate, True
                    grid.number = grid.number or number
            if not grid.number and is_number_line(text):
                grid.number = table_number(text)
        _title_in_rows(grid)
        if index == 0 and not grid.titled and carried is not None:
            grid.title, grid.titled = carried[0], True
            grid.unit = grid.unit or carried[1]
        previous_bottom = grid.bottom
    trailing = [line for line in lines if line.top >= previous_bottom - 1]
    for position in range(len(trailing) - 1, -1, -1):
        title = _title_part(trailing[position].text)
        if title:
            rest = trailing[position + 1 :]
            if all(find_unit(line.text) or line.text.startswith(("部门", "编制")) for line in rest):
                unit = next((find_unit(line.text) for line in rest if find_unit(line.text)), None)
                return title, unit
            return None
    return None


def _title_part(text: str) -> str:
    """The title in a caption line ("一、收支预算总表", "财政拨款支出预算表（功能科目）"), "" when it is none.

    A number printed with the title is not part of it: "收支总表（预算表 1）" is "收支总表"."""
    return _title_and_number(text)[0]


def _title_and_number(text: str) -> tuple[str, str]:
    """(title, number) of a caption line: ("收支总表", "预算表 1") for "收支总表（预算表 1）",
    ("收支预算总表", "公开 01 表") for "公开01表：收支预算总表"; ("", "") when the line is no title."""
    text = text.strip()
    if "表" not in text:
        return "", ""  # every title names a table (most lines of a page are not titles)
    if find_unit(text) or text.startswith(("注", "说明", "部门：", "部门名称", "编制部门", "单位：")):
        return "", ""
    if TABLE_NUMBER_RE.match(text):
        return "", ""  # 公开表一, 公开02表, 附表3: the table's number, its title is on another line
    number = ""
    split = NUMBER_SUFFIX_RE.match(text) or NUMBER_PREFIX_RE.match(text)
    if split and _is_title(split.group("title").strip()):
        text, number = split.group("title").strip(), table_number(split.group("number"))
    if not _is_title(text):
        return "", ""
    return text, number


def _is_title(text: str) -> bool:
    return is_title_text(text) and bool(TITLE_END_RE.search(text))


def is_number_line(text: str) -> bool:
    """A line that is a table's number alone: "表 1", "公开01表", "预算表 3"."""
    return bool(TABLE_NUMBER_RE.match(text.strip()))


def table_number(text: str) -> str:
    """A printed table number spaced one way whatever the text layer's gaps: a space between a
    Chinese character and Arabic digits, none elsewhere ("表1" and "表 1" both read "表 1",
    "公开01表" reads "公开 01 表", "表一" stays "表一")."""
    squashed = re.sub(r"\s+", "", text)
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])", " ", squashed)


def _title_in_rows(grid: Grid) -> None:
    """A title printed inside the table's frame with its number ("收支总表（预算表1）" in the first
    row) is the table's own caption: it wins over a heading printed above the frame."""
    for row in grid.rows[:3]:
        texts = [text for text in row if text]
        if len(texts) != 1:
            continue
        title, number = _title_and_number(texts[0])
        if title and number:
            grid.title, grid.number, grid.titled = title, number, True
            return


def _notes(grids: list[Grid], lines: list[TextLine]) -> None:
    """Mark tables whose note (just below them, before the next table) or own rows say they are empty."""
    ordered = sorted(grids, key=lambda g: g.top)
    for index, grid in enumerate(ordered):
        limit = ordered[index + 1].top if index + 1 < len(ordered) else float("inf")
        below = [line.text for line in lines if grid.bottom - 1 <= line.top and line.bottom <= limit + 1]
        texts = below[:4] + [text for row in grid.rows for text in row]
        grid.says_empty = any(EMPTY_NOTE_RE.search(text) for text in texts)


# ---------------------------------------------------------------------------------------
# continued tables


def _join(grids: list[Grid]) -> list[Table]:
    tables: list[Table] = []
    parts: list[list[Grid]] = []
    for grid in grids:
        previous = parts[-1][-1] if parts else None
        if previous is not None and _continues(previous, grid):
            parts[-1].append(grid)
        else:
            parts.append([grid])
    for group in parts:
        tables.append(_table(group))
    return tables


def _continues(previous: Grid, grid: Grid) -> bool:
    if grid.page != previous.page + 1:
        return False
    if grid.titled and grid.title != previous.title:
        return False
    return _compatible(previous.columns, grid.columns) or _compatible(grid.columns, previous.columns)


def _compatible(columns: list[float], others: list[float]) -> bool:
    """Every column boundary of one grid is a boundary of the other (a 合计 row alone on its page
    spans several columns of the table it ends, so it has fewer boundaries, all of them shared)."""
    return all(any(abs(x - other) <= 2 * TOLERANCE for other in others) for x in columns)


def _table(group: list[Grid]) -> Table:
    first = group[0]
    rows: list[list[Cell]] = []
    header = count_header_rows(_CellRows(first.rows))
    header_texts = list(first.rows[:header])
    for part in group:
        part_rows = part.rows
        if part is not first:
            part_rows = _mapped(part, first)
            part_rows = _without_repeated_header(part_rows, header_texts)
        for k, row in enumerate(part_rows, start=1):
            row_locator = f"p.{part.page} r.{k} c."  # + the column: "p.3 r.2 c.4"
            rows.append([Cell(text, row_locator + str(c)) for c, text in enumerate(row, start=1)])
    pages = f"p.{first.page}" if len(group) == 1 else f"p.{first.page}-{group[-1].page}"
    header_rows = count_header_rows(rows)
    return Table(
        rows=rows,
        locator=pages,
        title=first.title,
        unit=first.unit or unit_in_rows(rows),
        header_rows=header_rows,
        is_empty=_without_numbers(rows) and any(part.says_empty for part in group),
        number=first.number,
        layout=first.layout,
    )


class _CellRows(Sequence):
    """A grid's text rows as rows of cells (without locators), each made when it is read:
    ``count_header_rows`` reads the rows up to the first with a number, seldom all of them."""

    def __init__(self, rows: list[list[str]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [[Cell(text, "") for text in row] for row in self.rows[index]]
        return [Cell(text, "") for text in self.rows[index]]


def _without_numbers(rows: list[list[Cell]]) -> bool:
    return not any(parse_number(cell.text) not in (None, 0) for row in rows for cell in row if "年" not in cell.text)


def _mapped(part: Grid, first: Grid) -> list[list[str]]:
    """A continuation's rows in the first part's columns: each cell goes to the column whose left
    boundary is nearest its own (a cell spanning several columns lands in the first of them)."""
    if len(part.columns) == len(first.columns):
        return part.rows
    lefts = first.columns[:-1]
    mapping = [min(range(len(lefts)), key=lambda i: abs(lefts[i] - left)) for left in part.columns[:-1]]
    result = []
    for row in part.rows:
        mapped = [""] * len(lefts)
        for text, target in zip(row, mapping):
            if text:
                mapped[target] = (mapped[target] + text) if mapped[target] else text
        result.append(mapped)
    return result


def _without_repeated_header(rows: list[list[str]], header: list[list[str]]) -> list[list[str]]:
    """Drop the leading rows of a continuation that repeat the first part's header rows."""
    normalised = {tuple(_squash(t) for t in row) for row in header}
    index = 0
    while index < len(rows) and tuple(_squash(t) for t in rows[index]) in normalised:
        index += 1
    return rows[index:]


def _squash(text: str) -> str:
    return WHITESPACE_RE.sub("", text)
