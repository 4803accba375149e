"""Excel workbooks of the standard tables: one sheet, one table shaped like a PDF's.

The workbook is the Shanghai 普陀区财政局 2024 决算's tables, written cell by cell from the PDF
(see make_fixtures.py); every cell the PDF prints must come back at its address.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest

from ingest.parse.readers.xlsx import cell_text, column_letters, read_xlsx

LOCATOR_RE = re.compile(r"sheet (?P<sheet>[^!]+)!(?P<cell>[A-Z]+\d+)")


@pytest.fixture(scope="module")
def workbook(renderings):
    path = renderings["xlsx"]
    return read_xlsx(path.read_bytes(), "shanghai/" + path.name)


def _by_address(table) -> dict[str, str]:
    return {LOCATOR_RE.fullmatch(cell.locator).group("cell"): cell.text for row in table.rows for cell in row}


def test_one_table_per_sheet_titled_and_united_as_printed(workbook, shanghai_pdf_tables):
    assert [t.title for t in workbook.tables] == [t.title for t in shanghai_pdf_tables]
    assert [t.unit for t in workbook.tables] == [t.unit for t in shanghai_pdf_tables]
    assert all(t.locator.startswith("sheet ") for t in workbook.tables)


def test_every_printed_cell_comes_back_at_its_address(workbook, shanghai_pdf_tables):
    for pdf, table in zip(shanghai_pdf_tables, workbook.tables):
        cells = _by_address(table)
        for r, row in enumerate(pdf.rows):
            for c, printed in enumerate(row):
                address = f"{column_letters(c)}{r + 3}"  # title and unit rows above
                read = cells.get(address, "")
                if re.fullmatch(r"-?[\d,]+\.\d+", printed):
                    assert Decimal(read) == Decimal(printed.replace(",", "")), (pdf.title, address)
                else:
                    assert read == printed, (pdf.title, address)


def test_locators_name_sheet_and_cell(workbook):
    for table in workbook.tables:
        sheet = table.locator.removeprefix("sheet ")
        for row in table.rows:
            for cell in row:
                m = LOCATOR_RE.fullmatch(cell.locator)
                assert m and m.group("sheet") == sheet


def test_header_rows_end_where_the_numbers_start(workbook):
    for table in workbook.tables:
        headers, data = table.rows[: table.header_rows], table.rows[table.header_rows :]
        assert all(not re.fullmatch(r"[\d.]+", cell.text) for row in headers for cell in row)
        if data:
            assert any(re.fullmatch(r"[\d.]+", cell.text) for cell in data[0])


def test_function_table_reads_code_name_and_amount_columns(workbook):
    table = next(t for t in workbook.tables if t.title == "一般公共预算财政拨款支出决算表")
    header_text = {cell.text for row in table.rows[: table.header_rows] for cell in row}
    assert {"科目编码", "科目名称", "合计", "基本支出", "项目支出"} <= header_text
    first = [cell.text for cell in table.rows[table.header_rows]]
    assert re.fullmatch(r"\d{3}", first[0]) and first[3] and Decimal(first[4]) > 0


def test_title_and_unit_rows_are_lines_for_identity(workbook):
    assert [line.text for line in workbook.lines if line.locator.endswith("!A1")] == [t.title for t in workbook.tables]
    assert all(LOCATOR_RE.fullmatch(line.locator) for line in workbook.lines)


# -- cell values, on a workbook made here -----------------------------------------------------


def _workbook_bytes(build) -> bytes:
    book = openpyxl.Workbook()
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _values(book):
    sheet = book.active
    sheet.title = "收入决算表"
    sheet["A1"] = "收入决算表"
    sheet.merge_cells("A1:F1")
    sheet["F2"] = "单位：万元"
    sheet["A3"] = "项目"
    sheet.merge_cells("A3:B3")
    sheet["C3"], sheet["D3"], sheet["E3"], sheet["F3"] = "合计", "基本支出", "执行率", "日期"
    sheet.append(["201", "一般公共服务支出", 1727.58, 0, 0.9659, dt.date(2024, 12, 31)])
    sheet.append(["20101", "人大事务", 0.1 + 0.2, None, 1, None])
    sheet.append(["20102", "政协事务", "0.00", "", 0.5, None])
    for row in (4, 5, 6):
        sheet.cell(row, 5).number_format = "0.00%"
    hidden = book.create_sheet("隐藏")
    hidden["A1"] = 1
    hidden.sheet_state = "hidden"
    offset = book.create_sheet("支出决算表")
    offset["C5"], offset["D5"] = "科目名称", "决算数"
    offset["C6"], offset["D6"] = "人大事务", 12


def test_blank_stays_blank_zero_stays_zero_numbers_as_shown():
    document = read_xlsx(_workbook_bytes(_values), "made.xlsx")
    table = document.tables[0]
    assert (table.title, table.unit, table.header_rows, table.locator) == ("收入决算表", "万元", 1, "sheet 收入决算表")
    texts = [[cell.text for cell in row] for row in table.rows]
    assert texts[0] == ["项目", "", "合计", "基本支出", "执行率", "日期"]  # merged header: text once
    assert texts[1] == ["201", "一般公共服务支出", "1727.58", "0", "96.59%", "2024-12-31"]
    assert texts[2] == ["20101", "人大事务", "0.3", "", "100.00%", ""]
    assert texts[3] == ["20102", "政协事务", "0.00", "", "50.00%", ""]
    assert table.rows[1][2].locator == "sheet 收入决算表!C4"


def test_hidden_sheets_are_skipped_with_a_warning_and_offsets_kept():
    document = read_xlsx(_workbook_bytes(_values), "made.xlsx")
    assert [t.title for t in document.tables] == ["收入决算表", "支出决算表"]
    assert document.warnings == ["sheet 隐藏 is hidden: not read"]
    offset = document.tables[1]
    assert [[c.locator for c in row] for row in offset.rows] == [
        ["sheet 支出决算表!C5", "sheet 支出决算表!D5"],
        ["sheet 支出决算表!C6", "sheet 支出决算表!D6"],
    ]


@pytest.mark.parametrize(
    ("value", "percent", "text"),
    [
        (0.0, None, "0"),
        (12, None, "12"),
        (1e-7, None, "0.0000001"),
        (True, None, "TRUE"),
        ("", None, ""),
        (0.12345, 1, "12.3%"),
        (dt.datetime(2024, 1, 2, 0, 0), None, "2024-01-02"),
    ],
)
def test_cell_text(value, percent, text):
    assert cell_text(value, percent) == text


def test_same_function_lines_as_the_pdf(renderings):
    from ingest.parse.passes import extract_document
    from ingest.parse.readers import READERS
    from tests.formats.make_fixtures import SHANGHAI_FINAL

    def lines(data: bytes, name: str):
        fmt = "pdf" if name.endswith(".pdf") else "xlsx"
        extraction = extract_document(READERS[fmt](data, name), "shanghai")
        return [
            (f.code, f.amount, f.basic_amount, f.project_amount)
            for f in extraction.function_lines
            if f.basis == "general_budget" and f.statement != "narrative"
        ]

    from_pdf = lines(SHANGHAI_FINAL.read_bytes(), SHANGHAI_FINAL.name)
    assert from_pdf
    assert lines(renderings["xlsx"].read_bytes(), renderings["xlsx"].name) == from_pdf


def test_a_banner_above_the_title_is_kept_as_a_line():
    def build(book):
        sheet = book.active
        sheet["A1"] = "某局2024年度部门决算"
        sheet.merge_cells("A1:C1")
        sheet["A2"], sheet["C3"] = "收入决算表", "单位：元"
        sheet.append(["科目名称", "合计", "基本支出"])
        sheet.append(["人大事务", 3, 0])

    document = read_xlsx(_workbook_bytes(build), "banner.xlsx")
    table = document.tables[0]
    assert (table.title, table.unit, table.header_rows) == ("收入决算表", "元", 1)
    assert [line.text for line in document.lines] == ["某局2024年度部门决算", "收入决算表", "单位：元"]


def test_a_traditional_workbook_reads_as_the_simplified_one(tmp_path, shanghai_pdf_tables):
    from dataclasses import replace

    from opencc import OpenCC

    from tests.formats.make_fixtures import write_shanghai_xlsx

    s2t = OpenCC("s2t").convert
    simplified = [t for t in shanghai_pdf_tables if "基本支出" in {c for row in t.rows for c in row}][:1]
    traditional = [
        replace(t, title=s2t(t.title), unit=s2t(t.unit), rows=[[s2t(c) for c in row] for row in t.rows])
        for t in simplified
    ]
    write_shanghai_xlsx(tmp_path / "s.xlsx", simplified)
    write_shanghai_xlsx(tmp_path / "t.xlsx", traditional)
    plain = read_xlsx((tmp_path / "s.xlsx").read_bytes(), "s.xlsx").tables[0]
    converted_document = read_xlsx((tmp_path / "t.xlsx").read_bytes(), "t.xlsx")
    converted = converted_document.tables[0]
    assert converted.title != traditional[0].title and (converted.title, converted.unit) == (plain.title, plain.unit)
    assert [[c.text for c in row] for row in converted.rows] == [[c.text for c in row] for row in plain.rows]
    assert converted.locator == f"sheet {traditional[0].title}"  # locators keep the printed sheet name
    assert any("Traditional" in warning for warning in converted_document.warnings)
