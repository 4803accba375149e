"""Runs of digits and code-like numbers never become amounts, whatever reader they come through.

A budget table whose text layer lost its line breaks can glue codes and amounts into one run
("357998080220603021"); a number column (行次/栏次) beside amounts counts 1, 2, 3 …. Neither is
money. Every reader below gets the same tiny disclosure with such runs in its narrative and in a
table cell: the run is a warning with its quote (kind ``implausible_amount``), never a figure, and
the document's real figures still come through.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from ingest.parse.amounts import max_plausible_wan
from ingest.parse.outcome import ingest_file

RUN = "357998080220603021"  # 18 digits: codes of a table run together (seen in a budget of another city)
TITLE = "某某市某某局2026年部门预算"
HEADING = "二、部门预算编制说明"
SENTENCE = f"2026年收入预算{RUN}万元，支出预算120.00万元。"
TABLE_ROWS = [
    ["科目编码", "科目名称", "合计"],
    ["", "合计", "120.00"],
    ["201", "一般公共服务支出", RUN],
    ["205", "教育支出", "120.00"],
]


def _text() -> bytes:
    return f"{TITLE}\n{HEADING}\n{SENTENCE}\n".encode()


def _html() -> bytes:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TABLE_ROWS)
    return (
        f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><h2>{HEADING}</h2><p>{SENTENCE}</p>"
        f"<p>一般公共预算支出表</p><p>单位：万元</p><table>{cells}</table></body></html>"
    ).encode()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(HEADING)
    document.add_paragraph(SENTENCE)
    document.add_paragraph("一般公共预算支出表")
    document.add_paragraph("单位：万元")
    table = document.add_table(rows=len(TABLE_ROWS), cols=3)
    for r, row in enumerate(TABLE_ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "一般公共预算支出表"
    sheet.append(["一般公共预算支出表"])
    sheet.append(["单位：万元"])
    for row in TABLE_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, make",
    [
        ("t.txt", _text),
        ("t.html", _html),
        ("t.docx", _docx),
        ("t.xlsx", _xlsx),
    ],
    ids=["text", "html", "docx", "xlsx"],
)
def test_a_run_of_digits_is_a_warning_never_a_figure(name, make):
    data = make()
    row, extraction = ingest_file(data, name, "0" * 64, len(data))
    assert extraction is not None, row.reason
    values = [f.value for f in extraction.figures if f.value is not None] + [
        line.amount for line in extraction.function_lines
    ]
    assert all(abs(v) < max_plausible_wan() for v in values)
    assert not any(str(v).startswith("3579980802") for v in values)
    implausible = [w for w in extraction.warnings if w.kind == "implausible_amount"]
    assert implausible and all(RUN in w.message for w in implausible)


def test_the_tables_other_lines_are_still_read():
    data = _html()
    _, extraction = ingest_file(data, "t.html", "0" * 64, len(data))
    lines = {line.code: line.amount for line in extraction.function_lines}
    assert lines == {"205": Decimal("120.00")}  # 201's run is no line; 205 is
