"""Parsing many files on every core: one task per file, results back in file order.

Workers are processes (``multiprocessing``, fork): the readers and extractors are pure Python
and hold the GIL. ``Pool.imap`` hands results back in the order the files were submitted, so
the merged seeds are the same bytes whatever the number of workers. Each file runs under a
time limit (``SIGALRM`` in the worker; in a thread that is not the main one, as on a Dask worker,
an exception raised in that thread by a timer): a file that takes longer is rejected with the
reason "timeout" and the run goes on. The limit interrupts Python code; a reader stuck inside a C
library is bounded by the reader's own limits (page and size caps). Other executors (a Dask
cluster) are in ``ingest.run.executor``.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    # the file's bytes, when they travel with the task to a worker that cannot read ``path``
    content: bytes | None = field(default=None, repr=False, compare=False)


@contextmanager
def time_limit(seconds: float | None):
    """Raise ``FileTimeout`` in the block after ``seconds`` (no limit if None): by ``SIGALRM`` in the
    main thread, by a timer thread elsewhere (signals reach the main thread only)."""
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_time_limit(seconds):
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


@contextmanager
def _thread_time_limit(seconds: float):
    """``FileTimeout`` raised in this thread after ``seconds``, by a timer that sets it as the thread's
    pending exception (``PyThreadState_SetAsyncExc``; Python checks it between bytecodes, as it
    does signals). A lock keeps the timer from firing once the block is left, and a pending
    exception that was not raised yet is withdrawn, so the thread's next task never sees it."""
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"inside": True, "fired": False}

    def expire():
        with lock:
            if state["inside"]:
                state["fired"] = True
                _set_async_exception(thread_id, FileTimeout)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["inside"] = False
            if state["fired"]:
                _set_async_exception(thread_id, None)  # withdraw it if still pending
        timer.cancel()


def _set_async_exception(thread_id: int, exception: type[BaseException] | None) -> None:
    pending = ctypes.py_object(exception) if exception is not None else None  # None: NULL, which withdraws it
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), pending)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_tasks(worker: Callable[[FileTask], object], tasks: list[FileTask], jobs: int) -> Iterator[object]:
    """``worker(task)`` for every task, yielded in task order, on ``jobs`` processes (1: in this process).

    With processes, the tasks are handed out before this returns: the workers parse while the
    caller does other work (an incremental build reads the cached files meanwhile), even when
    there is a single task. The workers collect cycles (parsing makes them) even when the caller,
    whose state they are forked from, has the collector off (``pipeline.no_cycle_collection``)."""
    if jobs <= 1 or not tasks:
        return (worker(task) for task in tasks)
    chunk = max(1, min(16, len(tasks) // (jobs * 8)))
    pool = multiprocessing.get_context("fork").Pool(processes=min(jobs, len(tasks)), initializer=gc.enable)
    return _results_then_close(pool, pool.imap(worker, tasks, chunksize=chunk))


def _results_then_close(pool, results: Iterator[object]) -> Iterator[object]:
    try:
        yield from results
    finally:
        pool.terminate()
        pool.join()


def read_task(task: FileTask, max_bytes: int) -> bytes | None:
    """The file's bytes (those sent with the task, else read from ``path``); None when over ``max_bytes``."""
    if task.size > max_bytes:
        return None
    return task.content if task.content is not None else Path(task.path).read_bytes()
