"""Whatever the format, the same disclosure gives the same figures; only the locators differ.

The Sichuan 2023 决算 as the text dump that ships in samples/, and rendered as a Word .docx with
real tables, as GBK text, as Traditional-character text and as a portal .html page.
"""

from __future__ import annotations

import re

import pytest

SICHUAN_KINDS = ("text", "docx", "gbk", "traditional", "html")
LOCATORS = {
    "text": r"line \d+",
    "gbk": r"line \d+",
    "traditional": r"line \d+",
    "docx": r"para \d+|table \d+ r\d+c\d+",
    "html": r"title|body|[a-z][a-z0-9]*\[\d+\](?: r\d+c\d+)?",
}


@pytest.fixture(scope="module")
def extractions(renderings):
    from ingest.parse.passes import extract_document
    from ingest.parse.readers import READERS
    from ingest.parse.readers.detect import detect_format

    result = {}
    for kind in SICHUAN_KINDS:
        path = renderings[kind]
        data = path.read_bytes()
        document = READERS[detect_format(data, path.name)](data, "sichuan/" + path.name)
        result[kind] = (document, extract_document(document, "sichuan"))
    return result


def figures(extraction):
    return [(f.metric, f.qualifier, f.measure, f.value) for f in extraction.figures]


def function_lines(extraction):
    return [(f.code, f.amount) for f in extraction.function_lines]


def projects(extraction):
    return [
        (
            p.project_no,
            p.project_code,
            p.project_name,
            p.competent_department,
            p.implementing_unit,
            p.initial_budget,
            p.adjusted_budget,
            p.executed,
            p.execution_rate,
            p.weight,
            p.budget_score,
            p.self_score,
        )
        for p in extraction.projects
    ]


def indicators(extraction):
    return [
        (
            i.project_no,
            i.indicator_no,
            i.level1,
            i.level2,
            i.level3,
            i.operator,
            i.target,
            i.unit,
            i.actual,
            i.weight,
            i.score,
        )
        for i in extraction.indicators
    ]


def test_the_text_sample_has_something_to_compare(extractions):
    _, text = extractions["text"]
    assert figures(text) and function_lines(text) and projects(text) and indicators(text)


@pytest.mark.parametrize("kind", [k for k in SICHUAN_KINDS if k != "text"])
@pytest.mark.parametrize("records", [figures, function_lines, projects, indicators], ids=lambda f: f.__name__)
def test_same_records_as_the_text(extractions, kind, records):
    assert records(extractions[kind][1]) == records(extractions["text"][1])


@pytest.mark.parametrize("kind", SICHUAN_KINDS)
def test_every_locator_is_in_the_format_s_terms(extractions, kind):
    document, extraction = extractions[kind]
    pattern = re.compile(LOCATORS[kind])
    records = extraction.figures + extraction.function_lines + extraction.projects + extraction.indicators
    assert records
    for record in records:
        assert pattern.fullmatch(record.locator), (kind, record.locator)
    for line in document.lines:
        assert pattern.fullmatch(line.locator), (kind, line.locator)


def test_indicators_point_at_word_table_rows(extractions):
    _, docx = extractions["docx"]
    assert all(re.fullmatch(r"table \d+ r\d+c1", i.locator) for i in docx.indicators)
    assert len({i.locator.split(" r")[0] for i in docx.indicators}) == len(docx.projects)  # one Word table each


def test_text_renderings_keep_the_line_numbers(extractions):
    """GBK and Traditional text are the same lines: the same locators as the UTF-8 text."""
    expected = [f.locator for f in extractions["text"][1].figures]
    for kind in ("gbk", "traditional"):
        assert [f.locator for f in extractions[kind][1].figures] == expected


def test_reader_warnings_say_what_was_done(extractions):
    assert extractions["text"][0].warnings == []
    assert any(w.startswith("encoding: decoded as GB18030") for w in extractions["gbk"][0].warnings)
    assert any(w.startswith("script: printed in Traditional") for w in extractions["traditional"][0].warnings)
    reader_warnings = [w.message for w in extractions["traditional"][1].warnings if w.kind == "reader"]
    assert any("Traditional" in message for message in reader_warnings)


def test_html_identity_comes_from_the_publisher_block(extractions):
    document, html = extractions["html"]
    publisher = next(line for line in document.lines if line.text.startswith("发布机构："))
    assert html.identity.department_name == publisher.text.split("：", 1)[1]
    assert html.identity.identity_locator == publisher.locator
    assert html.identity.department_name == extractions["text"][1].identity.department_name
    assert html.identity.fiscal_year == extractions["text"][1].identity.fiscal_year


def test_page_chrome_is_not_read(extractions):
    document, _ = extractions["html"]
    text = document.text
    assert "不应读到的脚本文字" not in text and "版权所有" not in text and "政务公开" not in text
