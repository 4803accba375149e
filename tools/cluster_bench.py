"""Cluster benchmark: ingest's per-file map on 1 and 2 Dask workers against the local pool of 1 and 2
processes, on the same synthetic corpus, and what that says for a national decade.

``python -m tools.cluster_bench [--documents 2000] [--repeat 3] [--pdf-folder samples] [--out bench/cluster.txt]``

The corpus is ``tools.synthetic`` text (clearly labelled, deterministic by seed). The Dask cluster
is started as a user starts one, with the ``dask scheduler`` and ``dask worker`` commands (one
thread per worker process, as parsing is pure Python and holds the GIL), each a process of its
own, so the CPU time of the client (this process: listing, hashing, merging, writing the seeds),
the scheduler and the workers is measured apart (``psutil``). Every run parses every file (no
cache) and its seeds are checked byte for byte against the local pool's. Wall time is the ingest
alone (cluster start-up is reported beside it); the best of ``--repeat`` runs is used for the
speed-up, every run is listed. ``--pdf-folder`` (default: the shipped samples) is parsed once on
the 2-worker cluster for the CPU cost of a real PDF disclosure, which the national arithmetic uses.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from ingest.run.executor import DaskCluster, LocalPool
from ingest.run.pipeline import ingest_folder, list_files

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NATIONAL_DOCUMENTS = 2_000_000  # a decade of the country: ~200,000 disclosures a year
TARGET_SECONDS = 3600.0  # "in about one hour"
WORKER_CORES = 16  # the size of one worker machine in the arithmetic


@dataclass
class Run:
    wall: float
    client_cpu: float
    scheduler_cpu: float = 0.0
    workers_cpu: float = 0.0


@dataclass
class Setup:
    name: str
    runs: list[Run] = field(default_factory=list)
    startup: float = 0.0

    @property
    def best(self) -> Run:
        return min(self.runs, key=lambda run: run.wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.cluster_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000, help="synthetic text documents (a multiple of 5)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf-folder", type=Path, default=ROOT / "samples")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "cluster.txt")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as work:
        work = Path(work)
        corpus = _corpus(work / "corpus", args.documents)
        reference = work / "reference-seeds"
        ingest_folder(corpus, reference, executor=LocalPool(1), keep_extractions=False)
        with DaskProcesses(1, work / "cluster-1") as one, DaskProcesses(2, work / "cluster-2") as two:
            setups = [Setup(name) for name in ("local pool, 1 process", "local pool, 2 processes")]
            setups += [
                Setup(name, startup=cluster.startup)
                for name, cluster in (("Dask, 1 worker", one), ("Dask, 2 workers", two))
            ]
            warm = _corpus(work / "warm-up", 20)
            for index, cluster in enumerate((one, two)):  # the workers import the parsing code once
                cluster.ingest(warm, work / f"warm-up-{index}", None)
            for attempt in range(args.repeat):  # in turn, so that the load of the machine falls on all alike
                for jobs in (1, 2):
                    setups[jobs - 1].runs.append(_local(corpus, jobs, work / f"local-{jobs}-{attempt}", reference))
                for index, cluster in ((2, one), (3, two)):
                    setups[index].runs.append(cluster.ingest(corpus, work / f"dask-{index}-{attempt}", reference))
            pdf = None
            if args.pdf_folder.is_dir():
                pdf = (len(list_files(args.pdf_folder)), two.ingest(args.pdf_folder, work / "pdf", None))
        text = report(setups, args.documents, pdf, args.pdf_folder)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"→ {args.out}")
    return 0


def _corpus(folder: Path, documents: int) -> Path:
    from tools.synthetic import write_corpus

    write_corpus(folder, departments=max(1, documents // 5), years=range(2019, 2024), seed=11, fmt="text")
    return folder


def _local(corpus: Path, jobs: int, seeds: Path, reference: Path) -> Run:
    cpu, children, started = time.process_time(), _children_cpu(), time.perf_counter()
    ingest_folder(corpus, seeds, executor=LocalPool(jobs), keep_extractions=False)
    wall = time.perf_counter() - started
    _same_seeds(seeds, reference)
    return Run(wall, time.process_time() - cpu, workers_cpu=_children_cpu() - children if jobs > 1 else 0.0)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _same_seeds(seeds: Path, reference: Path) -> None:
    for path in sorted(reference.glob("*.csv")):
        if (seeds / path.name).read_bytes() != path.read_bytes():
            raise SystemExit(f"cluster_bench: {seeds / path.name} differs from the local pool's seeds")


class DaskProcesses:
    """``dask scheduler`` and ``dask worker --nworkers N --nthreads 1`` on this machine, as processes."""

    def __init__(self, workers: int, folder: Path) -> None:
        self.workers, self.folder = workers, folder

    def __enter__(self) -> DaskProcesses:
        self.folder.mkdir(parents=True)
        started = time.perf_counter()
        scheduler_file = self.folder / "scheduler.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.scheduler = subprocess.Popen(
            [BIN / "dask", "scheduler", "--scheduler-file", scheduler_file, "--port", "0", "--no-dashboard"],
            env={**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"},  # as the README says
            **quiet,
        )
        while not scheduler_file.exists():
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        self.workers_process = subprocess.Popen(
            [BIN / "dask", "worker", address, "--nworkers", str(self.workers), "--nthreads", "1", "--no-dashboard"]
            + ["--local-directory", self.folder],
            **quiet,
        )
        from distributed import Client

        with Client(address, set_as_default=False) as client:
            client.wait_for_workers(self.workers, timeout=120)
        self.startup = time.perf_counter() - started
        self.executor = DaskCluster(address)
        return self

    def ingest(self, folder: Path, seeds: Path, reference: Path | None) -> Run:
        scheduler, workers = self._cpu(self.scheduler.pid), self._cpu(self.workers_process.pid)
        cpu, started = time.process_time(), time.perf_counter()
        ingest_folder(folder, seeds, executor=self.executor, keep_extractions=False)
        wall = time.perf_counter() - started
        run = Run(
            wall,
            time.process_time() - cpu,
            self._cpu(self.scheduler.pid) - scheduler,
            self._cpu(self.workers_process.pid) - workers,
        )
        if reference is not None:
            _same_seeds(seeds, reference)
        return run

    @staticmethod
    def _cpu(pid: int) -> float:
        """CPU seconds of a process and all its descendants alive now."""
        root = psutil.Process(pid)
        total = 0.0
        for process in [root, *root.children(recursive=True)]:
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def __exit__(self, *exc) -> None:
        for process in (self.workers_process, self.scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def report(setups: list[Setup], documents: int, pdf: tuple[int, Run] | None, pdf_folder: Path) -> str:
    """The table (local 1, local 2, Dask 1, Dask 2), the speed-ups, the PDF cost and the national arithmetic."""
    load = os.getloadavg()
    lines = [
        f"Cluster benchmark (python -m tools.cluster_bench), {time.strftime('%Y-%m-%d')}: {documents} synthetic "
        f"text documents; {os.cpu_count()} cores shared with other work (load average {load[0]:.2f} at the end).",
        "Every run parses every file (no cache); every run's seeds were checked byte for byte against the local pool's.",
        "Wall time of the ingest alone; CPU per document: parsing (the worker processes; the one local process",
        "does everything), the client (this process: listing, hashing, merging, writing seeds) and the scheduler.",
        "",
        f"{'setup':<24} {'wall s':>7} {'docs/s':>7} {'speed-up':>9} {'parse ms':>9} {'client ms':>10} "
        f"{'sched ms':>9}  every run, s",
    ]
    for index, setup in enumerate(setups):
        best, single = setup.best, setups[index - index % 2].best
        in_process = not best.workers_cpu
        parse_cpu = best.client_cpu if in_process else best.workers_cpu
        lines.append(
            f"{setup.name:<24} {best.wall:>7.1f} {documents / best.wall:>7.0f} {single.wall / best.wall:>8.2f}x "
            f"{1000 * parse_cpu / documents:>9.1f} {_ms(best.client_cpu, documents, not in_process):>10} "
            f"{_ms(best.scheduler_cpu, documents, index >= 2):>9}  "
            + ", ".join(f"{run.wall:.1f}" for run in setup.runs)
            + (f" (cluster start-up {setup.startup:.1f} s, not counted)" if setup.startup else "")
        )
    lines.append("speed-up: the best wall time of the 1-process (1-worker) row over this row's, same kind.")
    dask_two = setups[3].best
    if pdf is not None:
        count, run = pdf
        pdf_cpu = run.workers_cpu / count
        size = sum(file.size for file in list_files(pdf_folder)) / count
        lines += [
            "",
            f"Real disclosures ({pdf_folder.name}/: {count} files, mostly PDF, {size / 1024:.0f} KiB on average) on "
            f"2 Dask workers: {run.wall:.1f} s; {1000 * pdf_cpu:.0f} ms of parse CPU and "
            f"{1000 * run.client_cpu / count:.1f} ms of client CPU per document.",
        ]
        lines += national(dask_two.workers_cpu / documents, pdf_cpu, dask_two.client_cpu / documents, size)
    return "\n".join(lines) + "\n"


def _ms(cpu: float, documents: int, shown: bool) -> str:
    return f"{1000 * cpu / documents:.1f}" if shown else "-"


def national(text_cpu: float, pdf_cpu: float, client_cpu: float, pdf_bytes: float) -> list[str]:
    """The national decade in one hour: worker cores, machines, the client's ceiling, the bytes."""
    docs, hour = NATIONAL_DOCUMENTS, TARGET_SECONDS
    lines = ["", f"A national decade: {docs:,} documents in {hour / 3600:g} hour (arithmetic from the figures above)"]
    for label, cpu in (("synthetic text", text_cpu), ("real PDF (samples)", pdf_cpu)):
        core_seconds = docs * cpu
        cores = core_seconds / hour
        machines = -(-cores // WORKER_CORES)
        lines.append(
            f"  {label}: {docs:,} × {1000 * cpu:.0f} ms = {core_seconds / 3600:,.0f} core-hours → "
            f"{cores:,.0f} worker cores busy for the hour: {machines:.0f} machine{'s' if machines > 1 else ''} "
            f"of {WORKER_CORES} cores (one worker process per core, --nthreads 1); linear, as files share nothing"
        )
    rate = docs / hour
    lines.append(
        f"  the client must take in {rate:,.0f} documents/s; at {1000 * client_cpu:.2f} ms of its CPU per document "
        f"(listing, hashing, merging, writing seeds, scheduler talk) it manages {1 / client_cpu:,.0f}/s on one core"
    )
    volume = docs * pdf_bytes
    lines.append(
        f"  the files: {docs:,} × {pdf_bytes / 1024:.0f} KiB = {volume / 1e12:.2f} TB; sent through the scheduler "
        f"at 1 Gbit/s (~110 MB/s) that alone is {volume / 110e6 / 3600:.1f} hours, so at that scale the "
        "workers read a shared folder at the same path (checked at start) and only paths travel"
    )
    return lines


if __name__ == "__main__":
    sys.exit(main())
