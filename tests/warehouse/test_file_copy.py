"""The warehouse is copied for a delta merge while dbt builds the delta (ingest.warehouse.delta.FileCopy)."""

from __future__ import annotations

import os

import pytest

from ingest.warehouse.delta import DeltaError, FileCopy


def test_a_background_copy_is_the_same_bytes(tmp_path, monkeypatch):
    source = tmp_path / "warehouse.duckdb"
    source.write_bytes(os.urandom(300_000) + bytes(range(256)) * 3000)
    monkeypatch.setattr(FileCopy, "BLOCK", 65_536)  # many blocks
    copy = FileCopy(source, tmp_path / "merging")
    copy.wait()
    assert (tmp_path / "merging").read_bytes() == source.read_bytes()


def test_a_cancelled_copy_says_so_when_waited_for(tmp_path, monkeypatch):
    source = tmp_path / "warehouse.duckdb"
    source.write_bytes(b"x" * 1_000_000)
    monkeypatch.setattr(FileCopy, "BLOCK", 1)  # a million blocks: the cancel comes long before the end
    copy = FileCopy(source, tmp_path / "merging")
    copy.cancel()
    assert (tmp_path / "merging").stat().st_size < 1_000_000
    with pytest.raises(DeltaError, match="cancelled"):
        copy.wait()


def test_a_copy_that_fails_raises_where_it_is_waited_for(tmp_path):
    copy = FileCopy(tmp_path / "no such warehouse.duckdb", tmp_path / "merging")
    with pytest.raises(FileNotFoundError):
        copy.wait()
