"""Incremental ingest: what each file gave last time, keyed by its content, so it is not parsed again.

One SQLite file (default ``.juesuan-cache/ingest.sqlite``, gitignored) holds three tables:

- ``files``: path, size, modification time → SHA-256, so an unchanged file is not even re-read
  to be hashed (the same trick as git's index: a file whose size or mtime changed is hashed again);
- ``results``: for a key made of the *ingest code version*, the file's path in the folder and its
  SHA-256: its ``ingest_log`` row and the seed-CSV text it contributes to every seed;
- ``last_run``: per seeds folder, the signature of the seeds last written there (inputs, code
  version, the seed files' sizes and mtimes) and that run's whole ``ingest_log`` as one blob, so a
  run over unchanged inputs neither rewrites the seeds nor reads a cached row per file;
- ``last_listing``: per seeds folder, the same signature made of the files' paths, sizes and mtimes
  instead of their hashes, so a run over an untouched folder does not even look the hashes up;
- ``seed_layout``: per seeds folder, the layout of the seeds last written there
  (``ingest.run.seeds.SeedLayout``: which files each shard of the seeds holds), so a run after a
  few files changed leaves the shards of the other files as they are instead of writing them again.

The code version is a hash of every file of the parsing package (``ingest/parse/**/*.py``) and
the reference seeds parsing reads (``vocabulary.PARSING_SEEDS``): change an extractor or a code
list and every file is parsed again; editing the run, the warehouse build or a developer tool
keeps the cache, with no list to maintain (parsing imports nothing outside ``ingest/parse``). The
cache is safe to delete at any time (the next run parses everything); a damaged cache file is
set aside with a warning and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import logging
import operator
import os
import pickle
import sqlite3
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import ingest.parse
from ingest.parse.records import IngestLogRow
from ingest.parse.vocabulary import PARSING_SEEDS
from ingest.settings import settings

log = logging.getLogger(__name__)

PARSING_PACKAGE = Path(ingest.parse.__file__).resolve().parent
SCHEMA = """
create table if not exists files (path text primary key, size integer, mtime_ns integer, sha256 text);
create table if not exists results (key text primary key, log blob, fragments blob);
create table if not exists last_run (seeds_dir text primary key, signature text, log blob);
create table if not exists seed_layout (seeds_dir text primary key, signature text, layout blob);
create table if not exists last_listing (seeds_dir text primary key, signature text);
"""


def default_cache_dir() -> Path:
    """``.juesuan-cache/`` in the project home (``ingest.settings``)."""
    return settings().cache


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the parsing package and the reference seeds it reads: results of other versions are never reused."""
    return parsing_code_hash(PARSING_PACKAGE, settings().reference_seeds)


def parsing_code_hash(package: Path, reference_seeds: Path) -> str:
    """Every ``*.py`` file under ``package`` (by its path inside it) and every seed of
    ``PARSING_SEEDS`` in ``reference_seeds`` (by name), in a fixed order."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in PARSING_SEEDS:
        digest.update(name.encode())
        digest.update((reference_seeds / name).read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class CachedResult:
    log: IngestLogRow
    fragments: dict[str, bytes]  # seed → its CSV rows, UTF-8 (unpickling bytes costs a copy; str, a decode)


class IngestCache:
    """The cache of one ingest run; use as a context manager so writes are committed once."""

    def __init__(self, directory: Path | None = None) -> None:
        directory = directory or default_cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "ingest.sqlite"
        self.connection = self._open()
        self.hits = 0
        self.misses = 0

    def _open(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(self.path)
            connection.executescript(SCHEMA)
            connection.execute("select count(*) from results").fetchone()
            return connection
        except sqlite3.DatabaseError as error:
            damaged = self.path.with_name(self.path.name + ".damaged")
            log.warning("ingest cache %s is damaged (%s); moved to %s and rebuilt", self.path, error, damaged.name)
            os.replace(self.path, damaged)
            connection = sqlite3.connect(self.path)
            connection.executescript(SCHEMA)
            return connection

    def __enter__(self) -> IngestCache:
        return self

    def __exit__(self, *exc) -> None:
        self.connection.commit()
        self.connection.close()

    # -- file hashes ------------------------------------------------------------------
    def known_hashes(self) -> dict[str, tuple[int, int, str]]:
        rows = self.connection.execute("select path, size, mtime_ns, sha256 from files")
        return {path: (size, mtime_ns, sha) for path, size, mtime_ns, sha in rows}

    def remember_hashes(self, entries: list[tuple[str, int, int, str]]) -> None:
        self.connection.executemany("insert or replace into files values (?, ?, ?, ?)", entries)

    # -- results ----------------------------------------------------------------------
    @staticmethod
    def key(relative: str, sha256: str) -> str:
        return hashlib.sha256(f"{code_version()}\0{relative}\0{sha256}".encode()).hexdigest()

    def keys(self) -> set[str]:
        """The keys of every cached result (not the results: at 100,000 files they are gigabytes)."""
        return {key for (key,) in self.connection.execute("select key from results")}

    def get(self, relative: str, sha256: str) -> CachedResult | None:
        row = self.connection.execute(
            "select log, fragments from results where key = ?", (self.key(relative, sha256),)
        ).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return CachedResult(pickle.loads(row[0]), pickle.loads(row[1]))

    def put(self, relative: str, sha256: str, result: CachedResult) -> None:
        self.connection.execute(
            "insert or replace into results values (?, ?, ?)",
            (self.key(relative, sha256), pickle.dumps(result.log), pickle.dumps(result.fragments)),
        )

    # -- the seeds last written -------------------------------------------------------
    def last_log(self, seeds_dir: Path, signature: str, listed: bool = False) -> list[IngestLogRow] | None:
        """The log of the run that last wrote ``seeds_dir``, if that run's signature is ``signature``
        (``listed``: the signature of the folder's listing, ``remember_listing``)."""
        table = "last_listing" if listed else "last_run"
        found = self.connection.execute(f"select signature from {table} where seeds_dir = ?", (str(seeds_dir),))
        row = found.fetchone()
        if row is None or row[0] != signature:
            return None
        row = self.connection.execute("select log from last_run where seeds_dir = ?", (str(seeds_dir),)).fetchone()
        return _log_rows(row[0]) if row is not None else None

    def remember_listing(self, seeds_dir: Path, signature: str) -> None:
        """The listing (paths, sizes, mtimes) the run last remembered for ``seeds_dir`` was made from."""
        self.connection.execute("insert or replace into last_listing values (?, ?)", (str(seeds_dir), signature))

    def remember_run(self, seeds_dir: Path, signature: str, log_rows: list[IngestLogRow], layout=None) -> None:
        """The run that wrote ``seeds_dir``: its signature, its log and (``SeedLayout``) how its seeds are laid out."""
        self.connection.execute(
            "insert or replace into last_run values (?, ?, ?)",
            (str(seeds_dir), signature, _log_blob(log_rows)),
        )
        self.connection.execute("delete from last_listing where seeds_dir = ?", (str(seeds_dir),))
        self.connection.execute("delete from seed_layout where seeds_dir = ?", (str(seeds_dir),))
        if layout is not None:
            self.connection.execute(
                "insert into seed_layout values (?, ?, ?)",
                (str(seeds_dir), signature, pickle.dumps(layout, protocol=pickle.HIGHEST_PROTOCOL)),
            )

    def previous_run(self, seeds_dir: Path) -> tuple[list[IngestLogRow], object] | None:
        """The log and the seed layout of the run that last wrote ``seeds_dir`` (whatever changed since:
        the caller checks the seed files are still the ones the layout describes), or None."""
        row = self.connection.execute(
            "select r.log, l.layout from last_run as r join seed_layout as l using (seeds_dir)"
            " where seeds_dir = ? and r.signature = l.signature",
            (str(seeds_dir),),
        ).fetchone()
        if row is None:
            return None
        try:
            return _log_rows(row[0]), pickle.loads(row[1])
        except (pickle.UnpicklingError, AttributeError, EOFError, ImportError, TypeError) as error:
            log.warning(
                "the layout of the seeds in %s could not be read (%s); they are written again in full", seeds_dir, error
            )
            return None


def _log_blob(log_rows: list[IngestLogRow]) -> bytes:
    """A run's log as plain tuples: pickling 100,000 dataclass instances took twice as long."""
    values = operator.attrgetter(*(f.name for f in fields(IngestLogRow)))  # a tuple per row, in C
    return pickle.dumps([values(row) for row in log_rows], protocol=pickle.HIGHEST_PROTOCOL)


def _log_rows(blob: bytes) -> list[IngestLogRow]:
    rows = pickle.loads(blob)
    if rows and isinstance(rows[0], IngestLogRow):  # a cache written before the log was stored as tuples
        return rows
    return [IngestLogRow(*values) for values in rows]
