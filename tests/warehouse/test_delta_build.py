"""A few changed files: the delta build (ingest/warehouse/delta.py) gives the warehouse a build from scratch gives.

The samples are copied, built once from scratch, then changed (a file removed, one renamed, one
edited, a junk file and a duplicate added, the blank template removed) and built again by the
delta path; that warehouse is compared table by table, row by row, with one built from scratch
from the changed folder. Then the changes are undone and the delta build must give back the
session's warehouse of the samples.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.parse.records import SEED_RECORDS
from ingest.run.pipeline import cached_fragments, ingest_folder
from ingest.warehouse.build import BuildOptions, build, build_lock
from ingest.warehouse.delta import DeltaError, DeltaPlan, _models, _typed_csv, write_delta_seeds
from tests.conftest import SAMPLES, SICHUAN

pytestmark = pytest.mark.slow

JIANGSU_FILE = "jiangsu/江苏省人民检察院__2018年省检察院部门预算公开.pdf"
RENAMED = ("shanghai/上海市普陀区财政局2024年度部门决算.pdf", "shanghai/renamed/财政局2024决算.pdf")
TEMPLATE = "reference/附件2：部门决算模板.pdf"
COPY = "zz-copies/万里街道2024.pdf"  # after the original in path order: the copy is the duplicate
SICHUAN_EDIT = ("基本支出1,558.92万元", "基本支出1,558.93万元")


def run(folder: Path, work: Path, capfd, *, force: bool = False) -> str:
    options = BuildOptions(jobs=2, cache_dir=work / "cache", force=force, seeds_dir=work / "seeds")
    with build_lock(900):
        code = build(folder, work / "warehouse.duckdb", options)
    output = capfd.readouterr().out
    assert code == 0, output[-3000:]
    return output


def differing_tables(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Tables whose rows differ (as multisets), with the rows only in left and only in right."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as l (read_only)")
        connection.execute(f"attach '{right}' as r (read_only)")
        tables = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables where table_catalog = 'l'"
            " and table_schema in ('staging', 'intermediate', 'marts') order by 1"
        ).fetchall()
        assert len(tables) > 40
        differing = {}
        for (table,) in tables:
            only_left = connection.execute(
                f"select count(*) from (from l.{table} except all from r.{table})"
            ).fetchone()[0]
            only_right = connection.execute(
                f"select count(*) from (from r.{table} except all from l.{table})"
            ).fetchone()[0]
            if only_left or only_right:
                differing[table] = (only_left, only_right)
    return differing


def change(folder: Path, parked: Path) -> None:
    parked.mkdir(exist_ok=True)
    shutil.move(folder / JIANGSU_FILE, parked / "removed.pdf")
    shutil.move(folder / TEMPLATE, parked / "template.pdf")
    (folder / RENAMED[1]).parent.mkdir()
    shutil.move(folder / RENAMED[0], folder / RENAMED[1])
    text = (folder / "sichuan" / SICHUAN.name).read_text(encoding="utf-8")
    assert SICHUAN_EDIT[0] in text
    (folder / "sichuan" / SICHUAN.name).write_text(text.replace(*SICHUAN_EDIT), encoding="utf-8")
    (folder / "junk.pdf").write_bytes(b"%PDF-1.4 this is not a PDF at all \x00\x01\x02" * 40)
    (folder / COPY).parent.mkdir()
    shutil.copy(folder / "shanghai" / "普陀区万里街道2024部门预算.pdf", folder / COPY)


def undo(folder: Path, parked: Path) -> None:
    shutil.move(parked / "removed.pdf", folder / JIANGSU_FILE)
    shutil.move(parked / "template.pdf", folder / TEMPLATE)
    shutil.move(folder / RENAMED[1], folder / RENAMED[0])
    (folder / RENAMED[1]).parent.rmdir()
    shutil.copy(SICHUAN, folder / "sichuan" / SICHUAN.name)
    (folder / "junk.pdf").unlink()
    shutil.rmtree((folder / COPY).parent)


def test_a_delta_build_equals_a_build_from_scratch(tmp_path, capfd, warehouse_path):
    folder, work = tmp_path / "disclosures", tmp_path / "work"
    shutil.copytree(SAMPLES, folder)
    assert "dbt: build finished" in run(folder, work, capfd)

    change(folder, tmp_path / "parked")
    output = run(folder, work, capfd)
    assert "build: delta build:" in output and "tables merged" in output, output[-3000:]
    scratch = tmp_path / "scratch"
    run(folder, scratch, capfd, force=True)
    assert differing_tables(work / "warehouse.duckdb", scratch / "warehouse.duckdb") == {}

    # the changes are seen: the file is gone, the edit checked, the junk rejected, the copy a duplicate
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as connection:
        logged = {
            row[0]: row[1:]
            for row in connection.execute(
                "select source_file, status, reason, figure_count from marts.fct_ingest_log where source_file in (?, ?, ?, ?, ?)",
                [JIANGSU_FILE, RENAMED[0], RENAMED[1], "junk.pdf", COPY],
            ).fetchall()
        }
        basic = connection.execute(
            "select basic_expenditure from marts.fct_disclosure where department_id = '510904-社会保险事业管理局'"
        ).fetchall()
    assert set(logged) == {RENAMED[1], "junk.pdf", COPY}
    assert logged["junk.pdf"][0] == "rejected"
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        before = connection.execute(
            "select figure_count from marts.fct_ingest_log where source_file = ?", [RENAMED[0]]
        ).fetchall()
    assert logged[RENAMED[1]][0] != "rejected" and [(logged[RENAMED[1]][2],)] == before
    assert logged[COPY][1].startswith("duplicate of shanghai/普陀区万里街道2024部门预算.pdf")
    assert [str(value) for (value,) in basic] == ["1558.930000"]

    # the delta's seeds from the cache are the rows filtered from the seeds (the way without a cache)
    log = ingest_folder(folder, work / "seeds", cache_dir=work / "cache", keep_extractions=False).log
    fed = sorted({row.document_id for row in log if row.document_id and "shanghai/" in row.source_file})
    plan = DeltaPlan([], fed, [], 0, len(fed))
    fragments = cached_fragments(work / "cache", log, set(fed))
    assert fragments is not None and len(fragments) == len(fed) > 3
    write_delta_seeds(plan, work / "seeds", tmp_path / "from-cache", fragments)
    write_delta_seeds(plan, work / "seeds", tmp_path / "filtered")
    with duckdb.connect() as connection:
        for record in SEED_RECORDS:
            from_cache = connection.execute(f"from {_typed_csv(record, tmp_path / 'from-cache')}").fetchall()
            assert from_cache == connection.execute(f"from {_typed_csv(record, tmp_path / 'filtered')}").fetchall()
            assert from_cache or record.SEED in ("economic_lines", "performance_projects", "performance_indicators")

    undo(folder, tmp_path / "parked")
    output = run(folder, work, capfd)
    assert "build: delta build:" in output, output[-3000:]
    assert differing_tables(work / "warehouse.duckdb", warehouse_path) == {}


def test_every_model_says_how_a_delta_merges_it(warehouse_path):
    manifest = Path(__file__).resolve().parents[2] / "dbt_project" / "target" / "manifest.json"
    kinds = {model["name"]: model["kind"] for model in _models(manifest)}
    assert kinds["fct_figure"] == "department" and kinds["stg_figures"] == "document"
    assert kinds["stg_ingest_log"] == "whole" and kinds["fct_ingest_log"] == "recompute"
    assert kinds["dim_function"] == "reference"
    depth = {model["name"]: model["depth"] for model in _models(manifest)}
    assert depth["stg_figures"] == 0 and depth["int_figures"] == 2 and depth["fct_ingest_log"] > depth["int_documents"]


def test_a_model_without_a_delta_kind_is_refused(tmp_path):
    node = {
        "resource_type": "model",
        "unique_id": "model.juesuan.fct_new",
        "schema": "marts",
        "name": "fct_new",
        "alias": "fct_new",
        "database": "w",
        "config": {"materialized": "table", "meta": {}},
    }
    manifest = tmp_path / "target" / "manifest.json"
    manifest.parent.mkdir()
    manifest.write_text(json.dumps({"nodes": {"model.juesuan.fct_new": node}}), encoding="utf-8")
    with pytest.raises(DeltaError, match="fct_new"):
        _models(manifest)
