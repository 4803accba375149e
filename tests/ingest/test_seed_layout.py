"""A few changed files: the unchanged files' rows are copied from the last seeds (ingest.run.seeds),
and the seeds are byte for byte those a run from scratch writes."""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass

import pytest

from ingest.parse.records import IngestLogRow
from ingest.run import pipeline
from ingest.run.cache import IngestCache
from ingest.run.pipeline import ingest_folder
from ingest.run.seeds import PreviousSeeds, SeedSet, copy_range
from tests.conftest import SICHUAN
from tools.synthetic import file_name, render_one


def _folder(tmp_path, count=6):
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(count):
        (folder / file_name(index, 2023, "text")).write_bytes(render_one(index, 2023, seed=7, fmt="text"))
    shutil.copy(SICHUAN, folder / "m-sichuan.txt")
    shutil.copy(SICHUAN, folder / "n-sichuan-copy.txt")  # a duplicate: a log row, no other rows
    (folder / "z-junk.bin").write_bytes(bytes(range(256)) * 4)  # rejected: a log row only
    return folder


def _run(folder, seeds, cache, jobs=2):
    return ingest_folder(folder, seeds, jobs=jobs, cache_dir=cache, keep_extractions=False)


def _seeds(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _from_scratch(folder, tmp_path, name="scratch"):
    """The seeds a run without any cache writes, in one process."""
    ingest_folder(folder, tmp_path / name, jobs=1)
    return _seeds(tmp_path / name)


@pytest.fixture
def cache_reads(monkeypatch):
    """How many cached results a run reads (each one a file whose rows were not copied)."""
    reads = []
    real_get = IngestCache.get

    def counting_get(self, relative, sha256):
        reads.append(relative)
        return real_get(self, relative, sha256)

    monkeypatch.setattr(IngestCache, "get", counting_get)
    return reads


def test_after_one_changed_file_the_others_are_copied_and_the_seeds_equal_a_run_from_scratch(tmp_path, cache_reads):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    changed = folder / file_name(3, 2023, "text")
    changed.write_bytes(render_one(3, 2023, seed=8, fmt="text"))
    cache_reads.clear()
    result = _run(folder, seeds, cache)
    assert result.parsed_now == 1 and not result.seeds_unchanged
    assert cache_reads == []  # every unchanged file's rows came from the old seeds, none from the cache
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)
    assert len(_seeds(seeds)["figures.csv"]) > 10_000


def test_files_added_removed_renamed_and_a_duplicate_promoted_give_the_seeds_of_a_run_from_scratch(tmp_path):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    (folder / file_name(1, 2023, "text")).unlink()
    (folder / "m-sichuan.txt").unlink()  # its copy is now the first of its content: its rows appear
    shutil.move(folder / file_name(4, 2023, "text"), folder / "a-first-now.txt")  # renamed to the front
    (folder / file_name(9, 2024, "text")).write_bytes(render_one(9, 2024, seed=7, fmt="text"))
    result = _run(folder, seeds, cache)
    assert result.parsed_now == 3  # the new file, the renamed one (its path is in the key), the promoted copy
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)
    rows = {row.source_file: row for row in result.log}
    assert not rows["n-sichuan-copy.txt"].reason.startswith("duplicate")


def test_a_seed_changed_by_hand_is_not_copied_from(tmp_path, cache_reads):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    figures = seeds / "figures.csv"
    figures.write_bytes(figures.read_bytes().replace(b",", b";", 40))  # same size, other bytes and mtime
    (folder / file_name(2, 2023, "text")).write_bytes(render_one(2, 2023, seed=9, fmt="text"))
    cache_reads.clear()
    _run(folder, seeds, cache)
    assert len(cache_reads) == 7  # the layout no longer describes the files: every other result is read
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)


def test_the_layout_outlives_a_run_with_nothing_to_do_and_serves_the_next_change(tmp_path, cache_reads):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    assert _run(folder, seeds, cache).seeds_unchanged
    (folder / file_name(0, 2023, "text")).write_bytes(render_one(0, 2023, seed=8, fmt="text"))
    cache_reads.clear()
    _run(folder, seeds, cache, jobs=1)
    assert cache_reads == []
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)


def test_a_layout_of_other_parsing_code_is_not_used(tmp_path, monkeypatch):
    folder = _folder(tmp_path, count=2)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    with IngestCache(cache) as opened:
        log, layout = opened.previous_run(seeds)
    assert PreviousSeeds.usable(seeds, layout, layout.code_version, pipeline.FRAGMENT_SEEDS, "ingest_log")
    assert not PreviousSeeds.usable(seeds, layout, "another", pipeline.FRAGMENT_SEEDS, "ingest_log")
    older = copy.copy(layout)
    del vars(older)["form"]  # a layout stored before its shape last changed
    assert not PreviousSeeds.usable(seeds, older, layout.code_version, pipeline.FRAGMENT_SEEDS, "ingest_log")
    assert len(log) == len(layout.log_lengths) == 5
    assert len(layout.relatives) == 4  # the duplicate gives no rows; the junk file its empty ones
    header = len((seeds / "figures.csv").read_bytes().split(b"\n", 1)[0]) + 1
    figures = layout.seeds.index("figures")
    given = sum(layout.file_lengths(index)[figures] for index in range(len(layout.relatives)))
    assert header + given == (seeds / "figures.csv").stat().st_size


@dataclass(frozen=True)
class Row:
    SEED = "rows"
    value: str


def _log_row(name: str, sha256: str) -> IngestLogRow:
    return IngestLogRow(name, sha256, "text", 1, None, "parsed", "", "", name, 1, 0)


def test_copied_and_appended_rows_interleave_in_file_order(tmp_path):
    """A SeedSet of one seed and a log, then another that copies from it between new rows."""
    seeds = tmp_path / "seeds"
    kinds = {"layout_seeds": ("rows",), "log_seed": "ingest_log", "code_version": "v"}
    first = SeedSet(seeds, [Row, IngestLogRow], **kinds)
    log = [_log_row(name, sha) for name, sha in (("a", "1"), ("b", "2"), ("c", "3"))]
    for index, (row, data) in enumerate(zip(log, (b"a1\n", b"b1\nb2\n", b"c1\n"), strict=True)):
        first.append_file(row.source_file, row.sha256, index, {"rows": data})
        first.append_log_row(row)
    first.commit()
    assert (seeds / "rows.csv").read_bytes() == b"value\na1\nb1\nb2\nc1\n"
    assert PreviousSeeds.usable(seeds, first.layout, "v", ("rows",), "ingest_log")

    second = SeedSet(seeds, [Row, IngestLogRow], **kinds, previous=PreviousSeeds(seeds, first.layout, log))
    assert second.copy_file("a", "1", 0) is log[0]
    second.append_log_row(log[0])
    second.append_file("n", "9", 1, {"rows": b"n1\n"})
    second.append_log_row(_log_row("n", "9"))
    for index, row in enumerate(log[1:], start=2):
        assert second.copy_file(row.source_file, row.sha256, index) is row
        second.append_log_row(row)
    assert second.copy_file("c", "other content", 4) is None
    second.commit()
    second.close()
    assert (seeds / "rows.csv").read_bytes() == b"value\na1\nn1\nb1\nb2\nc1\n"
    assert [second.layout.file_lengths(index) for index in range(4)] == [[3], [3], [6], [3]]
    assert second.layout.relatives == ["a", "n", "b", "c"] and list(second.layout.log_indexes) == [0, 1, 2, 3]
    log_lines = (seeds / "ingest_log.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in log_lines] == ["source_file", "a", "n", "b", "c"]
    assert not PreviousSeeds.usable(seeds, first.layout, "v", ("rows",), "ingest_log")  # those files are gone


def test_a_range_is_copied_exactly_also_without_the_kernels_copy(tmp_path, monkeypatch):
    source, target = tmp_path / "source", tmp_path / "target"
    source.write_bytes(bytes(range(256)) * 1000)
    for kernel in (True, False):
        if not kernel:
            monkeypatch.delattr("os.copy_file_range", raising=False)
        with open(source, "rb") as read, open(target, "wb") as write:
            copy_range(read.fileno(), write.fileno(), 1000, 100_000)
        assert target.read_bytes() == source.read_bytes()[1000:101_000]
