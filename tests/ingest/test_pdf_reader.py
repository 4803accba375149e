"""The PDF reader: lines in reading order, tables by their rules, provenance by page, refusals.

Inputs are the shipped PDFs (samples/) and three synthetic ones (tests/fixtures/pdf/); each PDF
is read once per module. Expected texts and figures were read off the pages by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_file
from ingest.readers.pdf import PdfRefused, read_pdf
from tests.conftest import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
FINANCE_2024 = "shanghai/上海市普陀区财政局2024年度部门决算.pdf"
PLANNING_2024 = "shanghai/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf"
WANLI_2025 = "shanghai/普陀区万里街道2025部门预算.pdf"
JIANGSU_TABLES = "jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开表格.pdf"
JIANGSU_NUMBERED = "jiangsu/江苏省人大办公厅__江苏省人大常委会办公厅2019年部门预算公开表.pdf"


@pytest.fixture(scope="module")
def read():
    cache: dict[str, object] = {}

    def read_one(relative: str):
        if relative not in cache:
            cache[relative] = read_pdf((SAMPLES / relative).read_bytes(), relative)
        return cache[relative]

    return read_one


def table(document, title_part: str):
    return next(t for t in document.tables if title_part in t.title)


def row_texts(tab, first_cell: str) -> list[str]:
    """The texts of the first data row whose code or name cells start with ``first_cell``."""
    for row in tab.rows[tab.header_rows :]:
        texts = [c.text for c in row]
        if " ".join(t for t in texts if t).startswith(first_cell):
            return [t for t in texts if t]
    raise AssertionError(f"no row {first_cell!r} in {tab.title}")


# -- running text -----------------------------------------------------------------------


def test_numbers_in_another_font_stay_in_their_sentence(read):
    text = read(FINANCE_2024).text
    assert "2024年度收入支出总计2995.39万元" in text
    assert "年初预算为1560.05万元，支出决算为1511.89万元" in text


def test_lines_are_located_by_page_and_line(read):
    line = next(line for line in read(FINANCE_2024).lines if "收入支出总计2995.39万元" in line.text)
    assert line.locator == "p.21 l.4"


def test_wrapped_paragraph_lines_are_joined_and_headings_stay_alone(read):
    lines = [line.text for line in read(FINANCE_2024).lines]
    assert "（二）政府采购支出情况" in lines
    # the 职能 paragraph mentions 国有资产 on a wrapped line: it is no heading of its own
    assert not any(text.startswith("（五）拟订和组织实施本区行政事业单位国有资产") and len(text) < 40 for text in lines)


def test_page_numbers_are_not_glued_to_the_text(read):
    document = read("jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开文件.pdf")
    assert "收、支预算总计各增加3205.79万元，增长13.11%" in document.text.replace("\n", "")


def test_page_numbers_between_box_drawing_dashes_are_dropped(read):
    # 江苏省人大常委会 2019 p.15 ends "…公务接待费支出384.75万元，占", p.16 opens "─ 14 ─" (U+2500) then
    # "“三公”经费的50.12%。具体情况如下：1．因公出国（境）费…"
    text = read("jiangsu/江苏省人大办公厅__江苏省人大常委会2019年度部门预算公开.pdf").text.replace("\n", "")
    assert "公务接待费支出384.75万元，占“三公”经费的50.12%" in text
    assert "─" not in text


def test_table_rows_are_not_running_text(read):
    assert "一般行政管理事务 | 10.00" not in read(FINANCE_2024).text
    assert not any(line.text.startswith("201 06 01") for line in read(FINANCE_2024).lines)


# -- tables -----------------------------------------------------------------------------


def test_title_and_unit_come_from_the_lines_above_the_table(read):
    tab = table(read(FINANCE_2024), "一般公共预算财政拨款支出决算表")
    assert (tab.title, tab.unit, tab.locator) == ("一般公共预算财政拨款支出决算表", "万元", "p.15")


def test_split_codes_sit_in_their_own_columns(read):
    tab = table(read(FINANCE_2024), "一般公共预算财政拨款支出决算表")
    assert row_texts(tab, "208 05 05") == ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75"]


def test_a_name_wrapped_in_its_cell_reads_as_one(read):
    tab = table(read(PLANNING_2024), "一般公共预算财政拨款支出决算表")
    assert row_texts(tab, "2080505") == ["2080505", "机关事业单位基本养老保险缴费支出", "446.11", "446.11", "0.00"]


def test_cells_carry_page_row_and_column(read):
    tab = table(read(FINANCE_2024), "一般公共预算财政拨款支出决算表")
    row = next(r for r in tab.rows if r[0].text == "221" and r[2].text == "03")
    assert [c.locator for c in row[3:5]] == ["p.15 r.23 c.4", "p.15 r.23 c.5"]


def test_a_table_continued_without_its_header_is_joined(read):
    tab = table(read(FINANCE_2024), "收入决算表")
    assert tab.locator == "p.8-9"
    assert row_texts(tab, "221 02 03") == ["221", "02", "03", "购房补贴", "258.50", "258.50"]
    assert tab.rows[-1][0].locator == "p.9 r.5 c.1"


def test_a_repeated_header_on_the_next_page_is_dropped(read):
    tab = table(read(WANLI_2025), "一般公共预算支出功能分类预算表")
    assert tab.locator == "p.20-24"
    headers = [r for r in tab.rows if any(c.text == "功能分类科目名称" for c in r)]
    assert len(headers) == 1
    assert row_texts(tab, "合计") == ["合计", "189,767,551", "101,341,746", "88,425,805"]


def test_a_table_in_yuan_says_so(read):
    assert table(read(WANLI_2025), "收入预算总表").unit == "元"
    assert table(read(WANLI_2025), "三公").unit == "万元"  # the one table of that budget in 万元


def test_merged_header_cells_keep_their_text_once(read):
    tab = table(read(FINANCE_2024), "三公")
    assert [c.text for c in tab.rows[1]][:5] == ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费"]
    assert [c.text for c in tab.rows[-1]] == ["0.95"] + [""] * 9 + ["0.95", ""]


def test_a_rotated_page_reads_upright(read):
    tab = table(read(JIANGSU_TABLES), "收支预算总表")
    assert tab.title == "收支预算总表" and tab.unit == "万元"
    assert row_texts(tab, "一、财政拨款")[:4] == ["一、财政拨款", "27,664.22", "一、一般公共服务支出", "22,395.50"]


def test_a_table_number_beside_the_title_is_not_the_title(read):
    titles = [t.title for t in read(JIANGSU_NUMBERED).tables]
    assert titles[:2] == ["收支预算总表", "收入预算总表"]


def test_an_empty_table_is_marked(read):
    document = read(FINANCE_2024)
    assert table(document, "政府性基金预算财政拨款收入支出决算表").is_empty
    assert not table(document, "一般公共预算财政拨款支出决算表").is_empty


def test_a_border_drawn_in_pieces_still_separates_rows(read):
    tab = table(read("jiangsu/江苏省人民检察院__2019年度部门预算公开.pdf"), "一般公共预算基本支出预算表")
    assert row_texts(tab, "302") == ["302", "商品和服务支出", "2,391.92"]
    assert row_texts(tab, "30201") == ["30201", "办公费", "158.00"]


# -- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("scanned.pdf", "no text layer: scanned PDF"),
        ("encrypted.pdf", "encrypted PDF: a password is needed"),
        ("truncated.pdf", "damaged PDF"),
    ],
)
def test_unreadable_pdfs_are_refused_with_a_reason(name, reason):
    with pytest.raises(PdfRefused, match=reason):
        read_pdf((FIXTURES / name).read_bytes(), name)


def test_the_pipeline_rejects_them_and_goes_on():
    data = (FIXTURES / "scanned.pdf").read_bytes()
    row, extraction = ingest_file(data, "scanned.pdf", "0" * 64, len(data))
    assert (row.status, extraction) == ("rejected", None)
    assert row.reason == "could not be read: PdfRefused: no text layer: scanned PDF (pages are images), OCR would be needed"


def test_a_pdf_cut_in_half_never_crashes_the_build():
    data = (SAMPLES / WANLI_2025).read_bytes()
    half = data[: len(data) // 2]
    row, _ = ingest_file(half, "half.pdf", "1" * 64, len(half))
    assert row.status in ("parsed", "warned", "rejected")
