"""Parsing many files on every core: one task per file, results back in file order.

Workers are processes (``multiprocessing``, fork): the readers and extractors are pure Python
and hold the GIL. ``Pool.imap`` hands results back in the order the files were submitted, so
the merged seeds are the same bytes whatever the number of workers. Each file runs under a
time limit (``SIGALRM`` in the worker): a file that takes longer is rejected with the reason
"timeout" and the run goes on. The limit interrupts Python code; a reader stuck inside a C
library is bounded by the reader's own limits (page and size caps).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILE_TIMEOUT = 300.0  # seconds for one file; the slowest sample PDF takes about 2 s


class FileTimeout(BaseException):
    """A file over its time limit. A BaseException, like KeyboardInterrupt, so that no reader's
    ``except Exception`` can swallow it and carry on past the limit."""


@dataclass(frozen=True)
class FileTask:
    path: str  # absolute
    relative: str  # inside the disclosures folder, as logged
    sha256: str
    size: int


@contextmanager
def time_limit(seconds: float | None):
    """Raise ``FileTimeout`` in the block after ``seconds`` (main thread only; no limit if None)."""
    if not seconds:
        yield
        return

    def expire(signum, frame):
        raise FileTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_tasks(worker: Callable[[FileTask], object], tasks: list[FileTask], jobs: int) -> Iterator[object]:
    """``worker(task)`` for every task, yielded in task order, on ``jobs`` processes (1: in this process).

    With processes, the tasks are handed out before this returns: the workers parse while the
    caller does other work (an incremental build reads the cached files meanwhile), even when
    there is a single task."""
    if jobs <= 1 or not tasks:
        return (worker(task) for task in tasks)
    chunk = max(1, min(16, len(tasks) // (jobs * 8)))
    pool = multiprocessing.get_context("fork").Pool(processes=min(jobs, len(tasks)))
    return _results_then_close(pool, pool.imap(worker, tasks, chunksize=chunk))


def _results_then_close(pool, results: Iterator[object]) -> Iterator[object]:
    try:
        yield from results
    finally:
        pool.terminate()
        pool.join()


def read_task(task: FileTask, max_bytes: int) -> bytes | None:
    return Path(task.path).read_bytes() if task.size <= max_bytes else None
