"""Every code the shipped PDFs print beside a name is in the reference, under that name (#3).

The pages are scanned as text, tables the extractors do not read included (江苏's 财政拨款支出
预算表, 机关运行经费 tables), so the reference is checked against all that the samples print,
not only against what reaches the warehouse. ``tools/scan_printed_codes.py`` runs the same scan
and prints what is missing, with the files and fiscal years, to extend the seeds by.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pypdfium2 as pdfium
from rapidfuzz import fuzz

from ingest.parse.classification import FUZZY_THRESHOLD, economic_rows, function_aliases, function_reference, name_key
from ingest.parse.document import Document, Line
from ingest.parse.extractors.identity import identify
from tests.conftest import SAMPLES

# a code (whole, or split "301 02" / "208 05 05") followed by a Chinese name and then by the end of
# the line or the next cell's number, as in a table row. A count followed by its measure word
# ("200 万元", "300 家次", "207 台（套）", "259 辆", "315 千伏安") or a number before a note ("284 按期据实结算")
# is no code; a sentence of the narrative ("355 长沙信访官网官微正常运行，且…") is no table row.
CODE_AND_NAME = re.compile(
    r"(?<![\d.,])(?P<class>[23]\d{2})(?:\s?(?P<kuan>\d{2}))?(?:\s?(?P<item>\d{2}))?\s+"
    r"(?P<name>(?![万元亿名多个人家台辆条次项套按千])[\u4e00-\u9fff][\u4e00-\u9fff（）()、\s]*[\u4e00-\u9fff）)])"
    r"(?=\s*$|\s+[\d\-])"
)
IDENTITY_PAGES = 3  # the cover and first pages name the department and the fiscal year
# pages that print codes of their own numbering, read by hand:
OWN_NUMBERING_PAGES = {
    # its 302/303 款 numbered 01, 02 … in order (302 03 水费 is 30205), and local items under 302
    ("普陀区社会福利院2024单位预算.pdf", 14),
    # "30208 物业管理费" right under "30208 取暖费" (物业管理费 is 30209) and "30213 维护（护）费"
    ("2026-长春市信访局（本级）-部门预算.pdf", 11),
}


def official_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for code, row in function_reference().items():
        names[code].add(row.name)
    for alias in function_aliases():
        names[alias.code].add(alias.alias)
    for row in economic_rows():  # every year's name: a 2017 table prints the names of its year
        names[row.code].add(row.name)
    return names


def document_identity(pdf: pdfium.PdfDocument, relative: str):
    """Department and fiscal year as ingest reads them, from the first pages' text."""
    lines = [
        Line(text, f"p.{number}")
        for number in range(1, min(IDENTITY_PAGES, len(pdf)) + 1)
        for text in pdf[number - 1].get_textpage().get_text_range().splitlines()
        if text.strip()
    ]
    return identify(Document(relative, "pdf", lines=lines), "scan")


def printed_pairs(samples: Path = SAMPLES):
    """(file name, page, code, name as printed, fiscal year) of every code printed beside a name,
    except a department's own code before its own name (无锡's 收入总表: "305 无锡市教育局")."""
    for path in sorted(samples.rglob("*.pdf")):
        pdf = pdfium.PdfDocument(str(path))
        try:
            identity = document_identity(pdf, path.relative_to(samples).as_posix())
            department = name_key(identity.department_name or "") or None
            for number, page in enumerate(pdf, start=1):
                for line in page.get_textpage().get_text_range().splitlines():
                    for m in CODE_AND_NAME.finditer(line):
                        code = "".join(part for part in m.group("class", "kuan", "item") if part)
                        name = re.sub(r"\s", "", m.group("name"))
                        if department and (
                            department.startswith(name_key(name)) or name_key(name).startswith(department)
                        ):
                            continue
                        yield path.name, number, code, name, identity.fiscal_year
        finally:
            pdf.close()


def same_name(printed: str, official: str) -> bool:
    # a name cut by the end of its cell, or followed by the next cell's words, still names the code;
    # so does one the matcher reads as that code's name (a slip of one character: 对个人和家庭补助)
    a, b = name_key(printed), name_key(official)
    return a == b or a.startswith(b) or b.startswith(a) or fuzz.ratio(a, b) >= FUZZY_THRESHOLD


def is_local_economic_item(code: str, names: dict[str, set[str]]) -> bool:
    """A 7-digit 经济分类 code: the national list stops at 款, so it is a local sub-item of a known 款
    (重庆: 3010201 规范性津补贴 under 30102 津贴补贴), counted under that 款, never a reference row."""
    return code.startswith("3") and len(code) == 7 and code[:5] in names


def test_every_printed_code_is_known_under_its_printed_name():
    names = official_names()
    pairs = list(printed_pairs())
    assert len(pairs) > 2500  # the scan reads what the samples print (11,212 pairs of 552 codes on 2026-11-29)
    unknown = {
        (f, p, code, name)
        for f, p, code, name, _ in pairs
        if code not in names and not is_local_economic_item(code, names)
    }
    renamed = {
        (f, p, code, name)
        for f, p, code, name, _ in pairs
        if code in names and not any(same_name(name, official) for official in names[code])
    }
    assert {(f, p) for f, p, *_ in unknown | renamed} == OWN_NUMBERING_PAGES
    # there, 302 10 车辆运行费 is no code of the national list; 302 06 is 电费, not 办公设备购置费
    assert ("30210", "车辆运行费") in {(code, name) for *_, code, name in unknown}
    assert ("30206", "办公设备购置费") in {(code, name) for *_, code, name in renamed}
    assert ("30208", "物业管理费") in {(code, name) for *_, code, name in renamed}


def test_local_economic_items_lie_under_a_known_kuan():
    """重庆 prints 7-digit sub-items of 经济分类 款 (3010201 规范性津补贴, 2026-中共重庆市委宣传部 p.19):
    kept out of the reference, their 款 in it."""
    names = official_names()
    local = {(code, name) for _, _, code, name, _ in printed_pairs() if code.startswith("3") and len(code) == 7}
    assert ("3010201", "规范性津补贴") in local
    assert all(code[:5] in names for code, _ in local)
