"""The PDF reader's shortcuts give what the plain code they stand for gives (issue #22: speed, no change).

Each shortcut taken in ``ingest/parse/readers/pdf.py`` for speed is held here to the plain code it
replaced: a page's characters read in one call (``_characters``) against PDFium's one-by-one
codes, paths whose points need not be read (``SPECK``, ``_one_upright_outline``) against reading
every outline, merged cells worked out per rule (``_cell_slots``) against the check per cell,
header rows counted on rows made when read (``_CellRows``). Real pages come from samples/; a few
paths are drawn here with PDFium's own editing API, at the edges a shortcut must respect.
"""

from __future__ import annotations

import ctypes
import io
import random
from itertools import pairwise

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from ingest.parse.document import Cell
from ingest.parse.readers import pdf
from ingest.parse.readers.common import count_header_rows
from ingest.parse.readers.pdf import Glyph
from tests.conftest import SAMPLES

# pages whose text buffer holds U+FFFE where PDFium's own code is 2 (a hyphen at a line break)
SHENZHEN_HYPHENS = [
    ("national/深圳/2026-深圳市人力资源和社会保障局-部门预算.pdf", 39),
    ("national/深圳/2026-深圳市水务局-部门预算.pdf", 47),
]
WHOLE_FILES = [
    "jiangsu/江苏省人民检察院__2018年省检察院部门预算公开.pdf",
    "shanghai/普陀区万里街道2025部门预算.pdf",
    "reference/附件2：部门决算模板.pdf",
    "national/深圳/2026-深圳市信访局-部门预算.pdf",
]


def _pages():
    """(name, page) of every page of WHOLE_FILES and the two hyphen pages, documents kept open."""
    documents = []
    for relative in WHOLE_FILES:
        document = pdfium.PdfDocument((SAMPLES / relative).read_bytes())
        documents.append(document)
        for index in range(len(document)):
            yield f"{relative} p.{index + 1}", document[index]
    for relative, index in SHENZHEN_HYPHENS:
        document = pdfium.PdfDocument((SAMPLES / relative).read_bytes())
        documents.append(document)
        yield f"{relative} p.{index + 1}", document[index]


@pytest.fixture(scope="module")
def pages():
    return list(_pages())


def _display(page):
    width, height = page.get_size()
    return pdf._display_transform(page.get_rotation() % 360, width, height)


# -- characters in one call ---------------------------------------------------------------------


def _characters_one_by_one(textpage) -> list[str]:
    """The plain rule: each character's code from ``FPDFText_GetUnicode``, a blank one as ""."""
    count = raw.FPDFText_CountChars(textpage.raw)
    return [pdf._character(raw.FPDFText_GetUnicode(textpage.raw, k)) for k in range(count)]


def _blank(text: str) -> bool:
    return text <= " " or text in pdf.BLANK_CHARACTERS


def test_characters_read_at_once_are_pdfium_s_one_by_one(pages):
    at_once = 0
    for name, page in pages:
        textpage = page.get_textpage()
        fast, plain = pdf._characters(textpage), _characters_one_by_one(textpage)
        assert len(fast) == len(plain), name
        for k, (a, b) in enumerate(zip(fast, plain)):
            assert a == b or (_blank(a) and _blank(b)), f"{name} char {k}: {a!r} vs {b!r}"
        at_once += isinstance(fast, str)
    assert at_once == len(pages)  # every one of these pages is read in one call


def test_the_hyphen_pages_differ_only_in_blank_codes(pages):
    """Where the text buffer and the character's own code differ (U+FFFE for 2), both are blank."""
    differing = 0
    for name, page in pages[-2:]:
        textpage = page.get_textpage()
        fast = pdf._characters(textpage)
        codes = [raw.FPDFText_GetUnicode(textpage.raw, k) for k in range(len(fast))]
        differing += sum(ord(a) != code for a, code in zip(fast, codes))
        assert {(ord(a), code) for a, code in zip(fast, codes) if ord(a) != code} == {(0xFFFE, 2)}, name
    assert differing == 3  # two on the first page, one on the second (checked by hand)


class _ShortBuffer:
    """A text page whose text buffer lost a character: the length tells, so each is asked for."""

    def __init__(self, textpage):
        self.raw = textpage.raw
        self._textpage = textpage

    def get_text_range(self, index: int, count: int) -> str:
        return self._textpage.get_text_range(index, count)[:-1]


def test_a_text_buffer_of_another_length_is_read_one_by_one(pages):
    for name, page in pages[:40]:
        textpage = page.get_textpage()
        upright, to_display = page.get_size()[1], _display(page)
        short = _ShortBuffer(textpage)
        assert pdf._characters(short) == _characters_one_by_one(textpage), name
        assert pdf._glyphs(short, upright, to_display) == pdf._glyphs(textpage, upright, to_display), name


# -- paths whose points need not be read --------------------------------------------------------


def _rules_plainly(page, to_display):
    """``pdf._rules`` as it was: every path that is no rule by its bounds read outline by outline."""
    horizontal, vertical, images = [], [], []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    matrix = raw.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj, form in pdf._page_paths(page, images):
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        x0, y0, x1, y1 = to_display(*(box if form is None else pdf._box_on_page(box, form)))
        w, h = x1 - x0, y1 - y0
        if h <= pdf.THIN and w >= pdf.MIN_RULE:
            horizontal.append(((y0 + y1) / 2, x0, x1))
            continue
        if w <= pdf.THIN and h >= pdf.MIN_RULE:
            vertical.append(((x0 + x1) / 2, y0, y1))
            continue
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        raw.FPDFPageObj_GetMatrix(obj, matrix)
        own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        for subpath in pdf._subpaths(obj, pdf._compose(own, form), to_display, x, y):
            xs, ys = [p[0] for p in subpath], [p[1] for p in subpath]
            sw, sh = max(xs) - min(xs), max(ys) - min(ys)
            if sh <= pdf.THIN and sw >= pdf.MIN_RULE:
                horizontal.append(((min(ys) + max(ys)) / 2, min(xs), max(xs)))
            elif sw <= pdf.THIN and sh >= pdf.MIN_RULE:
                vertical.append(((min(xs) + max(xs)) / 2, min(ys), max(ys)))
            elif stroke.value:
                for a, b in pairwise(subpath):
                    pdf._add_segment(a, b, horizontal, vertical)
    return horizontal, vertical, bool(images)


def _skipped(page, to_display) -> tuple[int, int]:
    """How many paths of the page each shortcut passes over: (specks, single upright outlines)."""
    specks = outlines = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    matrix = raw.FS_MATRIX()
    for obj, form in pdf._page_paths(page, []):
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        x0, y0, x1, y1 = to_display(*(box if form is None else pdf._box_on_page(box, form)))
        w, h = x1 - x0, y1 - y0
        if (h <= pdf.THIN and w >= pdf.MIN_RULE) or (w <= pdf.THIN and h >= pdf.MIN_RULE):
            continue
        if w < pdf.SPECK and h < pdf.SPECK:
            specks += 1
            continue
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        raw.FPDFPageObj_GetMatrix(obj, matrix)
        own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        outlines += not stroke.value and pdf._one_upright_outline(obj, own, form, w, h)
    return specks, outlines


def test_rules_are_those_of_every_outline_read(pages):
    specks = outlines = 0
    for name, page in pages:
        to_display = _display(page)
        assert pdf._rules(page, to_display) == _rules_plainly(page, to_display), name
        counted = _skipped(page, to_display)
        specks, outlines = specks + counted[0], outlines + counted[1]
    assert specks > 1000 and outlines > 100  # both shortcuts are taken on these pages


def _drawn_page(*paths):
    """A one-page PDF (595 × 842) with the given filled paths, each a list of outlines (points),
    saved and opened again so that PDFium reads it as it reads any file."""
    document = pdfium.PdfDocument.new()
    page = document.new_page(595, 842)
    for outlines, stroked in paths:
        path = None
        for outline in outlines:
            (x, y), rest = outline[0], outline[1:]
            if path is None:
                path = raw.FPDFPageObj_CreateNewPath(x, y)
            else:
                raw.FPDFPath_MoveTo(path, x, y)
            for x, y in rest:
                raw.FPDFPath_LineTo(path, x, y)
            raw.FPDFPath_Close(path)
        raw.FPDFPath_SetDrawMode(path, raw.FPDF_FILLMODE_ALTERNATE, stroked)
        raw.FPDFPage_InsertObject(page.raw, path)
    assert raw.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    document.save(buffer)
    reopened = pdfium.PdfDocument(buffer.getvalue())
    return reopened, reopened[0]


def _box(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def test_a_thin_outline_beside_a_big_one_is_still_a_rule():
    """One filled path, two outlines: a 200 × 1 bar and a 200 × 200 box. The path's bounds are no
    rule, and it has two outlines, so they are read: the bar is a rule."""
    _, page = _drawn_page(([_box(100, 100, 300, 101), _box(100, 200, 300, 400)], False))
    horizontal, vertical, _ = pdf._rules(page, _display(page))
    assert horizontal == [(842 - 100.5, 100.0, 300.0)] and vertical == []
    assert pdf._rules(page, _display(page)) == _rules_plainly(page, _display(page))


def test_single_boxes_at_the_edges_read_as_before():
    """Boxes one outline each, filled or stroked, near THIN and MIN_RULE, and specks (a dot, a
    tick): whatever each shortcut passes over, the rules are those of reading every outline."""
    paths = [
        ([_box(50, 50, 100, 53.004)], False),  # 50 × 3.004: within NEAR of THIN, read
        ([_box(50, 60, 100, 63.2)], False),  # 50 × 3.2: no rule, passed over
        ([_box(50, 70, 53.99, 90)], False),  # 3.99 wide, within NEAR of MIN_RULE
        ([_box(50, 100, 53.4, 103.4)], False),  # a speck
        ([_box(60, 100, 61, 101)], True),  # a stroked speck (its bounds widened by the stroke)
        ([_box(50, 120, 250, 320)], True),  # a stroked frame: four rules
        ([_box(300, 120, 500, 320)], False),  # a filled box: none
    ]
    _, page = _drawn_page(*paths)
    to_display = _display(page)
    assert pdf._rules(page, to_display) == _rules_plainly(page, to_display)
    horizontal, vertical, _ = pdf._rules(page, to_display)
    assert sorted(r[0] for r in horizontal) == pytest.approx([842 - 320, 842 - 120], abs=1.0)
    assert sorted(r[0] for r in vertical) == pytest.approx([50, 250], abs=1.0)
    assert _skipped(page, to_display) == (2, 2)


# -- merged cells worked out per rule -------------------------------------------------------------


def _cell_slots_plainly(hs, vs, xs, ys):
    """``_read_grid``'s merged cells as they were: each cell asks for the rule on its right and below."""
    t = pdf.TOLERANCE
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    at_x = [[(y0, y1) for x, y0, y1 in vs if abs(x - position) <= t] for position in xs]
    at_y = [[(x0, x1) for y, x0, x1 in hs if abs(y - position) <= t] for position in ys]
    parent = list(range(n_rows * n_cols))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            middle_y, middle_x = (ys[r] + ys[r + 1]) / 2, (xs[c] + xs[c + 1]) / 2
            if c + 1 < n_cols and not any(y0 - t <= middle_y <= y1 + t for y0, y1 in at_x[c + 1]):
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and not any(x0 - t <= middle_x <= x1 + t for x0, x1 in at_y[r + 1]):
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    first: dict[int, int] = {}
    return [first.setdefault(find(p), p) for p in range(n_rows * n_cols)]


def _random_grid(rng: random.Random):
    """Rules of a table with some cells merged: rules cut into pieces, some pieces left out."""
    xs = sorted({round(rng.uniform(0, 500), 1) for _ in range(rng.randint(2, 9))})
    ys = sorted({round(rng.uniform(0, 700), 1) for _ in range(rng.randint(2, 12))})
    if len(xs) < 2 or len(ys) < 2:
        return None
    vs, hs = [], []
    for x in xs:
        for y0, y1 in pairwise(ys):
            if x in (xs[0], xs[-1]) or rng.random() > 0.2:
                vs.append((x + rng.uniform(-1, 1), y0 - rng.uniform(0, 3), y1 + rng.uniform(-3, 3)))
    for y in ys:
        for x0, x1 in pairwise(xs):
            if y in (ys[0], ys[-1]) or rng.random() > 0.2:
                hs.append((y + rng.uniform(-1, 1), x0 - rng.uniform(0, 3), x1 + rng.uniform(-3, 3)))
    return hs, vs, xs, ys


def test_merged_cells_are_those_of_the_cell_by_cell_check():
    rng = random.Random(22)
    merged = 0
    for _ in range(3000):
        grid = _random_grid(rng)
        if grid is None:
            continue
        slots = pdf._cell_slots(*grid)
        assert slots == _cell_slots_plainly(*grid)
        merged += slots != list(range(len(slots)))
    assert merged > 1000  # most random grids have merged cells


def test_a_grid_without_gaps_has_one_cell_per_position():
    xs, ys = [0.0, 10.0, 20.0], [0.0, 5.0, 10.0]
    vs = [(x, 0.0, 10.0) for x in xs]
    hs = [(y, 0.0, 20.0) for y in ys]
    assert pdf._cell_slots(hs, vs, xs, ys) == [0, 1, 2, 3]
    # the rule between the two top cells starts at 6, more than TOLERANCE (2) below the first
    # row's middle (2.5): the two top positions are one cell, the bottom ones stay two
    vs[1] = (10.0, 6.0, 10.0)
    assert pdf._cell_slots(hs, vs, xs, ys) == [0, 0, 2, 3]


# -- header rows counted on cells made when read ----------------------------------------------------


def test_header_rows_are_counted_as_on_every_cell_made():
    tables = [
        [],
        [["收入", "支出"], ["栏次", "1"], ["一般公共预算", "12.5"], ["合计", "12.5"]],
        [["项目", "金额"], ["说明", ""]],  # no number at all: every row is a header
        [["100", "200"]],
    ]
    for rows in tables:
        cells = [[Cell(text, "") for text in row] for row in rows]
        lazy = pdf._CellRows(rows)
        assert count_header_rows(lazy) == count_header_rows(cells)
        assert len(lazy) == len(cells) and list(lazy) == cells and lazy[1:] == cells[1:]


def test_a_line_s_middle_size_is_that_of_its_sorted_sizes():
    rng = random.Random(5)
    for _ in range(500):
        glyphs = [
            Glyph("字", 0.0, 1.0, top, top + rng.choice([9.0, 10.5, 12.0, 0.5])) for top in range(rng.randint(1, 12))
        ]
        assert pdf._median_size(glyphs) == sorted(g.size for g in glyphs)[len(glyphs) // 2]


def test_middles_out_of_order_or_spans_without_a_number_are_tested_one_by_one():
    """A grid reaching infinity has a NaN middle (-inf and inf halved): the plain rule reaches no
    NaN; a span with a NaN end reaches nothing."""
    nan, inf = float("nan"), float("inf")
    assert pdf._unreached([nan], [(-inf, inf)]) == [0]
    assert pdf._unreached([1.0, nan, 5.0], [(0.0, 10.0)]) == [1]
    assert pdf._unreached([1.0, 5.0], [(nan, 10.0), (0.0, nan)]) == [0, 1]
    assert pdf._unreached([1.0, 5.0, 9.0], [(4.0, 6.0)]) == [0, 2]
    assert pdf._unreached([1.0, 5.0, 9.0], [(-1.0, 11.0)]) == []
    xs, ys = [-inf, 10.0, inf], [-inf, inf]
    vs, hs = [(-inf, -inf, inf), (10.0, -inf, inf), (inf, -inf, inf)], [(-inf, -inf, inf), (inf, -inf, inf)]
    assert pdf._cell_slots(hs, vs, xs, ys) == _cell_slots_plainly(hs, vs, xs, ys) == [0, 0]
