"""``python -m tools.scale_bench --queries-on WAREHOUSE`` times every notebook query on a warehouse."""

from __future__ import annotations

import re

import duckdb

from tools import scale_bench


def test_every_notebook_query_is_timed_on_a_given_warehouse(warehouse_path, capsys):
    assert scale_bench.main(["--queries-on", str(warehouse_path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(scale_bench.notebook_queries()) >= 10
    for line in lines:
        match = re.search(r"(\d{2}_\w+ #\d+)\s+([\d.]+)\s+(\d+)", line)
        assert match, line
        assert float(match.group(2)) > 0


def test_the_write_floor_copies_every_table_the_build_keeps_outside_staging(warehouse_path, tmp_path):
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        tables = connection.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name <> 'staging'"
        ).fetchall()
        rows = sum(connection.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables)
    floor = scale_bench.write_floor(warehouse_path, tmp_path / "scratch.duckdb")
    assert floor.tables == len(tables) >= 40
    assert floor.rows == rows > 0
    assert {"intermediate", "marts"} <= set(floor.by_schema)


def test_a_slow_query_is_reported_with_how_far_over_the_target_it_is():
    text = scale_bench.format_queries([("01_a #1", 150.0, 3), ("02_b #2", 500.0, 7)], label="100000")
    first, second = text.splitlines()
    assert "over" not in first
    assert second.endswith("2.5× over")


def test_a_delta_builds_seconds_and_how_it_went_are_read_from_its_output():
    output = "\n".join(
        [
            "ingest: 10000 files (0 rejected, 1 parsed now) → seeds in 2.6 s",
            "build: delta build: 2 document row(s) changed → 1 department(s), 5 of 10000 document(s) built again",
            "dbt: delta build finished in 11.1 s (exit 0)",
            "build: 40 tables merged in 1.0 s",
        ]
    )
    assert scale_bench.step_seconds(output) == (2.6, 11.1)
    assert scale_bench.how_built(output).startswith("delta build: 2 document row(s) changed")
    assert scale_bench.step_seconds(
        "ingest: 3 files (0 rejected, 3 parsed now) → seeds in 1.5 s\ndbt: build finished in 16.2 s (exit 0)"
    ) == (1.5, 16.2)
