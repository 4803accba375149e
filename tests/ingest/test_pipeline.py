"""Every file accounted for; seeds byte-identical on a rerun; duplicates counted once."""

from __future__ import annotations

import shutil

from ingest.parse.records import SEED_RECORDS
from ingest.run import pipeline
from ingest.run.pipeline import ingest_folder
from tests.conftest import SICHUAN


def _folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SICHUAN, folder / "a.txt")
    shutil.copy(SICHUAN, folder / "copy-of-a.txt")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "notes.txt").write_text("这不是决算。", encoding="utf-8")
    return folder


def test_every_file_has_one_log_row(tmp_path):
    result = ingest_folder(_folder(tmp_path), tmp_path / "seeds")
    by_file = {row.source_file: row for row in result.log}
    assert sorted(by_file) == ["a.txt", "copy-of-a.txt", "empty.pdf", "junk.bin", "notes.txt"]
    assert by_file["a.txt"].status == "warned"  # one figure printed without unit (line 69)
    assert by_file["copy-of-a.txt"].reason.startswith("duplicate of a.txt")
    assert by_file["copy-of-a.txt"].document_id == by_file["a.txt"].document_id
    assert (by_file["empty.pdf"].status, by_file["empty.pdf"].reason_zh) == ("rejected", "空文件")
    assert by_file["junk.bin"].status == "rejected"
    assert (by_file["notes.txt"].status, by_file["notes.txt"].reason) == ("rejected", "no figures found in it")


def test_seeds_are_byte_identical_on_rerun(tmp_path):
    folder = _folder(tmp_path)
    ingest_folder(folder, tmp_path / "one")
    ingest_folder(folder, tmp_path / "two")
    first = {p.name: p.read_bytes() for p in (tmp_path / "one").glob("*.csv")}
    second = {p.name: p.read_bytes() for p in (tmp_path / "two").glob("*.csv")}
    assert first == second and len(first) == len(SEED_RECORDS)


def test_duplicate_content_is_extracted_once(tmp_path):
    ingest_folder(_folder(tmp_path), tmp_path / "seeds")
    documents = (tmp_path / "seeds" / "documents.csv").read_text(encoding="utf-8").splitlines()
    assert len(documents) == 2  # header + one document


def test_list_files_walks_subfolders_in_path_order_and_skips_hidden_ones(tmp_path):
    folder = tmp_path / "in"
    (folder / "b" / "c").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "b" / "c" / "z.txt").write_text("z", encoding="utf-8")
    (folder / "b" / "a.txt").write_text("aa", encoding="utf-8")
    (folder / "a.txt").write_text("a", encoding="utf-8")
    (folder / ".hidden.txt").write_text("h", encoding="utf-8")
    (folder / ".git" / "config").write_text("g", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.txt").write_text("x", encoding="utf-8")
    (folder / "link").symlink_to(elsewhere, target_is_directory=True)
    files = pipeline.list_files(folder)
    assert [f.relative for f in files] == ["a.txt", "b/a.txt", "b/c/z.txt"]
    assert [f.size for f in files] == [1, 2, 1]
    assert files[1].path == str((folder / "b" / "a.txt").resolve())
