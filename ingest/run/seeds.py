"""Writing seed CSVs for dbt: atomically, deterministically (a rerun gives identical bytes); the
rows are rendered by ``ingest.parse.seed_rows``.

A seed is its header followed by what each file (the first of its content) contributes, in file
order; the ingest log has one row per file. At scale a seed is cut into *shards*: consecutive
runs of files, each shard one CSV per seed with its own header (``figures.0000.csv``,
``figures.0001.csv``, …; a folder of fewer than ``SHARD_MIN_FILES`` files has one shard, named
``figures.csv`` as always). dbt reads every shard of a seed in name order (``figures.*csv``), which
is file order, so the rows are those of one file; ``seed_files`` lists them for other readers.

Why shards: after a one-file change the shards whose files did not change are left as they are,
not copied: at 100,000 files copying the unchanged rows of 3 GB of seeds took 5 s, rewriting the
one shard of the changed file takes a fraction of a second. Where a shard ends is decided by its
files' paths only (``shard_starts``: a file whose path hashes to 0 modulo ``SHARD_ODDS`` opens a new
shard once the shard has ``SHARD_MIN_FILES``), not by what the files hold or by the history of the
folder, so the seeds are the same bytes whatever the number of workers or the runs before, and a
file added or removed moves no boundary but its own shard's.

``SeedSet`` writes one run's shards and records their *layout* (which files each shard holds and
the size and mtime of every shard file once written); the next run over the same seeds folder
(``PreviousSeeds``) keeps each shard whose files, contents and ingest-log rows are unchanged.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.parse.seed_rows import cell, render_rows, row_values, seed_columns, seed_header

SHARD_MIN_FILES = 1000  # files in a shard before a boundary may open the next: small folders keep one file a seed
SHARD_ODDS = 1000  # a file opens a new shard with odds 1 in this many: shards of about 2,000 files


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


def shard_starts(relatives: list[str], min_files: int | None = None, odds: int | None = None) -> list[int]:
    """The index of the first file of every shard (always 0 first), from the files' paths alone."""
    min_files = SHARD_MIN_FILES if min_files is None else min_files
    odds = SHARD_ODDS if odds is None else odds
    starts = [0]
    for index, relative in enumerate(relatives):
        if index - starts[-1] >= min_files and zlib.crc32(relative.encode()) % odds == 0:
            starts.append(index)
    return starts


def shard_file_name(seed: str, index: int, count: int) -> str:
    """``seed.csv`` for a seed of one shard, else ``seed.0000.csv``, … (one width, so name order is shard order)."""
    if count <= 1:
        return f"{seed}.csv"
    return f"{seed}.{index:0{max(4, len(str(count - 1)))}d}.csv"


SHARD_NAME = re.compile(r"^(?P<seed>[^.]+)(?:\.(?P<shard>\d{4,}))?\.csv$")


def seed_files(seeds_dir: Path, seed: str) -> list[Path]:
    """The files of one seed in ``seeds_dir``, in the order their rows follow each other."""
    return _all_seed_files(seeds_dir).get(seed, [])


def _all_seed_files(seeds_dir: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    try:
        entries = sorted(entry.name for entry in os.scandir(seeds_dir) if entry.is_file())
    except FileNotFoundError:
        return found
    for name in entries:
        match = SHARD_NAME.match(name)
        if match:
            found.setdefault(match["seed"], []).append(seeds_dir / name)
    return found


def seed_stamps(seeds_dir: Path, seeds: tuple[str, ...]) -> list[str]:
    """``name:size:mtime`` of every file of these seeds: a seed edited, replaced or removed changes them."""
    files = _all_seed_files(seeds_dir)
    stamps = []
    for seed in seeds:
        for path in files.get(seed, []):
            stat = path.stat()
            stamps.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
        if seed not in files:
            stamps.append(f"{seed}:missing")
    return stamps


def read_seed(seeds_dir: Path, seed: str) -> bytes:
    """A seed's header and every shard's rows, as one CSV (for a reader that wants it whole)."""
    parts = []
    for number, path in enumerate(seed_files(seeds_dir, seed)):
        data = path.read_bytes()
        parts.append(data if number == 0 else data.split(b"\n", 1)[1] if b"\n" in data else b"")
    return b"".join(parts)


LAYOUT_FORM = 3  # the shape of ``SeedLayout``: a layout stored in another shape is not used


@dataclass
class Shard:
    """Consecutive files of one run: ``start`` is the first one's index in the run's files (and in
    its ingest log); ``firsts`` has 1 for a file that gave rows (the first of its content)."""

    start: int
    relatives: list[str]
    sha256s: list[str]
    firsts: bytes

    def same_files(self, other: Shard) -> bool:
        return (self.relatives, self.sha256s, self.firsts) == (other.relatives, other.sha256s, other.firsts)


@dataclass
class SeedLayout:
    """What the seeds of one run are made of, to be kept by the next run: its shards, in order, and
    ``stamps``: each shard file's size and mtime once written, so a file edited or replaced since
    is never kept. Plain lists, so that storing and loading it for 100,000 files takes milliseconds."""

    code_version: str
    seeds: tuple[str, ...]
    form: int = LAYOUT_FORM
    shards: list[Shard] = field(default_factory=list)
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)

    def file_name(self, seed: str, index: int) -> str:
        return shard_file_name(seed, index, len(self.shards))


class PreviousSeeds:
    """The shards a ``SeedLayout`` describes, with the ingest log of the run that wrote them; only
    built when every shard file is still the file that layout recorded (``usable``)."""

    def __init__(self, seeds_dir: Path, layout: SeedLayout, log: list) -> None:
        if len(log) != sum(len(shard.relatives) for shard in layout.shards):
            raise ValueError("the layout and the log are of two different runs")
        self.seeds_dir = seeds_dir
        self.layout = layout
        self.log = log
        self.by_first = {
            (shard.relatives[0], shard.sha256s[0]): index
            for index, shard in enumerate(layout.shards)
            if shard.relatives
        }

    @staticmethod
    def usable(seeds_dir: Path, layout: SeedLayout | None, code_version: str, seeds: tuple[str, ...]) -> bool:
        """True when ``layout`` is of this parsing code and these seeds, and they are still its files."""
        if not isinstance(layout, SeedLayout) or vars(layout).get("form") != LAYOUT_FORM:
            return False
        if (layout.code_version, layout.seeds) != (code_version, seeds):
            return False
        for name, stamp in layout.stamps.items():
            try:
                stat = (seeds_dir / name).stat()
            except FileNotFoundError:
                return False
            if (stat.st_size, stat.st_mtime_ns) != stamp:
                return False
        return True

    def match(self, shard: Shard) -> int | None:
        """The index of the previous shard of the very same files (paths, contents, firsts), or None."""
        if not shard.relatives:
            return None
        index = self.by_first.get((shard.relatives[0], shard.sha256s[0]))
        if index is None or not self.layout.shards[index].same_files(shard):
            return None
        return index

    def rows(self, index: int) -> list:
        """The ingest-log rows the previous run wrote for the files of its ``index``-th shard."""
        shard = self.layout.shards[index]
        return self.log[shard.start : shard.start + len(shard.relatives)]


class SeedSet:
    """All seeds of one ingest, shard by shard, swapped in together.

    A shard is either kept (``keep_shard``: the previous run's files, renamed if their number
    moved) or written (``open_shard``, ``append``/``append_file``/``append_log_row``,
    ``close_shard``) to temporary files beside the targets; ``commit`` puts every shard in place
    and removes the seed files no shard names any more, ``discard`` removes the temporary ones.
    Memory stays bounded whatever the number of files.
    """

    def __init__(
        self,
        seeds_dir: Path,
        record_types,
        *,
        shard_count: int = 1,
        log_seed: str = "",
        code_version: str = "",
        previous: PreviousSeeds | None = None,
    ) -> None:
        seeds_dir.mkdir(parents=True, exist_ok=True)
        self.seeds_dir = seeds_dir
        self.record_types = list(record_types)
        seeds = tuple(record.SEED for record in self.record_types)
        self.layout = SeedLayout(code_version, seeds)
        self.shard_count = max(1, shard_count)
        self.log_seed = log_seed
        self.fragment_seeds = tuple(seed for seed in seeds if seed != log_seed)
        if previous is not None and previous.layout.seeds != seeds:
            raise ValueError("the previous seeds were laid out for other seeds")
        self.previous = previous
        self._placed: dict[str, tuple[str, bool]] = {}  # final name → (temporary name, kept from the last run)
        self._streams: dict[str, tuple] = {}  # seed → (stream, temporary name, final name) of the open shard
        self._old: list[Path] = []  # second names of replaced seed files, removed in the background
        self._kept_moves: list[tuple[Path, Path]] = []  # (old file, temporary name) of kept shards renamed

    # -- one shard --------------------------------------------------------------------------
    def open_shard(self, shard: Shard) -> None:
        """Start writing the next shard (every seed gets a file, with at least its header)."""
        index = len(self.layout.shards)
        self.layout.shards.append(shard)
        for record_type in self.record_types:
            seed = record_type.SEED
            handle, temp_name = tempfile.mkstemp(dir=self.seeds_dir, prefix=f".{seed}.", suffix=".tmp")
            stream = os.fdopen(handle, "wb", buffering=1 << 20)
            stream.write(seed_header(record_type))
            self._streams[seed] = (stream, temp_name, shard_file_name(seed, index, self.shard_count))

    def keep_shard(self, shard: Shard, previous_index: int) -> None:
        """The next shard is the previous run's ``previous_index``-th, as it is on disk."""
        index = len(self.layout.shards)
        self.layout.shards.append(shard)
        for seed in self.layout.seeds:
            old = self.seeds_dir / self.previous.layout.file_name(seed, previous_index)
            name = shard_file_name(seed, index, self.shard_count)
            if old.name == name:
                self._placed[name] = (str(old), True)
            else:  # its number moved: renamed, through a temporary name (another shard may hold its new one)
                handle, temp_name = tempfile.mkstemp(dir=self.seeds_dir, prefix=f".{seed}.", suffix=".tmp")
                os.close(handle)
                self._kept_moves.append((old, Path(temp_name)))
                self._placed[name] = (temp_name, True)

    def append(self, seed: str, data: bytes) -> None:
        """CSV rows as UTF-8 bytes: encoded once, when the file is parsed, not on every re-assembly."""
        if data:
            self._streams[seed][0].write(data)

    def append_file(self, fragments: dict[str, bytes]) -> None:
        """One file's rows for every seed of the open shard (a seed it gives nothing to: no rows)."""
        unknown = set(fragments) - set(self.fragment_seeds)
        if unknown:
            raise ValueError(f"rows for seeds the layout does not know: {sorted(unknown)}")
        streams = self._streams
        for seed, data in fragments.items():
            if data:
                streams[seed][0].write(data)

    def append_log_row(self, row) -> None:
        self.append(self.log_seed, render_rows([row]).encode("utf-8"))

    def close_shard(self) -> None:
        for stream, temp_name, name in self._streams.values():
            stream.close()
            self._placed[name] = (temp_name, False)
        self._streams = {}

    # -- all shards ---------------------------------------------------------------------------
    def commit(self) -> list[Path]:
        """Every shard in place; the seed files of the last run no shard names any more, removed."""
        if len(self.layout.shards) != self.shard_count:
            raise ValueError(f"{len(self.layout.shards)} shards written of {self.shard_count}")
        for old, temporary in self._kept_moves:
            os.replace(old, temporary)
        targets = []
        for name, (source, _) in self._placed.items():
            target = self.seeds_dir / name
            if source != str(target):
                self._keep_old(target)
                os.replace(source, target)
            targets.append(target)
        wanted = set(self._placed)
        for seed in self.layout.seeds:
            for path in seed_files(self.seeds_dir, seed):
                if path.name not in wanted:
                    self._keep_old(path)
                    path.unlink()
            for name in sorted(wanted):
                if SHARD_NAME.match(name)["seed"] == seed:
                    stat = (self.seeds_dir / name).stat()
                    self.layout.stamps[name] = (stat.st_size, stat.st_mtime_ns)
        return targets

    def _keep_old(self, target: Path) -> None:
        """A second name for a seed file about to be replaced or removed, so that its blocks are
        freed by ``close`` in a thread of its own rather than by the replace: freeing gigabytes took
        2.4 s at 100,000 files. The name is a temporary one, removed by the next build if left."""
        old = target.with_name(f".{target.name}.old.tmp")
        with contextlib.suppress(OSError):  # no old seed, or no hard links here: freed by the replace
            os.link(target, old)
            self._old.append(old)

    def discard(self) -> None:
        for stream, temp_name, _ in self._streams.values():
            stream.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
        self._streams = {}
        for source, kept in self._placed.values():
            if not kept:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(source)
        for _, temporary in self._kept_moves:  # made empty, never filled: the old shard was not moved
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        self._placed, self._kept_moves = {}, []

    def close(self) -> None:
        """The replaced seed files removed in the background."""
        if self._old:
            threading.Thread(target=remove_files, args=(self._old,), name="old-seeds", daemon=True).start()
            self._old = []


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
