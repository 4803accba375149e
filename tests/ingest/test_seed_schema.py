"""The committed dbt seed properties match the record dataclasses the writer uses."""

from __future__ import annotations

from ingest.seed_schema import SCHEMA_FILE, render


def test_seed_properties_are_in_sync_with_records():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), "run: python -m ingest.seed_schema"
