"""Seeds in shards (ingest.run.seeds): after a few changed files only their shards are written again,
the others are left as they are, and the seeds are byte for byte those a run from scratch writes."""

from __future__ import annotations

import copy
import itertools
import shutil

import pytest

from ingest.run import pipeline
from ingest.run import seeds as seeds_module
from ingest.run.cache import IngestCache
from ingest.run.pipeline import ingest_folder
from ingest.run.seeds import PreviousSeeds, read_seed, seed_files, shard_file_name, shard_starts
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


@pytest.fixture
def small_shards(monkeypatch):
    """Shards of 3 files (every path opens a shard once the shard has 3), so a test folder has several."""
    monkeypatch.setattr(seeds_module, "SHARD_MIN_FILES", 3)
    monkeypatch.setattr(seeds_module, "SHARD_ODDS", 1)


def _names(folder):
    """The files in the order the seeds hold them (m-, n-, z-, then the synthetic 合成-… by province)."""
    return sorted(p.name for p in folder.iterdir())


def _edit(path):
    path.write_bytes(path.read_bytes() + "\n另行说明。\n".encode())


def _run(folder, seeds, cache, jobs=2):
    return ingest_folder(folder, seeds, jobs=jobs, cache_dir=cache, keep_extractions=False)


def _seeds(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _stamps(folder):
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv"))}


def _from_scratch(folder, tmp_path, name="scratch"):
    """The seeds a run without any cache writes, in one process."""
    ingest_folder(folder, tmp_path / name, jobs=1)
    return _seeds(tmp_path / name)


@pytest.fixture
def cache_reads(monkeypatch):
    """Which cached results a run reads (each one a file of a shard written again)."""
    reads = []
    real_get = IngestCache.get

    def counting_get(self, relative, sha256):
        reads.append(relative)
        return real_get(self, relative, sha256)

    monkeypatch.setattr(IngestCache, "get", counting_get)
    return reads


def test_shard_boundaries_come_from_the_paths_alone_and_an_added_file_moves_few_boundaries():
    paths = [f"dept-{index:05d}.txt" for index in range(5000)]
    starts = shard_starts(paths, min_files=100, odds=100)
    assert starts[0] == 0 and len(starts) > 10
    assert all(later - earlier >= 100 for earlier, later in itertools.pairwise(starts))
    assert shard_starts(list(paths), min_files=100, odds=100) == starts  # the same paths, the same shards
    added = sorted([*paths, "dept-02500a.txt"])
    before = {paths[index] for index in starts}
    after = {added[index] for index in shard_starts(added, min_files=100, odds=100)}
    assert {p for p in before if p < "dept-02500a.txt"} == {p for p in after if p < "dept-02500a.txt"}
    assert len(before ^ after) <= 2  # the shard of the new file and perhaps the next: every other is the same files
    assert shard_starts(paths[:999]) == [0]  # under SHARD_MIN_FILES: one shard


def test_shard_file_names_sort_in_shard_order():
    assert shard_file_name("figures", 0, 1) == "figures.csv"
    names = [shard_file_name("figures", index, 12) for index in range(12)]
    assert names[:2] == ["figures.0000.csv", "figures.0001.csv"] and sorted(names) == names


def test_a_small_folder_has_one_file_a_seed(tmp_path):
    folder = _folder(tmp_path)
    _run(folder, tmp_path / "seeds", tmp_path / "cache")
    assert sorted(_seeds(tmp_path / "seeds")) == sorted(f"{record.SEED}.csv" for record in pipeline.SEED_RECORDS)


def test_shards_joined_are_the_one_file_seeds_and_any_number_of_workers_writes_the_same(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    whole = _from_scratch(folder, tmp_path, "whole")
    monkeypatch.setattr(seeds_module, "SHARD_MIN_FILES", 3)
    monkeypatch.setattr(seeds_module, "SHARD_ODDS", 1)
    _run(folder, tmp_path / "two", tmp_path / "cache-two", jobs=2)
    sharded = _from_scratch(folder, tmp_path, "one")
    assert _seeds(tmp_path / "two") == sharded
    assert "figures.0002.csv" in sharded and "figures.csv" not in sharded  # 9 files: 3 shards
    for record in pipeline.SEED_RECORDS:
        assert read_seed(tmp_path / "one", record.SEED) == whole[f"{record.SEED}.csv"]


def test_after_one_changed_file_only_its_shard_is_written_and_the_seeds_equal_a_run_from_scratch(
    tmp_path, small_shards, cache_reads
):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    before = _stamps(seeds)
    names = _names(folder)
    _edit(folder / names[7])  # shards of 3: the third one
    cache_reads.clear()
    result = _run(folder, seeds, cache)
    assert result.parsed_now == 1 and not result.seeds_unchanged
    assert sorted(cache_reads) == sorted([names[6], names[8]])  # the rest of its shard
    after = _stamps(seeds)
    rewritten = {name for name in after if after[name] != before.get(name)}
    assert rewritten == {f"{record.SEED}.0002.csv" for record in pipeline.SEED_RECORDS}
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)
    assert [row.source_file for row in result.log] == sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("sharded", [False, True])
def test_files_added_removed_renamed_and_a_duplicate_promoted_give_the_seeds_of_a_run_from_scratch(
    tmp_path, monkeypatch, sharded
):
    if sharded:
        monkeypatch.setattr(seeds_module, "SHARD_MIN_FILES", 2)
        monkeypatch.setattr(seeds_module, "SHARD_ODDS", 1)
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


def test_a_duplicate_whose_first_file_was_renamed_is_written_again(tmp_path, small_shards):
    """The copy's shard holds the same files as before, but its log row names the first file, renamed."""
    folder = _folder(tmp_path)
    shutil.copy(SICHUAN, folder / "龙-copy.txt")  # sorts last: a shard of its own
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    shutil.move(folder / "m-sichuan.txt", folder / "a-sichuan.txt")
    result = _run(folder, seeds, cache)
    assert result.parsed_now == 1
    assert {row.source_file: row for row in result.log}["龙-copy.txt"].reason.startswith("duplicate of a-sichuan.txt")
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)


def test_going_from_one_shard_to_many_and_back_leaves_no_stale_file(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    monkeypatch.setattr(seeds_module, "SHARD_MIN_FILES", 3)
    monkeypatch.setattr(seeds_module, "SHARD_ODDS", 1)
    (folder / file_name(0, 2023, "text")).write_bytes(render_one(0, 2023, seed=8, fmt="text"))
    _run(folder, seeds, cache)
    assert _seeds(seeds) == _from_scratch(folder, tmp_path, "many")
    assert [p.name for p in seed_files(seeds, "figures")] == [
        "figures.0000.csv",
        "figures.0001.csv",
        "figures.0002.csv",
    ]
    monkeypatch.setattr(seeds_module, "SHARD_MIN_FILES", 1000)
    (folder / file_name(0, 2023, "text")).write_bytes(render_one(0, 2023, seed=7, fmt="text"))
    _run(folder, seeds, cache)
    assert _seeds(seeds) == _from_scratch(folder, tmp_path, "one")
    assert [p for p in seeds.glob(".*") if not p.name.endswith(".old.tmp")] == []  # replaced ones: in the background


def test_a_shard_added_in_front_renames_the_kept_ones_and_writes_only_the_new_one(tmp_path, small_shards, cache_reads):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    for name in ("0-a.txt", "0-b.txt", "0-c.txt"):  # three files in front: one more shard of 3
        (folder / name).write_bytes(render_one(20 + len(name), 2024, seed=7, fmt="text") + name.encode())
    cache_reads.clear()
    result = _run(folder, seeds, cache)
    assert result.parsed_now == 3 and cache_reads == []  # the old shards were kept, renamed .0001 → .0002, …
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)


def test_a_seed_changed_by_hand_is_not_kept(tmp_path, cache_reads):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    figures = seeds / "figures.csv"
    figures.write_bytes(figures.read_bytes().replace(b",", b";", 40))  # same size, other bytes and mtime
    cache_reads.clear()
    _run(folder, seeds, cache)
    assert len(cache_reads) == 8  # the layout no longer describes the files: every first file's result is read
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)


def test_the_layout_outlives_a_run_with_nothing_to_do_and_serves_the_next_change(tmp_path, small_shards, cache_reads):
    folder = _folder(tmp_path)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    assert _run(folder, seeds, cache).seeds_unchanged
    names = _names(folder)
    _edit(folder / names[3])  # the second shard's first file
    cache_reads.clear()
    _run(folder, seeds, cache, jobs=1)
    assert sorted(cache_reads) == sorted(names[4:6])
    assert _seeds(seeds) == _from_scratch(folder, tmp_path)


def test_a_layout_of_other_parsing_code_is_not_used(tmp_path, small_shards):
    folder = _folder(tmp_path, count=2)
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    _run(folder, seeds, cache)
    with IngestCache(cache) as opened:
        log, layout = opened.previous_run(seeds)
    assert PreviousSeeds.usable(seeds, layout, layout.code_version, pipeline.ALL_SEEDS)
    assert not PreviousSeeds.usable(seeds, layout, "another", pipeline.ALL_SEEDS)
    older = copy.copy(layout)
    del vars(older)["form"]  # a layout stored before its shape last changed
    assert not PreviousSeeds.usable(seeds, older, layout.code_version, pipeline.ALL_SEEDS)
    assert len(log) == 5 and [len(shard.relatives) for shard in layout.shards] == [3, 2]  # m- n- z- | 合成-…
    assert [bytes(shard.firsts) for shard in layout.shards] == [b"\x01\x00\x01", b"\x01\x01"]  # the copy: no rows
    assert set(layout.stamps) == {p.name for p in seeds.glob("*.csv")}
    (seeds / "figures.0001.csv").unlink()
    assert not PreviousSeeds.usable(seeds, layout, layout.code_version, pipeline.ALL_SEEDS)


def test_duckdb_reads_the_shards_of_a_seed_as_the_one_file_in_the_same_order(tmp_path, monkeypatch):
    """The read_csv dbt's sources and staging use (``figures.*csv``): the same rows from the shards."""
    import duckdb

    from ingest.parse.records import SEED_RECORDS
    from ingest.warehouse.seed_schema import read_csv_call

    folder = _folder(tmp_path)
    ingest_folder(folder, tmp_path / "whole", jobs=1)
    monkeypatch.setattr(seeds_module, "SHARD_MIN_FILES", 2)
    monkeypatch.setattr(seeds_module, "SHARD_ODDS", 1)
    ingest_folder(folder, tmp_path / "shards", jobs=1)
    assert len(seed_files(tmp_path / "shards", "figures")) == 5  # 9 files, 2 a shard
    for record in SEED_RECORDS:
        for as_text in (False, True):
            whole, shards = (
                duckdb.sql(f"select * from {read_csv_call(record, str(tmp_path / name), as_text)}").fetchall()
                for name in ("whole", "shards")
            )
            assert shards == whole
    assert len(duckdb.sql(f"select * from {read_csv_call(SEED_RECORDS[2], str(tmp_path / 'shards'))}").fetchall()) > 100
