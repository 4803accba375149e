"""Every code the shipped PDFs print beside a name is in the reference, under that name (#3).

The pages are scanned as text, tables the extractors do not read included (江苏's 财政拨款支出
预算表, 机关运行经费 tables), so the reference is checked against all that the samples print,
not only against what reaches the warehouse.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pypdfium2 as pdfium

from ingest.classification import economic_rows, function_aliases, function_reference, name_key
from tests.conftest import SAMPLES

# a code (whole, or split "301 02" / "208 05 05") followed by a Chinese name; an amount followed
# by its unit ("200 万元") is no code
CODE_AND_NAME = re.compile(
    r"(?<![\d.,])(?P<class>[23]\d{2})(?:\s?(?P<kuan>\d{2}))?(?:\s?(?P<item>\d{2}))?\s+"
    r"(?P<name>(?![万元亿名多个人])[\u4e00-\u9fff][\u4e00-\u9fff（）()、\s]*[\u4e00-\u9fff）)])"
)
# the one table of the samples that numbers its 款 its own way, read by hand
OWN_NUMBERING_PAGE = ("普陀区社会福利院2024单位预算.pdf", 14)


def official_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for code, row in function_reference().items():
        names[code].add(row.name)
    for alias in function_aliases():
        names[alias.code].add(alias.alias)
    for row in economic_rows():  # every year's name: a 2017 table prints the names of its year
        names[row.code].add(row.name)
    return names


def printed_pairs():
    for path in sorted(SAMPLES.rglob("*.pdf")):
        pdf = pdfium.PdfDocument(str(path))
        try:
            for number, page in enumerate(pdf, start=1):
                for line in page.get_textpage().get_text_range().splitlines():
                    for m in CODE_AND_NAME.finditer(line):
                        code = "".join(part for part in m.group("class", "kuan", "item") if part)
                        yield path.name, number, code, re.sub(r"\s", "", m.group("name"))
        finally:
            pdf.close()


def same_name(printed: str, official: str) -> bool:
    # a name cut by the end of its cell, or followed by the next cell's words, still names the code
    a, b = name_key(printed), name_key(official)
    return a == b or a.startswith(b) or b.startswith(a)


def test_every_printed_code_is_known_under_its_printed_name():
    names = official_names()
    pairs = list(printed_pairs())
    assert len(pairs) > 2500  # the scan reads what the samples print (2,967 pairs of 194 codes on 2026-11-29)
    unknown = {(f, p, code, name) for f, p, code, name in pairs if code not in names}
    renamed = {
        (f, p, code, name) for f, p, code, name in pairs
        if code in names and not any(same_name(name, official) for official in names[code])
    }
    assert {(f, p) for f, p, *_ in unknown | renamed} == {OWN_NUMBERING_PAGE}
    # there, 302 10 车辆运行费 is no code of the national list; 302 06 is 电费, not 办公设备购置费
    assert ("30210", "车辆运行费") in {(code, name) for *_, code, name in unknown}
    assert ("30206", "办公设备购置费") in {(code, name) for *_, code, name in renamed}
