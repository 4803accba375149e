"""Ingest's per-file map on a Dask cluster (``ingest.run.executor``): two worker processes started
here (``distributed.LocalCluster``) give the seeds of the local process pool byte for byte; a worker
killed mid-run loses no file; a file that kills its worker twice is rejected with that reason; the
per-file time limit holds on the workers; an unreachable scheduler is one line, not a traceback.

The misbehaving parses are a test fixture (``Misbehave``), a Dask worker plugin that replaces the
parser in every worker process, the ones the nanny starts again after a death included; nothing
in the shipped code knows about it.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import socket
import sys
import time
from pathlib import Path

import cloudpickle
import dask
import pytest
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from ingest.run.executor import DaskCluster, ExecutorUnavailable, _DaskRun, executor_from
from ingest.run.parallel import FileTask
from ingest.run.pipeline import ingest_folder
from tests.conftest import SAMPLES, seed_bytes
from tools.synthetic import file_name, render_one

# the plugin travels to the workers by value: they need not import this test module
cloudpickle.register_pickle_by_value(sys.modules[__name__])

SHIPPED = [  # a text dump and two PDF layouts of the shipped samples
    "sichuan/2023-四川省遂宁市安居区社会保险事业管理局-部门决算.txt",
    "jiangsu/江苏省人大办公厅__江苏省人大常委会办公厅2019年部门预算公开表.pdf",
    "national/上海/2026-上海市文物保护研究中心-单位预算.pdf",
]
SYNTHETIC = [(index, year) for index in range(1, 9) for year in (2022, 2023, 2024)]  # 24 text documents


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """27 disclosures in two sub-folders, and the seeds the local pool of 2 processes writes for them."""
    root = tmp_path_factory.mktemp("dask")
    folder = root / "disclosures"
    for relative in SHIPPED:
        target = folder / "shipped" / Path(relative).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / relative, target)
    (folder / "synthetic").mkdir()
    for index, year in SYNTHETIC:
        (folder / "synthetic" / file_name(index, year, "text")).write_bytes(render_one(index, year, seed=3, fmt="text"))
    ingest_folder(folder, root / "local-seeds", jobs=2, keep_extractions=False)
    return folder


def _local_seeds(folder: Path) -> Path:
    return folder.parent / "local-seeds"


@pytest.fixture
def cluster():
    """Two single-thread worker processes under nannies (a dead one is started again), and a
    scheduler that gives a task up at the first death, so the executor does the counting."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
        ) as cluster,
    ):
        yield cluster


class Misbehave(WorkerPlugin):
    """Test fixture: in every worker process, parsing a file named in ``kill`` ends the process
    (``os._exit``, as a crash in a C library would), one named in ``kill_once`` ends it the first
    time only (``marker`` records that it happened), one named in ``spin`` loops until stopped."""

    name = "juesuan-test-misbehave"

    def __init__(self, kill=(), kill_once=(), spin=(), marker: str = "") -> None:
        self.kill, self.kill_once, self.spin, self.marker = set(kill), set(kill_once), set(spin), marker

    def setup(self, worker) -> None:
        import ingest.run.pipeline as pipeline

        parse = pipeline.ingest_file
        kill, kill_once, spin, marker = self.kill, self.kill_once, self.spin, self.marker

        def misbehaving(data, relative, digest, size):
            name = relative.rsplit("/", 1)[-1]
            if name in kill:
                os._exit(17)
            if name in kill_once and _first_time(marker):
                os._exit(17)
            while name in spin:
                pass
            return parse(data, relative, digest, size)

        pipeline.ingest_file = misbehaving


def _first_time(marker: str) -> bool:
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        return True
    except FileExistsError:
        return False


def test_a_dask_cluster_writes_the_local_pools_seeds_byte_for_byte(folder, cluster, tmp_path):
    result = ingest_folder(
        folder,
        tmp_path / "seeds",
        executor=DaskCluster(cluster.scheduler_address),
        cache_dir=tmp_path / "cache",
        keep_extractions=False,
    )
    assert result.parsed_now == 27
    local = seed_bytes(_local_seeds(folder))
    assert len(local) >= 9 and b"," in local["figures.csv"]
    assert seed_bytes(tmp_path / "seeds") == local
    # what the workers gave went into the cache: the local pool, reading it, parses nothing
    again = ingest_folder(folder, tmp_path / "again", jobs=2, cache_dir=tmp_path / "cache", keep_extractions=False)
    assert again.parsed_now == 0
    assert seed_bytes(tmp_path / "again") == local


def test_a_worker_killed_mid_run_loses_no_file(folder, cluster, tmp_path):
    victim = file_name(4, 2023, "text")  # a file in the middle: others are out with it
    marker = tmp_path / "killed"
    with Client(cluster) as client:
        client.register_plugin(Misbehave(kill_once=[victim], marker=str(marker)))
    result = ingest_folder(
        folder, tmp_path / "seeds", executor=DaskCluster(cluster.scheduler_address), keep_extractions=False
    )
    assert marker.exists(), "the fixture did not kill a worker"
    assert [row.status for row in result.log].count("rejected") == 0
    assert seed_bytes(tmp_path / "seeds") == seed_bytes(_local_seeds(folder))


def test_a_file_that_kills_its_worker_twice_is_rejected_and_the_time_limit_holds(folder, cluster, tmp_path):
    deadly, slow = file_name(2, 2022, "text"), file_name(6, 2024, "text")
    with Client(cluster) as client:
        client.register_plugin(Misbehave(kill=[deadly], spin=[slow]))
    result = ingest_folder(
        folder,
        tmp_path / "seeds",
        executor=DaskCluster(cluster.scheduler_address),
        keep_extractions=False,
        file_timeout=5,
    )
    by_file = {row.source_file.rsplit("/", 1)[-1]: row for row in result.log}
    assert by_file[deadly].status == "rejected"
    assert by_file[deadly].reason == (
        "the worker process reading it died 2 times (a crash or out of memory); not tried again"
    )
    assert by_file[slow].status == "rejected"
    assert by_file[slow].reason == "reading took longer than the 5 s limit per file"
    others = [row for name, row in by_file.items() if name not in (deadly, slow)]
    assert len(others) == 25 and all(row.status != "rejected" for row in others)
    # the seeds are the local pool's less the rows of those two documents
    with (_local_seeds(folder) / "ingest_log.csv").open(encoding="utf-8", newline="") as handle:
        ids = {
            row["document_id"].encode() for row in csv.DictReader(handle) if row["source_file"].endswith((deadly, slow))
        }
    assert len(ids) == 2
    local, here = seed_bytes(_local_seeds(folder)), seed_bytes(tmp_path / "seeds")
    for name in ("figures.csv", "documents.csv", "function_lines.csv"):
        kept = [line for line in local[name].splitlines(keepends=True) if line.split(b",", 1)[0] not in ids]
        assert len(kept) < len(local[name].splitlines()), name
        assert here[name] == b"".join(kept), name


def test_an_unreachable_scheduler_is_one_line(folder, tmp_path, capfd, monkeypatch):
    from ingest.run import executor
    from ingest.warehouse import build

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", 1.0)
    started = time.monotonic()
    code = build.main(
        [
            "--disclosures",
            str(folder),
            "--warehouse",
            str(tmp_path / "wh.duckdb"),
            "--no-cache",
            "--wait",
            "120",
            "--executor",
            f"dask://127.0.0.1:{port}",
        ]
    )
    lines = [line for line in capfd.readouterr().err.splitlines() if "another build is running" not in line]
    assert code == build.EXECUTOR_UNAVAILABLE_EXIT
    assert lines == [
        f"build: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: no answer within 1 s; "
        "is `dask scheduler` running there, with its port open to this machine?"
    ]
    assert time.monotonic() - started < 60
    assert not (tmp_path / "wh.duckdb").exists()


def test_executor_names():
    assert executor_from(None, 3).describe() == "3 local processes"
    assert executor_from("local", 1).describe() == "1 local process"
    assert executor_from("dask://10.0.0.5:8786", 2) == DaskCluster("tcp://10.0.0.5:8786")
    for wrong in ("dask://", "ray://host:1", "10.0.0.5:8786"):
        with pytest.raises(ValueError, match="expected 'local' or dask://HOST:PORT"):
            executor_from(wrong, 1)


def test_nothing_to_parse_does_not_reach_for_the_cluster():
    unreachable = DaskCluster("tcp://127.0.0.1:9", connect_timeout=0.1)
    assert list(unreachable.map(len, [], lambda task, deaths: None)) == []
    with pytest.raises(ExecutorUnavailable, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        unreachable.map(len, [FileTask("/nowhere", "nowhere", "0" * 64, 0)], lambda task, deaths: None)


class _StandInFuture:
    """A future as the scheduler reports it, without a cluster."""

    def __init__(self, status: str):
        self.status = status

    def exception(self):
        raise AssertionError("exception() waits on a future that is not in error: it must not be asked")


class _StandInClient:
    def __init__(self):
        self.submitted: list[list[FileTask]] = []

    def submit(self, function, worker, tasks, key, pure):
        self.submitted.append(tasks)
        return _StandInFuture("pending")


@pytest.mark.parametrize("status", ["lost", "pending"])
def test_a_result_lost_with_its_worker_is_handed_out_again_not_raised(status):
    # seen once in CI: a chunk done on a worker killed before its result was gathered came back
    # neither finished nor in error, and `raise future.exception()` raised None (a TypeError)
    tasks = [FileTask(f"/d/{name}", name, "0" * 64, 1) for name in ("a.txt", "b.txt", "c.txt")]
    client = _StandInClient()
    run = _DaskRun(client, worker=None, tasks=tasks, lost=None, address="tcp://127.0.0.1:1")
    run.ship_bytes = False
    run.completed = set()  # as_completed's add() is all _submit uses
    gone = _StandInFuture(status)
    run.in_flight[gone] = [0, 1]

    run._failed(gone)

    assert client.submitted == [tasks[:2]]  # the same two files, out again together
    assert gone not in run.in_flight and list(run.in_flight.values()) == [[0, 1]]
    assert run.deaths == {} and not run.suspects  # no fault of the files: no death counted
