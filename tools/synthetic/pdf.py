"""A synthetic department-year as a PDF in the shape of the Shanghai 2024 决算.

The shape follows ``samples/shanghai/上海市普陀区财政局2024年度部门决算.pdf``: a cover, a 目录,
第一部分 概况, 第二部分 the nine standard tables (收入支出决算总表, 收入决算表, 支出决算表,
财政拨款收入支出决算总表, 一般公共预算财政拨款支出决算表 with split 类/款/项 code columns,
一般公共预算财政拨款基本支出决算表 in two halves, 财政拨款“三公”经费支出决算表, and the two fund
tables that say 本表无数据), 第三部分 情况说明 and 第四部分 名词解释. Tables have ruled cell
borders (merged header cells drawn as one box), each under its title and "单位：万元"; a table
too long for its page continues on the next one under a repeated header. Wide tables are on
landscape pages. Paragraphs are justified to the right margin, as Word prints them.

Writer: reportlab (BSD); text runs and table rules are written as PDF operators directly (its
text objects format every number in pure Python, which was most of the time). The text is set in
two embedded (subset) TrueType fonts so that it can be extracted: Droid Sans Fallback for Chinese (Debian package ``fonts-droid-fallback``,
Apache-2.0) and DejaVu Sans for digits and Latin (``fonts-dejavu-core``). The Noto CJK fonts
installed for the charts are CFF-based, which reportlab cannot embed.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from reportlab.lib.rl_accel import escapePDF

from tools.synthetic.corpus import BANNER, DepartmentYear, percent
from tools.synthetic.reference import pool

CJK_FONTS = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts-droid-fallback/truetype/DroidSansFallbackFull.ttf",
    "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
)
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)
FONT_ENV = "JUESUAN_SYNTHETIC_CJK_FONT"  # another TrueType (.ttf) CJK font, if wanted

PORTRAIT = (595.0, 842.0)
LANDSCAPE = (842.0, 595.0)
MARGIN_X = 60.0  # narrative pages
MARGIN_TOP = 70.0
MARGIN_BOTTOM = 70.0
BODY_SIZE = 12.0
LEADING = 1.7  # line height / font size
TABLE_SIZE = 8.5
TABLE_LEADING = 11.0
CELL_PAD = 3.0
RULE_WIDTH = 0.6
NUMERALS = "一二三四五六七八九"


# ---------------------------------------------------------------------------------------
# fonts


@dataclass
class Fonts:
    cjk: object  # reportlab TTFont
    latin: object
    info: dict[str, tuple[float, bool]] = field(default_factory=dict)  # char -> (width at size 1, is Chinese)

    def _char(self, ch: str) -> tuple[float, bool]:
        found = self.info.get(ch)
        if found is None:
            code = ord(ch)
            chinese = code > 0x2FFF and code in self.cjk.face.charToGlyph
            font = self.cjk if chinese else self.latin
            if not chinese and code not in font.face.charToGlyph:
                raise ValueError(f"no glyph for {ch!r} (U+{code:04X}) in the synthetic PDF fonts")
            found = self.info[ch] = (font.stringWidth(ch, 1.0), chinese)
        return found

    def width(self, text: str, size: float) -> float:
        info = self.info
        total = 0.0
        for ch in text:
            found = info.get(ch) or self._char(ch)
            total += found[0]
        return total * size

    def runs(self, text: str) -> list[tuple[object, str]]:
        """(font, text) runs: Chinese in the CJK font, the rest in the Latin one."""
        info = self.info
        result: list[tuple[object, str]] = []
        start, current = 0, None
        for k, ch in enumerate(text):
            chinese = (info.get(ch) or self._char(ch))[1]
            if chinese is not current:
                if current is not None:
                    result.append((self.cjk if current else self.latin, text[start:k]))
                start, current = k, chinese
        if current is not None:
            result.append((self.cjk if current else self.latin, text[start:]))
        return result


class FontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def fonts() -> Fonts:
    """Register the two TrueType fonts with reportlab (once per process)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    cjk_path = os.environ.get(FONT_ENV) or next((p for p in CJK_FONTS if os.path.exists(p)), None)
    if not cjk_path or not os.path.exists(cjk_path):
        raise FontMissing(
            "synthetic PDFs need a TrueType CJK font: install Debian's fonts-droid-fallback "
            "(apt-get install fonts-droid-fallback, Apache-2.0), or point "
            f"{FONT_ENV} at another .ttf CJK font"
        )
    latin_path = next((p for p in LATIN_FONTS if os.path.exists(p)), None)
    if not latin_path:
        raise FontMissing(
            "synthetic PDFs need DejaVu Sans: install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core)"
        )
    cjk = TTFont("SyntheticCJK", cjk_path)
    latin = TTFont("SyntheticLatin", latin_path)
    pdfmetrics.registerFont(cjk)
    pdfmetrics.registerFont(latin)
    return Fonts(cjk, latin)


# ---------------------------------------------------------------------------------------
# tables


@dataclass
class HeaderCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Span:
    """A body cell spanning ``colspan`` columns."""

    text: str
    colspan: int
    align: str = "c"


@dataclass
class TableSpec:
    title: str
    widths: list[float]
    header: list[HeaderCell]
    header_rows: int
    body: list[list]  # each row: one item per column (str) or a Span covering several
    aligns: str  # body alignment per column: l, c, r
    landscape: bool = False
    note: str = ""


# ---------------------------------------------------------------------------------------
# the page writer


class Writer:
    """A reportlab canvas with a cursor: headings, justified paragraphs and ruled tables."""

    def __init__(self, title: str):
        from reportlab.pdfgen.canvas import Canvas

        self.fonts = fonts()
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=PORTRAIT, invariant=1, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("juesuan synthetic corpus (SYNTHETIC DATA)")
        self.canvas.setSubject(BANNER)
        self.canvas.setLineWidth(RULE_WIDTH)
        self.pages = 0
        self.size = PORTRAIT
        self.y = 0.0
        self.open = False

    # -- pages --------------------------------------------------------------------------
    def new_page(self, landscape: bool = False) -> None:
        if self.open:
            self._finish_page()
        self.size = LANDSCAPE if landscape else PORTRAIT
        self.canvas.setPageSize(self.size)
        self.canvas.setLineWidth(RULE_WIDTH)
        self.pages += 1
        self.y = self.size[1] - MARGIN_TOP
        self.open = True

    def _finish_page(self) -> None:
        self.text(f"- {self.pages} -", self.size[0] / 2, 36, 9, "c")
        self.canvas.showPage()
        self.open = False

    def finish(self) -> bytes:
        from reportlab import rl_config

        if self.open:
            self._finish_page()
        ascii85, rl_config.useA85 = rl_config.useA85, 0  # binary (Flate only) streams, as most PDFs have
        try:
            self.canvas.save()
        finally:
            rl_config.useA85 = ascii85
        return self.buffer.getvalue()

    def rules(self, segments: set[tuple[float, float, float, float]]) -> None:
        """Stroke the segments as one path (written directly: reportlab's number formatting is slow)."""
        parts = [f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l" for x0, y0, x1, y1 in sorted(segments)]
        self.canvas.addLiteral("\n".join(parts) + "\nS")

    def need(self, height: float) -> None:
        if self.y - height < MARGIN_BOTTOM:
            self.new_page()

    # -- text -------------------------------------------------------------------------------
    def text(self, text: str, x: float, y: float, size: float, align: str = "l", char_space: float = 0.0) -> None:
        """One line of text with its baseline at y (x is its left edge, centre or right edge).

        Written as PDF operators directly (reportlab's text objects format every number in pure
        Python, which dominated the time); the fonts' own ``splitString`` assigns the subset glyphs.
        """
        if not text:
            return
        if align != "l":
            width = self.fonts.width(text, size)
            x -= width / 2 if align == "c" else width
        doc = self.canvas._doc
        parts = [f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm"]
        if char_space:
            parts.append(f"{char_space:.3f} Tc")
        for font, run in self.fonts.runs(text):
            for subset, chunk in font.splitString(run, doc):
                parts.append(f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf ({escapePDF(chunk)}) Tj")
        parts.append("0 Tc ET" if char_space else "ET")
        self.canvas.addLiteral(" ".join(parts))

    def heading(self, text: str, size: float = 14.0, align: str = "l", space: float = 0.6) -> None:
        """A line of its own (a title or a section heading), made smaller when it would not fit."""
        room = self.size[0] - 2 * (40.0 if align == "c" else MARGIN_X)
        size = min(size, room / max(self.fonts.width(text, 1.0), 1.0))
        self.need(size * (LEADING + space) * 2)
        self.y -= size * space
        x = self.size[0] / 2 if align == "c" else MARGIN_X
        self.text(text, x, self.y - size, size, align)
        self.y -= size * LEADING

    def paragraph(self, text: str, size: float = BODY_SIZE, indent: int = 2) -> None:
        """Wrapped to the text width; every line but the last justified to the right margin."""
        width = self.size[0] - 2 * MARGIN_X
        lines = wrap(self.fonts, text, width, size, indent * size)
        for k, line in enumerate(lines):
            self.need(size * LEADING)
            x = MARGIN_X + (indent * size if k == 0 else 0)
            space = 0.0
            if k < len(lines) - 1 and len(line) > 1:
                slack = width - (x - MARGIN_X) - self.fonts.width(line, size)
                space = max(0.0, slack / (len(line) - 1))
            self.text(line, x, self.y - size, size, "l", space)
            self.y -= size * LEADING

    # -- tables -------------------------------------------------------------------------------
    def table(self, spec: TableSpec, first_lines: tuple[str, ...] = ()) -> None:
        """A ruled table on new page(s): optional lines, title, unit, header, then the body rows."""
        self.new_page(spec.landscape)
        page_width = self.size[0]
        table_width = sum(spec.widths)
        left = (page_width - table_width) / 2
        for line in first_lines:
            self.heading(line, 15.0, "c", space=0.2)
        self.y -= 20
        self.text(spec.title, page_width / 2, self.y - 15, 15.0, "c")
        self.y -= 34
        self.text("单位：万元", left + table_width, self.y - 10, 10.0, "r")
        self.y -= 18
        lefts = [left]
        for w in spec.widths:
            lefts.append(lefts[-1] + w)
        header_heights = self._header_heights(spec)
        body_heights = [self._row_height(spec, row) for row in spec.body]
        index = 0
        while True:
            top = self.y
            segments: set[tuple[float, float, float, float]] = set()
            self._draw_header(spec, lefts, header_heights, top, segments)
            y = top - sum(header_heights)
            while index < len(spec.body) and (
                y - body_heights[index] >= MARGIN_BOTTOM - 20 or y == top - sum(header_heights)
            ):
                self._draw_row(spec, spec.body[index], lefts, y, body_heights[index], segments)
                y -= body_heights[index]
                index += 1
            self.rules(segments)
            self.y = y
            if index >= len(spec.body):
                break
            self.new_page(spec.landscape)
            self.y -= 24
        if spec.note:
            self.y -= 8
            self.text(spec.note, left, self.y - 10, 10.0, "l")
            self.y -= 16

    def _cell_lines(self, text: str, width: float) -> list[str]:
        return wrap(self.fonts, text, width - 2 * CELL_PAD, TABLE_SIZE, 0) if text else []

    def _header_heights(self, spec: TableSpec) -> list[float]:
        heights = [16.0] * spec.header_rows
        for cell in sorted(spec.header, key=lambda c: c.rowspan):
            width = sum(spec.widths[cell.col : cell.col + cell.colspan])
            needed = len(self._cell_lines(cell.text, width)) * TABLE_LEADING + 6
            rows = range(cell.row, cell.row + cell.rowspan)
            have = sum(heights[r] for r in rows)
            if needed > have:
                heights[rows[-1]] += needed - have
        return heights

    def _row_height(self, spec: TableSpec, row: list) -> float:
        lines = 1
        for _col, width, item in _row_cells(spec, row):
            text = item.text if isinstance(item, Span) else item
            if text:
                lines = max(lines, len(self._cell_lines(text, width)))
        return lines * TABLE_LEADING + 6

    def _draw_header(self, spec, lefts, heights, top, segments) -> None:
        tops = [top]
        for h in heights:
            tops.append(tops[-1] - h)
        for cell in spec.header:
            x0, x1 = lefts[cell.col], lefts[cell.col + cell.colspan]
            y0, y1 = tops[cell.row], tops[cell.row + cell.rowspan]
            _box(segments, x0, y0, x1, y1)
            self._cell_text(cell.text, x0, x1, y0, y1, "c")

    def _draw_row(self, spec, row, lefts, y, height, segments) -> None:
        for col, _width, item in _row_cells(spec, row):
            span = item.colspan if isinstance(item, Span) else 1
            x0, x1 = lefts[col], lefts[col + span]
            _box(segments, x0, y, x1, y - height)
            if isinstance(item, Span):
                self._cell_text(item.text, x0, x1, y, y - height, item.align)
            else:
                self._cell_text(item, x0, x1, y, y - height, spec.aligns[col])

    def _cell_text(self, text: str, x0: float, x1: float, y0: float, y1: float, align: str) -> None:
        lines = self._cell_lines(text, x1 - x0)
        if not lines:
            return
        block = len(lines) * TABLE_LEADING
        baseline = (y0 + y1) / 2 + block / 2 - TABLE_LEADING + 2.5
        x = {"l": x0 + CELL_PAD, "c": (x0 + x1) / 2, "r": x1 - CELL_PAD}[align]
        for line in lines:
            self.text(line, x, baseline, TABLE_SIZE, align)
            baseline -= TABLE_LEADING


def _row_cells(spec: TableSpec, row: list):
    """(column, width, item) of a body row, a Span taking the width of its columns."""
    col = 0
    for item in row:
        span = item.colspan if isinstance(item, Span) else 1
        yield col, sum(spec.widths[col : col + span]), item
        col += span


def _box(segments: set, x0: float, y0: float, x1: float, y1: float) -> None:
    x0, x1, y0, y1 = round(x0, 2), round(x1, 2), round(y0, 2), round(y1, 2)
    segments.update(((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)))


TOKEN_RE = re.compile(r"[0-9A-Za-z.,%\-+]+|.", re.S)


def wrap(fonts: Fonts, text: str, width: float, size: float, indent: float) -> list[str]:
    """Greedy line breaking; a number or Latin word is never broken, and a line never starts with
    a closing punctuation mark."""
    lines: list[str] = []
    current, used, limit = "", 0.0, width - indent
    for token in TOKEN_RE.findall(text):
        w = fonts.width(token, size)
        if current and used + w > limit and token not in "，。；、：）”%":
            lines.append(current)
            current, used, limit = "", 0.0, width
        current += token
        used += w
    if current:
        lines.append(current)
    return lines


# ---------------------------------------------------------------------------------------
# the document


def render_pdf(model: DepartmentYear) -> tuple[bytes, int]:
    """(PDF bytes, page count) of a department-year."""
    name = model.department.name
    writer = Writer(f"{name}{model.year}年度部门决算（合成数据）")
    _cover(writer, model)
    _contents(writer, model)
    _profile(writer, model)
    part_two = f"第二部分 {name}{model.year}年度部门决算表"
    for number, spec in enumerate(_tables(model)):
        writer.table(spec, (part_two,) if number == 0 else ())
    _explanation(writer, model)
    _glossary(writer)
    data = writer.finish()
    return data, writer.pages


def amount(value: Decimal) -> str:
    """A table cell: 2,106.66; blank for zero."""
    return f"{value:,}" if value else ""


def plain(value: Decimal) -> str:
    """A narrative amount: 2940.05 (no separators), 0 for zero."""
    return f"{value}" if value else "0"


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 26 → 二十六."""
    if n < 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


DISCLAIMER = (
    "说明：本文件由 juesuan 合成数据生成器按随机种子生成，仅供性能测试使用。文中单位名称、科目组合与金额"
    "均为虚构，不代表任何真实部门的决算公开，请勿引用。"
)


def _cover(writer: Writer, model: DepartmentYear) -> None:
    """Banner (left, short: the reader must not join it with the title), title, 编制部门, and a
    full-width disclaimer at the foot."""
    name = model.department.name
    writer.new_page()
    writer.text(BANNER, MARGIN_X, writer.size[1] - 50, 10.5, "l")
    writer.y = writer.size[1] - 300
    title = f"{name}{model.year}年度部门决算"
    size = min(20.0, (writer.size[0] - 200) / writer.fonts.width(title, 1.0))
    writer.text(title, writer.size[0] / 2, writer.y, size, "c")
    writer.y -= 230
    writer.heading(f"编制部门：{name}", 13.0, "c")
    writer.heading(f"{model.year + 1}年8月", 13.0, "c")
    writer.y = 150
    writer.paragraph(DISCLAIMER, 9.0)


CONTENTS = (
    "第一部分 {name}概况",
    "一、主要职能",
    "二、部门决算单位构成",
    "第二部分 {name}{year}年度部门决算表",
    "一、收入支出决算总表",
    "二、收入决算表",
    "三、支出决算表",
    "四、财政拨款收入支出决算总表",
    "五、一般公共预算财政拨款支出决算表",
    "六、一般公共预算财政拨款基本支出决算表",
    "七、财政拨款“三公”经费支出决算表",
    "八、政府性基金预算财政拨款收入支出决算表",
    "九、国有资本经营预算财政拨款收入支出决算表",
    "第三部分 {name}{year}年度部门决算情况说明",
    "一、收入支出决算总体情况说明",
    "二、收入决算情况说明",
    "三、支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明",
    "五、一般公共预算财政拨款支出决算情况说明",
    "六、一般公共预算财政拨款基本支出决算情况说明",
    "七、财政拨款“三公”经费支出决算情况说明",
    "八、政府性基金预算财政拨款收入支出决算情况说明",
    "九、国有资本经营预算财政拨款收入支出决算情况说明",
    "十、预算绩效管理情况",
    "十一、其他重要事项说明",
    "第四部分 名词解释",
)


def _contents(writer: Writer, model: DepartmentYear) -> None:
    writer.new_page()
    writer.heading("目录", 16.0, "c")
    for line in CONTENTS:
        writer.heading(line.format(name=model.department.name, year=model.year), 12.0, space=0.2)


def _profile(writer: Writer, model: DepartmentYear) -> None:
    name = model.department.name
    area = model.department.area
    writer.new_page()
    writer.heading(f"第一部分 {name}概况", 15.0, "c")
    writer.heading("一、主要职能")
    for k, duty in enumerate(
        (
            f"贯彻执行国家和本市有关法律、法规、规章和方针、政策，研究拟订全{area}相关领域发展规划并组织实施。",
            f"负责全{area}相关领域的统筹协调、监督管理和公共服务工作，组织开展有关政策研究和宣传。",
            "负责本部门预算编制和执行，管理本部门国有资产，组织实施预算绩效管理。",
            f"完成{area}委、{area}政府交办的其他任务。",
        ),
        start=1,
    ):
        writer.paragraph(f"（{numeral(k)}）{duty}")
    writer.paragraph(
        f"{name}{model.year}年编制人数{model.staff_admin + model.staff_institution}人，其中行政编制"
        f"{model.staff_admin}人、事业人员编制{model.staff_institution}人，年末实有人数{model.staff_actual}人。"
    )
    writer.heading("二、部门决算单位构成")
    writer.paragraph(
        f"从预算单位构成看，{name}部门决算包括：{name}本级决算。纳入{name}{model.year}年度部门决算编制范围的单位包括："
    )
    writer.y -= 10
    top = writer.y
    lefts = [80.0, 130.0, 400.0, 515.0]
    segments: set = set()
    for k, row in enumerate((("序号", "单位名称", "备注"), ("1", f"{name}（本级）", ""))):
        y0 = top - 22 * k
        for c, text in enumerate(row):
            _box(segments, lefts[c], y0, lefts[c + 1], y0 - 22)
            writer._cell_text(text, lefts[c], lefts[c + 1], y0, y0 - 22, "c")
    writer.rules(segments)
    writer.y = top - 44


def _code_header(
    money: tuple[str, ...], code_widths=(34.0, 28.0, 28.0), name_width=190.0
) -> tuple[list[float], list[HeaderCell]]:
    """项目 / 支出功能分类 / 科目编码 / 类 款 项 | 科目名称 | money columns (each over all header rows)."""
    header = [
        HeaderCell(0, 0, "项目", colspan=4),
        HeaderCell(1, 0, "支出功能分类", colspan=3),
        HeaderCell(1, 3, "科目名称", rowspan=3),
        HeaderCell(2, 0, "科目编码", colspan=3),
        HeaderCell(3, 0, "类"),
        HeaderCell(3, 1, "款"),
        HeaderCell(3, 2, "项"),
    ]
    header += [HeaderCell(0, 4 + k, label, rowspan=4) for k, label in enumerate(money)]
    return [*code_widths, name_width], header


def _code_cells(code: str) -> list[str]:
    return [code[:3], code[3:5], code[5:7]]


def _tables(model: DepartmentYear) -> list[TableSpec]:
    return [
        _summary_table(model),
        _income_table(model),
        _expenditure_table(model),
        _fiscal_grant_table(model),
        _general_budget_table(model),
        _basic_table(model),
        _sangong_table(model),
        _empty_fund_table(model, "政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款"),
        _empty_fund_table(model, "国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款"),
    ]


def _summary_table(model: DepartmentYear) -> TableSpec:
    income = [(f"{numeral(k)}、{label}", value) for k, (label, value) in enumerate(model.income, start=1)]
    amounts = {row.code: row.amount for row in model.classes}
    classes = [
        (f"{numeral(k)}、{c.name}", amounts.get(c.code, Decimal(0)))
        for k, c in enumerate(pool(model.year).classes, start=1)
    ]
    body = []
    for k in range(max(len(income), len(classes))):
        left = income[k] if k < len(income) else ("", Decimal(0))
        right = classes[k] if k < len(classes) else ("", Decimal(0))
        body.append([left[0], amount(left[1]), right[0], amount(right[1])])
    total = model.total
    body += [
        [Span("本年收入合计", 1), amount(total), Span("本年支出合计", 1), amount(total)],
        [Span("使用非财政拨款结余", 1), "", Span("结余分配", 1), ""],
        [Span("年初结转和结余", 1), "", Span("年末结转和结余", 1), ""],
        [Span("总计", 1), amount(total), Span("总计", 1), amount(total)],
    ]
    header = [
        HeaderCell(0, 0, "收入", colspan=2),
        HeaderCell(0, 2, "支出", colspan=2),
        HeaderCell(1, 0, "项目"),
        HeaderCell(1, 1, "决算数"),
        HeaderCell(1, 2, "项目"),
        HeaderCell(1, 3, "决算数"),
    ]
    return TableSpec("收入支出决算总表", [175.0, 68.0, 185.0, 68.0], header, 2, body, "lrlr")


def _income_table(model: DepartmentYear) -> TableSpec:
    labels = ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
    widths, header = _code_header(labels)
    source = labels.index(model.non_fiscal_source)

    def values(total, gpb, non_fiscal):
        row = [amount(total), amount(gpb), "", "", "", "", ""]
        row[source] = amount(non_fiscal)
        return row

    body = [[Span("合计", 4), *values(model.total, model.gpb_total, model.non_fiscal)]]
    for row in model.function_totals:
        body.append(
            [*_code_cells(row.code), row.name, *values(row.amount, row.gpb_amount, row.amount - row.gpb_amount)]
        )
    return TableSpec("收入决算表", widths + [72.0] * 7, header, 4, body, "cccl" + "r" * 7, landscape=True)


def _expenditure_table(model: DepartmentYear) -> TableSpec:
    labels = ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
    widths, header = _code_header(labels)
    body = [[Span("合计", 4), amount(model.total), amount(model.basic), amount(model.project), "", "", ""]]
    for row in model.function_totals:
        body.append(
            [*_code_cells(row.code), row.name, amount(row.amount), amount(row.basic), amount(row.project), "", "", ""]
        )
    return TableSpec("支出决算表", widths + [84.0] * 6, header, 4, body, "cccl" + "r" * 6, landscape=True)


def _fiscal_grant_table(model: DepartmentYear) -> TableSpec:
    gpb = model.gpb_total
    amounts = {row.code: row.gpb_amount for row in model.classes}
    income = [
        ("一、一般公共预算财政拨款", gpb),
        ("二、政府性基金预算财政拨款", Decimal(0)),
        ("三、国有资本经营预算财政拨款", Decimal(0)),
    ]
    classes = [
        (f"{numeral(k)}、{c.name}", amounts.get(c.code, Decimal(0)))
        for k, c in enumerate(pool(model.year).classes, start=1)
    ]
    body = []
    for k in range(len(classes)):
        left = income[k] if k < len(income) else ("", Decimal(0))
        label, value = classes[k]
        body.append([left[0], amount(left[1]), label, amount(value), amount(value), "", ""])
    body += [
        [Span("本年收入合计", 1), amount(gpb), Span("本年支出合计", 1), amount(gpb), amount(gpb), "", ""],
        [Span("年初财政拨款结转和结余", 1), "", Span("年末财政拨款结转和结余", 1), "", "", "", ""],
        [Span("总计", 1), amount(gpb), Span("总计", 1), amount(gpb), amount(gpb), "", ""],
    ]
    header = [
        HeaderCell(0, 0, "收入", colspan=2),
        HeaderCell(0, 2, "支出", colspan=5),
        HeaderCell(1, 0, "项目"),
        HeaderCell(1, 1, "决算数"),
        HeaderCell(1, 2, "项目"),
        HeaderCell(1, 3, "合计"),
        HeaderCell(1, 4, "一般公共预算财政拨款"),
        HeaderCell(1, 5, "政府性基金预算财政拨款"),
        HeaderCell(1, 6, "国有资本经营预算财政拨款"),
    ]
    return TableSpec(
        "财政拨款收入支出决算总表",
        [160.0, 75.0, 200.0, 80.0, 90.0, 90.0, 90.0],
        header,
        2,
        body,
        "lrlrrrr",
        landscape=True,
    )


def _general_budget_table(model: DepartmentYear) -> TableSpec:
    widths, header = _code_header(("合计", "基本支出", "项目支出"), name_width=200.0)
    body = [
        [*_code_cells(row.code), row.name, amount(row.gpb_amount), amount(row.basic), amount(row.gpb_project)]
        for row in model.function_totals
        if row.gpb_amount
    ]
    body.append([Span("合计", 4), amount(model.gpb_total), amount(model.basic), amount(model.gpb_project)])
    return TableSpec("一般公共预算财政拨款支出决算表", widths + [66.0, 66.0, 66.0], header, 4, body, "cccl" + "rrr")


def _basic_table(model: DepartmentYear) -> TableSpec:
    personnel = [line for line in model.economic if line.code[:3] in ("301", "303")]
    public = [line for line in model.economic if line.code[:3] in ("302", "310")]

    def cells(line):
        if line is None:
            return ["", "", "", ""]
        return [line.code[:3], line.code[3:], line.name, amount(line.amount)]

    body = []
    for k in range(max(len(personnel), len(public))):
        body.append(
            [*cells(personnel[k] if k < len(personnel) else None), *cells(public[k] if k < len(public) else None)]
        )
    body.append([Span("人员经费合计", 3), amount(model.personnel), Span("公用经费合计", 3), amount(model.public)])
    header = []
    for side in (0, 4):
        header += [
            HeaderCell(0, side, "经济分类", colspan=2),
            HeaderCell(1, side, "科目编码", colspan=2),
            HeaderCell(2, side, "类"),
            HeaderCell(2, side + 1, "款"),
            HeaderCell(0, side + 2, "科目名称", rowspan=3),
            HeaderCell(0, side + 3, "决算数", rowspan=3),
        ]
    return TableSpec("一般公共预算财政拨款基本支出决算表", [36.0, 30.0, 125.0, 57.0] * 2, header, 3, body, "cclr" * 2)


def _sangong_table(model: DepartmentYear) -> TableSpec:
    final, budget = model.sangong, model.sangong_budget
    header = [
        HeaderCell(0, 0, "财政拨款“三公”经费", colspan=12),
        HeaderCell(1, 0, "合计", rowspan=2, colspan=2),
        HeaderCell(1, 2, "因公出国（境）费", rowspan=2, colspan=2),
        HeaderCell(1, 4, "公务用车购置及运行费", colspan=6),
        HeaderCell(1, 10, "公务接待费", rowspan=2, colspan=2),
        HeaderCell(2, 4, "小计", colspan=2),
        HeaderCell(2, 6, "公务用车购置费", colspan=2),
        HeaderCell(2, 8, "公务用车运行费", colspan=2),
    ]
    header += [HeaderCell(3, k, "预算数" if k % 2 == 0 else "决算数") for k in range(12)]
    values = []
    for part in ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"):
        values += [f"{getattr(budget, part):,}", f"{getattr(final, part):,}"]
    return TableSpec("财政拨款“三公”经费支出决算表", [64.0] * 12, header, 4, [values], "r" * 12, landscape=True)


def _empty_fund_table(model: DepartmentYear, title: str, fund: str) -> TableSpec:
    header = [
        HeaderCell(0, 0, "项目", colspan=4),
        HeaderCell(0, 4, "年初结转和结余", rowspan=3),
        HeaderCell(0, 5, "本年收入", rowspan=3),
        HeaderCell(0, 6, "本年支出", colspan=3),
        HeaderCell(0, 9, "年末结转和结余", rowspan=3),
        HeaderCell(1, 0, "支出功能分类科目编码", colspan=3),
        HeaderCell(1, 3, "科目名称", rowspan=2),
        HeaderCell(1, 6, "小计", rowspan=2),
        HeaderCell(1, 7, "基本支出", rowspan=2),
        HeaderCell(1, 8, "项目支出", rowspan=2),
        HeaderCell(2, 0, "类"),
        HeaderCell(2, 1, "款"),
        HeaderCell(2, 2, "项"),
    ]
    body = [[Span("合计", 4), "", "", "", "", "", ""]]
    note = f"注：{model.department.name}无{fund}支出，故本表无数据。"
    return TableSpec(
        title, [34.0, 28.0, 28.0, 190.0] + [84.0] * 6, header, 3, body, "cccl" + "r" * 6, landscape=True, note=note
    )


def _delta(current: Decimal, prior: Decimal) -> str:
    """ "增加56.95万元，增长1.87%" (or 减少/下降); "" when equal."""
    difference = current - prior
    if not difference:
        return ""
    verb, trend = ("增加", "增长") if difference > 0 else ("减少", "下降")
    return f"{verb}{plain(abs(difference))}万元，{trend}{percent(abs(difference), prior)}%"


def _change(current: Decimal, prior: Decimal, year: int, what: str) -> str:
    return f"与{year - 1}年度相比，{what}{_delta(current, prior) or '持平'}"


def _explanation(writer: Writer, model: DepartmentYear) -> None:
    name, year = model.department.name, model.year
    total, gpb, basic, project = model.total, model.gpb_total, model.basic, model.project
    prior_total = Decimal(model.prior.total).scaleb(-2)
    prior_gpb = Decimal(model.prior.gpb_total).scaleb(-2)
    reasons = model.reasons
    writer.new_page()
    writer.heading(f"第三部分 {name}{year}年度部门决算情况说明", 15.0, "c")
    writer.heading("一、收入支出决算总体情况说明")
    writer.paragraph(
        f"{name}{year}年度收入支出总计{plain(total)}万元。{_change(total, prior_total, year, '收入支出总计')}。"
        f"主要原因：{reasons[0]}。"
    )
    writer.heading("二、收入决算情况说明")
    sources = [("财政拨款收入", gpb)] + [(label, value) for label, value in model.income[3:] if value]
    writer.paragraph(
        f"本年收入合计{plain(total)}万元，其中："
        + "；".join(f"{label}{plain(value)}万元，占{percent(value, total)}%" for label, value in sources)
        + "。"
    )
    writer.heading("三、支出决算情况说明")
    writer.paragraph(
        f"本年支出合计{plain(total)}万元，其中：基本支出{plain(basic)}万元，占{percent(basic, total)}%；"
        f"项目支出{plain(project)}万元，占{percent(project, total)}%。"
    )
    writer.heading("四、财政拨款收入支出决算总体情况说明")
    writer.paragraph(
        f"{name}{year}年度财政拨款收入支出总计{plain(gpb)}万元。"
        f"{_change(gpb, prior_gpb, year, '财政拨款收入支出总计')}。主要原因：{reasons[1]}。"
    )
    writer.heading("五、一般公共预算财政拨款支出决算情况说明")
    writer.heading("（一）一般公共预算财政拨款支出决算总体情况", space=0.3)
    writer.paragraph(
        f"一般公共预算财政拨款支出{plain(gpb)}万元，占本年支出合计的{percent(gpb, total)}%。"
        f"{_change(gpb, prior_gpb, year, '一般公共预算财政拨款支出')}。主要原因：{reasons[2]}。"
    )
    writer.heading("（二）一般公共预算财政拨款支出决算结构情况", space=0.3)
    writer.paragraph(
        f"一般公共预算财政拨款支出{plain(gpb)}万元，主要用于以下方面："
        + "；".join(
            f"{row.name}（类）{plain(row.gpb_amount)}万元，占{percent(row.gpb_amount, gpb)}%"
            for row in model.classes
            if row.gpb_amount
        )
        + "。"
    )
    writer.heading("（三）一般公共预算财政拨款支出决算具体情况", space=0.3)
    budget = model.gpb_budget
    writer.paragraph(
        f"一般公共预算财政拨款支出年初预算为{plain(budget)}万元，支出决算为{plain(gpb)}万元，完成年初预算的"
        f"{percent(gpb, budget)}%。决算数小于预算数的主要原因：{reasons[3]}。其中："
    )
    number = 0
    for item in model.items:
        if not item.gpb_amount:
            continue
        number += 1
        if item.budget == item.gpb_amount:
            tail = "决算数与预算数基本持平。"
        else:
            tail = f"决算数小于预算数的主要原因：{reasons[3 + number % 3]}。"
        writer.paragraph(
            f"{number}、{item.lei_name}（类）{item.kuan_name}（款）{item.name}（项）。主要用于：本部门履行职能"
            f"的相关支出。年初预算为{plain(item.budget)}万元，支出决算为{plain(item.gpb_amount)}万元。{tail}"
        )
    writer.heading("六、一般公共预算财政拨款基本支出决算情况说明")
    writer.paragraph(
        f"一般公共预算财政拨款基本支出{plain(basic)}万元。其中：人员经费{plain(model.personnel)}万元，主要包括："
        "基本工资、津贴补贴、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、住房公积金、退休费；"
        f"公用经费{plain(model.public)}万元，主要包括：办公费、印刷费、邮电费、差旅费、维修（护）费、培训费、"
        "工会经费、福利费、其他交通费用、其他商品和服务支出。"
    )
    _sangong_text(writer, model)
    writer.heading("八、政府性基金预算财政拨款收入支出决算情况说明")
    writer.paragraph(f"{name}{year}年度无政府性基金预算财政拨款收入和支出。")
    writer.heading("九、国有资本经营预算财政拨款收入支出决算情况说明")
    writer.paragraph(f"{name}{year}年度无国有资本经营预算财政拨款收入和支出。")
    _other_text(writer, model)


def _sangong_text(writer: Writer, model: DepartmentYear) -> None:
    name, year = model.department.name, model.year
    final, budget = model.sangong, model.sangong_budget
    writer.heading("七、财政拨款“三公”经费支出决算情况说明")
    writer.heading("（一）“三公”经费财政拨款支出决算总体情况说明。", space=0.3)
    writer.paragraph(
        f"“三公”经费财政拨款支出年初预算为{plain(budget.total)}万元，支出决算为{plain(final.total)}万元，完成预算的"
        f"{percent(final.total, budget.total)}%，其中：因公出国（境）费决算为{plain(final.abroad)}万元，完成预算的"
        f"{percent(final.abroad, budget.abroad)}%；公务用车购置及运行维护费支出决算为{plain(final.vehicle)}万元，完成预算的"
        f"{percent(final.vehicle, budget.vehicle)}%；公务接待费支出决算为{plain(final.reception)}万元，完成预算的"
        f"{percent(final.reception, budget.reception)}%。"
    )
    writer.heading("（二）“三公”经费财政拨款支出决算具体情况说明。", space=0.3)
    writer.paragraph(
        f"{year}年度{name}因公出国（境）费支出{plain(final.abroad)}万元；公务用车购置费支出{plain(final.vehicle_purchase)}万元，"
        f"购置公务用车{1 if final.vehicle_purchase else 0}辆；公务用车运行维护费支出{plain(final.vehicle_operation)}万元，"
        f"年末公务用车保有量{model.vehicles}辆；公务接待费支出{plain(final.reception)}万元。"
    )


def _other_text(writer: Writer, model: DepartmentYear) -> None:
    name, year = model.department.name, model.year
    prior_operating = Decimal(model.prior.operating_cost).scaleb(-2)
    procurement = model.procurement_goods + model.procurement_works + model.procurement_services
    projects = model.projects
    writer.heading("十、预算绩效管理情况")
    budget = sum((p.budget for p in projects), Decimal("0.00"))
    average = (
        (Decimal(sum(p.score for p in projects)) / len(projects)).quantize(Decimal("0.01")) if projects else Decimal(0)
    )
    writer.paragraph(
        f"{name}{year}年度预算绩效管理工作开展情况如下：编报绩效目标的{year}年度项目{len(projects)}个，涉及预算金额"
        f"{plain(budget)}万元；绩效自评的{year}年度项目{len(projects)}个，涉及预算金额{plain(budget)}万元，平均得分"
        f"{average}分。"
    )
    writer.heading("十一、其他重要事项的情况说明")
    writer.heading("（一）机关运行经费支出情况", space=0.3)
    delta = _delta(model.operating_cost, prior_operating)
    if delta:
        writer.paragraph(
            f"机关运行经费支出{plain(model.operating_cost)}万元，比{year - 1}年度{delta}。"
            f"主要原因是{model.reasons[4]}。"
        )
    else:
        writer.paragraph(f"机关运行经费支出{plain(model.operating_cost)}万元，与{year - 1}年度持平。")
    writer.heading("（二）政府采购支出情况", space=0.3)
    writer.paragraph(
        f"{name}{year}年度政府采购金额（以合同签订为准）为{plain(procurement)}万元，其中：货物采购金额"
        f"{plain(model.procurement_goods)}万元、工程采购金额{plain(model.procurement_works)}万元、服务采购金额"
        f"{plain(model.procurement_services)}万元。授予中小企业合同金额{plain(model.procurement_sme)}万元。"
    )
    writer.heading("（三）国有资产占有使用情况说明", space=0.3)
    writer.paragraph(
        f"截至{year}年12月31日，{name}共有车辆{model.vehicles}辆，其中：主要领导干部用车0辆、机要通信用车0辆、"
        f"应急保障用车0辆、执法执勤用车0辆、其他用车{model.vehicles}辆。单价100万元（含）以上设备（不含车辆）"
        f"{model.equipment}台（套）。"
    )


GLOSSARY = (
    "财政拨款收入：指单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。",
    "事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
    "其他收入：指除上述“财政拨款收入”“事业收入”“经营收入”等以外的收入。",
    "年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。",
    "基本支出：指单位为保障机构正常运转、完成日常工作任务而发生的各项支出。",
    "项目支出：指单位为完成特定的行政工作任务或事业发展目标，在基本支出之外发生的各项支出。",
    "“三公”经费：指单位使用本级财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。",
    "机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
)


def _glossary(writer: Writer) -> None:
    writer.new_page()
    writer.heading("第四部分 名词解释", 15.0, "c")
    for k, text in enumerate(GLOSSARY, start=1):
        writer.paragraph(f"{numeral(k)}、{text}")
