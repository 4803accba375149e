"""Writing seed CSVs for dbt: atomically, deterministically (a rerun gives identical bytes); the
rows are rendered by ``ingest.parse.seed_rows``."""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from pathlib import Path

from ingest.parse.seed_rows import cell, row_values, seed_columns, seed_header


def write_seed(seeds_dir: Path, record_type, rows: list) -> Path:
    """Write one seed atomically (temp file, then rename); rows keep their given order."""
    seeds_dir.mkdir(parents=True, exist_ok=True)
    target = seeds_dir / f"{record_type.SEED}.csv"
    handle, temp_name = tempfile.mkstemp(dir=seeds_dir, prefix=f".{record_type.SEED}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(seed_columns(record_type))
        for row in rows:
            writer.writerow([cell(v) for v in row_values(row)])
    os.replace(temp_name, target)
    return target


class SeedSet:
    """All seeds of one ingest, written as a stream of per-file fragments, swapped in together.

    Each seed goes to a temporary file beside its target; ``commit`` renames them over the
    targets, ``discard`` removes them. Memory stays bounded whatever the number of files.
    """

    def __init__(self, seeds_dir: Path, record_types) -> None:
        seeds_dir.mkdir(parents=True, exist_ok=True)
        self.seeds_dir = seeds_dir
        self._streams = {}
        for record_type in record_types:
            handle, temp_name = tempfile.mkstemp(dir=seeds_dir, prefix=f".{record_type.SEED}.", suffix=".tmp")
            stream = os.fdopen(handle, "wb")
            stream.write(seed_header(record_type))
            self._streams[record_type.SEED] = (stream, temp_name)

    def append(self, seed: str, data: bytes) -> None:
        """CSV rows as UTF-8 bytes: encoded once, when the file is parsed, not on every re-assembly."""
        if data:
            self._streams[seed][0].write(data)

    def commit(self) -> list[Path]:
        targets = []
        for seed, (stream, temp_name) in self._streams.items():
            stream.close()
            target = self.seeds_dir / f"{seed}.csv"
            os.replace(temp_name, target)
            targets.append(target)
        return targets

    def discard(self) -> None:
        for stream, temp_name in self._streams.values():
            stream.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
