"""The committed dbt seed properties match the record dataclasses the writer uses."""

from __future__ import annotations

from ingest.settings import settings
from ingest.warehouse.seed_schema import render


def test_seed_properties_are_in_sync_with_records():
    assert settings().extracted_sources.read_text(encoding="utf-8") == render(), (
        "run: python -m ingest.warehouse.seed_schema"
    )
