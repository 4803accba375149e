"""Tables in text dumps of PDFs: lines of space-separated cells, pages joined by form feeds.

An analyst often receives a disclosure as the text layer of its PDF (``pdftotext``, PDFium's
``get_text_range``): one text line per printed line, cells separated by a space, header cells
wrapped over several lines, two rows sometimes glued on one line, page footers ("- 12 -")
between rows. Column positions are lost. This module finds the tables in such text and
hands them over as :class:`ingest.parse.document.Table` (``layout="text"``), whatever city printed them:

1. **Where a table is.** It starts at a title line (ends with 表, maybe a short parenthesis;
   its number "表 1" / "公开01表" / "表一" on the line before, or "（预算表 1）" as a suffix, or
   "表1：" as a prefix) that is followed by a unit line ("单位：万元") or by rows of amounts.
   It ends at the next title, a note (注：…), a line of running prose, or the end of its page —
   unless the next page repeats its number or title, or starts with its header or with rows:
   then it continues, the repeated title, unit and header lines dropped. Page numbers and
   running headers (the same line at the top or bottom of most pages) are skipped. Rows printed
   above their own title (some text layers give a page's rows before its header and title) are
   taken back. A table printed one cell a line, labels apart from their amounts (``pdftotext``
   without -layout), is not read as a table: a warning says so.
2. **Rows.** A line is cut into tokens: codes (3/5/6/7 digits, "201 08 01", or the 2-digit own
   segment of a 款/项 at the start of a row), amounts (with decimals or thousands separators)
   and words. A code starts a row; a word after an amount starts another (two rows glued on
   one line, or the 收入 and 支出 halves of a 收支总表). A line of words without amounts
   continues the name of the row before (its last characters, a tail) or of the row after
   (the head of a name wrapped onto the line with the amounts); a code alone on a line takes
   the name and amounts of the lines that follow. An amount cut inside a narrow cell
   ("24995.9" / "4") is joined back.
3. **Header.** Lines between the caption and the first row. Column-number rows ("栏次 1 2 3",
   "** 1 2 3", "行次") are header rows, never data; their numbers tell how many amount columns
   the table has. Header cells are rebuilt from their wrapped fragments by the words of
   ``text_vocabulary``; words that head several columns (基本支出 over 小计 | 人员经费 |
   公用经费) are told from columns by the count of amount columns, and the order of the leaf
   columns — which the text layer does not always give left to right — is checked against the
   table's own sums (合计 = 基本支出 + 项目支出 …). Labels that cannot be made sure are left
   empty and said in a warning.
4. **Amounts without positions.** A row's numbers are its right-most tokens. A row that prints
   as many numbers as the table has amount columns is mapped one to one. One that prints fewer
   (zeros left blank) is placed only where it is certain: every placement that keeps the
   numbers in order and the table's sums true is tried, and only the cells all such placements
   agree on are filled. Cells that cannot be told hold ``UNPLACED`` ("?", no number), and a
   reader warning names the row — a blank would read as a zero.

Locators: a cell is "p.15 l.9 c.3" (page = form feeds before it + 1, line within the page,
column of the table's grid); a table "p.15" or "p.15-16"; a file without form feeds uses
"line 9 c.3" and "line 9".
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise

from ingest.parse.amounts import parse_number
from ingest.parse.document import Cell, Line, Table
from ingest.parse.readers.common import find_unit
from ingest.parse.readers.text_vocabulary import (
    OF_WHICH_RE,
    SUBTOTAL,
    TOTAL_LEAF_RE,
    compact,
    is_label_heading,
    is_prefix,
    is_term,
    role_of,
)
from ingest.parse.vocabulary import TEXT_DUMP_EMPTY_NOTE_RE

# --- tolerances and limits ---------------------------------------------------------------
MAX_TITLE_CHARS = 50  # a table title is a short line
TITLE_WINDOW = 4  # lines after a title in which its unit line or its rows must begin
MAX_HEADER_LINES = 45  # more lines without a row after a title: no table there
MAX_WRAP_CHARS = 36  # a line of words longer than this is prose, not a wrapped name
SHORT_TAIL_CHARS = 2  # a fragment this short after a complete row is the end of its name
PROSE_WORD_CHARS = 10  # a long line whose words are longer than this on average is running text
EDGE_LINES = 3  # page numbers and running headers sit in the first or last lines of a page
RUNNING_SHARE = 0.3  # a line at the edge of at least this share of pages is a running header
RUNNING_MIN_PAGES = 3
MAX_PLACEMENTS = 4000  # sum-keeping placements of a short row kept at most; more: its cells are not placed
MAX_CANDIDATES = 48  # header readings checked against the rows at most
MAX_READING_TRIES = 400  # choices of groups and of the cells under them tried at most, per table
MAX_TABLE_SEARCH_STEPS = 100_000  # columns decided at most while placing a table's short rows
MAX_VERIFY_ROWS = 60  # rows a header reading is checked against
MIN_AMOUNT_LINES = 3  # lines of several amounts that make a text without form feeds a dump
# above this share of a table's amount lines holding one amount and nothing else, the table came out
# one cell a line (``pdftotext`` without -layout): which amount belongs to which label cannot be told
MAX_LONE_AMOUNT_SHARE = 0.5
UNPLACED = "?"  # text of a cell whose number could not be placed (never read as a zero)
MAX_ROWS_NAMED = 30  # rows a warning names one by one; the rest are counted

# --- patterns ---------------------------------------------------------------------------------
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
AMOUNT_RE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)$")
INT_RE = re.compile(r"^\d+$")
CODE_LENGTHS = (2, 3, 5, 6, 7)  # 类 3, 款 5, 项 7; 6-digit unit codes; 2-digit own segments (烟台)
# a code right after a row's words (that row printed no amount) must say more than a short number
WORD_CODE_LENGTHS = (3, 5, 6, 7)
PAGE_NUMBER_RE = re.compile(
    r"^[-—–─－\s]*\d{1,3}[-—–─－\s]*$|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
# a table number on its own line or at the edge of the title
NUMBER_CORE = (
    r"(?:公开|附|单位预算|部门预算|预算)?\s*表\s*[\d一二三四五六七八九十]+(?:\s*[-－]\s*\d+)?"
    r"|(?:公开|单位预算|部门预算)\s*[\d一二三四五六七八九十]+\s*表"
)
NUMBER_LINE_RE = re.compile(rf"^[（(]?(?P<number>{NUMBER_CORE})[）)]?\s*[：:.．]?$")
NUMBER_PREFIX_RE = re.compile(rf"^(?P<number>{NUMBER_CORE})\s*[：:.．、]\s*(?P<title>.+)$")
NUMBER_SUFFIX_RE = re.compile(rf"^(?P<title>.+?)\s*[（(]\s*(?P<number>{NUMBER_CORE})\s*[）)]$")
TITLE_END_RE = re.compile(r"表\s*(?:[（(][^）)]{0,12}[）)])?$")
ORDINAL_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．](?!\d))\s*"
)
NOTE_RE = re.compile(r"^(?:注|备注|说明|附注)\s*\d*\s*[:：]")
CAPTION_RE = re.compile(
    r"^(?:部门|单位|预算单位|编制单位|部门（单位）|部门\(单位\)|资金主管部门|单位名称|部门名称)\s*[:：]"
)
COLUMN_NUMBER_WORDS = ("栏次", "行次", "欄次")
CONTINUATION_START = tuple("、，,）)】」：:；;")
SENTENCE_MARKS = ("。", "；", "，")  # a line holding one of these is running text, not a row
OPENING_END = tuple("（(【「、")
TOTAL_LABEL_RE = re.compile(r"^(?:合计|总计|.{0,6}(?:合计|总计))$")

CODE, AMOUNT, TEXT, INT = "code", "amount", "text", "int"


# =========================================================================================
# lines


@dataclass(slots=True)
class SourceLine:
    """One printed line of the dump."""

    text: str
    page: int
    number: int  # within its page, 1-based
    locator: str
    index: int = 0  # position in the whole dump
    noise: bool = False  # page number or running header


def is_text_dump(text: str) -> bool:
    """Form feeds, or several lines of several space-separated amounts: the text of a PDF."""
    if "\f" in text:
        return True
    count = 0
    for line in text.splitlines():
        if sum(1 for token in line.split() if AMOUNT_RE.match(token)) >= 2:
            count += 1
            if count >= MIN_AMOUNT_LINES:
                return True
    return False


def source_lines(text: str) -> list[SourceLine]:
    """Every non-blank line with its page and line numbers; page numbers and running headers marked."""
    pages = text.split("\f")
    paged = len(pages) > 1
    lines: list[SourceLine] = []
    file_line = 0
    for page_number, page in enumerate(pages, start=1):
        for number, raw in enumerate(page.split("\n"), start=1):
            file_line += 1
            cleaned = clean_line(raw)
            if not cleaned:
                continue
            locator = f"p.{page_number} l.{number}" if paged else f"line {file_line}"
            lines.append(SourceLine(cleaned, page_number, number, locator, len(lines)))
    _mark_noise(lines, len(pages))
    return lines


def clean_line(raw: str) -> str:
    return raw.replace("\u3000", " ").replace("\xa0", " ").replace("\r", "").strip()


def _mark_noise(lines: list[SourceLine], page_count: int) -> None:
    by_page: dict[int, list[SourceLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edge_counts: Counter[str] = Counter()
    for page_lines in by_page.values():
        edges = page_lines[:EDGE_LINES] + page_lines[-EDGE_LINES:]
        edge_counts.update({_running_key(line.text) for line in edges})
    enough = max(RUNNING_MIN_PAGES, math.ceil(page_count * RUNNING_SHARE))
    running = {key for key, count in edge_counts.items() if count >= enough and page_count >= RUNNING_MIN_PAGES}
    offsets: Counter[int] = Counter()
    for page_lines in by_page.values():
        edges = page_lines[:EDGE_LINES] + page_lines[-EDGE_LINES:]
        for line in edges:
            if _amount_tail_below(lines, line):
                continue
            if PAGE_NUMBER_RE.match(line.text):
                line.noise = True
                digits = re.sub(r"\D", "", line.text)
                if digits and len(digits) == len(line.text.strip("-—–─－ ")):
                    offsets[line.page - int(digits)] += 1
            elif _running_key(line.text) in running and not _is_tableish(line.text):
                line.noise = True
    if offsets:  # a page number run into the first line of its page ("19 30227 委托业务费 8.00 …")
        offset = offsets.most_common(1)[0][0]
        for page, page_lines in by_page.items():
            first = page_lines[0]
            head, _, rest = first.text.partition(" ")
            if rest and head.isdigit() and int(head) == page - offset:
                first.text = rest.strip()


def _amount_tail_below(lines: list[SourceLine], line: SourceLine) -> bool:
    """A digit or two under an amount cut short ("24995.9" / "4") is the end of that amount, not a page number."""
    if line.index == 0 or not re.fullmatch(r"\d{1,2}", line.text):
        return False
    above = lines[line.index - 1]
    return above.page == line.page and bool(re.search(r"\d\.\d$", above.text))


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _is_tableish(text: str) -> bool:
    """A repeated line that is part of a table (its title, number, unit or header) is no running header."""
    return bool(find_unit(text) or parse_title(text) or NUMBER_LINE_RE.match(text) or CAPTION_RE.match(text))


# =========================================================================================
# titles


@dataclass
class Title:
    title: str
    number: str = ""


def parse_title(text: str) -> Title | None:
    """A table title line ("收支总表", "表1：…总表", "收支总表（预算表 1）"), ``None`` for anything else."""
    text = text.strip()
    if len(text) > MAX_TITLE_CHARS or find_unit(text) or NOTE_RE.match(text) or CAPTION_RE.match(text):
        return None
    number = ""
    m = NUMBER_PREFIX_RE.match(text)
    if m:
        number, text = m.group("number"), m.group("title").strip()
    m = NUMBER_SUFFIX_RE.match(text)
    if m:
        number, text = m.group("number"), m.group("title").strip()
    if not TITLE_END_RE.search(text) or text.endswith(("。", "；")) or not HAN_RE.search(text):
        return None
    if NUMBER_LINE_RE.match(text):
        return None
    return Title(ORDINAL_RE.sub("", text).strip(), _clean_number(number))


def _clean_number(number: str) -> str:
    return re.sub(r"\s+", " ", number).strip()


def number_line(text: str) -> str:
    m = NUMBER_LINE_RE.match(text.strip())
    return _clean_number(m.group("number")) if m else ""


# =========================================================================================
# tokens and segments


@dataclass(slots=True)
class Piece:
    """A token as printed, with the line it is printed on."""

    text: str
    line: SourceLine


@dataclass
class Token:
    text: str
    kind: str  # code | amount | text


def tokenize(text: str) -> list[Token]:
    """A line as codes, amounts and words (letter-spaced words and "2026 年" joined)."""
    raw = _merge_spaced(text.split())
    kinds = [AMOUNT if AMOUNT_RE.match(t) else INT if INT_RE.match(t) else TEXT for t in raw]
    tokens: list[Token] = []
    i = 0
    while i < len(raw):
        if kinds[i] == INT and (not tokens or tokens[-1].kind in (AMOUNT, TEXT)):
            j = i
            while j < len(raw) and kinds[j] == INT:
                j += 1
            run = raw[i:j]
            code_end = _code_run(run)
            ends_label = i + code_end == len(raw) or kinds[i + code_end] == TEXT
            after_words = bool(tokens) and tokens[-1].kind == TEXT
            if (
                code_end
                and ends_label
                and (not after_words or (code_end == 1 and len(run[0]) in WORD_CODE_LENGTHS and i + 1 < len(raw)))
            ):
                tokens.append(Token(" ".join(run[:code_end]), CODE))
                i += code_end
                continue
        kind = kinds[i]
        if kind == INT:
            kind = AMOUNT  # a whole number where an amount stands (元 tables, "0")
        tokens.append(Token(raw[i], kind))
        i += 1
    return tokens


def _code_run(run: list[str]) -> int:
    """How many tokens of a run of whole numbers make a code: 2080505, "201 08 01", own segments "08"."""
    if len(run[0]) == 3 and len(run) > 1 and all(len(t) <= 2 for t in run[1:3]):
        return min(len(run), 3)
    return 1 if len(run) == 1 and len(run[0]) in CODE_LENGTHS else 0


def _merge_spaced(tokens: list[str]) -> list[str]:
    """ "收 入 总 计" → "收入总计" (single characters in a row are one letter-spaced word);
    "2026 年预算数" → "2026年预算数". A single character alone stays (a wrapped tail such as "出")."""
    merged: list[str] = []
    spaced: list[bool] = []  # the merged token is a run of single characters
    for token in tokens:
        if merged and _single_han(token) and spaced[-1]:
            merged[-1] += token
        elif merged and token.startswith("年") and re.search(r"(?:^|\D)\d{4}$", merged[-1]):
            merged[-1] += token
            spaced[-1] = False
        else:
            merged.append(token)
            spaced.append(_single_han(token))
    return merged


def _single_han(token: str) -> bool:
    return len(token) == 1 and bool(HAN_RE.match(token))


@dataclass
class Segment:
    """A label (code and words) with the amounts printed after it on one line."""

    code: Piece | None = None
    texts: list[Piece] = field(default_factory=list)
    amounts: list[Piece] = field(default_factory=list)
    half: int = 0

    @property
    def empty(self) -> bool:
        return self.code is None and not self.texts and not self.amounts

    @property
    def labelled(self) -> bool:
        return self.code is not None or bool(self.texts)

    @property
    def name(self) -> str:
        return "".join(piece.text for piece in self.texts)


def segments_of(line: SourceLine, tokens: list[Token], side_by_side: bool) -> list[Segment]:
    """A line cut where a code starts a row, or a word follows an amount (or, side by side, a word)."""
    segments: list[Segment] = []
    current = Segment()
    for token in tokens:
        piece = Piece(token.text, line)
        if token.kind == CODE:
            if not current.empty:
                segments.append(current)
                current = Segment()
            current.code = piece
        elif token.kind == TEXT:
            starts_new = bool(current.amounts) or (
                side_by_side and bool(current.texts) and not token.text.startswith(CONTINUATION_START)
            )
            if starts_new:
                segments.append(current)
                current = Segment()
            if current.texts and token.text.startswith(CONTINUATION_START):
                current.texts[-1] = Piece(current.texts[-1].text + token.text, current.texts[-1].line)
            else:
                current.texts.append(piece)
        else:
            current.amounts.append(piece)
    if not current.empty:
        segments.append(current)
    return segments


# =========================================================================================
# where tables are


@dataclass
class Region:
    """The lines of one table, before its rows and header are read."""

    title: str
    number: str
    unit: str | None
    start: SourceLine
    header: list[SourceLine] = field(default_factory=list)
    data: list[SourceLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    column_count: int | None = None  # from a column-number row
    end: int = -1  # index of the last line the reading of the table went through


def find_regions(lines: list[SourceLine]) -> tuple[list[Region], set[int]]:
    """The tables of a dump and the indexes of the lines they hold (header and rows)."""
    regions: list[Region] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        title = None if line.noise else parse_title(line.text)
        if title is None or not _starts_table(lines, i):
            i += 1
            continue
        if not title.number:
            title.number = _number_before(lines, i)
        start = i
        region, i = _read_region(lines, start, title)
        _take_rows_above(
            region,
            [
                other
                for other in lines[:start]
                if other.page == line.page
                and other.index not in used
                and (not regions or other.index > regions[-1].end)
            ],
        )
        region.unit = region.unit or _page_unit(lines, line.page)
        region.end = i - 1
        regions.append(region)
        used.update(row.index for row in region.header + region.data)
    return regions, used


def _take_rows_above(region: Region, above: list[SourceLine]) -> None:
    """Rows printed above their own title: some text layers give a page's rows first, then its
    header, title and caption. When the title has no row below it on its page, the rows above it
    (and the header lines between them and the title) are its own."""
    page = region.start.page
    if any(line.page == page for line in region.data):
        return
    above = [line for line in above if not line.noise]
    positions = [k for k, line in enumerate(above) if _is_data_line(line.text)]
    if not positions:
        return
    first, last = positions[0], positions[-1]
    header = [
        line
        for line in above[last + 1 :]
        if not (find_unit(line.text) or CAPTION_RE.match(line.text) or number_line(line.text))
    ]
    region.data = above[first : last + 1] + region.data
    region.header = region.header + header  # printed below the title's own header lines


def _page_unit(lines: list[SourceLine], page: int) -> str | None:
    """The unit a page states once, wherever its line stands ("单位：元" above the rows)."""
    units = {find_unit(line.text) for line in lines if line.page == page and find_unit(line.text)}
    return units.pop() if len(units) == 1 else None


def _number_before(lines: list[SourceLine], i: int) -> str:
    for j in range(i - 1, max(i - 3, -1), -1):
        if lines[j].noise:
            continue
        return number_line(lines[j].text)
    return ""


def _starts_table(lines: list[SourceLine], i: int) -> bool:
    """A title followed by its unit line soon, or by rows of amounts before the next title."""
    seen = 0
    for j in range(i + 1, min(len(lines), i + MAX_HEADER_LINES)):
        line = lines[j]
        if line.noise:
            continue
        seen += 1
        if seen <= TITLE_WINDOW and (find_unit(line.text) or CAPTION_RE.match(line.text)):
            return True
        if parse_title(line.text) or NOTE_RE.match(line.text) or line.page != lines[i].page:
            return False
        if _is_data_line(line.text):
            return True
    return False


def _is_data_line(text: str) -> bool:
    tokens = tokenize(text)
    if any(t.kind == AMOUNT and AMOUNT_RE.match(t.text) for t in tokens):
        return True
    return len(tokens) >= 2 and tokens[0].kind == CODE and tokens[1].kind == TEXT


def column_number_count(text: str) -> int | None:
    """ "栏次 1 2 3" / "** ** 1 2 3 4" / "1 2 3": how many amount columns the numbers count."""
    tokens = text.split()
    words = [t for t in tokens if not INT_RE.match(t)]
    numbers = [int(t) for t in tokens if INT_RE.match(t)]
    if len(numbers) < 1 or any(not (w in COLUMN_NUMBER_WORDS or re.fullmatch(r"\*+", w)) for w in words):
        return None
    if not words and len(numbers) < 2:
        return None
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))) or numbers[0] not in (0, 1):
        return None
    if (
        tokens.index(next(t for t in tokens if INT_RE.match(t))) < len(words)
        and words
        and not all(INT_RE.match(t) for t in tokens[len(words) :])
    ):
        return None
    return len(numbers)


def _read_region(lines: list[SourceLine], i: int, title: Title) -> tuple[Region, int]:
    region = Region(title.title, title.number, None, lines[i], pages=[lines[i].page])
    j = i + 1
    in_data = False
    header_texts: set[str] = set()
    while j < len(lines):
        line = lines[j]
        if line.noise:
            j += 1
            continue
        if line.page != region.pages[-1]:
            if not _continues(lines, j, region, header_texts):
                break
            region.pages.append(line.page)
            j = _skip_repeated(lines, j, region, header_texts)
            continue
        text = line.text
        if parse_title(text) and (_starts_table(lines, j) or not in_data):
            break
        if NOTE_RE.match(text):
            region.notes.append(text)
            j += 1
            while (
                j < len(lines)
                and lines[j].page == line.page
                and not parse_title(lines[j].text)
                and not _is_data_line(lines[j].text)
                and len(region.notes) < 4
            ):
                if not lines[j].noise:
                    region.notes.append(lines[j].text)
                j += 1
            break
        if not in_data:
            unit = find_unit(text)
            if unit or CAPTION_RE.match(text) or number_line(text):
                region.unit = region.unit or unit
                j += 1
                continue
            count = column_number_count(text)
            if count is not None:
                region.column_count = count
                region.header.append(line)
                header_texts.add(_spaceless(text))
                in_data = True
                j += 1
                continue
            if _is_data_line(text):
                in_data = True
                if region.header and _amounts_only(text) and TOTAL_LABEL_RE.match(compact(region.header[-1].text)):
                    region.data.append(region.header.pop())  # "合计" with its amount wrapped below it
                head, rest = _header_words_before_row(line)
                if head is not None:
                    region.header.append(head)
                    header_texts.add(_spaceless(head.text))
                    line = rest
            elif len(region.header) >= MAX_HEADER_LINES or _is_prose(text):
                break
            else:
                region.header.append(line)
                header_texts.add(_spaceless(text))
                j += 1
                continue
        if _is_prose(text):
            break
        region.data.append(line)
        j += 1
    return region, j


def _header_words_before_row(line: SourceLine) -> tuple[SourceLine | None, SourceLine]:
    """A header's last line and the first row printed as one line ("项 目 本年预算 项 目 本年预算
    一、本级财政拨款收入 1,935.36 …"): cut at the first word that is no header word."""
    tokens = _merge_spaced(line.text.split())
    cut = 0
    while cut < len(tokens) and (is_term(tokens[cut]) or is_label_heading(tokens[cut])):
        cut += 1
    if cut < 2 or cut == len(tokens):
        return None, line
    head_text, rest_text = " ".join(tokens[:cut]), " ".join(tokens[cut:])
    return replace(line, text=head_text), replace(line, text=rest_text)


def _amounts_only(text: str) -> bool:
    tokens = tokenize(text)
    return bool(tokens) and all(t.kind == AMOUNT for t in tokens)


def _is_prose(text: str) -> bool:
    """Running text, not a table's row: a sentence (its punctuation says so, amounts or not), or a
    long line of long words (a header or a row is many short words; ``pdftotext -layout``
    spreads cells out with runs of spaces)."""
    if any(mark in text for mark in SENTENCE_MARKS):
        return True
    words = text.split()
    long_line = len(text.replace(" ", "")) > MAX_WRAP_CHARS and "  " not in text
    return long_line and sum(map(len, words)) / len(words) > PROSE_WORD_CHARS and not _is_data_line(text)


def _continues(lines: list[SourceLine], j: int, region: Region, header_texts: set[str]) -> bool:
    """The next page carries on the table: the same number or title, or its header or rows first."""
    page = lines[j].page
    for k in range(j, min(len(lines), j + TITLE_WINDOW + 2)):
        line = lines[k]
        if line.page != page:
            return False
        if line.noise:
            continue
        number = number_line(line.text)
        if number:
            return bool(region.number) and _same_number(number, region.number)
        title = parse_title(line.text)
        if title:
            if title.number and region.number:
                return _same_number(title.number, region.number)
            return compact(title.title) == compact(region.title)
        return bool(_spaceless(line.text) in header_texts or (_is_data_line(line.text) and not _is_prose(line.text)))
    return False


def _spaceless(text: str) -> str:
    """A line compared without its spaces: ``pdftotext -layout`` spreads the same header differently on each page."""
    return text.replace(" ", "")


def _same_number(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _skip_repeated(lines: list[SourceLine], j: int, region: Region, header_texts: set[str]) -> int:
    """Past the repeated number, title, unit and header lines at the top of a continuation page."""
    page = lines[j].page
    while j < len(lines) and lines[j].page == page:
        line = lines[j]
        text = line.text
        if (
            line.noise
            or number_line(text)
            or parse_title(text)
            or find_unit(text)
            or CAPTION_RE.match(text)
            or _spaceless(text) in header_texts
            or column_number_count(text) is not None
        ):
            j += 1
            continue
        break
    return j


# =========================================================================================
# rows


@dataclass
class RawRow:
    """A table row before its amounts are placed: per half, a label and the amounts printed."""

    halves: list[Segment]
    line: SourceLine


def data_lines_tokens(region: Region) -> list[tuple[SourceLine, list[Token]]]:
    """Each data line's tokens, an amount cut inside a narrow cell ("24995.9" / "4") joined back."""
    result: list[tuple[SourceLine, list[Token]]] = []
    decimals = _usual_decimals(region.data)
    for line in region.data:
        tokens = tokenize(line.text)
        if result and _is_amount_tail(tokens, result[-1][1], decimals):
            previous = result[-1][1]
            previous[-1] = Token(previous[-1].text + tokens[0].text, AMOUNT)
            continue
        result.append((line, tokens))
    return result


def _usual_decimals(lines: list[SourceLine]) -> int:
    counts: Counter[int] = Counter()
    for line in lines[:40]:
        for token in line.text.split():
            if AMOUNT_RE.match(token) and "." in token:
                counts[len(token.rsplit(".", 1)[1])] += 1
    return counts.most_common(1)[0][0] if counts else 2


def _is_amount_tail(tokens: list[Token], previous: list[Token], decimals: int) -> bool:
    if len(tokens) != 1 or not re.fullmatch(r"\d{1,2}", tokens[0].text) or not previous:
        return False
    last = previous[-1]
    if last.kind != AMOUNT or "." not in last.text:
        return False
    return len(last.text.rsplit(".", 1)[1]) + len(tokens[0].text) == decimals


def single_rows(lines: list[tuple[SourceLine, list[Token]]]) -> list[Segment]:
    """Rows of a one-sided table: wrapped names joined, glued rows split, a lone code given its row."""
    flat = [segment for line, tokens in lines for segment in segments_of(line, tokens, side_by_side=False)]
    rows: list[Segment] = []
    open_row = False  # the last row has a label and waits for its amounts
    for index, segment in enumerate(flat):
        last = rows[-1] if rows else None
        following = flat[index + 1] if index + 1 < len(flat) else None
        if not segment.labelled:  # amounts alone: the amounts of the label above
            if open_row and last is not None:
                last.amounts = segment.amounts
                open_row = False
            else:
                rows.append(segment)
            continue
        if segment.code is not None:
            rows.append(segment)
            open_row = not segment.amounts
            continue
        if open_row and last is not None:  # words of a label still open: its name goes on
            _join_name(last, segment)
            last.amounts = segment.amounts
            open_row = not segment.amounts
            continue
        if not segment.amounts and last is not None and _is_tail(segment, following, last.name):
            _join_name(last, segment)
            continue
        rows.append(segment)
        open_row = not segment.amounts
    return rows


def _join_name(row: Segment, segment: Segment) -> None:
    if row.texts and segment.texts:
        row.texts[-1] = Piece(row.texts[-1].text + segment.texts[0].text, row.texts[-1].line)
        row.texts.extend(segment.texts[1:])
    else:
        row.texts.extend(segment.texts)


def _opens_bracket(name: str) -> bool:
    return name.count("（") + name.count("(") > name.count("）") + name.count(")")


def _is_tail(segment: Segment, following: Segment | None, previous_name: str = "") -> bool:
    """Words without amounts after a complete row end its name, unless they begin the next row's."""
    if following is None or following.code is not None:
        return True
    text = segment.name
    if _opens_bracket(previous_name) and re.search(r"[）)]", text):
        return True  # "政务信息化项目（系" … "统业务运营服务）": the bracket closes the name above
    if len(text) <= SHORT_TAIL_CHARS and following.labelled:
        return True
    if following.labelled and following.amounts:
        first = following.texts[0].text if following.texts else ""
        return bool(ORDINAL_RE.match(first) or TOTAL_LABEL_RE.match(compact(first)))
    return False


def side_rows(lines: list[tuple[SourceLine, list[Token]]], halves: int, half_names: list[str]) -> list[RawRow]:
    """Rows of a table printed in ``halves`` side by side (收入 | 支出): each line's labels fill the halves."""
    rows: list[RawRow] = []
    previous: list[Segment] = []
    inherited: int | None = None
    totals_seen = False
    for line, tokens in lines:
        segments = segments_of(line, tokens, side_by_side=True)
        if segments and not segments[0].labelled and previous and previous[-1].labelled and not previous[-1].amounts:
            previous[-1].amounts = segments[0].amounts  # an amount wrapped below its label
            segments = segments[1:]
        if not segments:
            continue
        previous = segments
        totals_seen = totals_seen or any(TOTAL_LABEL_RE.match(compact(s.name)) for s in segments if s.texts)
        if len(segments) >= halves:
            inherited = None
            for start in range(0, len(segments) - len(segments) % halves, halves):
                group = segments[start : start + halves]
                for h, segment in enumerate(group):
                    segment.half = h
                rows.append(RawRow(group, line))
            rest = segments[len(segments) - len(segments) % halves :]
        else:
            rest = segments
        if rest:
            cue = _half_cue(rest[0], half_names)
            # no word says which half: the half the rows before it ran on; else, above the totals
            # the longer list (the last half: the 支出 side lists every 类), below them the first
            default = 0 if totals_seen else halves - 1
            first = cue if cue is not None else inherited if inherited is not None else default
            first = min(first, halves - len(rest))
            for h, segment in enumerate(rest):
                segment.half = first + h
            inherited = first
            rows.append(RawRow(rest, line))
    return rows


def _half_cue(segment: Segment, half_names: list[str]) -> int | None:
    """The half whose name the label says last ("…收入安排的支出" is 支出), if any."""
    label = compact(segment.name)
    best, where = None, -1
    for h, name in enumerate(half_names):
        key = compact(name)
        position = label.rfind(key) if key else -1
        if position > where:
            best, where = h, position
    return best


# =========================================================================================
# header


@dataclass
class HeaderCell:
    text: str
    line: int  # which header line its first fragment is on
    role: str  # label | half | group | money
    tail_start: bool = False  # the line it is on starts with the tail of a wrapped cell

    @property
    def key(self) -> str:
        return compact(self.text)


def header_cells(lines: list[SourceLine]) -> list[HeaderCell]:
    """Header cells in reading order, each rebuilt from its wrapped fragments."""
    cells: list[HeaderCell] = []
    for n, line in enumerate(lines):
        if column_number_count(line.text) is not None:
            continue
        tokens = _split_known(_merge_spaced(line.text.split()))
        line_starts_with_tail = False
        for position, token in enumerate(tokens):
            target = _wrap_target(cells, token, n, position == 0)
            if target is not None:
                target.text += token
                if position == 0:
                    line_starts_with_tail = True
                continue
            cells.append(HeaderCell(token, n, "", tail_start=line_starts_with_tail))
    for cell in cells:
        cell.role = _role(cell.text)
    return cells


def _split_known(tokens: list[str]) -> list[str]:
    """A letter-spaced run that is several header words ("收入支出" from "收 入 支 出", "类款项"
    from "类 款 项") split into them; a run that is one word, or no words, stays as it is."""
    result: list[str] = []
    for token in tokens:
        words = None if is_term(token) or not all(HAN_RE.match(ch) for ch in token) else _as_terms(token)
        result.extend(words if words and len(words) > 1 else [token])
    return result


def _as_terms(text: str) -> list[str] | None:
    """``text`` cut into known header words, longest first; ``None`` when it cannot be."""
    if not text:
        return []
    for cut in range(len(text), 0, -1):
        if is_term(text[:cut]):
            rest = _as_terms(text[cut:])
            if rest is not None:
                return [text[:cut], *rest]
    return None


def _wrap_target(cells: list[HeaderCell], token: str, line: int, first_on_line: bool) -> HeaderCell | None:
    """The earlier cell a fragment continues, if any (a cell wraps onto a later line only)."""
    if not cells:
        return None
    if token.startswith(CONTINUATION_START) and cells[-1].line < line:
        return cells[-1]
    last = cells[-1]
    if (
        first_on_line
        and last.line == line - 1
        and is_term(last.text + token)
        and (not is_term(token) or len([c for c in cells if c.line == last.line]) == 1)
    ):
        return last  # "“三公”经费" over "合计" in one narrow cell: “三公”经费合计
    for cell in reversed(cells[-4:]):
        if cell.line >= line:
            continue
        joined = cell.text + token
        if (is_term(joined) or is_prefix(joined)) and not (is_term(cell.text) and is_term(token)):
            return cell
    if (
        first_on_line
        and last.line < line
        and not is_term(last.text)
        and not is_prefix(last.text)
        and not is_term(token)
        and not is_prefix(token)
        and not OF_WHICH_RE.match(compact(token))
    ):
        return last
    if last.text.endswith(OPENING_END) and last.line < line:
        return last
    return None


def _role(text: str) -> str:
    role = role_of(text)
    if role:
        return role
    return "label" if is_label_heading(text) else "money"


@dataclass
class Reading:
    """One way to read a header: the leaf cells of the amount columns in order, with their paths."""

    leaves: list[HeaderCell]
    paths: list[list[str]]
    relations: list[tuple[int, list[int]]]  # (total column, columns it adds up), by position
    splits: int = 0  # groups side by side on a line of their own that share the columns in equal blocks
    # sums taken for granted until the rows say otherwise: a 合计 printed first adds up the columns
    # after it (not so when 会议费, 培训费 stand beside a “三公”经费合计)
    assumed: list[tuple[int, list[int]]] = field(default_factory=list)


def header_readings(cells: list[HeaderCell], columns: int | None, data_max: int) -> list[Reading]:
    """The ways the header's money cells can be the table's amount columns (few; checked later)."""
    money = [c for c in cells if c.role in ("money", "group")]
    capable = [i for i, c in enumerate(money) if c.role == "group" and any(o.line > c.line for o in money[i + 1 :])]
    if columns is None:  # the longest row if some choice of groups gives that many columns, else the fewest above it
        # (with the count unknown, a word heads columns only where the cells it stands over can be told)
        capable = [g for g in capable if any(e is not None for e in _extents(money, g, set(capable)))]
        sizes = [len(money) - g for g in range(len(capable) + 1) if len(money) - g >= data_max]
        columns = data_max if data_max in sizes else min(sizes, default=None)
        if columns is None:
            return []
    needed = len(money) - columns
    if needed < 0 or needed > len(capable):
        return []
    group_sets = itertools.islice(itertools.combinations(capable, needed), MAX_CANDIDATES)
    readings: list[Reading] = []
    tries = itertools.count()
    for groups in group_sets:
        options = [_extents(money, g, set(groups)) for g in groups]
        for chosen in itertools.product(*options) if options else [()]:
            if next(tries) >= MAX_READING_TRIES:
                return readings
            for reorder in (False, True):
                reading = _reading(money, groups, chosen, reorder)
                if reading is None or not _keeps_printed_order(reading, cells):
                    continue
                if not any(_same_reading(reading, r) for r in readings):
                    readings.append(reading)
            if len(readings) >= MAX_CANDIDATES:
                return readings
    return readings


ROW_SPLIT = ("row",)  # a group printed on a line of groups only: its share of the columns after them


def _extents(money: list[HeaderCell], g: int, groups: set[int]) -> list[tuple | None]:
    """Which cells a group may stand over: a 小计-led run, a row of cells, or none that can be told.

    Groups printed side by side on a line of their own ("2025年预算数 2026年预算数") share the
    columns after them in equal blocks (``ROW_SPLIT``), decided once the order is known."""
    group = money[g]
    row_split = _in_group_row(money, g, groups)
    later = [i for i in range(g + 1, len(money)) if money[i].line > group.line and i not in groups]
    options: list[tuple[int, ...] | None] = []
    # groups before this one that also stand over a 小计 take the 小计s before this one's
    # (groups side by side on a line of their own count among themselves)
    earlier = sum(
        1
        for o in groups
        if o < g
        and _in_group_row(money, o, groups) == row_split
        and (not row_split or money[o].line == group.line)
        and any(money[i].key == SUBTOTAL and money[i].line > money[o].line for i in range(o + 1, len(money)))
    )
    subtotals = [i for i in later if money[i].key == SUBTOTAL]
    subtotal = subtotals[earlier] if earlier < len(subtotals) else None
    if subtotal is not None:
        same_line = [i for i in later if i >= subtotal and money[i].line == money[subtotal].line]
        same_line = _contiguous(same_line)
        new_cells = Counter(c.line for c in money)
        until_next = []
        for i in later:
            if i < subtotal:
                continue
            if i != subtotal and (
                money[i].key == SUBTOTAL
                or (
                    money[i].line != money[subtotal].line
                    and new_cells[money[i].line] >= 2
                    and not any(c.key == SUBTOTAL for c in money if c.line == money[i].line)
                )
            ):
                break  # the next 小计, or a line of several cells: another header row
            until_next.append(i)
        until_next = _contiguous(until_next)
        for option in (same_line, until_next):
            if len(option) >= 2 and tuple(option) not in options:
                options.append(tuple(option))
    elif not row_split:
        by_line: dict[int, list[int]] = {}
        for i in later:
            by_line.setdefault(money[i].line, []).append(i)
        for line in sorted(by_line):
            members = by_line[line]
            if len(members) >= 2 and not money[members[0]].tail_start:
                options.append(tuple(_contiguous(members)))
                break
    if row_split:
        options.insert(0, ROW_SPLIT)
    options.append(None)
    return options


def _in_group_row(money: list[HeaderCell], g: int, groups: set[int]) -> bool:
    same_line = [i for i, c in enumerate(money) if c.line == money[g].line]
    return len(same_line) >= 2 and all(i in groups for i in same_line)


def _contiguous(indexes: list[int]) -> list[int]:
    run: list[int] = []
    for i in indexes:
        if run and i != run[-1] + 1:
            break
        run.append(i)
    return run


def _reading(money: list[HeaderCell], groups: tuple[int, ...], extents, reorder: bool) -> Reading | None:
    group_set = set(groups)
    children: dict[int, tuple[int, ...]] = {g: e for g, e in zip(groups, extents) if e and e != ROW_SPLIT}
    split = [g for g, e in zip(groups, extents) if e == ROW_SPLIT]
    rows = {money[g].line for g in split}
    if any(money[g].line in rows and e != ROW_SPLIT for g, e in zip(groups, extents)):
        return None  # groups of one line share the columns all together or not at all
    claimed = [i for e in children.values() for i in e]
    if len(claimed) != len(set(claimed)) or any(i in group_set for i in claimed):
        return None
    order: list[int] = []
    if reorder and children:
        for i in range(len(money)):
            if i in children:
                order.extend(children[i])
            elif i not in group_set and i not in claimed:
                order.append(i)
        if sorted(order) != sorted(i for i in range(len(money)) if i not in group_set):
            return None
    else:
        order = [i for i in range(len(money)) if i not in group_set]
    parent = {i: g for g, e in children.items() for i in e}
    paths = [[money[parent[i]].text, money[i].text] if i in parent else [money[i].text] for i in order]
    split_blocks: list[list[int]] = []
    if split:
        after = [p for p, i in enumerate(order) if i > max(split)]
        if not after or len(after) % len(split):
            return None
        size = len(after) // len(split)
        blocks = [[money[order[p]].key for p in after[k * size : (k + 1) * size]] for k in range(len(split))]
        if any(block != blocks[0] for block in blocks):
            return None  # side-by-side groups stand over the same columns each (2025 | 2026)
        for k, g in enumerate(split):
            split_blocks.append(after[k * size : (k + 1) * size])
            for p in split_blocks[-1]:
                paths[p] = [money[g].text] + paths[p]
    relations, assumed = _sum_relations(money, order, children, split_blocks)
    return Reading([money[i] for i in order], paths, relations, len(split), assumed)


def _sum_relations(
    money: list[HeaderCell], order: list[int], children: dict[int, tuple[int, ...]], split_blocks: list[list[int]]
) -> tuple[list[tuple[int, list[int]]], list[tuple[int, list[int]]]]:
    """The sums a header reading implies, by column position: a group's 小计 is the sum of the
    group's other columns; a 合计 (总计, 小计) printed first is the sum of the columns after it —
    a group with a 小计 counted once, by its 小计. "其中" columns are parts, never addends; a
    second total among the columns leaves the first one's sum unknown. Returns (the sums a group's
    小计 states, the sums of a first 合计 — assumed, to be checked against the rows)."""
    position = {i: p for p, i in enumerate(order)}
    parent = {i: g for g, members in children.items() for i in members}
    relations: list[tuple[int, list[int]]] = []
    assumed: list[tuple[int, list[int]]] = []
    subtotalled: set[int] = set()
    for g, members in children.items():
        if OF_WHICH_RE.match(money[g].key):
            subtotalled.update(members)
            continue
        first = members[0]
        if money[first].key == SUBTOTAL and not any(OF_WHICH_RE.match(money[i].key) for i in members[1:]):
            relations.append((position[first], [position[i] for i in members[1:]]))
            subtotalled.update(members[1:])
    for scope in split_blocks or [list(range(len(order)))]:
        first, *rest = [order[p] for p in scope]
        if not rest or not TOTAL_LEAF_RE.search(money[first].key) or first in parent:
            continue
        parts: list[int] = []
        for i in rest:
            if i in subtotalled or OF_WHICH_RE.match(money[i].key):
                continue
            if TOTAL_LEAF_RE.search(money[i].key) and not (i in parent and money[i].key == SUBTOTAL):
                parts = []
                break  # another total beside it: what the first one adds up cannot be told
            parts.append(position[i])
        if parts:
            assumed.append((position[first], parts))
    return relations, assumed


def _keeps_printed_order(reading: Reading, cells: list[HeaderCell]) -> bool:
    """Cells printed on one line stand left to right; a cell printed right after a label heading
    ("科目名称 合计") stands left of every cell printed after it."""
    order = {id(c): p for p, c in enumerate(reading.leaves)}
    reading_index = {id(c): i for i, c in enumerate(cells)}
    leaves = sorted(reading.leaves, key=lambda c: reading_index[id(c)])
    for a, b in pairwise(leaves):
        if a.line == b.line and order[id(a)] > order[id(b)]:
            return False
    for i, cell in enumerate(cells):
        if id(cell) in order and i > 0 and cells[i - 1].role == "label" and cells[i - 1].line == cell.line:
            later = [c for c in cells[i + 1 :] if id(c) in order]
            if any(order[id(c)] < order[id(cell)] for c in later):
                return False
    return True


def _same_reading(a: Reading, b: Reading) -> bool:
    return a.paths == b.paths and a.relations == b.relations


# =========================================================================================
# sums and placement


def learned_relations(complete: list[list[Decimal]], tolerance: Decimal) -> list[tuple[int, list[int]]]:
    """Columns that add up a run of the columns after them in every fully printed row (bottom up)."""
    if not complete:
        return []
    width = len(complete[0])
    active = list(range(width))
    relations: list[tuple[int, list[int]]] = []
    changed = True
    while changed:
        changed = False
        for position in range(len(active) - 1, -1, -1):
            total = active[position]
            if all(row[total] == 0 for row in complete):
                continue
            best: list[int] | None = None
            for end in range(position + 3, len(active) + 1):
                block = active[position + 1 : end]
                if all(
                    abs(row[total] - sum(row[c] for c in block)) <= tolerance * len(block) for row in complete
                ) and any(sum(1 for c in block if row[c] != 0) >= 2 for row in complete):
                    best = block
            if best:
                relations.append((total, best))
                active = [c for c in active if c not in best]
                changed = True
                break
    return relations


@dataclass
class SearchBudget:
    """Columns a table may still decide while placing its short rows (``MAX_TABLE_SEARCH_STEPS``)."""

    left: int = 0


def valid_placements(
    values: list[Decimal],
    width: int,
    relations: list[tuple[int, list[int]]],
    tolerance: Decimal,
    budget: SearchBudget,
    first_only: bool = False,
) -> list[tuple[int, ...]] | None:
    """Every placement of ``values`` in ``width`` columns that keeps their order and the sums
    (blank columns read as zero); ``None`` when it cannot be told: more than ``MAX_PLACEMENTS``
    placements, or the table's search ``budget`` spent.

    Columns are decided left to right; a sum is checked as soon as its last column is decided,
    and, amounts being no less than zero, a start whose parts already exceed their decided total
    is dropped at once. Amounts are compared as whole multiples of ``tolerance``.
    """
    units = [int(v / tolerance) for v in values]
    nonnegative = all(u >= 0 for u in units)
    closing: dict[int, list[tuple[int, list[int]]]] = {}  # column -> sums it completes
    running: dict[int, list[tuple[int, list[int]]]] = {}  # column -> sums whose total is known by then
    for total, parts in relations:
        last = max([total, *parts])
        closing.setdefault(last, []).append((total, parts))
        for column in range(total, last):
            running.setdefault(column, []).append((total, [p for p in parts if p <= column]))
    cells = [0] * width
    chosen: list[int] = []
    found: list[tuple[int, ...]] = []
    count = len(units)
    gave_up = False

    def sums_hold(column: int) -> bool:
        if any(abs(cells[t] - sum(cells[p] for p in parts)) > len(parts) for t, parts in closing.get(column, ())):
            return False
        return not nonnegative or all(
            sum(cells[p] for p in parts) <= cells[t] + len(parts) for t, parts in running.get(column, ())
        )

    def visit(column: int, index: int) -> bool:  # False: stop
        nonlocal gave_up
        budget.left -= 1
        if budget.left < 0:
            gave_up = True
            return False
        if index == count:
            for rest in range(column, width):
                cells[rest] = 0
                if not sums_hold(rest):
                    return True
            found.append(tuple(chosen))
            return not first_only and len(found) <= MAX_PLACEMENTS
        if width - column < count - index:
            return True
        cells[column] = units[index]  # this column holds the next number …
        chosen.append(column)
        if sums_hold(column) and not visit(column + 1, index + 1):
            return False
        chosen.pop()
        if width - column - 1 >= count - index:  # … or is blank
            cells[column] = 0
            if sums_hold(column) and not visit(column + 1, index):
                return False
        return True

    visit(0, 0)
    return None if gave_up or len(found) > MAX_PLACEMENTS else found


def certain_cells(values: list[Decimal], width: int, placements: list[tuple[int, ...]]) -> dict[int, int | None]:
    """Column → index of its value (``None`` for a certain blank) where every placement agrees."""
    agreed: dict[int, int | None] = {}
    for column in range(width):
        seen = set()
        for placement in placements:
            seen.add(placement.index(column) if column in placement else None)
            if len(seen) > 1:
                break
        if len(seen) == 1:
            agreed[column] = seen.pop()
    return agreed


# =========================================================================================
# a region as a Table


@dataclass
class Block:
    """The amount columns of one half (or of the whole table): count, labels and sums."""

    width: int
    labels: list[list[str]]  # header path per column ([] when not sure)
    relations: list[tuple[int, list[int]]]
    total_first: bool  # the first column's label says it totals the others (合计, 总计, 小计)
    budget: SearchBudget = field(default_factory=lambda: SearchBudget(MAX_TABLE_SEARCH_STEPS))
    placed: dict = field(default_factory=dict)  # the placements of a row of these values, once found


def build_table(region: Region, paged: bool, warnings: list[str]) -> Table:
    tokens = data_lines_tokens(region)
    cells = header_cells(region.header)
    halves, half_names, half_cells = _halves(cells, tokens)
    tolerance = Decimal(1).scaleb(-_usual_decimals(region.data))
    where = f"{region.number + ' ' if region.number else ''}{region.title} ({_table_locator(region, paged)})"
    if halves > 1:
        raw = side_rows(tokens, halves, half_names)
        grid_rows, header_rows = _side_grid(raw, halves, half_names, half_cells, tolerance, where, warnings)
    else:
        rows = single_rows(tokens)
        grid_rows, header_rows = _single_grid(rows, cells, region.column_count, tolerance, where, warnings)
    empty = not grid_rows and any(TEXT_DUMP_EMPTY_NOTE_RE.search(note) for note in region.notes)
    return Table(
        rows=header_rows + grid_rows,
        locator=_table_locator(region, paged),
        title=region.title,
        unit=region.unit,
        header_rows=len(header_rows),
        is_empty=empty,
        number=region.number,
        layout="text",
    )


def _cell_stream(region: Region) -> bool:
    """Rows whose amounts mostly stand on lines of their own: a text layer read cell by cell."""
    with_amounts = [tokenize(line.text) for line in region.data]
    with_amounts = [tokens for tokens in with_amounts if any(t.kind == AMOUNT for t in tokens)]
    lone = sum(1 for tokens in with_amounts if len(tokens) == 1)  # one amount, nothing else on its line
    return lone >= MIN_AMOUNT_LINES and lone > MAX_LONE_AMOUNT_SHARE * len(with_amounts)


def _table_locator(region: Region, paged: bool) -> str:
    if not paged:
        return region.start.locator
    first, last = region.pages[0], region.pages[-1]
    return f"p.{first}" if first == last else f"p.{first}-{last}"


def _halves(cells: list[HeaderCell], tokens) -> tuple[int, list[str], list[list[HeaderCell]]]:
    """How many halves a table prints side by side, their names and the header cells of each."""
    if any(t.kind == CODE for _, line_tokens in tokens for t in line_tokens):
        return 1, [], [cells]
    parts: list[list[HeaderCell]] = []
    names: list[str] = []
    seen_money = False
    for cell in cells:
        if cell.role == "half" and not parts:
            names.append(cell.text)
            continue
        if cell.role == "label" and (not parts or seen_money):
            parts.append([cell])
            seen_money = False
            continue
        if parts:
            parts[-1].append(cell)
            seen_money = seen_money or cell.role in ("money", "group")
    if len(parts) < 2 or not all(any(c.role in ("money", "group") for c in part) for part in parts):
        return 1, [], [cells]
    if len(names) != len(parts):
        names = []
    return len(parts), names, parts


def _amount_values(segment: Segment) -> list[Decimal]:
    return [parse_number(p.text) or Decimal(0) for p in segment.amounts]


def _block(
    cells: list[HeaderCell],
    rows_values: list[list[Decimal]],
    column_count: int | None,
    tolerance: Decimal,
    where: str,
    warnings: list[str],
) -> Block:
    """The amount columns of a table (or half): how many, their labels, the sums between them."""
    data_max = max((len(v) for v in rows_values), default=0)
    if not data_max:  # no figures: nothing to tell groups from columns by; every cell a column
        leaves = [[c.text] for c in cells if c.role in ("money", "group")]
        return Block(len(leaves), leaves, [], False)
    budget = SearchBudget(MAX_TABLE_SEARCH_STEPS)
    if column_count is None and any(value == 0 for values in rows_values for value in values):
        column_count = data_max  # a table that prints its zeros prints every column of a full row
    readings = header_readings(cells, column_count, data_max)
    width = column_count or (len(readings[0].leaves) if readings else _usual_length(rows_values))
    readings = [r for r in readings if len(r.leaves) == width]
    complete = [v for v in rows_values if len(v) == width]
    learned = learned_relations(complete, tolerance)
    settled = [_settle(r, learned, complete, rows_values, width, tolerance, budget) for r in readings]
    survivors = [r for r in settled if r is not None]
    # a reading whose sums (小计 = its parts) all held says more than one that claims none
    # …and one whose side-by-side groups share the columns in equal blocks says more than one that does not
    most = max(((len(r.relations), r.splits) for r in survivors), default=(0, 0))
    survivors = [r for r in survivors if (len(r.relations), r.splits) == most]
    labels: list[list[str]] = [[] for _ in range(width)]
    relations = list(learned)
    if survivors:
        for column in range(width):
            labels[column] = _agreed_path([r.paths[column] for r in survivors])
        common = [rel for rel in survivors[0].relations if all(rel in r.relations for r in survivors[1:])]
        relations += [rel for rel in common if rel not in relations]
    unsure = [c + 1 for c in range(width) if not labels[c]]
    if width and unsure:
        how = "no header reading fits its rows" if not survivors else "its header reads more than one way"
        warnings.append(
            f"text table {where}: {how}; amount columns {', '.join(map(str, unsure))} of {width} left without a label"
        )
    total_first = bool(labels and labels[0] and TOTAL_LEAF_RE.search(compact(labels[0][-1])))
    return Block(width, labels, relations, total_first, budget)


def _agreed_path(paths: list[list[str]]) -> list[str]:
    """The path all readings agree on; else the leaf they agree on; else [] (not sure)."""
    if all(path == paths[0] for path in paths):
        return list(paths[0])
    leaves = {path[-1] for path in paths}
    return [leaves.pop()] if len(leaves) == 1 else []


def _usual_length(rows_values: list[list[Decimal]]) -> int:
    """Without a header reading: the number of amounts most rows print (the longest on a tie)."""
    counts = Counter(len(v) for v in rows_values if v)
    return max(counts, key=lambda n: (counts[n], n)) if counts else 0


def _settle(
    reading: Reading, learned, complete, rows_values, width: int, tolerance: Decimal, budget: SearchBudget
) -> Reading | None:
    """The reading if the rows bear it out, its assumed sums kept only if they hold too; else None."""
    if not _fits(reading, learned, complete, rows_values, width, tolerance, budget):
        return None
    if reading.assumed:
        fuller = replace(reading, relations=reading.relations + reading.assumed, assumed=[])
        if _fits(fuller, learned, complete, rows_values, width, tolerance, budget):
            return fuller
    return replace(reading, assumed=[])


def _sums_hold(values: list[Decimal], relations: list[tuple[int, list[int]]], tolerance: Decimal) -> bool:
    return all(abs(values[t] - sum(values[p] for p in parts)) <= tolerance * len(parts) for t, parts in relations)


def _fits(
    reading: Reading, learned, complete, rows_values, width: int, tolerance: Decimal, budget: SearchBudget
) -> bool:
    """A header reading agrees with the table's sums and lets every row be placed."""
    keys = [compact(path[-1]) for path in reading.paths]
    for total, parts in learned:
        if not TOTAL_LEAF_RE.search(keys[total]):
            return False
        if any(re.search(r"(?:合计|总计)$", keys[p]) for p in parts):
            return False
    for values in complete:
        if not _sums_hold(values, reading.relations, tolerance):
            return False
    checked = 0
    for values in rows_values:
        if 0 < len(values) < width and reading.relations:
            placements = valid_placements(
                values, width, reading.relations + learned, tolerance, budget, first_only=True
            )
            if placements is not None and not placements:
                return False
            checked += 1
            if checked >= MAX_VERIFY_ROWS:
                break
    return True


def _place(values: list[Decimal], printed: list[Piece], block: Block, tolerance: Decimal) -> tuple[list, bool]:
    """The row's amounts in the block's columns — each a Piece, None (blank) or UNPLACED — and
    whether every printed amount found its column."""
    width = block.width
    if len(values) == width:
        return list(printed), True
    if not values:
        return [None] * width, True
    if len(values) > width:
        return [UNPLACED] * width, False
    key = tuple(values)
    if key not in block.placed:
        block.placed[key] = (
            valid_placements(values, width, block.relations, tolerance, block.budget) if block.relations else None
        )
    placements = block.placed[key]
    cells: list[Piece | str | None] = [UNPLACED] * width
    if placements:
        agreed = certain_cells(values, width, placements)
        for column, index in agreed.items():
            cells[column] = printed[index] if index is not None else None
    elif block.total_first and (len(values) == 1 or abs(values[0] - sum(values[1:])) <= tolerance * (len(values) - 1)):
        cells[0] = printed[0]  # the first column totals the others and the other numbers add up to it
    placed = {id(c) for c in cells if isinstance(c, Piece)}
    return cells, len(placed) == len(printed)


def _single_grid(
    rows: list[Segment],
    cells: list[HeaderCell],
    column_count: int | None,
    tolerance: Decimal,
    where: str,
    warnings: list[str],
) -> tuple[list[list[Cell]], list[list[Cell]]]:
    has_code = any(r.code is not None for r in rows)
    label_heads = [c for c in cells if c.role == "label"]
    # a table of one row of amounts (a 三公 table) has no name column unless its header names one
    text_columns = max([len(r.texts) for r in rows] + [1 if label_heads or not rows else 0])
    block = _block(cells, [_amount_values(r) for r in rows], column_count, tolerance, where, warnings)
    lead = _label_headings(label_heads, has_code, text_columns)
    width = len(lead) + block.width
    unplaced_rows: list[str] = []
    grid: list[list[Cell]] = []
    for row in rows:
        placed, complete = _place(_amount_values(row), row.amounts, block, tolerance)
        pieces: list[Piece | str | None] = []
        if has_code:
            pieces.append(row.code)
        pieces.extend(row.texts + [None] * (text_columns - len(row.texts)))
        pieces.extend(placed)
        grid.append(_cells(pieces, _first_line(row)))
        if not complete:
            unplaced_rows.append(_row_name(row))
    _warn_unplaced(unplaced_rows, block.width, where, warnings)
    header = _header_rows(lead, block.labels)
    assert all(len(r) == width for r in grid + header)
    return grid, header


def _side_grid(
    raw: list[RawRow],
    halves: int,
    half_names: list[str],
    half_cells: list[list[HeaderCell]],
    tolerance: Decimal,
    where: str,
    warnings: list[str],
) -> tuple[list[list[Cell]], list[list[Cell]]]:
    blocks: list[Block] = []
    for h in range(halves):
        values = [_amount_values(s) for row in raw for s in row.halves if s.half == h]
        blocks.append(_block(half_cells[h], values, None, tolerance, f"{where} half {h + 1}", warnings))
    lead_headings = []
    for h in range(halves):
        label = next((c.text for c in half_cells[h] if c.role == "label"), "")
        lead_headings.append(label)
    grid: list[list[Cell]] = []
    unplaced_rows: list[str] = []
    for row in raw:
        pieces: list[Piece | str | None] = []
        by_half = {s.half: s for s in row.halves}
        for h in range(halves):
            segment = by_half.get(h)
            if segment is None:
                pieces.extend([None] * (1 + blocks[h].width))
                continue
            label = Piece(segment.name, segment.texts[0].line) if segment.texts else None
            pieces.append(label)
            placed, complete = _place(_amount_values(segment), segment.amounts, blocks[h], tolerance)
            pieces.extend(placed)
            if not complete:
                unplaced_rows.append(_row_name(segment))
        grid.append(_cells(pieces, row.line))
    _warn_unplaced(unplaced_rows, None, where, warnings)
    header: list[list[Cell]] = []
    depth = max([1] + [len(path) for b in blocks for path in b.labels]) + (1 if half_names else 0)
    for level in range(depth):
        row: list[str] = []
        for h in range(halves):
            prefix = [half_names[h]] if half_names else []
            paths = [prefix + [lead_headings[h]]] + [prefix + (path or [UNPLACED]) for path in blocks[h].labels]
            row.extend(path[level] if level < len(path) else "" for path in paths)
        header.append([Cell(text, "") for text in row])
    header = [r for r in header if any(c.text for c in r)]
    return grid, header


def _label_headings(label_heads: list[HeaderCell], has_code: bool, text_columns: int) -> list[str]:
    """Headings of the code and name columns from the header's label cells (编码 to the code column)."""
    texts = [c.text for c in label_heads]
    code_heading = next((t for t in texts if re.search(r"编码|代码", compact(t))), "")
    rest = [t for t in texts if t != code_heading and compact(t) not in ("类", "款", "项")]
    names = [t for t in rest if "名称" in compact(t)]
    others = [t for t in rest if t not in names]
    lead: list[str] = [code_heading or UNPLACED] if has_code else []
    if text_columns == 0:
        return lead
    if text_columns == 1:
        lead.append(names[-1] if names else (others[-1] if others else UNPLACED))
    else:
        chosen = (others + names)[-text_columns:]
        lead.extend([UNPLACED] * (text_columns - len(chosen)) + chosen)
    return lead


def _header_rows(lead: list[str], labels: list[list[str]]) -> list[list[Cell]]:
    """Header rows whose ``column_labels`` are the lead headings and each amount column's path.

    A column whose label could not be made sure is headed ``UNPLACED``: left blank, it would
    take the label of the column to its left (a merged cell, as ``column_labels`` reads it)."""
    paths = [[t] if t else [] for t in lead] + [label or [UNPLACED] for label in labels]
    depth = max([1] + [len(p) for p in paths])
    rows = []
    for level in range(depth):
        rows.append([Cell(path[level] if level < len(path) else "", "") for path in paths])
    return [r for r in rows if any(c.text for c in r)] or []


def _cells(pieces: list[Piece | str | None], fallback: SourceLine) -> list[Cell]:
    cells = []
    for column, piece in enumerate(pieces, start=1):
        if isinstance(piece, Piece):
            cells.append(Cell(piece.text, f"{piece.line.locator} c.{column}"))
        elif piece == UNPLACED:
            cells.append(Cell(UNPLACED, f"{fallback.locator} c.{column}"))
        else:
            cells.append(Cell("", f"{fallback.locator} c.{column}"))
    return cells


def _first_line(row: Segment) -> SourceLine:
    return (row.code or (row.texts[0] if row.texts else row.amounts[0])).line


def _row_name(row: Segment) -> str:
    code = row.code.text + " " if row.code else ""
    line = _first_line(row)
    return f"{code}{row.name} ({line.locator}: {' '.join(p.text for p in row.amounts)})".strip()


def _warn_unplaced(rows: list[str], width: int | None, where: str, warnings: list[str]) -> None:
    if rows:
        columns = f" ({width} amount columns)" if width else ""
        more = len(rows) - MAX_ROWS_NAMED
        named = "; ".join(rows[:MAX_ROWS_NAMED]) + (f"; and {more} more" if more > 0 else "")
        warnings.append(
            f"text table {where}: {len(rows)} rows print fewer numbers than the table has columns{columns}; "
            f"the numbers that could not be placed are left out (cells '{UNPLACED}'): {named}"
        )


# =========================================================================================
# the dump as lines and tables


def read_dump(text: str) -> tuple[list[Line], list[Table], list[str]]:
    """Running-text lines, tables and reader warnings of a PDF text dump."""
    lines = source_lines(text)
    paged = "\f" in text
    regions, used = find_regions(lines)
    warnings: list[str] = []
    tables: list[Table] = []
    for region in regions:
        if _cell_stream(region):
            warnings.append(
                f"text table {region.number} {region.title} ({_table_locator(region, paged)}): printed one "
                "cell a line, labels apart from their amounts: not read as a table".replace("  ", " ")
            )
            used.difference_update(line.index for line in region.header + region.data)
            continue
        tables.append(build_table(region, paged, warnings))
    narrative = [Line(line.text, line.locator) for line in lines if line.index not in used and not line.noise]
    return narrative, tables, warnings
