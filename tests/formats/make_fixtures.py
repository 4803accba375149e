"""Renderings of real disclosures in the other formats analysts receive, made from the samples.

- The Sichuan 决算 (a .docx dumped to text) is rendered back as a .docx with real Word tables
  (one per 绩效自评表, merged cells where Word would have them), as GBK text, as UTF-8 text in
  Traditional characters (OpenCC s2t) and as a government-portal .html page (information block
  with 发布机构, headings, paragraphs wrapped in the source the way editors wrap them, <table>s
  with rowspan/colspan, page chrome around it).
- The Shanghai 普陀区财政局 2024 决算's tables are read from the PDF with pdfplumber, cell by
  cell with their merged spans, and written as an .xlsx, one sheet per table (title row, unit
  row, header rows, data rows; amounts as numbers, codes as text, blanks blank).

Nothing is typed in by hand: every text, figure and name comes from the sample files. Run
``python tests/formats/make_fixtures.py OUT_DIR`` to look at them; the tests build them into a
temporary folder.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SICHUAN = ROOT / "samples" / "sichuan" / "2023-四川省遂宁市安居区社会保险事业管理局-部门决算.txt"
SHANGHAI_FINAL = ROOT / "samples" / "shanghai" / "上海市普陀区财政局2024年度部门决算.pdf"


# -- the Sichuan disclosure as blocks -------------------------------------------------------


@dataclass
class Block:
    """A paragraph (``text``) or a table (``rows`` of cell texts), in the order printed."""

    text: str = ""
    rows: list[list[str]] | None = None


def sichuan_blocks() -> list[Block]:
    """The text sample's paragraphs and tables in order, each 绩效自评表 its own table."""
    from ingest.parse.readers.common import is_title_text
    from ingest.parse.readers.text import read_text

    document = read_text(SICHUAN.read_bytes(), SICHUAN.name)
    ordered: list[tuple[int, Block]] = [(_line_no(line.locator), Block(text=line.text)) for line in document.lines]
    for table in document.tables:
        rows = [[cell.text for cell in row] for row in table.rows]
        parts: list[list[list[str]]] = []
        for row in rows:
            filled = [text for text in row if text]
            if not parts or (len(filled) == 1 and is_title_text(filled[0]) and parts[-1]):
                parts.append([])
            parts[-1].append(row)
        start = _line_no(table.locator)
        for offset, part in enumerate(parts):
            ordered.append((start, Block(rows=part)))
            start += 1e-3 * (offset + 1)
    return [block for _, block in sorted(ordered, key=lambda pair: pair[0])]


def _line_no(locator: str) -> float:
    return float(locator.split()[-1])


def sichuan_identity():
    from ingest.parse.extractors.identity import identify
    from ingest.parse.readers.text import read_text

    return identify(read_text(SICHUAN.read_bytes(), SICHUAN.name), "fixture")


def merges(rows: list[list[str]]) -> tuple[int, list[list[tuple[int, int]]]]:
    """The grid width and, per cell, (colspan, rowspan) the way Word lays such a table out.

    A row shorter than the grid ends in a cell spanning the rest. An empty cell in the first
    two columns under a filled (or merged) cell of a row of the same shape is merged into it
    (rowspan 0 marks a covered cell): 绩效指标（90分） and 产出指标 are vertically merged.
    """
    width = max(len(row) for row in rows)
    spans = [[(1, 1) for _ in row] for row in rows]
    for row, span in zip(rows, spans):
        if len(row) < width:
            span[-1] = (width - len(row) + 1, 1)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c in range(min(2, len(row))):
            above = r - 1
            if above < 0 or row[c] or len(rows[above]) != len(row) or c >= len(rows[above]):
                continue
            start = owner.get((above, c), (above, c) if rows[above][c] else None)
            if start is None:
                continue
            owner[(r, c)] = start
            colspan, rowspan = spans[start[0]][start[1]]
            spans[start[0]][start[1]] = (colspan, rowspan + 1)
            spans[r][c] = (1, 0)
    return width, spans


# -- renderings of the Sichuan disclosure ----------------------------------------------------


def write_sichuan_docx(path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from ingest.parse.extractors.passages import heading_section

    word = docx.Document()
    for block in sichuan_blocks():
        if block.rows is None:
            if heading_section(block.text):
                word.add_heading(block.text, level=2)
            else:
                word.add_paragraph(block.text)
            continue
        width, spans = merges(block.rows)
        table = word.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for r, (row, row_spans) in enumerate(zip(block.rows, spans)):
            c = 0
            for text, (colspan, rowspan) in zip(row, row_spans):
                cell = table.cell(r, c)
                if rowspan == 0:  # covered by the cell above: <w:vMerge/> (continue)
                    cell._tc.get_or_add_tcPr().append(OxmlElement("w:vMerge"))
                else:
                    cell.text = text
                    if rowspan > 1:
                        merge = OxmlElement("w:vMerge")
                        merge.set(qn("w:val"), "restart")
                        cell._tc.get_or_add_tcPr().append(merge)
                if colspan > 1:
                    cell.merge(table.cell(r, c + colspan - 1))
                    table.cell(r, c).text = text
                c += colspan
    word.save(str(path))


def write_sichuan_gbk(path: Path) -> None:
    path.write_bytes(SICHUAN.read_text(encoding="utf-8").encode("gbk"))


def write_sichuan_traditional(path: Path) -> None:
    from opencc import OpenCC

    path.write_text(OpenCC("s2t").convert(SICHUAN.read_text(encoding="utf-8")), encoding="utf-8")


def write_sichuan_html(path: Path) -> None:
    """A portal page: chrome, an information block, the title, paragraphs and tables."""
    from ingest.parse.extractors.passages import heading_section

    identity = sichuan_identity()
    department, year = identity.department_name or "", identity.fiscal_year or 0
    stem = SICHUAN.stem
    index = int(hashlib.sha1(stem.encode()).hexdigest(), 16) % 10**9
    body: list[str] = []
    for block in sichuan_blocks():
        if block.rows is None:
            tag = "h3" if heading_section(block.text) else "p"
            body.append(f"<{tag}>{_wrapped(html.escape(block.text))}</{tag}>")
            continue
        _width, spans = merges(block.rows)
        cells = []
        for row, row_spans in zip(block.rows, spans):
            tds = []
            for text, (colspan, rowspan) in zip(row, row_spans):
                if rowspan == 0:
                    continue
                attributes = (f' colspan="{colspan}"' if colspan > 1 else "") + (
                    f' rowspan="{rowspan}"' if rowspan > 1 else ""
                )
                tds.append(f"<td{attributes}>{html.escape(text)}</td>")
            cells.append("<tr>" + "".join(tds) + "</tr>")
        body.append('<table border="1" cellspacing="0">\n' + "\n".join(cells) + "\n</table>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(stem)}</title>
<script>var _hmt = _hmt || []; document.write("不应读到的脚本文字");</script>
<style>.info {{ color: #333 }}</style></head>
<body>
<header><nav><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 财政信息</nav></header>
<div class="article">
<table class="info">
<tr><td>索引号：</td><td>{index:09d}</td><td>发布机构：</td><td>{html.escape(department)}</td></tr>
<tr><td>发文时间：</td><td>{year + 1}-09-30</td><td>主题分类：</td><td>财政</td></tr>
</table>
<h1>{html.escape(stem)}</h1>
<div id="zoom">
{chr(10).join(body)}
</div></div>
<footer>版权所有 &copy; 网站标识码 <a href="#">联系我们</a></footer>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def _wrapped(text: str, every: int = 40) -> str:
    """Break long source lines between two Chinese characters, as HTML editors do."""
    out, count = [], 0
    for i, ch in enumerate(text):
        out.append(ch)
        count += 1
        if count >= every and i + 1 < len(text) and _cjk(ch) and _cjk(text[i + 1]):
            out.append("\n        ")
            count = 0
    return "".join(out)


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# -- the Shanghai 决算 tables as a workbook ------------------------------------------------


@dataclass
class PdfTable:
    title: str
    unit: str
    page: int
    rows: list[list[str]]
    spans: dict[tuple[int, int], tuple[int, int]]  # (row, col) → (rowspan, colspan), from the cells' boxes


def shanghai_tables(pdf_path: Path = SHANGHAI_FINAL) -> list[PdfTable]:
    """The standard tables printed in the PDF: a page with a "单位：" line under a title starts one,
    a page without continues the one before."""
    import pdfplumber

    from ingest.parse.readers.common import find_unit

    tables: list[PdfTable] = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            found = page.find_tables()
            if not found:
                continue
            lines = (page.extract_text() or "").splitlines()[:8]
            unit_at = next((i for i, line in enumerate(lines) if find_unit(line)), None)
            title = (
                next(
                    (lines[i].replace(" ", "") for i in range(unit_at - 1, -1, -1) if lines[i].strip().endswith("表")),
                    "",
                )
                if unit_at
                else ""
            )
            for table in found:
                rows, spans = _grid(table)
                if title:
                    tables.append(PdfTable(title, find_unit(lines[unit_at]) or "", number, rows, spans))
                    title = ""
                elif tables:
                    offset = len(tables[-1].rows)
                    tables[-1].rows.extend(rows)
                    tables[-1].spans.update({(offset + r, c): s for (r, c), s in spans.items()})
    return tables


def _grid(table) -> tuple[list[list[str]], dict[tuple[int, int], tuple[int, int]]]:
    texts = [[(text or "").replace("\n", "") for text in row] for row in table.extract()]
    xs = sorted({round(cell[0]) for cell in table.cells})
    tops = [round(next(c for c in row.cells if c)[1]) for row in table.rows]
    spans = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            colspan = sum(1 for x in xs if round(box[0]) <= x < round(box[2]))
            rowspan = sum(1 for y in tops if round(box[1]) <= y < round(box[3]))
            if colspan > 1 or rowspan > 1:
                spans[(r, c)] = (max(rowspan, 1), max(colspan, 1))
    return texts, spans


def write_shanghai_xlsx(path: Path, tables: list[PdfTable] | None = None) -> list[PdfTable]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    tables = shanghai_tables() if tables is None else tables
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, book.sheetnames))
        width = max(len(row) for row in table.rows)
        sheet.cell(1, 1, table.title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.cell(2, width, f"单位：{table.unit}")
        for r, row in enumerate(table.rows):
            for c, text in enumerate(row):
                if text:
                    amount = _amount(text)
                    target = sheet.cell(r + 3, c + 1, float(amount) if amount is not None else text)
                    if amount is not None:
                        target.number_format = "#,##0.00"
        for (r, c), (rowspan, colspan) in table.spans.items():
            sheet.merge_cells(start_row=r + 3, start_column=c + 1, end_row=r + 2 + rowspan, end_column=c + colspan)
        for c in range(1, width + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 14
    book.save(str(path))
    return tables


def _amount(text: str) -> Decimal | None:
    """A printed amount ("2,106.66"); codes ("201", "06") and labels stay text."""
    if not re.fullmatch(r"-?[\d,]+\.\d+", text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _sheet_name(title: str, taken: list[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\“”\"]", "", title)[:31] or "表"
    while name in taken:
        name = name[:29] + f"{len(taken) % 100:02d}"
    return name


# -- all of them ----------------------------------------------------------------------------


def build_all(folder: Path, pdf_tables: list[PdfTable] | None = None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = SICHUAN.stem
    paths = {
        "text": SICHUAN,
        "docx": folder / f"{stem}.docx",
        "gbk": folder / f"{stem}.gbk.txt",
        "traditional": folder / f"{stem}.繁體.txt",
        "html": folder / f"{stem}.html",
        "xlsx": folder / f"{SHANGHAI_FINAL.stem}.xlsx",
    }
    write_sichuan_docx(paths["docx"])
    write_sichuan_gbk(paths["gbk"])
    write_sichuan_traditional(paths["traditional"])
    write_sichuan_html(paths["html"])
    write_shanghai_xlsx(paths["xlsx"], pdf_tables)
    return paths


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for kind, path in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/formats")).items():
        print(f"{kind:12s} {path}")
