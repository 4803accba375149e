"""Every dbt model is documented in the YAML beside it: a description that says something, and
every column of its table described."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[2] / "dbt_project" / "target" / "manifest.json"


def test_every_model_and_column_is_described(warehouse_path, warehouse):
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    assert len(models) > 40
    for model in models:
        description = model["description"].strip()
        assert len(description) >= 20 and description != model["name"], f"{model['name']}: {description!r}"
        built = {
            row[0]
            for row in warehouse.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [model["schema"], model["alias"]],
            ).fetchall()
        }
        assert built, model["name"]
        undocumented = sorted(c for c in built if not model["columns"].get(c, {}).get("description", "").strip())
        assert undocumented == [], f"{model['name']}: {undocumented}"
