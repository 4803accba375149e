"""Where the per-file map runs: this machine's processes (the default), or a Dask cluster.

Ingest is a map over files: ``worker(task)`` for every file, the results taken back in file
order, so the seeds are the same bytes whatever runs the map. ``--executor`` chooses who runs it:

- ``local`` (or nothing): ``ingest.run.parallel.run_tasks``, a process pool of ``--jobs`` on this
  machine;
- ``dask://HOST:PORT``: the workers of the Dask scheduler at that address (``dask scheduler`` and
  ``dask worker tcp://HOST:PORT`` started by the user, each worker with juesuan installed).

On a Dask cluster files go out in chunks of consecutive files, a bounded number ahead of the
one the caller waits for (memory stays bounded at millions of files), and come back in order.
The workers run the same worker function as the local pool (``ingest.run.pipeline.parse_task``,
pickled by reference: it is imported on the worker from the installed package, so the workers
need no checkout as working directory), under the same per-file time limit, and return the
same fragments. Before the first file, each worker is asked for its parsing code version: a
worker with other parsing code would put other rows in the cache under this checkout's key,
so it is refused. Workers that can read the files at the same path (a shared folder) read them
there; otherwise the bytes travel with the task.

A worker process that dies (a crash in a C library, the kernel's out-of-memory killer, a lost
machine) loses no file: the files it held are retried, each alone (nothing else of this run
on the cluster), so that a second death is that file's doing; a file whose workers died twice
is rejected with that reason and the run goes on. The count relies on Dask's scheduler giving
up on a task at once (``distributed.scheduler.allowed-failures: 0``, as the clusters the tests
and the benchmark start); with Dask's default of 3 the scheduler retries a task itself, and
a file is rejected after the four deaths that makes.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from ingest.run.parallel import FileTask, run_tasks

DASK_SCHEME = "dask://"
CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler and to see its first worker
DEATHS_BEFORE_REJECTION = 2  # a file on two workers that died is rejected, not tried a third time
EXECUTOR_HELP = (
    "where files are parsed: 'local' (default: --jobs processes here) or dask://HOST:PORT "
    "(the workers of that Dask scheduler)"
)

Worker = Callable[[FileTask], object]
Lost = Callable[[FileTask, int], object]  # the result for a file whose workers died that many times


class ExecutorUnavailable(RuntimeError):
    """The executor cannot run the map (scheduler unreachable, no workers, other parsing code on
    them); the message is one line a user can act on."""


class Executor(Protocol):
    def map(self, worker: Worker, tasks: list[FileTask], lost: Lost) -> Iterator[object]:
        """``worker(task)`` for every task, yielded in task order; ``lost(task, deaths)`` for a
        task whose worker processes kept dying. Work starts before this returns."""

    def describe(self) -> str: ...


@dataclass(frozen=True)
class LocalPool:
    """This machine's processes (``ingest.run.parallel``)."""

    jobs: int = 1

    def map(self, worker: Worker, tasks: list[FileTask], lost: Lost) -> Iterator[object]:
        return run_tasks(worker, tasks, self.jobs)

    def describe(self) -> str:
        return f"{self.jobs} local process{'es' if self.jobs > 1 else ''}"


def executor_from(spec: str | None, jobs: int) -> Executor:
    """``--executor`` as given (None or '' or 'local': the local pool of ``jobs`` processes)."""
    spec = (spec or "").strip()
    if spec in ("", "local"):
        return LocalPool(jobs)
    if spec.startswith(DASK_SCHEME) and len(spec) > len(DASK_SCHEME):
        return DaskCluster("tcp://" + spec[len(DASK_SCHEME) :], connect_timeout=CONNECT_TIMEOUT)
    raise ValueError(f"--executor: expected 'local' or dask://HOST:PORT (e.g. dask://10.0.0.5:8786), got {spec!r}")


@dataclass(frozen=True)
class DaskCluster:
    """The workers of a running Dask scheduler (``tcp://HOST:PORT``)."""

    address: str
    connect_timeout: float = CONNECT_TIMEOUT

    def describe(self) -> str:
        return f"the Dask cluster at {self.address}"

    def map(self, worker: Worker, tasks: list[FileTask], lost: Lost) -> Iterator[object]:
        if not tasks:
            return iter(())
        client = self._connect()
        try:
            run = _DaskRun(client, worker, tasks, lost, self.address)
            run.start()
        except BaseException:
            client.close()
            raise
        return run

    def _connect(self):
        """A client of the scheduler with at least one worker, or ``ExecutorUnavailable``."""
        from distributed import Client  # imported here: a local build does not pay for it

        # the client's own log lines (its reconnect attempts, with tracebacks) would bury the one line
        # ExecutorUnavailable gives; the scheduler and the workers keep their logs
        for name in ("distributed", "distributed.client", "tornado.application"):  # as distributed sets them up
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            client = Client(self.address, timeout=f"{self.connect_timeout:g}s", set_as_default=False)
        except Exception as error:  # a refused, unresolvable or silent address: a timeout; or a malformed one
            why = f"no answer within {self.connect_timeout:g} s" if isinstance(error, OSError) else _first_line(error)
            raise ExecutorUnavailable(
                f"cannot reach the Dask scheduler at {self.address}: {why}; "
                "is `dask scheduler` running there, with its port open to this machine?"
            ) from None
        try:
            client.wait_for_workers(1, timeout=self.connect_timeout)
        except Exception:
            client.close()
            raise ExecutorUnavailable(
                f"the Dask scheduler at {self.address} has no worker after {self.connect_timeout:g} s: "
                f"start some with `dask worker {self.address}`"
            ) from None
        return client


def parse_chunk(worker: Worker, tasks: Sequence[FileTask]) -> list[object]:
    """What a Dask task runs on a worker: the worker function on consecutive files, in order."""
    return [worker(task) for task in tasks]


def worker_facts(path: str, size: int) -> tuple[str, bool]:
    """On a Dask worker: its parsing code version, and whether it sees ``path`` with that size."""
    from ingest.run.cache import code_version

    try:
        sees = Path(path).stat().st_size == size
    except OSError:
        sees = False
    return code_version(), sees


class _DaskRun:
    """One map on a Dask cluster, read as an iterator of results in task order."""

    def __init__(self, client, worker: Worker, tasks: list[FileTask], lost: Lost, address: str) -> None:
        self.client, self.worker, self.tasks, self.lost, self.address = client, worker, tasks, lost, address
        self.results: dict[int, object] = {}  # done, not yet handed back
        self.deaths: dict[int, int] = {}  # file index → worker deaths while it was on them
        self.suspects: deque[int] = deque()  # files whose worker died, to try again alone
        self.in_flight: dict[object, list[int]] = {}  # future → the indices of its files
        self.next_out = 0  # the index the caller waits for
        self.next_chunk = 0
        self.ship_bytes = True
        self.attempts = 0
        self.run_id = f"{time.time_ns():x}"

    def start(self) -> None:
        """Check the workers, size the chunks, and hand out the first ones."""
        from distributed import as_completed

        self.completed = as_completed([], loop=self.client.loop)  # the futures out, as they finish
        threads = max(1, sum(self.client.nthreads().values()))
        self.ship_bytes = not self._workers_ready()
        size = max(1, min(16, len(self.tasks) // (threads * 8)))
        self.chunks = [list(range(i, min(i + size, len(self.tasks)))) for i in range(0, len(self.tasks), size)]
        self.ahead = max(64, threads * size * 4)  # files handed out past the one the caller waits for
        self._hand_out()

    def _workers_ready(self) -> bool:
        """True when every worker reads the files from the same path (else their bytes are sent);
        ``ExecutorUnavailable`` when a worker cannot import ingest or runs other parsing code."""
        from ingest.run.cache import code_version

        sample = self.tasks[0]
        try:
            facts = self.client.run(worker_facts, sample.path, sample.size)
        except Exception as error:
            raise ExecutorUnavailable(
                f"the Dask workers at {self.address} cannot run juesuan's parsing ({_first_line(error)}): "
                "install this checkout on every worker (pip install -e .)"
            ) from None
        mine = code_version()
        other = sorted({version for version, _ in facts.values() if version != mine})
        if other:
            raise ExecutorUnavailable(
                f"the Dask workers at {self.address} run other parsing code ({', '.join(other)}) than this "
                f"checkout ({mine}): install the same commit on every worker"
            )
        return all(sees for _, sees in facts.values())

    def __iter__(self) -> _DaskRun:
        return self

    def __next__(self) -> object:
        try:
            while self.next_out not in self.results:
                if self.next_out >= len(self.tasks):
                    self.close()
                    raise StopIteration
                self._collect()
                self._hand_out()
            self.next_out += 1
            return self.results.pop(self.next_out - 1)
        except StopIteration:
            raise
        except BaseException:  # Ctrl-C, a lost scheduler: nothing of this run stays on the cluster
            self.close()
            raise

    def close(self) -> None:
        """Cancel what is still out and leave the cluster (idempotent)."""
        if self.client is None:
            return
        futures, self.in_flight, self.completed = list(self.in_flight), {}, None
        try:
            if futures:
                self.client.cancel(futures)
        except Exception:
            pass
        finally:
            self.client.close()
            self.client = None

    @contextmanager
    def _scheduler_talk(self):
        """Around a call to the cluster: a broken connection becomes ``ExecutorUnavailable``."""
        try:
            yield
        except OSError:  # CommClosedError is one: the connection to the scheduler or a worker broke
            raise self._lost() from None

    def _lost(self) -> ExecutorUnavailable:
        return ExecutorUnavailable(
            f"lost the Dask scheduler at {self.address} during the run; the seeds were left as they were "
            "(with the ingest cache, files already taken in are not parsed again): run the build again"
        )

    def _hand_out(self) -> None:
        """First attempts up to ``ahead`` files past the awaited one; while files wait to be tried
        again, none: each waits until nothing else is out, then goes alone."""
        if self.suspects:
            if not self.in_flight:
                self._submit([self.suspects.popleft()])
            return
        while self.next_chunk < len(self.chunks) and self.chunks[self.next_chunk][0] < self.next_out + self.ahead:
            self._submit(self.chunks[self.next_chunk])
            self.next_chunk += 1

    def _submit(self, indices: list[int]) -> None:
        tasks = [self._task(index) for index in indices]
        self.attempts += 1
        key = f"juesuan-parse-{self.run_id}-{indices[0]}-{self.attempts}"
        with self._scheduler_talk():
            future = self.client.submit(parse_chunk, self.worker, tasks, key=key, pure=False)
        self.in_flight[future] = indices
        self.completed.add(future)

    def _task(self, index: int) -> FileTask:
        from ingest.parse.outcome import MAX_FILE_BYTES

        task = self.tasks[index]
        if not self.ship_bytes or task.size > MAX_FILE_BYTES:
            return task
        return replace(task, content=Path(task.path).read_bytes())

    def _collect(self) -> None:
        """Wait for at least one chunk out, and take in every one that is done."""
        if not self.in_flight:
            raise RuntimeError("nothing out and the awaited file not done")  # a bug, never a hang
        with self._scheduler_talk():
            done = self.completed.next_batch(block=True)
            finished = [future for future in done if future.status == "finished"]
            gathered = self.client.gather(finished) if finished else []
        if finished:
            for future, values in zip(finished, gathered, strict=True):
                for index, value in zip(self.in_flight.pop(future), values, strict=True):
                    self.results[index] = value
        for future in done:
            if future in self.in_flight:
                self._failed(future)

    def _failed(self, future) -> None:
        from distributed.scheduler import KilledWorker

        indices = self.in_flight.pop(future)
        if future.status == "cancelled":
            raise self._lost()
        if future.status != "error":
            # done on a worker that died before its result was gathered (the scheduler says 'lost',
            # or has put it back to 'pending'): no fault of the files, and no exception to ask for
            # (exception() would wait for it); hand the same files out again
            self._submit(indices)
            return
        error = future.exception()
        if isinstance(error, OSError) and not self.ship_bytes:
            self.ship_bytes = True  # a worker that does not see the shared folder after all: send the bytes
            self._submit(indices)
            return
        if not isinstance(error, KilledWorker):
            raise error
        for index in indices:
            self.deaths[index] = self.deaths.get(index, 0) + error.allowed_failures + 1
            if self.deaths[index] >= DEATHS_BEFORE_REJECTION:
                self.results[index] = self.lost(self.tasks[index], self.deaths[index])
            else:
                self.suspects.append(index)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__
