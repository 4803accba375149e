"""Writing seed CSVs for dbt: atomically, deterministically (a rerun gives identical bytes); the
rows are rendered by ``ingest.parse.seed_rows``.

A seed is its header followed by what each file (the first of its content) contributes, in file
order; the ingest log has one row per file. ``SeedSet`` writes those streams and records their
*layout*: which file gave how many bytes to each seed. The next run over the same seeds folder (``PreviousSeeds``) copies the bytes of every
file that did not change straight from the old seed file, contiguous files in one kernel copy
(``os.copy_file_range``), instead of reading each one's rows back from the ingest cache and writing
them again: at 100,000 files that read took 14 s for a one-file change. The bytes are the same
either way: a file's fragment is a function of its path, its content and the parsing code, which
is what the layout and the cache are keyed by.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
import threading
from array import array
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from ingest.parse.seed_rows import cell, render_rows, row_values, seed_columns, seed_header

COPY_BLOCK = 1 << 24  # bytes per read when the kernel cannot copy between the two files


def write_seed(seeds_dir: Path, record_type, rows: list) -> Path:
    """Write one seed atomically (temp file, then rename); rows keep their given order."""
    seeds_dir.mkdir(parents=True, exist_ok=True)
    target = seeds_dir / f"{record_type.SEED}.csv"
    handle, temp_name = tempfile.mkstemp(dir=seeds_dir, prefix=f".{record_type.SEED}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(seed_columns(record_type))
        for row in rows:
            writer.writerow([cell(v) for v in row_values(row)])
    os.replace(temp_name, target)
    return target


LAYOUT_FORM = 2  # the shape of ``SeedLayout``: a layout stored in another shape is not used


@dataclass
class SeedLayout:
    """What the seeds of one run are made of, to be copied from by the next run.

    Per file that gave rows, in seed order: its path in the folder (``relatives``), its SHA-256,
    the index of its row in the run's ingest log, and the bytes it gave to each of ``seeds``
    (``lengths``, ``len(seeds)`` numbers a file, one flat array); ``log_lengths``: the bytes of
    each ingest-log row in ``log_seed``; ``stamps``: each seed file's size and mtime once
    written, so a seed edited or replaced since is never copied from. Plain lists and arrays, so
    that storing and loading it for 100,000 files takes milliseconds, not seconds.
    """

    code_version: str
    seeds: tuple[str, ...]
    log_seed: str = ""
    form: int = LAYOUT_FORM
    relatives: list[str] = field(default_factory=list)
    sha256s: list[str] = field(default_factory=list)
    log_indexes: array = field(default_factory=lambda: array("q"))
    lengths: array = field(default_factory=lambda: array("q"))
    log_lengths: array = field(default_factory=lambda: array("q"))
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)

    def all_seeds(self) -> tuple[str, ...]:
        return self.seeds + ((self.log_seed,) if self.log_seed else ())

    def add_file(self, relative: str, sha256: str, log_index: int, lengths) -> None:
        self.relatives.append(relative)
        self.sha256s.append(sha256)
        self.log_indexes.append(log_index)
        self.lengths.extend(lengths)

    def file_lengths(self, index: int) -> list[int]:
        """The bytes the ``index``-th file gave to each seed."""
        width = len(self.seeds)
        return self.lengths[index * width : (index + 1) * width].tolist()


class PreviousSeeds:
    """The seed files a ``SeedLayout`` describes, opened for copying, with the ingest log of the run
    that wrote them; only built when every one of them is still the file that layout recorded (``usable``)."""

    def __init__(self, seeds_dir: Path, layout: SeedLayout, log: list) -> None:
        if len(log) != len(layout.log_lengths) or len(layout.lengths) != len(layout.relatives) * len(layout.seeds):
            raise ValueError("the layout and the log are of two different runs")
        self.layout = layout
        self.log = log
        self.handles = {seed: open(seeds_dir / f"{seed}.csv", "rb") for seed in layout.all_seeds()}  # noqa: SIM115
        self.index = {key: i for i, key in enumerate(zip(layout.relatives, layout.sha256s, strict=True))}
        width = len(layout.seeds)
        # where each file's rows start in each seed: the header, then the rows of the files before it
        self.offsets = [
            array("q", accumulate(layout.lengths[column::width], initial=len(self.handles[seed].readline())))
            for column, seed in enumerate(layout.seeds)
        ]
        self.log_rows: dict[str, tuple[int, int, int]] = {}  # source file → (log index, offset, length)
        offset = len(self.handles[layout.log_seed].readline()) if layout.log_seed else 0
        for index, (row, length) in enumerate(zip(log, layout.log_lengths, strict=True)):
            self.log_rows[row.source_file] = (index, offset, length)
            offset += length

    @staticmethod
    def usable(
        seeds_dir: Path, layout: SeedLayout | None, code_version: str, seeds: tuple[str, ...], log_seed: str
    ) -> bool:
        """True when ``layout`` is of this parsing code and these seeds, and they are still its files."""
        if not isinstance(layout, SeedLayout) or vars(layout).get("form") != LAYOUT_FORM:
            return False
        if (layout.code_version, layout.seeds, layout.log_seed) != (code_version, seeds, log_seed):
            return False
        for seed in layout.all_seeds():
            try:
                stat = (seeds_dir / f"{seed}.csv").stat()
            except FileNotFoundError:
                return False
            if (stat.st_size, stat.st_mtime_ns) != layout.stamps.get(seed):
                return False
        return True

    def file_row(self, relative: str, sha256: str):
        """This file's index in the layout and its ingest-log row from the previous run when it gave
        its rows there, else None."""
        index = self.index.get((relative, sha256))
        if index is None:
            return None
        row = self.log[self.layout.log_indexes[index]]
        return (index, row) if (row.source_file, row.sha256) == (relative, sha256) else None

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


class SeedSet:
    """All seeds of one ingest, written as a stream of per-file fragments, swapped in together.

    Each seed goes to a temporary file beside its target; ``commit`` renames them over the
    targets, ``discard`` removes them. Memory stays bounded whatever the number of files. With
    ``previous``, an unchanged file's rows (``copy_file``) and an unchanged ingest-log row
    (``append_log_row``) are copied from the old seed files, not written again.
    """

    def __init__(
        self,
        seeds_dir: Path,
        record_types,
        *,
        layout_seeds: tuple[str, ...] = (),
        log_seed: str = "",
        code_version: str = "",
        previous: PreviousSeeds | None = None,
    ) -> None:
        """``layout_seeds``: the seeds whose rows come per file (``append_file``, ``copy_file``);
        ``log_seed``: the one with a row per file (``append_log_row``); both are recorded in
        ``layout``, with ``code_version``, the parsing code the rows were made by."""
        seeds_dir.mkdir(parents=True, exist_ok=True)
        self.seeds_dir = seeds_dir
        self.layout = SeedLayout(code_version, layout_seeds, log_seed)
        if previous is not None and previous.layout.all_seeds() != self.layout.all_seeds():
            raise ValueError("the previous seeds were laid out for other seeds")
        self.previous = previous
        self._streams = {}
        for record_type in record_types:
            handle, temp_name = tempfile.mkstemp(dir=seeds_dir, prefix=f".{record_type.SEED}.", suffix=".tmp")
            stream = os.fdopen(handle, "wb")
            stream.write(seed_header(record_type))
            self._streams[record_type.SEED] = (stream, temp_name)
        self._pending: dict[str, list[int]] = {}  # seed → [start, end) of the old file still to copy
        self._old: list[Path] = []  # second names of the replaced seeds (``_keep_old``)

    def append(self, seed: str, data: bytes) -> None:
        """CSV rows as UTF-8 bytes: encoded once, when the file is parsed, not on every re-assembly."""
        if data:
            self._flush_copy(seed)
            self._streams[seed][0].write(data)

    def append_file(self, relative: str, sha256: str, log_index: int, fragments: dict[str, bytes]) -> None:
        """One file's rows for every seed of the layout (a seed it gives nothing to: no rows)."""
        unknown = set(fragments) - set(self.layout.seeds)
        if unknown:
            raise ValueError(f"rows for seeds the layout does not know: {sorted(unknown)}")
        lengths = []
        for seed in self.layout.seeds:
            data = fragments.get(seed, b"")
            self.append(seed, data)
            lengths.append(len(data))
        self.layout.add_file(relative, sha256, log_index, lengths)

    def copy_file(self, relative: str, sha256: str, log_index: int):
        """This file's rows copied from the previous seeds; returns its ingest-log row, or None when
        they cannot be (then its rows must be appended)."""
        found = self.previous.file_row(relative, sha256) if self.previous else None
        if found is None:
            return None
        index, row = found
        lengths = self.previous.layout.file_lengths(index)
        for seed, offsets, length in zip(self.layout.seeds, self.previous.offsets, lengths, strict=True):
            self._copy(seed, offsets[index], length)
        self.layout.add_file(relative, sha256, log_index, lengths)
        return row

    def append_log_row(self, row) -> None:
        """One ingest-log row: copied when the previous log holds the very same row, else rendered."""
        seed = self.layout.log_seed
        found = self.previous.log_rows.get(row.source_file) if self.previous else None
        if found is not None and self.previous.log[found[0]] == row:
            self._copy(seed, found[1], found[2])
            self.layout.log_lengths.append(found[2])
            return
        data = render_rows([row]).encode("utf-8")
        self.append(seed, data)
        self.layout.log_lengths.append(len(data))

    def _copy(self, seed: str, offset: int, length: int) -> None:
        """Bytes of the old seed file queued for copying; runs that follow each other become one copy."""
        if not length:
            return
        pending = self._pending.get(seed)
        if pending is not None and pending[1] == offset:
            pending[1] = offset + length
        else:
            self._flush_copy(seed)
            self._pending[seed] = [offset, offset + length]

    def _flush_copy(self, seed: str) -> None:
        pending = self._pending.pop(seed, None)
        if pending is None:
            return
        stream = self._streams[seed][0]
        stream.flush()
        copy_range(self.previous.handles[seed].fileno(), stream.fileno(), pending[0], pending[1] - pending[0])
        stream.seek(0, os.SEEK_END)  # the buffered writer takes its position from the file again

    def commit(self) -> list[Path]:
        for seed in list(self._pending):
            self._flush_copy(seed)
        targets = []
        for seed, (stream, temp_name) in self._streams.items():
            stream.close()
            target = self.seeds_dir / f"{seed}.csv"
            self._keep_old(target, temp_name)
            os.replace(temp_name, target)
            targets.append(target)
            if seed in self.layout.all_seeds():
                stat = target.stat()
                self.layout.stamps[seed] = (stat.st_size, stat.st_mtime_ns)
        return targets

    def _keep_old(self, target: Path, temp_name: str) -> None:
        """A second name for the seed about to be replaced, so that its blocks are freed by
        ``close`` in a thread of its own rather than by the replace: freeing gigabytes took
        2.4 s at 100,000 files. The name is a temporary one, removed by the next build if left."""
        old = Path(temp_name[: -len(".tmp")] + ".old.tmp")
        with contextlib.suppress(OSError):  # no old seed, or no hard links here: freed by the replace
            os.link(target, old)
            self._old.append(old)

    def discard(self) -> None:
        self._pending.clear()
        for stream, temp_name in self._streams.values():
            stream.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)

    def close(self) -> None:
        """The previous seed files let go (after ``commit`` or ``discard``), removed in the background."""
        if self.previous is not None:
            self.previous.close()
        if self._old:
            threading.Thread(target=remove_files, args=(self._old,), name="old-seeds", daemon=True).start()
            self._old = []


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def copy_range(source_fd: int, target_fd: int, offset: int, length: int) -> None:
    """``length`` bytes of the source from ``offset`` appended at the target's position: in the
    kernel where it can (``copy_file_range``, Linux), else read and written in blocks."""
    remaining = length
    if hasattr(os, "copy_file_range"):
        try:
            while remaining:
                copied = os.copy_file_range(source_fd, target_fd, remaining, offset)
                if copied == 0:
                    break
                offset, remaining = offset + copied, remaining - copied
        except OSError:
            pass  # another file system, an old kernel: the plain way below
    while remaining:
        block = os.pread(source_fd, min(remaining, COPY_BLOCK), offset)
        if not block:
            raise OSError(f"a seed file ended {remaining} bytes early while copying from it")
        written = 0
        while written < len(block):
            written += os.write(target_fd, block[written:])
        offset, remaining = offset + len(block), remaining - len(block)
