"""Incremental and parallel ingest (issue #8): same bytes as a plain serial run, only changed files parsed."""

from __future__ import annotations

import io
import os
import shutil
import time

import pytest

from ingest import compiled
from ingest.parse import passes
from ingest.parse.readers import READERS
from ingest.parse.records import SEED_RECORDS
from ingest.run.pipeline import ingest_folder
from ingest.run.progress import Progress
from ingest.warehouse.build import (
    _record_fingerprint,
    _unit_tests_passed_on,
    _up_to_date,
    data_fingerprint,
    project_fingerprint,
)
from tests.conftest import SAMPLES, SICHUAN, seed_bytes

SHANGHAI_PDF = SAMPLES / "shanghai" / "上海市普陀区财政局2024年度部门决算.pdf"


def _folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SICHUAN, folder / "a.txt")
    shutil.copy(SICHUAN, folder / "b-copy.txt")
    shutil.copy(SHANGHAI_PDF, folder / "c.pdf")
    (folder / "d-junk.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "e-notes.txt").write_text("这不是决算。", encoding="utf-8")
    return folder


def _incremental(folder, seeds, cache, **options):
    return ingest_folder(folder, seeds, jobs=2, cache_dir=cache, keep_extractions=False, **options)


def test_parallel_cached_run_writes_the_same_bytes_as_a_serial_one(tmp_path):
    folder = _folder(tmp_path)
    ingest_folder(folder, tmp_path / "serial")
    cold = _incremental(folder, tmp_path / "cold", tmp_path / "cache")
    warm = _incremental(folder, tmp_path / "warm", tmp_path / "cache")
    assert cold.parsed_now == 4  # five files, one a duplicate
    assert warm.parsed_now == 0  # a new seeds folder, every file from the cache
    serial = seed_bytes(tmp_path / "serial")
    assert len(serial) == len(SEED_RECORDS)
    assert seed_bytes(tmp_path / "cold") == serial
    assert seed_bytes(tmp_path / "warm") == serial


def test_nothing_changed_leaves_the_seeds_untouched(tmp_path):
    folder = _folder(tmp_path)
    _incremental(folder, tmp_path / "seeds", tmp_path / "cache")
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "seeds").glob("*.csv")}
    again = _incremental(folder, tmp_path / "seeds", tmp_path / "cache")
    assert again.seeds_unchanged and again.parsed_now == 0
    assert [row.source_file for row in again.log] == ["a.txt", "b-copy.txt", "c.pdf", "d-junk.bin", "e-notes.txt"]
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "seeds").glob("*.csv")} == stamps


def test_a_changed_file_is_parsed_again_and_a_removed_one_leaves_the_seeds(tmp_path):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    first = _incremental(folder, seeds, cache)
    pdf_id = next(row.document_id for row in first.log if row.source_file == "c.pdf")
    assert pdf_id in (seeds / "function_lines.csv").read_text(encoding="utf-8")
    (folder / "c.pdf").unlink()
    text = SICHUAN.read_text(encoding="utf-8").replace("2023", "2024")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    result = _incremental(folder, seeds, cache)
    assert result.parsed_now == 2  # the changed a.txt, and b-copy.txt which is no longer its duplicate
    assert not result.seeds_unchanged
    assert [row.source_file for row in result.log] == ["a.txt", "b-copy.txt", "d-junk.bin", "e-notes.txt"]
    for seed in ("figures.csv", "function_lines.csv", "documents.csv", "ingest_log.csv"):
        assert pdf_id not in (seeds / seed).read_text(encoding="utf-8")
    years = [line.split(",")[11] for line in (seeds / "documents.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert sorted(years) == ["2023", "2024"]  # a.txt now says 2024, its old copy still 2023


def test_an_edited_seed_file_is_written_again(tmp_path):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _incremental(folder, seeds, cache)
    original = (seeds / "figures.csv").read_bytes()
    (seeds / "figures.csv").write_text("document_id\n", encoding="utf-8")
    result = _incremental(folder, seeds, cache)
    assert not result.seeds_unchanged and result.parsed_now == 0
    assert (seeds / "figures.csv").read_bytes() == original


def test_the_cache_is_safe_to_delete_or_damage(tmp_path):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _incremental(folder, seeds, cache)
    reference = seed_bytes(seeds)
    shutil.rmtree(cache)
    assert _incremental(folder, seeds, cache).parsed_now == 4
    assert seed_bytes(seeds) == reference
    (cache / "ingest.sqlite").write_bytes(b"this is not a database" * 100)
    result = _incremental(folder, seeds, cache)
    assert result.parsed_now == 4 and seed_bytes(seeds) == reference
    assert (cache / "ingest.sqlite.damaged").exists()


def test_a_file_over_the_time_limit_is_rejected_and_the_run_goes_on(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    (folder / "c.pdf").unlink()  # a PDF can take a second on a loaded machine: keep only quick files
    real_reader = READERS["text"]

    def slow_reader(data, relative):
        if relative == "a.txt":
            time.sleep(60)
        return real_reader(data, relative)

    monkeypatch.setitem(READERS, "text", slow_reader)
    started = time.monotonic()
    result = ingest_folder(folder, tmp_path / "seeds", file_timeout=2)
    assert time.monotonic() - started < 30  # the 60 s sleep was cut short
    by_file = {row.source_file: row for row in result.log}
    assert by_file["a.txt"].status == "rejected"
    assert by_file["a.txt"].reason == "reading took longer than the 2 s limit per file"
    assert by_file["a.txt"].reason_zh == "读取超过每个文件 2 秒的时限"
    assert by_file["b-copy.txt"].reason.startswith("duplicate of a.txt")
    assert by_file["d-junk.bin"].status == "rejected" and "binary" in by_file["d-junk.bin"].reason
    assert by_file["e-notes.txt"].reason == "no figures found in it"  # read after the slow file, normally


def test_keep_extractions_and_cache_do_not_mix(tmp_path):
    with pytest.raises(ValueError):
        ingest_folder(_folder(tmp_path), tmp_path / "seeds", cache_dir=tmp_path / "cache")


def test_progress_line_counts_files_pages_and_errors():
    stream = io.StringIO()
    progress = Progress(total=4, stream=stream)
    progress.update(pages=12, rejected=False, cached=False)
    progress.update(pages=None, rejected=True, cached=False)
    progress.update(pages=3, rejected=False, cached=True)
    progress.close()
    last = stream.getvalue().strip().splitlines()[-1]
    assert "3/4 files" in last and "15 pages" in last and "1 rejected" in last and "1 unchanged" in last


def test_a_warehouse_is_up_to_date_only_for_the_same_file_and_fingerprint(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert not _up_to_date(warehouse, "abc")
    warehouse.write_bytes(b"built")
    _record_fingerprint(warehouse, "abc")
    assert _up_to_date(warehouse, "abc")
    assert not _up_to_date(warehouse, "abd")  # seeds or models changed
    warehouse.write_bytes(b"replaced by hand")
    assert not _up_to_date(warehouse, "abc")  # another file under the same name


def test_unit_tests_are_skipped_only_for_the_dbt_project_they_passed_on(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert not _unit_tests_passed_on(warehouse, "P.D1")  # never built here
    warehouse.write_bytes(b"built")
    _record_fingerprint(warehouse, "P.D1")
    assert _unit_tests_passed_on(warehouse, "P.D2")  # new data, same models
    assert not _unit_tests_passed_on(warehouse, "Q.D1")  # a model, macro, test or dbt version changed


def test_the_fingerprint_separates_the_dbt_project_from_the_data(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "figures.csv").write_text("a\n", encoding="utf-8")
    before = data_fingerprint(seeds)
    (seeds / "figures.csv").write_text("ab\n", encoding="utf-8")
    assert data_fingerprint(seeds) != before
    assert project_fingerprint() == project_fingerprint()
    assert len(project_fingerprint()) == 32 and "." not in project_fingerprint()


def test_an_extractor_that_fails_rejects_its_file_without_figures(tmp_path, monkeypatch):
    folder = _folder(tmp_path)

    def broken(extraction, document):
        raise KeyError("a bug")

    monkeypatch.setattr(passes, "EXTRACTORS", passes.EXTRACTORS + (("broken", broken),))
    # the bug is staged in this process only: the compiled parser's retry in a Python process of its
    # own (tested in test_compiled.py) would not meet it
    monkeypatch.setattr(compiled, "status", "python: a bug staged in this process")
    result = ingest_folder(folder, tmp_path / "seeds")
    by_file = {row.source_file: row for row in result.log}
    assert by_file["a.txt"].status == "rejected" and by_file["a.txt"].figure_count == 0
    assert by_file["a.txt"].reason == "read, but extracting its figures failed: KeyError: 'a bug'"
    assert by_file["a.txt"].reason_zh.startswith("已读取，但提取数据失败")
    assert len(result.log) == 5 and not result.extractions


def test_only_the_parsing_package_and_its_seeds_make_cached_results_stale(tmp_path):
    """The cache key is the parsing package (ingest/parse) and the seeds it reads, nothing else:
    the run, the warehouse build and the tools live outside it (tests/ingest/test_layout.py holds
    parsing to importing nothing from them)."""
    from ingest.run.cache import PARSING_PACKAGE, code_version, parsing_code_hash
    from ingest.settings import settings

    package, seeds = tmp_path / "parse", tmp_path / "seeds"
    shutil.copytree(PARSING_PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    seeds.mkdir()
    for reference in settings().reference_seeds.glob("ref_*.csv"):
        shutil.copy(reference, seeds / reference.name)
    assert parsing_code_hash(package, seeds) == code_version()
    for inside in ("amounts.py", "extractors/narrative.py", "seed_rows.py", "outcome.py", "passes.py"):
        edited = package / inside
        original = edited.read_bytes()
        edited.write_bytes(original + b"\n# edited\n")
        assert parsing_code_hash(package, seeds) != code_version(), inside
        edited.write_bytes(original)
    # a seed only dbt reads (ref_metric) leaves the parsed results valid; one parsing reads does not
    (seeds / "ref_metric.csv").write_text("metric\n", encoding="utf-8")
    assert parsing_code_hash(package, seeds) == code_version()
    (seeds / "ref_label.csv").write_text("context\n", encoding="utf-8")
    assert parsing_code_hash(package, seeds) != code_version()


def test_an_untouched_folder_is_known_by_its_listing_and_a_touched_file_by_its_hash(tmp_path, monkeypatch):
    """No hash is looked up when every file has the size and mtime of last time; a file touched but
    not changed is hashed, found the same, and the run after is quick again."""
    from ingest.run.cache import IngestCache

    folder = _folder(tmp_path)
    _incremental(folder, tmp_path / "seeds", tmp_path / "cache")
    lookups = []
    real = IngestCache.known_hashes
    monkeypatch.setattr(IngestCache, "known_hashes", lambda self: lookups.append(1) or real(self))
    assert _incremental(folder, tmp_path / "seeds", tmp_path / "cache").seeds_unchanged
    assert lookups == []
    touched = folder / "a.txt"
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = _incremental(folder, tmp_path / "seeds", tmp_path / "cache")
    assert again.seeds_unchanged and again.parsed_now == 0 and lookups == [1]
    assert _incremental(folder, tmp_path / "seeds", tmp_path / "cache").seeds_unchanged
    assert lookups == [1]
    (folder / "e-notes.txt").write_text("这也不是决算。", encoding="utf-8")  # same listing? no: size changed
    changed = _incremental(folder, tmp_path / "seeds", tmp_path / "cache")
    assert not changed.seeds_unchanged and changed.parsed_now == 1
