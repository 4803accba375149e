"""Parsing's fast paths give what the plain code they stand for gives (issue #22: speed, no change).

Each shortcut taken for speed (a prefilter, an index, a number remembered, a common case tested
first) is held here to a plain reference, the code it replaced, over real document text (the
synthetic corpus's documents and their clauses), edge cases written by hand, and random inputs
built to hit the shortcut's boundary. The seeds of the synthetic corpus and of samples/ are the
same bytes before and after (bench/profile_parse.txt); these tests keep each piece so.
"""

from __future__ import annotations

import random
import re
import sys
from decimal import Decimal, InvalidOperation

import pytest
from rapidfuzz import fuzz

from ingest.parse import amounts, classification
from ingest.parse.document import Cell, Line, Table
from ingest.parse.extractors import clauses, identity, narrative, table_grid
from ingest.parse.extractors.passages import Passage, whole_text
from ingest.parse.readers import pdf, script
from ingest.parse.readers.pdf import Glyph
from ingest.parse.readers.text import read_text
from tools.synthetic.corpus import department_year
from tools.synthetic.text import render_text

WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


@pytest.fixture(scope="module")
def documents():
    """Twelve synthetic documents (three departments, four years), read."""
    return [
        read_text(render_text(department_year(index, year, 7)).encode("utf-8"), f"{index}-{year}.txt")
        for index in range(3)
        for year in (2021, 2022, 2023, 2024)
    ]


@pytest.fixture(scope="module")
def texts(documents):
    """Every line and every clause of those documents."""
    lines = [line.text for document in documents for line in document.lines]
    found = list(lines)
    for text in lines:
        for _, sentence in clauses.sentences(text):
            found += [clause for _, clause in clauses.clauses(sentence, "、")]
    return found


def _random_texts(alphabet: list[str], count: int, longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


# -- whitespace removed without a regular expression ---------------------------------------------


def test_whitespace_is_what_the_regular_expression_calls_whitespace():
    assert len(WHITESPACE) == 29  # every code point str.split splits on
    assert re.sub(r"\s", "", WHITESPACE) == ""
    for text in ["a b", " 部 门：\u3000财政局\xa0 ", "\t1\n2\r3\x1c4\x85", WHITESPACE + "x" + WHITESPACE, ""]:
        assert table_grid.squash(text) == re.sub(r"\s+", "", text)
        assert identity._without_spaces(text) == re.sub(r"\s+", "", text)


# -- keywords found through one joined pattern ----------------------------------------------------


def _find_subject_plainly(clause: str, keywords: clauses.Keywords):
    best = None
    for pattern, subject in keywords.pairs:
        m = next((m for m in re.finditer(pattern, clause) if not clauses.HEADING_AFTER_RE.match(clause, m.end())), None)
        if m and (best is None or (m.start(), -len(m.group())) < (best[0], -best[1])):
            best = (m.start(), len(m.group()), subject)
    return best[2] if best else None


def _last_subject_plainly(text: str, keywords: clauses.Keywords):
    found = sorted(
        ((m.start(), -len(m.group()), m.end(), s) for p, s in keywords.pairs for m in re.finditer(p, text)),
        key=lambda f: (f[0], f[1]),
    )
    last, end = None, -1
    for start, _, stop, candidate in found:
        if start >= end and stop > start:
            last, end = candidate, stop
    return last


def test_every_section_s_keywords_join_into_one_pattern():
    assert narrative.SECTION_SUBJECTS
    assert all(keywords.any_of is not None for keywords in narrative.SECTION_SUBJECTS.values())


def test_keywords_that_cannot_be_joined_are_searched_one_by_one():
    joined_badly = clauses.keywords([("(?P<a>甲)", clauses.Subject("x")), ("(?P<a>乙)", clauses.Subject("y"))])
    assert joined_badly.any_of is None  # a group named twice
    assert not clauses.names_none("乙", joined_badly)
    assert clauses.find_subject("丙乙", joined_badly) == clauses.Subject("y")
    assert clauses.names_none("任何", clauses.keywords([]))


def test_subjects_are_found_as_pattern_by_pattern(texts):
    words = list("三公经费公务接待用车购置运行收支总计本年收入支出合计基本项目人员货物工程服务设备情况表预算决算") + [
        " "
    ]
    samples = texts + _random_texts(words, 3000, 16, seed=1)
    for keywords in narrative.SECTION_SUBJECTS.values():
        for text in samples:
            assert clauses.find_subject(text, keywords) == _find_subject_plainly(text, keywords), text
            assert narrative._last_subject.__wrapped__(text, keywords) == _last_subject_plainly(text, keywords), text


# -- sentences quoted from their ends, found once ---------------------------------------------------


def _quote_plainly(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in "。；") + 1
    right = min([r for r in (text.find(mark, end) for mark in "。；") if r >= 0] or [len(text)])
    return text[left : right + 1].strip()


def test_quotes_are_the_sentences_around_the_figures():
    rng = random.Random(2)
    for text in _random_texts(list("。；，ab 1"), 400, 40, seed=3) + ["", "。", "无标点"]:
        passage = Passage(text)
        for _ in range(20):
            start = rng.randint(0, len(text) + 1)
            end = rng.randint(start, len(text) + 2)
            assert passage.quote(start, end) == _quote_plainly(text, start, end)
    growing = Passage()
    growing.add(Line("甲。乙", "line 1"))
    assert growing.quote(2, 3) == "乙"
    growing.add(Line("丙；丁", "line 2"))  # the text changed: its sentence ends are found again
    assert growing.quote(2, 3) == "乙丙；"


def test_a_whole_text_is_the_lines_added_one_by_one(documents):
    for document in documents:
        added = Passage()
        for line in document.lines:
            added.add(line)
        joined = whole_text(document.lines)
        assert (joined.text, joined.starts, joined.locators) == (added.text, added.starts, added.locators)


# -- 类/款/项 paths searched near their （类） --------------------------------------------------------


def test_item_paths_are_those_the_pattern_finds_anywhere(documents):
    alphabet = list("社会保障和就业支出行政单位（）()、：:。，, 一二") + [
        "（类）",
        "（款）",
        "（项）",
        "支出决算",
        "（民族）",
    ]
    samples = _random_texts(alphabet, 4000, 150, seed=4)
    samples += [whole_text(document.lines).text for document in documents]
    samples += ["甲" * 290 + "（类）乙乙（款）丙丙（项）", "（一）" * 40 + "社会（类）保障（款）就业（项）"]
    for text in samples:
        assert [m.span() for m in narrative._item_paths(text)] == [
            m.span() for m in narrative.ITEM_PATH_RE.finditer(text)
        ]


# -- numbers: ASCII read without folding, and remembered ----------------------------------------------


def _parse_number_plainly(printed):
    if printed is None:
        return None
    cleaned = amounts.normalise_text(printed).strip().replace(" ", "")
    cleaned = cleaned.replace(",", "").replace("−", "-").rstrip("%")
    if cleaned in ("", "-", "--", "/", "—", "——"):
        return None
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def test_numbers_read_as_before():
    printed = ["1,727.58", " 12 ", "(3.5)", "−4", "１２３", "1\u3000000", "--", "/", "", "12%", "1.2.3", "0", "0.00"]
    printed += _random_texts(list("0123456789,.-()% １２，．\u3000\xa0−"), 3000, 8, seed=5)
    for text in printed + [None]:
        assert amounts.parse_number(text) == _parse_number_plainly(text), text
        assert amounts.parse_number(text) == _parse_number_plainly(text), text  # remembered: the same answer


# -- table rows: column-number rows settled by their first word ----------------------------------------


def _is_column_number_row_plainly(texts: list[str]) -> bool:
    numbers, others = [], 0
    for text in (re.sub(r"\s+", "", t) for t in texts):
        if not text:
            continue
        value = int(text) if re.fullmatch(r"\d{1,3}", text) else None
        if value is not None:
            numbers.append(value)
        elif text in table_grid.COLUMN_NUMBER_FILLERS or set(text) <= {"*"}:
            continue
        else:
            others += 1
    squashed = [re.sub(r"\s+", "", t) for t in texts]
    fillers = any(s in table_grid.COLUMN_NUMBER_FILLERS or (s and set(s) <= {"*"}) for s in squashed)
    return (
        others == 0
        and len(numbers) >= (1 if fillers else table_grid.MIN_NUMBERED)
        and numbers[0] in (0, 1)
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    )


def test_column_number_rows_are_those_of_the_plain_rule():
    cells = ["", " ", "1", "2", "3", "0", "4", "**", "*", "栏次", "行次", "—", "合计", "12.5", "1 0", "１"]
    rng = random.Random(6)
    rows = [[rng.choice(cells) for _ in range(rng.randint(0, 6))] for _ in range(5000)]
    rows += [["栏次", "1", "2", "3"], ["", "1", "2"], ["**", "1"], ["1"], ["合计", "1", "2"], ["", "", ""]]
    for row in rows:
        assert table_grid.is_column_number_row(row) == _is_column_number_row_plainly(row), row


# -- PDF glyphs: lines, joins and the upright turn -----------------------------------------------------


def _group_lines_plainly(glyphs: list[Glyph]) -> list[list[Glyph]]:
    if not glyphs:
        return []
    ordered = sorted(glyphs, key=lambda g: g.cy)
    lines = [[ordered[0]]]
    band_top, band_bottom = ordered[0].top, ordered[0].bottom
    for glyph in ordered[1:]:
        line_middle = (band_top + band_bottom) / 2
        reach = 0.5 * max(band_bottom - band_top, glyph.size)
        if abs(glyph.cy - line_middle) <= reach * 0.8:
            lines[-1].append(glyph)
            band_top, band_bottom = min(band_top, glyph.top), max(band_bottom, glyph.bottom)
        else:
            lines.append([glyph])
            band_top, band_bottom = glyph.top, glyph.bottom
    return [sorted(line, key=lambda g: g.x0) for line in lines]


def _join_glyphs_plainly(glyphs: list[Glyph], space_gap: float = 0.8) -> str:
    parts, previous = [], None
    for glyph in glyphs:
        if previous is not None:
            gap = glyph.x0 - previous.x1
            size = max(previous.size, glyph.size, 1.0)
            if (
                gap > space_gap * size and not (pdf.CJK_RE.match(previous.text) or pdf.CJK_RE.match(glyph.text))
            ) or gap > 2.5 * size:
                parts.append(" ")
        parts.append(glyph.text)
        previous = glyph
    return "".join(parts)


def _random_glyphs(rng: random.Random) -> list[Glyph]:
    glyphs, x = [], rng.uniform(0, 50)
    for _ in range(rng.randint(0, 12)):
        size = rng.choice([0.5, 1.0, 9.0, 10.5, 12.0])
        top = rng.choice([100.0, 100.4, 103.0, 112.0, 125.0]) + rng.uniform(-1, 1)
        x += rng.choice([0.0, 0.3, 0.5, 0.8, 0.9, 2.0, 6.0, 30.0]) * rng.choice([1.0, 0.5])
        glyphs.append(Glyph(rng.choice("财政1A ,."), x, x + size * 0.9, top, top + size))
        x += size * 0.9
    return glyphs


def test_glyph_lines_and_their_text_are_those_of_the_plain_rules():
    rng = random.Random(7)
    for _ in range(5000):
        glyphs = _random_glyphs(rng)
        rng.shuffle(glyphs)
        assert pdf._group_lines(glyphs) == _group_lines_plainly(glyphs)
        line = sorted(glyphs, key=lambda g: g.x0)
        for space_gap in (0.5, 0.8, 3.0):
            assert pdf._join_glyphs(line, space_gap) == _join_glyphs_plainly(line, space_gap)
        # one band (a cell in one font): all glyphs share top and bottom, x0 ties kept in order
        band = [Glyph(g.text, round(g.x0), round(g.x0) + 1.0, 100.0, 110.0) for g in glyphs]
        assert pdf._group_lines(band) == _group_lines_plainly(band)
    flat = [Glyph("a", 1.0, 2.0, 5.0, 5.0), Glyph("b", 0.0, 1.0, 5.0, 5.0)]  # no height at all
    inverted = [Glyph("a", 1.0, 2.0, 9.0, 5.0), Glyph("b", 0.0, 1.0, 9.0, 5.0)]  # bottom above top
    for glyphs in (flat, inverted):
        assert pdf._group_lines(glyphs) == _group_lines_plainly(glyphs)


def test_the_upright_turn_is_the_general_one():
    rng = random.Random(8)
    general = pdf._display_transform(0, 595.0, 842.0)
    boxes = [
        (rng.uniform(-10, 600), rng.uniform(-10, 850), rng.uniform(-10, 600), rng.uniform(-10, 850))
        for _ in range(2000)
    ]
    boxes += [(1.0, 2.0, 1.0, 2.0), (5.0, 9.0, 3.0, 1.0), (float("nan"), 1.0, 2.0, float("nan"))]
    for left, bottom, right, top in boxes:
        xs, ys = (left, right), (842.0 - top, 842.0 - bottom)
        expected = (min(xs), min(ys), max(xs), max(ys))
        assert repr(general(left, bottom, right, top)) == repr(expected)  # repr: NaN where NaN was
    assert pdf._display_transform(90, 842.0, 595.0)(1.0, 2.0, 3.0, 4.0) == (2.0, 1.0, 4.0, 3.0)


# -- scripts: Traditional-only characters counted in one scan -----------------------------------------


def _is_traditional_plainly(text: str) -> bool:
    traditional, simplified = script.script_counts(text)
    return traditional >= script.MIN_TRADITIONAL and traditional >= script.DOMINANCE * simplified


def test_traditional_documents_are_told_as_before(documents):
    simplified = "\n".join(line.text for line in documents[0].lines)
    traditional = script._converter("s2t").convert(simplified)
    samples = [simplified, traditional, traditional[:40], "乾坤" * 20, simplified + traditional[:200], ""]
    for text in samples:
        assert script.is_traditional(text) == _is_traditional_plainly(text)
    assert script.is_traditional(traditional) and not script.is_traditional(simplified)


# -- fuzzy names: candidates too far behind left out before sorting --------------------------------


def _fuzzy_plainly(key: str, candidates) -> classification.CodeMatch:
    scored = sorted(
        ((fuzz.ratio(key, classification.name_key(row.name)), row) for row in candidates),
        key=lambda item: (-item[0], item[1].code),
    )
    if not scored or scored[0][0] < classification.FUZZY_THRESHOLD:
        return classification.UNRESOLVED
    best_score, best = scored[0]
    best_key = classification.name_key(best.name)
    same_name = [row for score, row in scored if classification.name_key(row.name) == best_key]
    if len(same_name) > 1:
        return classification.CodeMatch(
            None, None, None, "ambiguous", best_score, tuple(sorted(r.code for r in same_name))
        )
    runner_up = next((s for s, row in scored[1:] if classification.name_key(row.name) != best_key), 0.0)
    if best_score - runner_up < classification.FUZZY_MARGIN:
        return classification.UNRESOLVED
    return classification.CodeMatch(best.code, best.level, best.name, "fuzzy", float(best_score))


def test_fuzzy_matches_are_those_of_every_candidate_scored():
    reference = classification.function_reference()
    rng = random.Random(9)
    names = sorted({row.name for row in reference.values()})
    keys = []
    for name in rng.sample(names, 150):
        cut = rng.randrange(len(name))
        keys += [name, name[:cut] + name[cut + 1 :], name[:cut] + "的" + name[cut:], name + "支出", name[::-1]]
    keys += ["一般公共服务", "其他支出", "行政运行", "教育", "无关的文字"]
    outcomes = set()
    for parent, length, year in [
        (None, None, 2024),
        (None, 3, 2019),
        ("201", 5, 2024),
        ("208", 5, 2016),
        ("20101", 7, None),
    ]:
        rows = list(classification._candidates(reference, parent, length, year).rows)
        for key in keys:
            fast = classification._fuzzy(classification.name_key(key), rows)
            assert fast == _fuzzy_plainly(classification.name_key(key), rows), (key, parent)
            outcomes.add(fast.method)
    assert {"fuzzy", "unresolved"} <= outcomes  # both ways out were taken


# -- answers remembered: per table, per reference list ---------------------------------------------


def test_table_answers_are_remembered_per_table_and_handed_out_as_copies():
    def row(*texts):
        return [Cell(text, f"c{k}") for k, text in enumerate(texts)]

    table = Table(rows=[row("科目", "金额"), row("合计", "1.5")], locator="t", header_rows=1)
    labels = table_grid.column_labels(table)
    labels.append("changed by a caller")
    assert table_grid.column_labels(table) == ["科目", "金额"]
    rows = table_grid.data_rows(table)
    assert rows == [table.rows[1]] and rows[0] is table.rows[1]  # the table's own rows, as before
    rows.clear()
    assert table_grid.data_rows(table) == [table.rows[1]]
    layout = table_grid.function_layout(table)
    layout.money.clear()
    assert table_grid.function_layout(table).money == {"amount": 1}
    table.rows = table.rows + [row("一般公共服务支出", "2")]  # rows replaced: answers worked out again
    assert len(table_grid.data_rows(table)) == 2
    table.header_rows = 2
    assert table_grid.header_row_count(table) == 2 and len(table_grid.data_rows(table)) == 1


def test_resolutions_are_remembered_per_reference_list():
    reference = classification.function_reference()
    label = "一般公共服务支出（类）人大事务（款）行政运行（项）"
    first = classification.resolve_function(label, year=2024)
    assert first.code == "2010101" and classification.resolve_function(label, year=2024) is first
    renamed = dict(reference)
    renamed["2010101"] = classification.RefRow("2010101", "项", "改过的名称", "20101")
    other = classification._resolve(renamed, (), label, None, 2024, None, "function")
    assert other.code != "2010101"  # another list: its own answer, not the one remembered
    assert classification._resolve(renamed, (), label, None, 2024, None, "function") is other


def test_a_document_s_start_is_its_text_cut(documents):
    from ingest.parse.document import Document
    from ingest.parse.outcome import _text_start

    short = Document(
        "x.txt", "text", lines=[Line("甲" * 99, "line 1"), Line("乙" * 100, "line 2"), Line("丙", "line 3")]
    )
    for document in [*documents, short, Document("y.txt", "text")]:
        for length in (0, 1, 99, 100, 199, 200, 201, 5000):
            assert _text_start(document, length) == document.text[:length]


def test_tokens_remembered_per_clause_keep_their_offsets():
    first = clauses.tokens("本年收入合计8,216.02万元", 10)
    again = clauses.tokens("本年收入合计8,216.02万元", 100)
    assert [(t.measure, t.value, t.unit, t.printed, t.start) for t in first] == [
        ("amount", Decimal("8216.02"), "万元", "8,216.02", 16)
    ]
    assert [t.start for t in again] == [106] and again[0][:4] == first[0][:4]
    assert clauses.tokens("本年收入合计8,216.02万元") == [first[0]._replace(start=6)]
    assert clauses.tokens("减少56.95万元", 3)[0].value == Decimal("-56.95")  # a stated decrease


def test_traditional_only_characters_are_those_t2s_changes_alone():
    t2s = script._converter("t2s")
    every = [chr(c) for low, high in script.HAN_RANGES for c in range(low, high + 1)]
    changed = {ch for ch in every if t2s.convert(ch) != ch}
    pattern = script._traditional_only()
    assert len(changed) > 3000  # 傳, 說, 錢 …
    assert {ch for ch in every if pattern.match(ch)} == changed
    assert script._t2s_characters() is not None  # read from the dictionaries, not every character tried


# -- seed rows: values taken at once, plain strings and None written without a call -------------------


def _render_plainly(rows) -> str:
    import csv
    import dataclasses
    import io

    def plain_cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        if isinstance(value, Decimal):
            return amounts.format_decimal(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([plain_cell(getattr(row, f.name)) for f in dataclasses.fields(row)])
    return buffer.getvalue()


def test_seed_rows_are_written_as_before(documents):
    import dataclasses

    from ingest.parse.passes import extract_document
    from ingest.parse.records import ExtractionWarningRow, FigureRow
    from ingest.parse.seed_rows import render_rows

    awkward = [
        FigureRow(
            "d", 1, "s", "m", "", "amount", Decimal("-0.50"), "万元", '1,2"3', "", "a\r\nb\nc\rd", "line 1", "q, r"
        ),
        FigureRow("d", 2, "s", "m", "q", "reason", None, "text", "", "", "", "", ""),
        ExtractionWarningRow("d", 1, "kind", "两行\n说明", "p.1"),
        FigureRow("", 3, "", "", "", "", None, "", "", "", "", "", ""),  # empty cells: no quotes
        ExtractionWarningRow("d", 2, '"', "，全角逗号不加引号，", " p.2 "),
        ExtractionWarningRow("d", 3, "kind", "message", "a,b"),  # a comma in the last cell only
        ExtractionWarningRow("d,e", 4, "", '""', ""),
    ]
    assert render_rows(awkward) == _render_plainly(awkward)
    one_cell = dataclasses.make_dataclass("OneCell", [("text", str)])
    for rows in ([one_cell("")], [one_cell(""), one_cell("a")], [one_cell(",")], []):
        assert render_rows(rows) == _render_plainly(rows)  # a row of one empty cell is written '""'
    assert render_rows([one_cell("")]) == '""\n'
    for document in documents[:3]:
        extraction = extract_document(document, "doc")
        for rows in (extraction.figures, extraction.function_lines, extraction.sections, [extraction.identity]):
            assert rows and render_rows(rows) == _render_plainly(rows)


def test_records_are_built_as_frozen_dataclasses_build_them():
    """``ingest.parse.frozen`` writes the fields straight into a record's __dict__ (faster than the
    frozen dataclass __init__): the record is the same as the plain frozen dataclass builds, by
    position or by name, still frozen, equal and hashed alike, and a missing or unknown field is an error."""
    import dataclasses

    from ingest.parse import records

    plain = dataclasses.dataclass(frozen=True)(
        type("PlainFigureRow", (), {"__annotations__": dict(records.FigureRow.__annotations__)})
    )
    values = ("d", 7, "s", "m", "", "amount", Decimal("1.5"), "万元", "1.5", "万元", "", "line 3", "q")
    names = [f.name for f in dataclasses.fields(records.FigureRow)]
    assert names == [f.name for f in dataclasses.fields(plain)]
    positional, named = records.FigureRow(*values), records.FigureRow(**dict(zip(names, values, strict=True)))
    assert dataclasses.astuple(positional) == dataclasses.astuple(plain(*values)) == values
    assert positional == named and hash(positional) == hash(named) == hash(plain(*values))
    assert positional != records.FigureRow(*values[:-1], "another quote")
    with pytest.raises(dataclasses.FrozenInstanceError):
        positional.value = Decimal(2)
    with pytest.raises(TypeError):
        records.FigureRow(*values[:-1])
    with pytest.raises(TypeError):
        records.FigureRow(*values, extra=1)
    assert dataclasses.replace(positional, measure="prior_amount").measure == "prior_amount"
    # a record with a default or a __post_init__ keeps the dataclass's own __init__
    assert "stored" not in records.DocumentRow.__init__.__code__.co_varnames
    for built_fast in (records.FigureRow, records.FunctionLineRow, Line, Cell):
        assert "stored" in built_fast.__init__.__code__.co_varnames
    assert Line("一、收入", "line 3") == Line(text="一、收入", locator="line 3") != Cell("一、收入", "line 3")
