"""Writing records as seed CSVs for dbt: deterministic, so a rerun gives identical bytes."""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import astuple, fields
from decimal import Decimal
from pathlib import Path

from ingest.amounts import format_decimal


def seed_columns(record_type) -> list[str]:
    return [f.name for f in fields(record_type)]


def cell(value) -> str:
    if value is None:
        return ""
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
            writer.writerow([cell(v) for v in astuple(row)])
    os.replace(temp_name, target)
    return target
