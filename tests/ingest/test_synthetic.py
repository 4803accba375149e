"""The synthetic corpus (scale benchmarks only): deterministic, adding up, real codes, labelled, and
read back by the ingest exactly as generated.

The sums here are recomputed from the lines with plain arithmetic; the codes are checked against
``seeds/ref_function_code.csv`` read with the csv module; the round trip writes a few documents of
each format, runs the real ``ingest_folder`` and compares what it found with the ground truth.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal

import pytest

from tests.conftest import ROOT
from tools.synthetic import file_name, render_one, rewrite_with_seed, truth_rows, write_corpus
from tools.synthetic.corpus import BANNER, REGIONS, department, department_year, index_from_name

REFERENCE = ROOT / "seeds" / "ref_function_code.csv"
ECONOMIC_REFERENCE = ROOT / "seeds" / "ref_economic_code.csv"
YEARS = (2016, 2019, 2020, 2023, 2024)
SAMPLE = [(index, year) for index in (0, 1, 7, 42, 99, 1234, 54321, 999999) for year in YEARS]


def _pdf_fonts_or_skip():
    from tools.synthetic.pdf import FontMissing, fonts

    try:
        fonts()
    except FontMissing as error:
        pytest.skip(str(error))


def _read(path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def reference() -> dict[str, dict[str, str]]:
    return _read(REFERENCE)


def _valid(row: dict[str, str], year: int) -> bool:
    start, end = (row.get("valid_from") or "").strip(), (row.get("valid_to") or "").strip()
    return (not start or int(start) <= year) and (not end or year <= int(end))


# -- determinism -------------------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes():
    first = render_one(42, 2023, seed=7, fmt="text")
    assert render_one(42, 2023, seed=7, fmt="text") == first
    assert render_one(42, 2023, seed=8, fmt="text") != first
    assert render_one(43, 2023, seed=7, fmt="text") != first


def test_pdf_same_seed_same_bytes():
    _pdf_fonts_or_skip()
    first = render_one(5, 2024, seed=7, fmt="pdf")
    assert first.startswith(b"%PDF")
    assert render_one(5, 2024, seed=7, fmt="pdf") == first
    assert render_one(5, 2024, seed=8, fmt="pdf") != first


def test_pdf_without_its_font_says_which_package_to_install(monkeypatch):
    from tools.synthetic import pdf

    pdf.fonts.cache_clear()
    monkeypatch.setenv(pdf.FONT_ENV, "/nonexistent/font.ttf")
    try:
        with pytest.raises(pdf.FontMissing, match="apt-get install fonts-droid-fallback"):
            pdf.fonts()
    finally:
        pdf.fonts.cache_clear()


def test_corpus_is_the_same_for_any_number_of_processes(tmp_path):
    write_corpus(tmp_path / "one", departments=60, years=[2022, 2023], seed=3, fmt="text", jobs=1)
    write_corpus(tmp_path / "two", departments=60, years=[2022, 2023], seed=3, fmt="text", jobs=2)
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert len(one) == 120 and one == two


def test_one_document_is_drawn_alone_and_rewritten_with_another_seed(tmp_path):
    write_corpus(tmp_path, departments=3, years=[2022, 2023], seed=7, fmt="text")
    path = tmp_path / file_name(2, 2023, "text")
    assert path.read_bytes() == render_one(2, 2023, seed=7, fmt="text")  # no other document needed
    rewrite_with_seed(path, seed=8)
    assert path.read_bytes() == render_one(2, 2023, seed=8, fmt="text")
    assert department(2).name in path.read_text(encoding="utf-8")  # same department-year, other figures
    with pytest.raises(ValueError):
        rewrite_with_seed(tmp_path / "notes.txt", seed=8)


# -- amounts add up, codes are real ------------------------------------------------------------


@pytest.mark.parametrize(("index", "year"), SAMPLE)
def test_amounts_add_up(index, year):
    model = department_year(index, year, seed=11)
    items = model.items
    assert items
    cents = Decimal("0.01")
    for item in items:
        for value in (item.amount, item.basic, item.project, item.non_fiscal, item.gpb_amount, item.budget):
            assert isinstance(value, Decimal) and value == value.quantize(cents) and value >= 0
        assert item.basic + item.project == item.amount
        assert item.amount - item.non_fiscal == item.gpb_amount
        assert item.gpb_amount > 0 and item.non_fiscal <= item.project
    # 项 → 款 → 类 → total, recomputed here from the 项 alone
    kuan, lei = defaultdict(Decimal), defaultdict(Decimal)
    for item in items:
        kuan[item.code[:5]] += item.amount
    for code, value in kuan.items():
        lei[code[:3]] += value
    assert sum(lei.values()) == model.total == sum(item.amount for item in items)
    printed = {row.code: row for row in model.function_totals}
    for code, value in {**kuan, **lei}.items():
        assert printed[code].amount == value
        assert printed[code].basic + printed[code].project == value
    assert sum(i.basic for i in items) == model.basic and sum(i.project for i in items) == model.project
    assert model.basic + model.project == model.total
    # income by source = total income = total expenditure; the fiscal part = 一般公共预算 spending
    assert sum(value for _, value in model.income) == model.total
    assert dict(model.income)["一般公共预算财政拨款收入"] == sum(i.gpb_amount for i in items) == model.gpb_total
    # 人员经费 + 公用经费 = 基本支出, and the economic lines add up to their 类 and to those two
    assert model.personnel + model.public == model.basic
    economic = {line.code: line.amount for line in model.economic}
    for code, value in economic.items():
        if len(code) == 3:
            assert value == sum(v for c, v in economic.items() if len(c) == 5 and c.startswith(code))
    assert economic.get("301", 0) + economic.get("303", 0) == model.personnel
    assert economic.get("302", 0) + economic.get("310", 0) == model.public
    # 三公 parts
    sangong = model.sangong
    assert sangong.vehicle == sangong.vehicle_purchase + sangong.vehicle_operation
    assert sangong.total == sangong.abroad + sangong.vehicle + sangong.reception <= model.public
    assert model.operating_cost <= model.public


@pytest.mark.parametrize(("index", "year"), SAMPLE)
def test_codes_exist_in_the_reference_and_are_valid_that_year(reference, index, year):
    for item in department_year(index, year, seed=11).items:
        for code, level, name, parent in (
            (item.code, "项", item.name, item.kuan_code),
            (item.kuan_code, "款", item.kuan_name, item.lei_code),
            (item.lei_code, "类", item.lei_name, ""),
        ):
            row = reference[code]
            assert (row["level"], row["name"], row["parent_code"]) == (level, name, parent)
            assert _valid(row, year), (code, year)


@pytest.mark.parametrize(("index", "year"), SAMPLE)
def test_economic_codes_exist_in_the_reference_and_are_valid_that_year(index, year):
    with open(ECONOMIC_REFERENCE, encoding="utf-8", newline="") as handle:
        valid = {(row["code"], row["name"]) for row in csv.DictReader(handle) if _valid(row, year)}
    for line in department_year(index, year, seed=11).economic:
        assert (line.code, line.name) in valid, (line.code, line.name, year)


def test_prior_year_figures_are_those_of_the_year_before():
    this, before = department_year(42, 2023, seed=11), department_year(42, 2022, seed=11)
    assert Decimal(this.prior.total).scaleb(-2) == before.total
    assert Decimal(this.prior.gpb_total).scaleb(-2) == before.gpb_total


def test_department_names_are_synthetic_and_their_regions_real():
    from ingest.parse.extractors.identity import resolve_region

    for index in (0, 35, 12345, 999999):
        dept = department(index)
        assert dept.short_name.startswith("合成样本") and index_from_name(dept.name) == index
    for region in REGIONS:
        assert resolve_region(region + department(0).short_name, "")[2], region  # the county resolves


# -- labelled synthetic ------------------------------------------------------------------------


def test_banner_and_file_name():
    text = render_one(3, 2022, seed=1, fmt="text").decode("utf-8")
    assert text.splitlines()[0] == BANNER
    assert "模板" not in text[:200]  # the ingest rejects a document that says it is a template
    assert file_name(3, 2022, "text") == f"合成-{department(3).region}-{department(3).short_name}-2022-部门决算.txt"


def test_truth_file_may_not_be_read_as_a_disclosure(tmp_path):
    with pytest.raises(ValueError):
        write_corpus(tmp_path / "c", departments=1, years=[2023], fmt="text", truth=tmp_path / "c" / "truth.csv")
    write_corpus(tmp_path / "c", departments=1, years=[2023], fmt="text", truth=tmp_path / "c" / ".truth.csv")


def test_command_line(tmp_path):
    from tools.synthetic.__main__ import main, parse_years

    assert parse_years("2021-2023") == [2021, 2022, 2023] and parse_years("2019,2021") == [2019, 2021]
    assert (
        main(
            [
                "--departments",
                "2",
                "--years",
                "2022-2023",
                "--seed",
                "7",
                "--format",
                "text",
                "--out",
                str(tmp_path / "corpus"),
                "--jobs",
                "1",
            ]
        )
        == 0
    )
    assert len(list((tmp_path / "corpus").iterdir())) == 4
    with open(tmp_path / "corpus.truth.csv", encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert {row["fiscal_year"] for row in truth} == {"2022", "2023"}


# -- round trip through the ingest -------------------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """3 departments × 2 years as text and 2 PDFs, ingested by the real pipeline."""
    from ingest.run.pipeline import ingest_folder

    base = tmp_path_factory.mktemp("synthetic")
    corpus = base / "corpus"
    write_corpus(corpus, departments=3, years=[2022, 2023], seed=7, fmt="text", truth=base / "text.truth.csv", jobs=1)
    with open(base / "text.truth.csv", encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    try:
        _pdf_fonts_or_skip()
        pdf = True
    except pytest.skip.Exception:
        pdf = False
    if pdf:
        for index, year in ((40, 2024), (77, 2021)):
            (corpus / file_name(index, year, "pdf")).write_bytes(render_one(index, year, seed=7, fmt="pdf"))
            truth += truth_rows(index, year, seed=7, fmt="pdf")
    result = ingest_folder(corpus, base / "seeds")
    return result, truth, pdf, corpus


def _by_file(truth: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    files: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in truth:
        files[row["file"]].append(row)
    return files


def test_round_trip_every_file_parsed_as_its_department_and_year(ingested):
    result, truth, pdf, _ = ingested
    files = _by_file(truth)
    assert len(result.log) == len(files) == (8 if pdf else 6)
    extractions = {e.identity.source_file: e for e in result.extractions}
    for row in result.log:
        assert row.status in ("parsed", "warned"), (row.source_file, row.reason)
        identity = extractions[row.source_file].identity
        expected = files[row.source_file][0]
        assert (identity.department_name, str(identity.fiscal_year), identity.phase) == (
            expected["department_name"],
            expected["fiscal_year"],
            "final",
        )
        assert identity.province is not None and identity.department_id.endswith(identity.department_short_name)


def test_round_trip_totals_and_every_item(ingested):
    result, truth, _, _ = ingested
    files = _by_file(truth)
    for extraction in result.extractions:
        name = extraction.identity.source_file
        rows = files[name]
        totals = [
            f.value
            for f in extraction.figures
            if (f.metric, f.measure, f.qualifier) == ("expenditure_total", "amount", "")
        ]
        assert totals and set(totals) == {Decimal(rows[0]["total_expenditure"])}, name
        gpb = {row["code"]: Decimal(row["gpb_amount"]) for row in rows}
        narrative = {
            f.code: f.amount for f in extraction.function_lines if f.statement == "narrative" and f.level == "项"
        }
        assert narrative == gpb, name
        if name.endswith(".pdf"):
            tables = defaultdict(dict)
            for f in extraction.function_lines:
                if f.statement != "narrative" and f.level == "项":
                    tables[f.basis][f.code] = f.amount
            assert tables["general_budget"] == gpb, name
            assert tables["all_funds"] == {row["code"]: Decimal(row["amount"]) for row in rows}, name
            assert tables["income"] == tables["all_funds"], name


def test_round_trip_pdf_tables_add_up_and_page_one_is_labelled(ingested):
    """The 类/款 rows the ingest read from each PDF table are the sums of the 项 rows it read."""
    from ingest.parse.readers.pdf import read_pdf

    result, _, pdf, folder = ingested
    if not pdf:
        pytest.skip("no PDF in the round trip (font missing)")
    for extraction in (e for e in result.extractions if e.identity.source_file.endswith(".pdf")):
        for statement in ("一般公共预算财政拨款支出决算表", "支出决算表"):
            lines = [f for f in extraction.function_lines if f.statement == statement and f.code]
            assert lines, statement
            amounts = {f.code: f.amount for f in lines}
            for f in lines:
                assert (f.basic_amount or 0) + (f.project_amount or 0) == f.amount, (statement, f.code)
                if f.level in ("类", "款"):
                    children = [v for c, v in amounts.items() if c.startswith(f.code) and len(c) == len(f.code) + 2]
                    assert sum(children) == f.amount, (statement, f.code)
        document = read_pdf((folder / extraction.identity.source_file).read_bytes(), extraction.identity.source_file)
        first = document.lines[0]  # the PDF reader drops spaces between glyphs
        assert (first.text, first.locator) == (BANNER.replace(" ", ""), "p.1 l.1")
        assert f"{extraction.identity.fiscal_year}年度部门决算" in document.lines[1].text
