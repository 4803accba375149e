"""Tables printed without ruling lines: cells found from where the text lines up.

Some PDFs print a table as text alone, its columns kept apart by white space. The lattice
(``pdf._lattice``) finds nothing there; this module reads such a table from the page's lines of
text (the glyphs outside ruled tables, grouped by ``pdf._group_lines``), the way a reader does:

- **region**: a title line (``pdf._title_part``: "收支总表", "一般公共预算支出表（按功能分类）"), a few
  caption lines (its number "表 1", "部门名称：… 单位：万元"), header lines (text only), then body
  lines where numbers stand apart from the other text. The table ends at a note (注：…), the next
  title, a wide gap, or at lines of prose running across its columns. At the top of a page, lines
  of numbers in the columns of the table the page before ended with continue that table.
- **runs**: on one line, glyphs further apart than ``RUN_GAP`` em are separate runs (a cell's
  text); single characters spaced out across a header cell ("收    入") are one run.
- **columns**: the body's runs projected on the x axis: each stretch covered by runs is a
  column, the white gutters between them part the columns. Numbers are right-aligned (their
  right edges line up), names left-aligned (indented names still overlap); a boundary lies just
  outside the aligned edge. A header cell above no body text (a column empty on this page) is a
  column too.
- **header**: header runs on one axis just below each other are one wrapped cell ("一般公共预算" /
  "拨款"); a cell belongs to the column under its centre. A cell with another cell of its column
  below it is a parent: it spans the neighbouring columns whose own header lies wholly below it
  ("本年收入" over 财政拨款 … 其他收入), and stops at a column whose header reaches up to its height
  (a cell such as "收入总计" is centred on the whole header height, as a cell merged downwards is).
  Header rows are the levels of that tree: a merged cell's text once, at its first column, as
  the lattice gives it, so ``column_labels`` reads "本年收入/财政拨款/一般公共预算拨款".
- **rows**: a body line with an amount (a number in a right-aligned column) is a row, and lines
  of amounts overlapping it are the same row (cells centred at different heights, an amount
  wrapped in a narrow column: "100,763.0" / "3"). A line with text and no number joins the row
  whose line it overlaps, or the closest row when nearer than ``FOLD_SHARE`` of the usual line
  pitch (a name wrapped around its amounts, above and below, reads whole; a row left blank
  where zeros are not printed stays a row). A line with only a code starts a row that the next
  line with amounts completes, the name lines between joining it. The row keeps the place of
  its amounts.
- **continued pages**: a page that repeats the title and header of the table the page before
  ended with reuses that table's columns, so ``pdf._join`` finds them compatible and drops the
  repeated header rows; a page without them continues the table from its first lines of
  amounts (a running page head above them stays out).
- **empty tables**: a title and header with no row of numbers, followed by a note that says
  so (本表无数据), is the header alone, its columns from the header cells (``is_empty`` follows).

``read_pdf(..., ignore_rules=True)`` reads ruled pages this way too: the tests use it to check
this reader on real pages against what the page shows.

Lines of prose never show numbers standing apart in aligned columns, so a page of narrative
gives no table; a region that does not show at least two columns, one of them amounts, is
not a table either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from ingest.parse.readers.common import COLUMN_NUMBER_WORDS, find_unit
from ingest.parse.readers.pdf import CJK_RE, Glyph, Grid, TextLine, _cell_text, _title_part, is_number_line
from ingest.parse.vocabulary import EMPTY_NOTE_RE

RUN_GAP = 0.5  # em: glyphs of one line further apart than this are separate runs (cells)
AMOUNT_GAP = 0.25  # em: after an amount with decimals, a smaller gap already ends the run (tight columns)
LETTER_SPACING = 6.0  # em: single characters of a header line this close are one spaced-out word
WRAP_GAP = 0.7  # em: a header run this close below another, on its axis, continues its cell
AXIS = 1.0  # em: two header runs share an axis when their centres or left edges are this close
ALIGN = 0.5  # em: edges this close line up (a column's right edge of numbers, left edge of names)
CELL_PAD = 0.3  # em: a column boundary lies this far outside its aligned edge
FOLD_SHARE = 0.75  # a line without amounts this close to a row (× the usual row pitch) is part of it
OVERLAP = 0.1  # em: two lines of amounts overlapping by more than this are one row (cells centred apart)
SINGLE_ROW_FOLD = 1.5  # em: the same, on a table with a single row of amounts (no pitch to measure)
DEFAULT_EM = 10.0  # points: the em of a region without text (never used on a real table)
MAX_CAPTION_LINES = 4  # number, unit and 部门名称 lines between a title and its header
MAX_HEADER_LINES = 14  # header lines (wrapped header cells of one row count one line each)
MAX_HEADER_RUN = 24  # glyphs: a header cell is short; a longer run is prose, not a header
MAX_LINE_GAP = 3.0  # em: a vertical gap wider than this between two lines ends a table
GAP_SHARE = 1.5  # a line above a continued table's rows, further than this × their usual gap, is no row
LEVEL_TOLERANCE = 1.0  # points: a header's cell top this close below a parent is still below it

NUMBER_RE = re.compile(r"[-−－+]?[(（]?\d[\d,，]*(?:\.\d+)?[)）]?%?")
AMOUNT_END_RE = re.compile(r"\d\.\d+$|\d,\d{3}$")  # "1,136.23", "195,774,300"
# words that open a line under a table, not a row of it: 注：, 注1：, 说明：, 备注：, 资料来源
NOTE_RE = re.compile(r"^(?:注|说明|备注|资料来源)\s*\d*\s*[：:]")
# a caption line between a title and its header: 部门名称：, 编制单位：, 预算单位：, 单位：万元
CAPTION_RE = re.compile(r"^(?:[\u4e00-\u9fff（）()]{0,8}(?:部门|单位|名称))\s*[：:]")


@dataclass(slots=True)
class Run:
    """Glyphs of one line close enough to be one cell's text."""

    glyphs: list[Glyph]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    numeric: bool

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Row:
    """A page line split into runs, with the em (median glyph size) the tolerances scale by."""

    line: TextLine
    runs: list[Run]
    em: float

    @property
    def numeric(self) -> bool:
        return any(run.numeric for run in self.runs)

    @property
    def cy(self) -> float:
        return (self.line.top + self.line.bottom) / 2


@dataclass
class Block:
    """A header cell: runs of one or more header lines (a wrapped cell)."""

    runs: list[Run]
    column: int = 0
    span: list[int] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(r.x0 for r in self.runs)

    @property
    def x1(self) -> float:
        return max(r.x1 for r in self.runs)

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return _cell_text([g for r in self.runs for g in r.glyphs])


@dataclass
class Layout:
    """The columns of an aligned table, kept to read the pages it continues on."""

    columns: list[float]  # boundaries, left to right
    aligns: list[str]  # per column: "left", "right" or "centre"
    header: list[list[str]]  # header rows as built on the first page
    header_texts: list[str]  # the header cells' texts, sorted: a repeated header has the same
    title: str


@dataclass
class Carried:
    """The aligned table that ran to the foot of a page, for the next page to continue."""

    layout: Layout
    page: int


# ---------------------------------------------------------------------------------------
# entry point


def aligned_tables(
    lines: list[TextLine], page: int, carried: Carried | None
) -> tuple[list[Grid], list[TextLine], Carried | None]:
    """The page's tables printed without rules, the lines left outside them, and the table to
    continue on the next page (one that runs to this page's last line)."""
    titles = [k for k, line in enumerate(lines) if _title_part(line.text)]
    if carried is not None and carried.page != page - 1:
        carried = None
    if not titles and carried is None:
        return [], lines, None
    first = 0 if carried is not None else titles[0]  # no table starts above: those lines stay unsplit
    rows: list[Row] = [None] * first + [_row(line) for line in lines[first:]]  # type: ignore[list-item]
    grids: list[Grid] = []
    used: set[int] = set()
    next_carried: Carried | None = None
    starts: list[tuple[int, str]] = [(k, _title_part(lines[k].text)) for k in titles]
    if carried is not None:
        starts.insert(0, (-1, ""))
    for title_index, title in starts:
        if title_index in used:
            continue
        previous = (
            carried.layout if carried is not None and (title_index < 0 or title == carried.layout.title) else None
        )
        found = _read_region(rows, title_index + 1, previous, page, title, continuation=title_index < 0)
        if found is None:
            continue
        grid, consumed, layout = found
        grids.append(grid)
        used.update(consumed)
        if max(consumed) == len(rows) - 1:
            next_carried = Carried(layout, page)
    if not grids:
        return [], lines, None
    remaining = [line for k, line in enumerate(lines) if k not in used]
    return grids, remaining, next_carried


# ---------------------------------------------------------------------------------------
# runs of text


def _row(line: TextLine) -> Row:
    sizes = sorted(g.size for g in line.glyphs)
    em = max(sizes[len(sizes) // 2], 1.0)
    return Row(line, _runs(line.glyphs), em)


def _runs(glyphs: list[Glyph]) -> list[Run]:
    groups: list[list[Glyph]] = [[glyphs[0]]]
    for glyph in glyphs[1:]:
        previous = groups[-1][-1]
        gap = glyph.x0 - previous.x1
        size = max(glyph.size, previous.size, 1.0)
        if gap > RUN_GAP * size or (gap > AMOUNT_GAP * size and _ends_amount(groups[-1]) and not glyph.text.isdigit()):
            groups.append([glyph])
        else:
            groups[-1].append(glyph)
    return [_make_run(group) for group in groups]


def _ends_amount(glyphs: list[Glyph]) -> bool:
    """The glyphs so far end with an amount's decimals ("1,136.23")."""
    text = "".join(g.text for g in glyphs[-5:])
    return bool(AMOUNT_END_RE.search(text))


def _make_run(glyphs: list[Glyph]) -> Run:
    text = "".join(g.text for g in glyphs)
    return Run(
        glyphs,
        text,
        min(g.x0 for g in glyphs),
        max(g.x1 for g in glyphs),
        min(g.top for g in glyphs),
        max(g.bottom for g in glyphs),
        bool(NUMBER_RE.fullmatch(text)),
    )


def _spaced_out(runs: list[Run], em: float, spans: list[list[float]]) -> list[Run]:
    """Single characters spread over a header cell ("收    入", "项    目") joined into one run;
    not characters standing over two different columns of the body ("类  款  项" over the
    three parts of a code)."""
    result: list[Run] = []
    for run in runs:
        previous = result[-1] if result else None
        if (
            previous is not None
            and len(run.glyphs) == 1
            and CJK_RE.match(run.text)
            and _letters_only(previous)
            and run.x0 - previous.x1 <= LETTER_SPACING * em
            and not _over_two_columns(previous, run, spans)
        ):
            result[-1] = _make_run(previous.glyphs + run.glyphs)
        else:
            result.append(run)
    return result


def _over_two_columns(a: Run, b: Run, spans: list[list[float]]) -> bool:
    over_a = {i for i, (x0, x1) in enumerate(spans) if a.x0 < x1 and x0 < a.x1}
    over_b = {i for i, (x0, x1) in enumerate(spans) if b.x0 < x1 and x0 < b.x1}
    return bool(over_a and over_b and over_a != over_b)


def _letters_only(run: Run) -> bool:
    """A run of single characters spaced out so far: each glyph stands alone."""
    if len(run.glyphs) == 1:
        return bool(CJK_RE.match(run.text))
    gaps = [b.x0 - a.x1 for a, b in zip(run.glyphs, run.glyphs[1:])]
    return all(gap > RUN_GAP * a.size for gap, a in zip(gaps, run.glyphs))


# ---------------------------------------------------------------------------------------
# the region of a table: caption, header, body


def _read_region(
    rows: list[Row], start: int, previous: Layout | None, page: int, title: str, continuation: bool
) -> tuple[Grid, list[int], Layout] | None:
    index = start
    while index < len(rows) and index - start < MAX_CAPTION_LINES and _is_caption(rows[index]):
        index += 1
    header_start = index
    header: list[int] = []
    while index < len(rows) and not _is_data(rows[index]) and len(header) < MAX_HEADER_LINES:
        if _ends_table(rows[index]):
            break
        if _is_prose(rows[index]):
            if not (continuation and not header):
                return None
            index += 1  # a running page head above a continued table stays out of it
            header_start = index
            continue
        header.append(index)
        index += 1
    if continuation and previous is None:
        return None
    body = _body(rows, index, rows[header[-1]] if header else None)
    if not any(_is_data(rows[k]) for k in body):
        return _empty_table(rows, header, body, page, title) if not continuation else None
    above = header
    header, blocks, repeated = _split_header(rows, header, body, previous)
    if continuation and above and not repeated:
        header_start = _rows_above(rows, above, body, previous.columns)  # type: ignore[union-attr]
        header, blocks = [], []
    elif not continuation and previous is not None and not repeated:
        previous = None  # the same title over another header: a table of its own
    body = list(
        range(header[-1] + 1 if header else header_start, body[-1] + 1)
    )  # with the lines moved out of the header
    if previous is not None:
        layout = previous
    else:
        layout = _layout(rows, body, blocks, title)
        if layout is None:
            return None
    body = _without_trailing_prose(rows, body, layout.columns)
    if not _shows_columns(rows, body, layout):
        return None
    if previous is None:
        header_rows = layout.header
    else:  # the header repeated on this page reads as the first page's (``_join`` drops it)
        header_rows = [list(row) for row in layout.header] if header else []
    body_rows = _body_rows(rows, body, layout)
    consumed = header + body
    return _grid(page, layout, header_rows + body_rows, [rows[k].line for k in consumed]), consumed, layout


def _split_header(
    rows: list[Row], header: list[int], body: list[int], previous: Layout | None
) -> tuple[list[int], list[Block], bool]:
    """The header lines and cells, and whether they repeat ``previous``'s header.

    Text lines just above the first row of numbers may be the start of its wrapped name, not
    header: a repeated header tells where it ends (its cells read the same); otherwise a line
    closer to the line below it than to the line above is the name's."""
    em = _em(rows, header + body)
    spans = _projection([(run.x0, run.x1) for k in body if _is_data(rows[k]) for run in rows[k].runs])

    def cells(lines: list[int]) -> list[Block]:
        return _blocks([run for k in lines for run in _spaced_out(rows[k].runs, rows[k].em, spans)], em)

    if previous is not None:
        for cut in range(len(header), max(len(header) - MAX_CAPTION_LINES, 0) - 1, -1):
            found = cells(header[:cut])
            if sorted(b.text for b in found) == previous.header_texts:
                return header[:cut], found, True
    cut = len(header) - _name_lines_above(rows, header, body)
    return header[:cut], cells(header[:cut]), False


def _rows_above(rows: list[Row], lines: list[int], body: list[int], columns: list[float]) -> int:
    """Where a continued table starts on a page that does not repeat its header: the lines just
    above its first amounts are rows too (names, rows left blank), up to a gap wider than the
    body's usual gap between lines or a line running across the columns (a running page head)."""
    gaps = sorted(rows[b].line.top - rows[a].line.bottom for a, b in pairwise(body))
    usual = gaps[len(gaps) // 2] if gaps else 0.0
    start = body[0]
    for k in reversed(lines):
        below = rows[start].line.top - rows[k].line.bottom
        if _straddles(rows[k], columns) or below > max(GAP_SHARE * usual, rows[k].em):
            break
        start = k
    return start


def _name_lines_above(rows: list[Row], header: list[int], body: list[int]) -> int:
    """How many of the last header lines are the start of the first row's wrapped name: each
    closer to the line below it than to the line above it."""
    count = 0
    below = rows[body[0]] if body else None
    while len(header) - count >= 2 and below is not None:
        line, above = rows[header[-1 - count]], rows[header[-2 - count]]
        if below.cy - line.cy >= line.cy - above.cy:
            break
        below = line
        count += 1
    return count


def _empty_table(
    rows: list[Row], header: list[int], body: list[int], page: int, title: str
) -> tuple[Grid, list[int], Layout] | None:
    """A header with no row of numbers, followed by a note that says the table is empty
    (本表无数据): the table as its header and its text rows, columns from the header cells."""
    after = (body[-1] if body else header[-1] if header else -1) + 1
    if not header or after >= len(rows) or not EMPTY_NOTE_RE.search(rows[after].line.text):
        return None
    blocks = _blocks([run for k in header for run in _spaced_out(rows[k].runs, rows[k].em, [])], _em(rows, header))
    spans = _projection([(b.x0, b.x1) for b in blocks if not _has_block_below(b, blocks)])
    if len(spans) < 2:
        return None
    em = _em(rows, header)
    aligns = ["centre"] * len(spans)
    columns = _boundaries(spans, aligns, blocks, em)
    layout = Layout(columns, aligns, _header_rows(blocks, columns, em), sorted(b.text for b in blocks), title)
    if any(_straddles(rows[k], columns) for k in body):
        return None
    rows_of_text = [_cells_of(rows, [k], layout) for k in body]
    consumed = header + body
    return _grid(page, layout, layout.header + rows_of_text, [rows[k].line for k in consumed]), consumed, layout


def _grid(page: int, layout: Layout, texts: list[list[str]], lines: list[TextLine]) -> Grid:
    return Grid(
        page=page,
        x0=layout.columns[0],
        x1=layout.columns[-1],
        top=min(line.top for line in lines),
        bottom=max(line.bottom for line in lines),
        columns=list(layout.columns),
        rows=[row for row in texts if any(row)],
        layout="aligned",
    )


def _is_caption(row: Row) -> bool:
    text = row.line.text
    return bool(find_unit(text) or is_number_line(text) or CAPTION_RE.match(text))


def _ends_table(row: Row) -> bool:
    text = row.line.text
    return bool(_title_part(text) or NOTE_RE.match(text) or _is_caption(row))


def _is_prose(row: Row) -> bool:
    return any(len(run.glyphs) > MAX_HEADER_RUN for run in row.runs)


def _is_data(row: Row) -> bool:
    """A line with a number standing apart from other text ("栏次 1 2 3" is a header line)."""
    return row.numeric and not any(word in row.line.text for word in COLUMN_NUMBER_WORDS)


def _body(rows: list[Row], start: int, above: Row | None) -> list[int]:
    body: list[int] = []
    bottom = above.line.bottom if above is not None else None
    for index in range(start, len(rows)):
        row = rows[index]
        if _ends_table(row):
            break
        if bottom is not None and row.line.top - bottom > MAX_LINE_GAP * row.em:
            break
        body.append(index)
        bottom = row.line.bottom
    return body


def _em(rows: list[Row], indices: list[int]) -> float:
    sizes = sorted(rows[k].em for k in indices)
    return sizes[len(sizes) // 2] if sizes else DEFAULT_EM


# ---------------------------------------------------------------------------------------
# columns


def _layout(rows: list[Row], body: list[int], blocks: list[Block], title: str) -> Layout | None:
    em = _em(rows, body)
    data = [rows[k] for k in body if _is_data(rows[k])]
    spans = _projection([(run.x0, run.x1) for row in data for run in row.runs])
    added: list[tuple[float, float]] = []
    for k in body:  # a wrapped name's lines above or below its amounts
        if _is_data(rows[k]) or not _beside_data(rows, body, k):
            continue
        for run in rows[k].runs:
            touching = [s for s in spans if run.x0 <= s[1] and s[0] <= run.x1]
            if len(touching) <= 1:
                added.append((run.x0, run.x1))
    spans = _projection([(s[0], s[1]) for s in spans] + added)
    columns, aligns = _columns(spans, rows, body, blocks, em)
    extra = _header_only(blocks, spans, aligns)
    if extra:  # a header over no body text on this page (a column empty here) is a column too
        spans = _projection([(s[0], s[1]) for s in spans] + extra)
        columns, aligns = _columns(spans, rows, body, blocks, em)
    if len(spans) < 2:
        return None
    header = _header_rows(blocks, columns, em)
    texts = sorted(block.text for block in blocks)
    return Layout(columns, aligns, header, texts, title)


def _columns(spans, rows: list[Row], body: list[int], blocks: list[Block], em: float) -> tuple[list[float], list[str]]:
    members: list[list[Run]] = [[] for _ in spans]
    for k in body:
        for run in rows[k].runs:
            for i, (x0, x1) in enumerate(spans):
                if x0 <= run.cx <= x1:
                    members[i].append(run)
                    break
    aligns = [_alignment(runs, em) for runs in members]
    return _boundaries(spans, aligns, blocks, em), aligns


def _header_only(blocks: list[Block], spans, aligns: list[str]) -> list[tuple[float, float]]:
    """Header cells of columns with no body text on this page ("科目编码" over a table whose only
    row is a total), as stretches to add to the columns.

    A header cell over no body text lies in the white space between two body columns. The one
    nearest a column of names on its left (names are left-aligned, their header may stand to
    the right of them) or of numbers on its right (right-aligned, their header may stand to the
    left) belongs to that column, when it has no header at that height yet; the others head
    columns of their own."""
    leaves = [b for b in blocks if not _has_block_below(b, blocks)]
    loose = [b for b in leaves if not any(b.x0 <= s[1] and s[0] <= b.x1 for s in spans)]
    found: list[tuple[float, float]] = []
    for block in loose:
        level = [b for b in leaves if b.top < block.bottom and block.top < b.bottom]
        beside = sorted((b for b in level if b in loose), key=lambda b: b.x0)
        left = max((i for i, s in enumerate(spans) if s[1] < block.x0), default=None)
        right = min((i for i, s in enumerate(spans) if s[0] > block.x1), default=None)
        in_gap = [
            b for b in beside if (left is None or b.x0 > spans[left][1]) and (right is None or b.x1 < spans[right][0])
        ]

        def headed(i: int) -> bool:
            return any(b.x0 <= spans[i][1] and spans[i][0] <= b.x1 for b in level)  # noqa: B023 (called in this iteration)

        if left is not None and block is in_gap[0] and aligns[left] == "left" and not headed(left):
            continue
        if right is not None and block is in_gap[-1] and aligns[right] == "right" and not headed(right):
            continue
        found.append((block.x0, block.x1))
    return found


def _beside_data(rows: list[Row], body: list[int], k: int) -> bool:
    """A text line touching a line with numbers (within an em): part of a row, not a note."""
    line = rows[k].line
    return any(
        _is_data(rows[j])
        and rows[j].line.top - line.bottom <= rows[k].em
        and line.top - rows[j].line.bottom <= rows[k].em
        for j in body
    )


def _projection(intervals: list[tuple[float, float]]) -> list[list[float]]:
    """Stretches of the x axis covered by the intervals (overlapping ones merged)."""
    merged: list[list[float]] = []
    for x0, x1 in sorted(intervals):
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _alignment(runs: list[Run], em: float) -> str:
    """ "right" for numbers (right edges line up), "left" for names (left edges closer than right)."""
    if not runs:
        return "centre"
    numeric = sum(run.numeric for run in runs) * 2 > len(runs)
    if len(runs) == 1:
        return "right" if numeric else "left"
    left = max(r.x0 for r in runs) - min(r.x0 for r in runs)
    right = max(r.x1 for r in runs) - min(r.x1 for r in runs)
    if right <= ALIGN * em and (left > ALIGN * em or numeric):
        return "right"
    if left <= right:
        return "left"
    return "right"


def _boundaries(spans, aligns: list[str], blocks: list[Block], em: float) -> list[float]:
    pad = CELL_PAD * em
    lefts = [s[0] for s in spans] + [b.x0 for b in blocks]
    rights = [s[1] for s in spans] + [b.x1 for b in blocks]
    bounds = [min(lefts) - pad]
    for (_a0, a1), (b0, _b1), a_align, b_align in zip(spans, spans[1:], aligns, aligns[1:]):
        if b_align == "left":
            x = b0 - pad
        elif a_align == "right":
            x = a1 + pad
        else:
            x = (a1 + b0) / 2
        bounds.append(min(max(x, a1), b0))
    bounds.append(max(rights) + pad)
    return bounds


def _column_of(columns: list[float], x: float) -> int:
    for i in range(len(columns) - 1):
        if x < columns[i + 1]:
            return i
    return len(columns) - 2


# ---------------------------------------------------------------------------------------
# header cells


def _blocks(runs: list[Run], em: float) -> list[Block]:
    """Header runs joined into cells: a run just below another on its axis continues that cell."""
    blocks: list[Block] = []
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        best: Block | None = None
        best_gap = 0.0
        for block in blocks:
            last = block.runs[-1]
            gap = run.top - last.bottom
            if not (-0.5 * em < gap <= WRAP_GAP * em):
                continue
            if run.x0 > last.x1 or last.x0 > run.x1:
                continue
            if abs(run.cx - last.cx) > AXIS * em and abs(run.x0 - last.x0) > AXIS * em:
                continue
            if best is None or gap < best_gap:
                best, best_gap = block, gap
        if best is None:
            blocks.append(Block([run]))
        else:
            best.runs.append(run)
    return blocks


def _has_block_below(block: Block, blocks: list[Block]) -> bool:
    return any(
        other is not block and other.top >= block.bottom and other.x0 < block.x1 and block.x0 < other.x1
        for other in blocks
    )


def _header_rows(blocks: list[Block], columns: list[float], em: float) -> list[list[str]]:
    """Header rows as the lattice gives them: each cell's text once, at the first column it spans."""
    if not blocks:
        return []
    width = len(columns) - 1
    for block in blocks:
        block.column = _column_of(columns, block.cx)
        block.span = [block.column]
    by_column: dict[int, list[Block]] = {}
    for block in sorted(blocks, key=lambda b: b.cy):
        by_column.setdefault(block.column, []).append(block)
    cells = _cells(by_column, min(b.top for b in blocks), max(b.bottom for b in blocks))
    parents = sorted((b for b in blocks if by_column[b.column][-1] is not b), key=lambda b: (b.top, b.x0))
    spread: list[Block] = []
    for parent in parents:
        parent.span = _span(parent, blocks, by_column, cells, spread, columns, em)
        spread.append(parent)
    chains: list[list[Block]] = [[] for _ in range(width)]
    for block in sorted(blocks, key=lambda b: b.top):
        for c in block.span:
            chains[c].append(block)
    depth = max(len(chain) for chain in chains)
    header = [[""] * width for _ in range(depth)]
    for block in blocks:
        first = block.span[0]
        level = chains[first].index(block)
        text = block.text
        cell = header[level][first]
        header[level][first] = cell + text if cell else text
    return header


def _cells(by_column: dict[int, list[Block]], band_top: float, band_bottom: float) -> dict[int, tuple[float, float]]:
    """The (unseen) vertical extent of each header cell: text is centred in its cell, so a cell
    ends where the cell below it in its column begins (the lowest at the foot of the header) and
    begins as far above its text's middle as it ends below it. A cell whose text is centred on the
    whole header height ("收入总计" beside a header of three rows) reaches its top."""
    cells: dict[int, tuple[float, float]] = {}
    for found in by_column.values():
        bottom = band_bottom
        for block in reversed(found):
            top = min(max(2 * block.cy - bottom, band_top), block.top)
            cells[id(block)] = (top, bottom)
            bottom = top
    return cells


def _span(
    parent: Block,
    blocks: list[Block],
    by_column: dict[int, list[Block]],
    cells: dict[int, tuple[float, float]],
    spread: list[Block],
    columns: list[float],
    em: float,
) -> list[int]:
    """The columns a parent header cell spans: those around its own whose header cells lie wholly
    below it, not held at its height by another cell, nor taken by a parent above that it is not
    under; of these, the widest run of columns centred on the parent's text (a header is printed
    centred over the columns it spans)."""
    width = len(columns) - 1

    def overlaps(a0: float, a1: float, b0: float, b1: float) -> bool:
        return a0 < b1 - LEVEL_TOLERANCE and b0 < a1 - LEVEL_TOLERANCE

    def eligible(c: int) -> bool:
        for block in by_column.get(c, []):
            if block is parent or _under(parent, block, cells):
                continue  # itself, or a cell above it that may span it
            cell_top, cell_bottom = cells[id(block)]
            if overlaps(cell_top, cell_bottom, parent.top, parent.bottom):
                return False  # held at this height by another cell
            if block.top >= parent.bottom and cell_top < parent.bottom - LEVEL_TOLERANCE:
                return False  # its header cell reaches up beside this one
        return all(not (c in other.span and not _under(parent, other, cells)) for other in spread)

    low = high = parent.column
    while low - 1 >= 0 and eligible(low - 1):
        low -= 1
    while high + 1 < width and eligible(high + 1):
        high += 1
    tolerance = AXIS * em
    best = [parent.column]
    best_off = abs((columns[parent.column] + columns[parent.column + 1]) / 2 - parent.cx)
    for a in range(low, parent.column + 1):
        for b in range(parent.column, high + 1):
            off = abs((columns[a] + columns[b + 1]) / 2 - parent.cx)
            wider = b - a + 1 > len(best)
            if (off <= tolerance and (wider or best_off > tolerance)) or (best_off > tolerance and off < best_off):
                best, best_off = list(range(a, b + 1)), off
    return best


def _under(block: Block, parent: Block, cells: dict[int, tuple[float, float]]) -> bool:
    """``block``'s cell lies below ``parent``'s text: it may sit among the columns the parent spans."""
    return block.top >= parent.bottom and cells[id(block)][0] >= parent.bottom - LEVEL_TOLERANCE


# ---------------------------------------------------------------------------------------
# body rows


def _without_trailing_prose(rows: list[Row], body: list[int], columns: list[float]) -> list[int]:
    """Drop lines at the end of the body that run across columns (a note, a sentence)."""
    kept = list(body)
    while kept and not _is_data(rows[kept[-1]]) and _straddles(rows[kept[-1]], columns):
        kept.pop()
    return kept


def _straddles(row: Row, columns: list[float]) -> bool:
    """A run crossing a column boundary: text that does not sit in the table's columns."""
    inner = columns[1:-1]
    return (
        any(any(run.x0 < x < run.x1 for x in inner) for run in row.runs)
        or row.line.x1 > columns[-1]
        or row.line.x0 < columns[0]
    )


def _shows_columns(rows: list[Row], body: list[int], layout: Layout) -> bool:
    """Numbers line up: amounts in a right-aligned column, on two lines or beside other numbers."""
    if not body:
        return False
    amount_columns = [i for i, align in enumerate(layout.aligns) if align == "right"]
    if not amount_columns:
        return False
    per_line = [_amounts(rows[k], layout) for k in body]
    lines_with = sum(1 for found in per_line if found)
    if lines_with >= 2:
        return True
    return any(len(found) >= 2 for found in per_line) and bool(layout.header)


def _amounts(row: Row, layout: Layout) -> list[int]:
    return [
        column
        for run in row.runs
        if run.numeric and layout.aligns[column := _column_of(layout.columns, run.cx)] == "right"
    ]


def _body_rows(rows: list[Row], body: list[int], layout: Layout) -> list[list[str]]:
    """One row per line with amounts; a wrapped name's lines folded into the row they belong to."""
    kinds = {k: _kind(rows[k], layout) for k in body}
    owner: dict[int, int] = {}  # line → the line whose row it is part of
    pending: int | None = None  # a code-only line waiting for its amounts
    for k in body:
        if kinds[k] == "amounts":
            codes = _code_columns(rows[pending], layout) if pending is not None else set()
            owner[k] = pending if pending is not None and not _has_code(rows[k], layout, codes) else k
            pending = None
        elif kinds[k] == "code":
            owner[k] = pending = k
    anchors = [k for k in body if kinds[k] == "amounts"]
    for a, b in pairwise(anchors):  # cells of one row centred at different heights
        if rows[b].line.top < rows[a].line.bottom - OVERLAP * rows[b].em and owner[b] == b:
            owner[b] = owner[a]
    pitch = _pitch(rows, body)
    for position, k in enumerate(body):
        if kinds[k] != "text":
            continue
        above = next((j for j in reversed(body[:position]) if kinds[j] != "text"), None)
        if above is not None and kinds[above] == "code" and owner[above] == above:
            owner[k] = above  # the name between a code alone on its line and the amounts
            continue
        target = _nearest(rows, anchors, k, pitch)
        owner[k] = owner[target] if target is not None else k
    members: dict[int, list[int]] = {}
    for k in body:
        members.setdefault(owner[k], []).append(k)
    return [_cells_of(rows, members[first], layout) for first in sorted(members)]


def _cells_of(rows: list[Row], lines: list[int], layout: Layout) -> list[str]:
    """One table row from its lines: each run in the column under its centre, a cell's lines
    joined top to bottom without a separator (a wrapped name reads whole)."""
    cells: list[list[Glyph]] = [[] for _ in range(len(layout.columns) - 1)]
    for k in sorted(lines, key=lambda j: rows[j].line.top):
        for run in rows[k].runs:
            cells[_column_of(layout.columns, run.cx)].extend(run.glyphs)
    return [_cell_text(glyphs) if glyphs else "" for glyphs in cells]


def _kind(row: Row, layout: Layout) -> str:
    if _amounts(row, layout):
        return "amounts"
    if row.numeric:
        return "code"
    return "text"


def _code_columns(row: Row, layout: Layout) -> set[int]:
    return {_column_of(layout.columns, run.cx) for run in row.runs if run.numeric}


def _has_code(row: Row, layout: Layout, columns: set[int]) -> bool:
    return any(run.numeric and _column_of(layout.columns, run.cx) in columns for run in row.runs)


def _pitch(rows: list[Row], body: list[int]) -> float | None:
    """The usual distance between two lines of the body (the median: a table has more rows
    than wrapped names, and a row left blank, zeros unprinted, is a line at that distance too)."""
    distances = sorted(rows[b].cy - rows[a].cy for a, b in pairwise(body))
    return distances[len(distances) // 2] if distances else None


def _nearest(rows: list[Row], anchors: list[int], k: int, pitch: float | None) -> int | None:
    """The row of amounts a line without amounts belongs to: one whose line it overlaps (cells
    centred at different heights), else the closest when nearer than the usual line pitch."""
    if not anchors:
        return None
    line = rows[k]
    overlapping = [a for a in anchors if _overlap(rows[a], line) > OVERLAP * line.em]
    if overlapping:
        return max(overlapping, key=lambda a: _overlap(rows[a], line))
    best = min(anchors, key=lambda a: (abs(rows[a].cy - line.cy), rows[a].cy > line.cy))
    limit = FOLD_SHARE * pitch if pitch is not None else SINGLE_ROW_FOLD * line.em
    return best if abs(rows[best].cy - line.cy) <= limit else None


def _overlap(a: Row, b: Row) -> float:
    return min(a.line.bottom, b.line.bottom) - max(a.line.top, b.line.top)
