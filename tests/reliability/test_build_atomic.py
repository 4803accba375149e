"""Atomic builds and concurrent readers (issue: nothing lost, nothing wrong).

Each test builds a small warehouse (the Sichuan sample alone) with the real build command,
so it exercises the same lock, temporary file and swap as `make build`.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SICHUAN

pytestmark = pytest.mark.slow


def build_command(folder: Path, warehouse: Path, *extra: str) -> list[str]:
    # --force: dbt runs even when nothing changed, so every build here really rebuilds
    return [
        sys.executable,
        "-m",
        "ingest.warehouse.build",
        "--disclosures",
        str(folder),
        "--warehouse",
        str(warehouse),
        "--force",
        *extra,
    ]


def run_build(folder: Path, warehouse: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        build_command(folder, warehouse, *extra), cwd=ROOT, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    shutil.copy(SICHUAN, folder / SICHUAN.name)
    return folder


@pytest.fixture(scope="module")
def built(small_folder, tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("built") / "w.duckdb"
    result = run_build(small_folder, warehouse)
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


def department_count(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute("select count(*) from marts.fct_disclosure").fetchone()[0]


def test_killed_builds_leave_the_previous_warehouse_intact(small_folder, built):
    """kill -9 at random moments of ingest or dbt; the old file stays whole and queryable."""
    before = built.read_bytes()
    random.seed(7)
    survived = 0
    for delay in sorted(random.uniform(0.3, 6.0) for _ in range(3)):
        process = subprocess.Popen(
            build_command(small_folder, built),
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert built.read_bytes() == before, f"warehouse changed by a build killed after {delay:.1f} s"
        assert department_count(built) == 1
        survived += 1
    assert survived == 3
    # the next build cleans up what the killed ones left and succeeds
    result = run_build(small_folder, built)
    assert result.returncode == 0, result.stderr
    assert not list(built.parent.glob("w.duckdb.building*"))


def test_a_failed_build_leaves_the_previous_warehouse(small_folder, built, tmp_path):
    before = built.read_bytes()
    result = run_build(tmp_path / "does-not-exist", built)
    assert result.returncode != 0 and "no such folder" in result.stderr
    assert built.read_bytes() == before


def test_a_reader_holding_the_warehouse_does_not_block_a_build(small_folder, built):
    reader = duckdb.connect(str(built), read_only=True)
    try:
        assert reader.execute("select count(*) from marts.fct_disclosure").fetchone()[0] == 1
        result = run_build(small_folder, built)
        assert result.returncode == 0, result.stderr
        # the open connection still reads its (old) file; a new one reads the new build
        assert reader.execute("select count(*) from marts.fct_function_amount").fetchone()[0] > 0
    finally:
        reader.close()
    assert department_count(built) == 1


def test_a_second_build_waits_or_refuses_clearly(small_folder, built):
    first = subprocess.Popen(
        build_command(small_folder, built), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(1.0)
    refused = run_build(small_folder, built, "--wait", "0")
    _first_out, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    if refused.returncode != 0:  # the first still held the lock: a clear refusal
        assert "another build" in refused.stderr
    assert department_count(built) == 1


def test_two_builds_give_identical_marts(small_folder, built, tmp_path):
    other = tmp_path / "again.duckdb"
    assert run_build(small_folder, other).returncode == 0
    query = """select * exclude (disclosure_id) from marts.fct_function_amount order by basis, code"""
    with duckdb.connect(str(built), read_only=True) as a, duckdb.connect(str(other), read_only=True) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        checks = "select check_name, expected, actual, source_locator from marts.fct_disclosure_check order by all"
        assert a.execute(checks).fetchall() == b.execute(checks).fetchall()
