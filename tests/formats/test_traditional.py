"""Traditional characters are converted to Simplified only when the text really is Traditional."""

from __future__ import annotations

from opencc import OpenCC

from ingest.parse.readers.script import is_traditional, script_counts
from ingest.parse.readers.text import read_text
from tests.conftest import SICHUAN


def test_simplified_sample_has_no_traditional_only_characters():
    traditional, simplified = script_counts(SICHUAN.read_text(encoding="utf-8"))
    assert traditional == 0 and simplified > 1000
    assert not is_traditional(SICHUAN.read_text(encoding="utf-8"))


def test_the_same_text_in_traditional_is_detected_and_converted_back():
    text = SICHUAN.read_text(encoding="utf-8")
    traditional = OpenCC("s2t").convert(text)
    assert is_traditional(traditional)
    original = read_text(SICHUAN.read_bytes(), "a.txt")
    converted = read_text(traditional.encode("utf-8"), "a.txt")
    assert [(line.text, line.locator) for line in converted.lines] == [
        (line.text, line.locator) for line in original.lines
    ]
    assert converted.tables[0].title == original.tables[0].title
    assert converted.warnings and "Traditional" in converted.warnings[0]


def test_a_simplified_report_naming_one_old_form_is_left_alone():
    text = "乾县财政局2024年度部门决算：收、支总计均为1,727.58万元。" * 3
    document = read_text(text.encode("utf-8"), "b.txt")
    assert document.lines[0].text.startswith("乾县") and document.warnings == []
