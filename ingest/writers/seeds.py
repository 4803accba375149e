"""Writing records as seed CSVs for dbt: deterministic, so a rerun gives identical bytes."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ingest.amounts import format_decimal


def seed_columns(record_type) -> list[str]:
    return [f.name for f in fields(record_type)]


@lru_cache(maxsize=None)
def _field_names(record_type) -> tuple[str, ...]:
    return tuple(seed_columns(record_type))


def row_values(row) -> list:
    """The record's field values in column order (records are flat, so no deep copy is needed:
    ``dataclasses.astuple`` deep-copies every value and took a quarter of the ingest time)."""
    return [getattr(row, name) for name in _field_names(type(row))]


def cell(value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        if "\n" in value or "\r" in value:
            return value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        return value
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


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


def seed_header(record_type) -> bytes:
    return (",".join(seed_columns(record_type)) + "\n").encode("utf-8")


def render_rows(rows: list) -> str:
    """CSV text of ``rows`` without a header, exactly as ``write_seed`` writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([cell(v) for v in row_values(row)])
    return buffer.getvalue()


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
            try:
                os.unlink(temp_name)
            except FileNotFoundError:
                pass
