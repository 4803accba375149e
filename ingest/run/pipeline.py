"""From a folder of disclosures to seed CSVs: list, hash, parse (or take from the cache), write.

Every file under the folder gets exactly one row in ``ingest_log`` (``ingest.parse.outcome``
says what one file gives); a file whose content was seen earlier in the folder is logged as a
duplicate and counted once. The seeds are written in file order, so they are the same bytes for
any number of processes.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import ingest.compiled
from ingest.parse.extraction import Extraction
from ingest.parse.outcome import MAX_FILE_BYTES, failed_in_code, ingest_file, rejected, seed_fragments
from ingest.parse.records import SEED_RECORDS, IngestLogRow
from ingest.run.cache import CachedResult, IngestCache, code_version
from ingest.run.executor import Executor, LocalPool
from ingest.run.parallel import DEFAULT_FILE_TIMEOUT, FileTask, FileTimeout, read_task, time_limit
from ingest.run.progress import Progress
from ingest.run.python_retry import retry_in_python
from ingest.run.seeds import PreviousSeeds, SeedLayout, SeedSet, Shard, seed_stamps, shard_starts

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    log: list[IngestLogRow] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)  # only with keep_extractions
    seeds_unchanged: bool = False  # nothing changed since the seeds were last written: left as they were
    parsed_now: int = 0  # files parsed in this run (the others came from the cache or were duplicates)
    seed_layout: SeedLayout | None = None  # how the seeds just written are laid out (with a cache)


def ingest_folder(
    folder: Path,
    seeds_dir: Path,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    keep_extractions: bool = True,
    progress: bool = False,
    file_timeout: float | None = DEFAULT_FILE_TIMEOUT,
    executor: Executor | None = None,
) -> IngestResult:
    """Every file of ``folder`` → one ``ingest_log`` row each, and the seeds in ``seeds_dir``.

    ``jobs`` processes parse files in parallel (or ``executor``'s workers, e.g. a Dask cluster:
    ``ingest.run.executor``); results are merged in file order, so the seeds are the same bytes
    for any ``jobs`` and any executor. With ``cache_dir``, files whose content, path and
    ingest code are unchanged are not parsed again (see ``ingest.run.cache``); the extraction
    objects are then not available, so ``keep_extractions`` must be False.
    """
    if cache_dir is not None and keep_extractions:
        raise ValueError("keep_extractions needs every file parsed: use it without cache_dir")
    executor = executor or LocalPool(jobs)
    parsing_elsewhere = isinstance(executor, LocalPool) and executor.jobs > 1  # in forked processes
    with no_cycle_collection() if parsing_elsewhere else nullcontext():
        return _ingest_folder(folder, seeds_dir, jobs, cache_dir, keep_extractions, progress, file_timeout, executor)


@contextmanager
def no_cycle_collection():
    """Python's cycle collector off while this process keeps its books: at 100,000 files it walked the
    run's hundreds of thousands of long-lived objects (log rows, tasks, hashes) again and again, a
    third of the time of a run with nothing to parse. What the run allocates holds no cycles (rows,
    dicts, bytes) and is freed by reference counting; the parsing workers collect as usual
    (``ingest.run.parallel``). Not when files are parsed in this process (parsing makes cycles), nor
    with a Dask cluster (its client, in this process, makes them too)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _ingest_folder(folder, seeds_dir, jobs, cache_dir, keep_extractions, progress, file_timeout, executor):
    files = list_files(folder)
    with IngestCache(cache_dir) if cache_dir is not None else nullcontext() as cache:
        if cache is not None:  # every file of the same size and mtime as last time: not even a hash to look up
            last_log = cache.last_log(seeds_dir, _seeds_signature(_listing_fingerprint(files), seeds_dir), listed=True)
            if last_log is not None:
                return IngestResult(log=last_log, seeds_unchanged=True)
        tasks = _hash_files(files, cache)
        fingerprint = _inputs_fingerprint(tasks)
        if cache is not None:
            last_log = cache.last_log(seeds_dir, _seeds_signature(fingerprint, seeds_dir))
            if last_log is not None:  # touched, not changed: the next run takes the quick way above
                cache.remember_listing(seeds_dir, _seeds_signature(_listing_fingerprint(files), seeds_dir))
                return IngestResult(log=last_log, seeds_unchanged=True)
        result = _ingest_tasks(tasks, seeds_dir, executor, cache, keep_extractions, progress, file_timeout)
        if cache is not None:
            cache.remember_run(seeds_dir, _seeds_signature(fingerprint, seeds_dir), result.log, result.seed_layout)
            cache.remember_listing(seeds_dir, _seeds_signature(_listing_fingerprint(files), seeds_dir))
        return result


def _listing_fingerprint(files: list[FolderFile]) -> str:
    """The parsing code and every file's path, size and mtime: the same as last run's, the inputs are
    taken to be the same (as ``_hash_files`` takes an unchanged file's hash, and git its index)."""
    digest = hashlib.sha256(code_version().encode())
    digest.update("".join(f"\n{file.path}\t{file.size}\t{file.mtime_ns}" for file in files).encode())
    return digest.hexdigest()


def _hash_files(files: list[FolderFile], cache: IngestCache | None) -> list[FileTask]:
    """SHA-256 of every file; with a cache, a file of unchanged size and mtime is not re-read."""
    known = cache.known_hashes() if cache is not None else {}
    tasks, fresh = [], []
    for file in files:
        remembered = known.get(file.path)
        if remembered and remembered[:2] == (file.size, file.mtime_ns):
            digest = remembered[2]
        else:
            digest = _hash_file(Path(file.path))
            fresh.append((file.path, file.size, file.mtime_ns, digest))
        tasks.append(FileTask(file.path, file.relative, digest, file.size))
    if cache is not None and fresh:
        cache.remember_hashes(fresh)
    return tasks


def _inputs_fingerprint(tasks: list[FileTask]) -> str:
    digest = hashlib.sha256(code_version().encode())
    for task in tasks:
        digest.update(f"\n{task.relative}\t{task.sha256}".encode())
    return digest.hexdigest()


def _seeds_signature(fingerprint: str, seeds_dir: Path) -> str:
    """The inputs' fingerprint plus name, size and mtime of every seed file: edited or deleted seeds are rewritten."""
    return fingerprint + "|" + ",".join(seed_stamps(seeds_dir, ALL_SEEDS))


def _ingest_tasks(tasks, seeds_dir, executor, cache, keep_extractions, progress, file_timeout) -> IngestResult:
    result = IngestResult()
    first_of: dict[str, FileTask] = {}
    # which files the cache holds; their results are read one at a time as the seeds are written,
    # so memory stays bounded (holding them all took 4 GiB at 100,000 files)
    in_cache = cache.keys() if cache is not None else set()
    to_parse = []
    for task in tasks:
        if task.sha256 in first_of:
            continue
        first_of[task.sha256] = task
        if IngestCache.key(task.relative, task.sha256) not in in_cache:
            to_parse.append(task)
    parse_now = {task.relative for task in to_parse}
    worker = partial(parse_task, keep_extraction=keep_extractions, file_timeout=file_timeout)
    parsed = executor.map(worker, to_parse, lost_task)
    starts = shard_starts([task.relative for task in tasks])
    seeds = _open_seeds(seeds_dir, cache, len(starts))
    meter = Progress(len(tasks), enabled=progress)
    logged: dict[str, IngestLogRow] = {}
    try:
        for start, end in zip(starts, [*starts[1:], len(tasks)], strict=True):
            shard_tasks = tasks[start:end]
            shard = Shard(
                start,
                [task.relative for task in shard_tasks],
                [task.sha256 for task in shard_tasks],
                bytes(first_of[task.sha256] is task for task in shard_tasks),
            )
            kept = _kept_shard(shard, shard_tasks, seeds.previous, parse_now, logged)
            if kept is not None:
                previous_index, rows = kept
                seeds.keep_shard(shard, previous_index)
                for row, first in zip(rows, shard.firsts, strict=True):
                    if first:
                        meter.update(row.page_count, row.status == "rejected", True)
                    result.log.append(row)
                continue
            seeds.open_shard(shard)
            for task, first in zip(shard_tasks, shard.firsts, strict=True):
                if not first:
                    row = _duplicate(logged[task.sha256], task.relative, task.size)
                else:
                    from_cache = task.relative not in parse_now
                    if from_cache:
                        outcome = cache.get(task.relative, task.sha256)
                    else:
                        outcome, extraction = next(parsed)
                        result.parsed_now += 1
                        if cache is not None:
                            cache.put(task.relative, task.sha256, outcome)
                        if extraction is not None:
                            result.extractions.append(extraction)
                    row = outcome.log
                    seeds.append_file(outcome.fragments)
                    logged[task.sha256] = row
                    meter.update(row.page_count, row.status == "rejected", from_cache)
                result.log.append(row)
                seeds.append_log_row(row)
            seeds.close_shard()
        meter.close()
        seeds.commit()
        result.seed_layout = seeds.layout if cache is not None else None
    except BaseException:
        seeds.discard()
        raise
    finally:
        parsed.close()  # the worker processes end here, also when the run failed
        seeds.close()
    return result


def _kept_shard(shard: Shard, shard_tasks, previous: PreviousSeeds | None, parse_now: set[str], logged: dict):
    """(index of the previous shard, the files' log rows) when the previous run wrote this very shard:
    the same files with the same contents, none parsed now, and every log row the same (a duplicate's
    row names the first file of its content, which may have moved); else None."""
    if previous is None or any(relative in parse_now for relative in shard.relatives):
        return None
    index = previous.match(shard)
    if index is None:
        return None
    rows = previous.rows(index)
    firsts_now = {}
    for task, row, first in zip(shard_tasks, rows, shard.firsts, strict=True):
        if first:
            firsts_now[task.sha256] = row  # a cached result of this code: the row the last run wrote
        elif row != _duplicate(firsts_now.get(task.sha256) or logged[task.sha256], task.relative, task.size):
            return None
    logged.update(firsts_now)
    return index, rows


FRAGMENT_SEEDS = tuple(record.SEED for record in SEED_RECORDS if record is not IngestLogRow)
ALL_SEEDS = tuple(record.SEED for record in SEED_RECORDS)


def _open_seeds(seeds_dir: Path, cache: IngestCache | None, shard_count: int) -> SeedSet:
    """The seeds to write; with a cache, the seeds last written to ``seeds_dir``, to keep the shards
    of unchanged files from, when they are still the files that run left (``ingest.run.seeds``)."""
    previous = None
    if cache is not None:
        last = cache.previous_run(seeds_dir)
        if last is not None and PreviousSeeds.usable(seeds_dir, last[1], code_version(), ALL_SEEDS):
            try:
                previous = PreviousSeeds(seeds_dir, last[1], last[0])
            except (OSError, ValueError, IndexError) as error:  # a seed removed meanwhile: written in full
                log.warning("the seeds in %s cannot be kept (%s); written in full", seeds_dir, error)
    return SeedSet(
        seeds_dir,
        SEED_RECORDS,
        shard_count=shard_count,
        log_seed=IngestLogRow.SEED,
        code_version=code_version(),
        previous=previous,
    )


def cached_fragments(cache_dir: Path, log: list[IngestLogRow], document_ids: set[str]) -> list[dict[str, bytes]] | None:
    """The seed fragments of the given documents from the cache, in the seeds' order (the files'
    order); None when one of them is not cached."""
    found, wanted = [], set(document_ids)
    with IngestCache(cache_dir) as cache:
        for row in log:
            if row.document_id not in wanted:
                continue
            wanted.discard(row.document_id)  # the first file with this content; later ones are duplicates
            hit = cache.get(row.source_file, row.sha256)
            if hit is None:
                return None
            found.append(hit.fragments)
    return found if not wanted else None


def parse_task(
    task: FileTask, keep_extraction: bool, file_timeout: float | None
) -> tuple[CachedResult, Extraction | None]:
    """One file, start to end, in a worker: its log row and its seed fragments (never raises)."""
    try:
        with time_limit(file_timeout):
            row, extraction = ingest_file(read_task(task, MAX_FILE_BYTES), task.relative, task.sha256, task.size)
    except FileTimeout:
        row = rejected(task.relative, task.sha256, "unknown", task.size, "timeout", limit=f"{file_timeout:g}")
        extraction = None
    if extraction is None and ingest.compiled.status == "compiled" and failed_in_code(row):
        # the compiled parser raised on the file: the Python one, the reference, has the last word
        retried = retry_in_python(task, file_timeout)
        if retried is not None:
            log.warning(
                "compiled parser: %s: %s; parsed again in Python: %s", task.relative, row.reason, retried.log.status
            )
            return retried, None
    outcome = CachedResult(row, seed_fragments(row, extraction))
    return outcome, (extraction if keep_extraction else None)


def lost_task(task: FileTask, deaths: int) -> tuple[CachedResult, None]:
    """A file whose worker processes died ``deaths`` times while parsing it (a crash in a C library,
    memory exhausted): rejected with that reason, like a timeout, so the run goes on."""
    row = rejected(task.relative, task.sha256, "unknown", task.size, "workers_died", deaths=deaths)
    return CachedResult(row, {}), None


@dataclass(frozen=True)
class FolderFile:
    relative: str  # inside the folder, with "/", as logged
    path: str  # absolute, under the folder's real path
    size: int
    mtime_ns: int


def list_files(folder: Path) -> list[FolderFile]:
    """Every file under ``folder`` (hidden files and folders skipped, folder symlinks not followed),
    sorted by relative path, with the size and mtime read while listing: one ``stat`` per file,
    which matters at 100,000 files."""
    found: list[FolderFile] = []
    pending = [("", os.path.realpath(folder))]
    while pending:
        prefix, directory = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((relative + "/", entry.path))
                elif entry.is_file():
                    stat = entry.stat()
                    found.append(FolderFile(relative, entry.path, stat.st_size, stat.st_mtime_ns))
    found.sort(key=lambda file: file.relative)
    return found


def _duplicate(first: IngestLogRow, relative: str, size: int) -> IngestLogRow:
    return IngestLogRow(
        source_file=relative,
        sha256=first.sha256,
        format=first.format,
        size_bytes=size,
        page_count=first.page_count,
        status=first.status,
        reason=f"duplicate of {first.source_file}; counted once",
        reason_zh=f"与 {first.source_file} 内容相同，只计一次",
        document_id=first.document_id,
        figure_count=0,
        warning_count=0,
    )


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
