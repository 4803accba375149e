"""Ctrl-C during a build: one line ("interrupted; the last good warehouse is unchanged"), no
traceback, no leaked semaphore, no temporary file left, the warehouse as it was; and a later build
removes what a killed one left.

Ctrl-C in a terminal sends SIGINT to every process of the foreground group: the build, its parsing
workers and dbt. The tests start the build in a session of its own and send SIGINT to that group.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, SICHUAN

pytestmark = pytest.mark.slow

INTERRUPTED = "build: interrupted; the last good warehouse is unchanged"
WAIT_SECONDS = 300  # for the moment to interrupt (the build lock may be held by another build first)
LINGER_SECONDS = 10  # for dbt's multiprocessing helper to notice dbt has gone and exit


def start_build(folder: Path, warehouse: Path, *extra: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "ingest.warehouse.build",
        "--disclosures",
        str(folder),
        "--warehouse",
        str(warehouse),
        *extra,
    ]
    return subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(condition, build: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert build.poll() is None, f"the build ended before {what}: {build.communicate()}"
        assert time.monotonic() < deadline, f"no {what} after {WAIT_SECONDS} s"
        time.sleep(0.05)


def interrupt(build: subprocess.Popen) -> tuple[str, str]:
    os.killpg(build.pid, signal.SIGINT)
    try:
        return build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)


def running_in_group(group: int) -> list[str]:
    """Processes of the process group still running (zombies waiting to be reaped do not count)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, _, rest = text.rpartition(")")
        state, _parent, process_group = rest.split()[:3]
        if int(process_group) == group and state != "Z":
            found.append(name.split("(", 1)[-1])
    return found


def group_ends(group: int, seconds: float = LINGER_SECONDS) -> list[str]:
    deadline = time.monotonic() + seconds
    while running_in_group(group) and time.monotonic() < deadline:
        time.sleep(0.2)
    return running_in_group(group)


def assert_interrupted_cleanly(
    build: subprocess.Popen, out: str, err: str, warehouse: Path, before: bytes, seeds: Path
):
    assert build.returncode == 130, out + err
    assert err.strip().splitlines()[-1] == INTERRUPTED, err
    assert (out + err).count("interrupted") == 1
    for noise in ("Traceback", "KeyboardInterrupt", "leaked semaphore", "resource_tracker"):
        assert noise not in out + err, err
    assert warehouse.read_bytes() == before
    beside = sorted(p.name for p in warehouse.parent.iterdir())
    assert not [name for name in beside if name.endswith((".building", ".wal", ".merging", ".delta-seeds"))], beside
    assert not list(seeds.glob(".*.tmp")), "a seed being written was left behind"
    assert group_ends(build.pid) == [], "a worker or dbt outlived the build"


@pytest.fixture
def last_good(warehouse_path, tmp_path) -> tuple[Path, bytes]:
    """A copy of the session's warehouse (samples) as the last good warehouse, in a folder of its own."""
    target = tmp_path / "last good 库" / "warehouse.duckdb"
    target.parent.mkdir()
    shutil.copy(warehouse_path, target)
    return target, target.read_bytes()


def test_ctrl_c_during_ingest(last_good, tmp_path):
    warehouse, before = last_good
    folder = tmp_path / "pdfs"
    shutil.copytree(SAMPLES / "jiangsu", folder)  # 22 PDFs: a few seconds of parsing on 2 cores
    seeds = tmp_path / "last good 库" / "warehouse-seeds"
    build = start_build(folder, warehouse, "--no-cache", "--jobs", "2")
    # the seeds being written appear when parsing starts
    wait_for(lambda: seeds.is_dir() and any(seeds.glob(".*.tmp")), build, "seed being written")
    time.sleep(0.5)  # well inside the parsing (it takes seconds): the workers are busy
    out, err = interrupt(build)
    assert "ingest:" not in out, "the ingest had already finished: the test did not interrupt it"
    assert_interrupted_cleanly(build, out, err, warehouse, before, seeds)


def test_ctrl_c_during_dbt(last_good, tmp_path):
    warehouse, before = last_good
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(SICHUAN, folder / SICHUAN.name)
    log = Path(f"{warehouse}.log")
    build = start_build(folder, warehouse, "--force", "--no-cache")
    wait_for(
        lambda: log.exists() and " of " in log.read_text(encoding="utf-8", errors="replace"), build, "dbt node running"
    )  # dbt has parsed the project and is building models
    assert Path(f"{warehouse}.building").exists()
    out, err = interrupt(build)
    assert "dbt: build finished" not in out, "dbt had already finished: the test did not interrupt it"
    assert_interrupted_cleanly(build, out, err, warehouse, before, tmp_path / "last good 库" / "warehouse-seeds")
    assert log.read_text(encoding="utf-8").rstrip().endswith(INTERRUPTED)  # and the log says so


def test_a_later_build_removes_what_a_killed_build_left(tmp_path):
    """The files a build killed outright (kill -9, power cut) leaves are removed by the next build
    into that warehouse, even one that stops early (here: every file rejected)."""
    warehouse = tmp_path / "w.duckdb"
    seeds = tmp_path / "w-seeds"
    seeds.mkdir()
    leftovers = [
        Path(f"{warehouse}.building"),
        Path(f"{warehouse}.building.wal"),
        Path(f"{warehouse}.merging"),
        seeds / ".figures.abc123.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"left behind")
    Path(f"{warehouse}.delta-seeds").mkdir()
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"\x00 not a pdf")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest.warehouse.build",
            "--disclosures",
            str(folder),
            "--warehouse",
            str(warehouse),
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0  # every file rejected
    assert "removed 5 leftover file(s) of an interrupted build" in result.stdout
    assert not any(path.exists() for path in leftovers) and not Path(f"{warehouse}.delta-seeds").exists()
