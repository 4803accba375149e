"""Shared fixtures: the shipped samples, and one warehouse built from them per test session."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SICHUAN = SAMPLES / "sichuan" / "2023-四川省遂宁市安居区社会保险事业管理局-部门决算.txt"


@pytest.fixture(scope="session")
def sichuan_extraction():
    """The Sichuan 2023 决算 (text dumped from .docx), extracted once."""
    from ingest.parse.passes import extract_document
    from ingest.parse.readers.text import read_text

    document = read_text(SICHUAN.read_bytes(), "sichuan/" + SICHUAN.name)
    return extract_document(document, "sichuan-test")


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory) -> Path:
    """The file of a warehouse built from samples/ exactly as `make build` does (ingest → dbt build → swap)."""
    from ingest.warehouse.build import build, build_lock

    path = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    with build_lock(900):
        code = build(SAMPLES, path)
    assert code == 0, "dbt build failed: see the output above"
    return path


@pytest.fixture(scope="session")
def warehouse(warehouse_path):
    """A read-only connection to the session's warehouse."""
    import duckdb

    connection = duckdb.connect(str(warehouse_path), read_only=True)
    yield connection
    connection.close()


def rows(connection, sql: str, *parameters) -> list[tuple]:
    return connection.execute(sql, list(parameters)).fetchall()


def python_json(script: str, arguments: list[str], environment: dict[str, str], timeout: float) -> dict:
    """Run ``script`` in a fresh interpreter (``python -c``, in the project) and read the JSON object
    it prints last: for what must be decided at a process's start (imports, fonts)."""
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def seed_bytes(folder: Path) -> dict[str, bytes]:
    """The seed CSVs of ``folder`` by name, as bytes: two runs that wrote the same seeds compare equal."""
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}
