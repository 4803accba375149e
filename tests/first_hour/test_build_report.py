"""What a build tells its user: distinct messages for a missing folder, a file and an empty folder; a
summary at the end of every build (rejections with their reasons); a non-zero exit when every file
was rejected; dbt's output in a plain-text log beside the warehouse; and each warehouse keeping its
own seeds and exports, so that building elsewhere never touches the sample's."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.warehouse import build as build_module
from tests.conftest import ROOT, SICHUAN

BINARY_REASON = "not a document: binary content of unknown kind"  # ingest/run/pipeline.py REJECTIONS["binary"]


def run(*arguments: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def juesuan(*arguments: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """The installed command (the console script beside this Python), run from ``cwd`` with no
    JUESUAN_HOME: it finds the project from where the package was installed."""
    environment = {name: value for name, value in os.environ.items() if name != "JUESUAN_HOME"}
    command = [str(Path(sys.executable).with_name("juesuan")), *arguments]
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout)


def junk(folder: Path, count: int) -> None:
    for number in range(count):
        (folder / f"junk {number:02d}.pdf").write_bytes(b"\x00\x01 this is not a pdf " + bytes([number]))


def test_a_missing_folder_a_file_and_an_empty_folder_are_told_apart(tmp_path, capsys):
    warehouse = str(tmp_path / "w.duckdb")
    assert build_module.main(["--disclosures", str(tmp_path / "nowhere"), "--warehouse", warehouse]) == 2
    assert "no such folder of disclosures" in capsys.readouterr().err
    assert build_module.main(["--disclosures", str(SICHUAN), "--warehouse", warehouse]) == 2
    assert f"{SICHUAN} is a file, not a folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".DS_Store").write_bytes(b"hidden files are skipped")
    assert build_module.main(["--disclosures", str(empty), "--warehouse", warehouse]) == 2
    said = capsys.readouterr().err
    assert "holds no files" in said and "--allow-empty" in said
    assert build_module.disclosures_problem(empty, allow_empty=True) is None
    assert not Path(warehouse).exists()


def test_every_file_rejected_exits_non_zero_with_the_reasons(tmp_path):
    folder = tmp_path / "all junk"
    folder.mkdir()
    junk(folder, 12)
    warehouse = tmp_path / "w.duckdb"
    result = run(
        "-m", "ingest.warehouse.build", "--disclosures", str(folder), "--warehouse", str(warehouse), "--no-cache"
    )
    assert result.returncode == build_module.ALL_REJECTED_EXIT, result.stdout + result.stderr
    assert "every file was rejected" in result.stderr
    listed = [line for line in result.stdout.splitlines() if line.startswith("  rejected junk")]
    assert listed == [f"  rejected junk {n:02d}.pdf: {BINARY_REASON}" for n in range(10)]
    assert f"… and 2 more rejected: see {tmp_path / 'w-seeds' / 'ingest_log.csv'}" in result.stdout
    assert "summary: 12 files: 0 parsed, 0 warned, 12 rejected" in result.stdout
    assert f"warehouse: {warehouse} (not built)" in result.stdout
    assert not warehouse.exists()


def test_dbt_progress_counts_finished_nodes():
    from ingest.run.progress import DbtProgress

    meter = DbtProgress(stream=io.StringIO())
    # lines as dbt 1.11 prints them (from a build log of the sample)
    lines = meter.feed(
        "18:30:38  1 of 207 START sql table model staging.stg_documents ... [RUN]\n"
        "18:30:39  1 of 207 OK created sql table model staging.stg_documents ... [OK in 0.12s]\n"
        "18:30:44  2 of 207 WARN 1 check_unit_slip ... [WARN 1 in 0.02s]\n18:30:44  Compl"
    )
    assert (meter.done, meter.total, meter.outcomes) == (2, 207, {"OK": 1, "WARN": 1})
    assert lines[0].startswith("1 of 207 START") and len(lines) == 3
    assert meter.feed("eted with 1 warning:\n") == ["Completed with 1 warning:"]


@pytest.mark.slow
def test_the_installed_command_builds_from_anywhere_and_each_warehouse_keeps_its_own_files(warehouse_path, tmp_path):
    """`juesuan build` run from a folder outside the checkout finds the dbt project and the reference
    seeds (ingest/settings.py), and the warehouse it builds keeps its seeds and exports beside it."""
    sample_seeds = warehouse_path.with_name("warehouse-seeds")
    assert run("-m", "ingest.warehouse.exports", "--warehouse", str(warehouse_path)).returncode == 0
    sample_exports = warehouse_path.with_name("warehouse-exports")
    sample_files = {
        p: p.read_bytes() for folder in (sample_seeds, sample_exports) for p in folder.rglob("*") if p.is_file()
    }
    assert any(p.name == "documents.csv" for p in sample_files) and any(p.suffix == ".parquet" for p in sample_files)
    project_outputs = {
        p: p.stat().st_mtime_ns
        for folder in (ROOT / "seeds" / "extracted", ROOT / "exports")
        if folder.is_dir()
        for p in folder.rglob("*")
    }

    folder = tmp_path / "one 文件"
    folder.mkdir()
    shutil.copy(SICHUAN, folder / SICHUAN.name)
    junk(folder, 2)
    other = tmp_path / "side 旁" / "other.duckdb"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    built = juesuan("build", "--disclosures", str(folder), "--warehouse", str(other), cwd=elsewhere)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    exported = juesuan("--project", str(ROOT), "export", "--warehouse", str(other), cwd=elsewhere)
    assert exported.returncode == 0, exported.stderr
    asked = juesuan(
        "sql",
        "select department_name, fiscal_year from marts.fct_disclosure",
        "--warehouse",
        str(other),
        "--csv",
        cwd=elsewhere,
    )
    # the Sichuan 2023 决算: its line 143 names 遂宁市安居区社会保险事业管理局, line 20 "2023年度部门决算"
    assert asked.stdout.splitlines()[1:] == ["遂宁市安居区社会保险事业管理局,2023"], asked.stdout + asked.stderr
    assert list(elsewhere.iterdir()) == [], "the command wrote into the folder it was run from"

    # the summary
    out = built.stdout
    assert "summary: 3 files: 0 parsed, 1 warned, 2 rejected" in out
    assert f"  rejected junk 00.pdf: {BINARY_REASON}" in out and f"  rejected junk 01.pdf: {BINARY_REASON}" in out
    assert "  disclosures: 1 (1 " in out and "departments: 1; years: 2023" in out  # the Sichuan 2023 决算 alone
    assert f"  warehouse: {other} (built)" in out and f"  log: {other}.log" in out
    # dbt's output went to the log, as plain text; the console has progress and the summary only
    log = Path(f"{other}.log").read_text(encoding="utf-8")
    assert "Done. PASS=" in log and "\x1b[" not in log
    assert "\x1b[" not in built.stdout + built.stderr and "START sql table model" not in built.stdout + built.stderr

    # each warehouse has its own seeds and exports; dbt read the new warehouse's seeds
    other_seeds, other_exports = other.with_name("other-seeds"), other.with_name("other-exports")
    assert len((other_seeds / "documents.csv").read_text(encoding="utf-8").splitlines()) == 2  # header + Sichuan
    with duckdb.connect(str(other), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.fct_disclosure").fetchone()[0] == 1
        assert (
            connection.execute(
                f"select count(*) from '{other_exports / 'parquet' / 'fct_disclosure.parquet'}'"
            ).fetchone()[0]
            == 1
        )
    assert {p: p.read_bytes() for p in sample_files} == sample_files, "the sample's seeds or exports were touched"
    after = {p: p.stat().st_mtime_ns for p in project_outputs if p.exists()}
    assert after == project_outputs, "the project's seeds/extracted or exports/ were touched"
