"""``make build``: disclosures → seeds → ``dbt build`` into a new file → swapped in atomically.

The warehouse is built in a temporary file beside the target and renamed over it only
when every dbt model and error-severity test passed, so an interrupted or failed build
leaves the previous warehouse as it was. A reader holding the old file open (a notebook)
keeps reading the old file and does not block the swap. One build at a time: a second
build waits for the lock and says so.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from importlib.metadata import version as package_version

import duckdb

from ingest.cache import DEFAULT_CACHE_DIR, code_version
from ingest.delta import DeltaError, merge_delta, plan_delta, write_delta_seeds
from ingest.parallel import DEFAULT_FILE_TIMEOUT, default_jobs
from ingest.pipeline import cached_fragments, ingest_folder

ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = ROOT / "dbt_project"
EXTRACTED_SEEDS = ROOT / "seeds" / "extracted"
LOCK_FILE = ROOT / ".juesuan-build.lock"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.build", description=__doc__.splitlines()[0])
    parser.add_argument("--disclosures", type=Path, default=ROOT / "samples")
    parser.add_argument("--warehouse", type=Path, default=ROOT / "warehouse.duckdb")
    parser.add_argument("--wait", type=float, default=900, help="seconds to wait for another build to finish")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="processes parsing files (default: every core)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE_DIR, help="incremental ingest cache (safe to delete)")
    parser.add_argument("--no-cache", action="store_true", help="parse every file again")
    parser.add_argument("--file-timeout", type=float, default=DEFAULT_FILE_TIMEOUT, help="seconds allowed per file")
    parser.add_argument("--force", action="store_true", help="run dbt build even when nothing changed")
    parser.add_argument("--seeds", type=Path, default=EXTRACTED_SEEDS, help="where the extracted seed CSVs go")
    args = parser.parse_args(argv)
    if not args.disclosures.is_dir():
        print(f"build: no such folder of disclosures: {args.disclosures}", file=sys.stderr)
        return 2
    try:
        with build_lock(args.wait):
            options = BuildOptions(
                jobs=max(1, args.jobs), cache_dir=None if args.no_cache else args.cache,
                file_timeout=args.file_timeout, force=args.force, seeds_dir=args.seeds.resolve(),
            )
            return build(args.disclosures.resolve(), args.warehouse.resolve(), options)
    except TimeoutError as error:
        print(f"build: {error}", file=sys.stderr)
        return 3


@contextmanager
def build_lock(wait_seconds: float):
    with LOCK_FILE.open("a+") as handle:
        deadline = time.monotonic() + wait_seconds
        announced = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not announced:
                    print("build: another build is running; waiting for it to finish …", file=sys.stderr)
                    announced = True
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another build still holds {LOCK_FILE.name} after {wait_seconds:.0f} s")
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class BuildOptions:
    jobs: int = 1
    cache_dir: Path | None = None
    file_timeout: float | None = DEFAULT_FILE_TIMEOUT
    force: bool = False
    seeds_dir: Path = EXTRACTED_SEEDS


def build(disclosures: Path, warehouse: Path, options: BuildOptions | None = None) -> int:
    options = options or BuildOptions()
    started = time.monotonic()
    seeds_dir = options.seeds_dir
    result = ingest_folder(
        disclosures, seeds_dir, jobs=options.jobs, cache_dir=options.cache_dir,
        keep_extractions=False, progress=True, file_timeout=options.file_timeout,
    )
    rejected = sum(1 for row in result.log if row.status == "rejected")
    state = "unchanged" if result.seeds_unchanged else f"{result.parsed_now} parsed now"
    print(f"ingest: {len(result.log)} files ({rejected} rejected, {state}) → {_shown(seeds_dir)}"
          f" in {time.monotonic() - started:.1f} s")
    fingerprint = warehouse_fingerprint(seeds_dir)
    if not options.force and _up_to_date(warehouse, fingerprint):
        print(f"build: {warehouse.name} is up to date (seeds and dbt project unchanged); dbt build skipped")
        return 0
    _remove_stale_builds(warehouse)
    # The same name every time (the lock allows one build): dbt keeps its parsed project between
    # runs only while the profile, which names this file, stays the same.
    temporary = warehouse.with_name(f"{warehouse.name}.building")
    _remove(temporary)
    if not options.force and _delta_allowed(warehouse, fingerprint):
        code = delta_build(warehouse, temporary, seeds_dir, fingerprint, result.log, options.cache_dir)
        if code is not None:
            if code == 0:
                print(f"build: {warehouse} ready in {time.monotonic() - started:.1f} s")
            return code
    arguments = ["build"]
    if not options.force and _unit_tests_passed_on(warehouse, fingerprint):
        arguments += ["--exclude-resource-type", "unit_test"]
        print("dbt: unit tests not run again: the dbt project is the one they passed on last time (--force runs them)")
    dbt_started = time.monotonic()
    code = run_dbt(arguments, temporary, seeds_link(warehouse, seeds_dir))
    print(f"dbt: build finished in {time.monotonic() - dbt_started:.1f} s (exit {code})")
    if code != 0:
        _remove(temporary)
        print(f"build: dbt build failed (exit {code}); {warehouse.name} left unchanged", file=sys.stderr)
        return code
    os.replace(temporary, warehouse)
    _remove(Path(f"{temporary}.wal"))
    _record_fingerprint(warehouse, fingerprint)
    print(f"build: {warehouse} ready in {time.monotonic() - started:.1f} s")
    return 0


def delta_build(warehouse: Path, temporary: Path, seeds_dir: Path, fingerprint: str,
                log: list | None = None, cache_dir: Path | None = None) -> int | None:
    """Only the departments of the changed documents built again and merged into a copy of the
    warehouse (see ``ingest.delta``); None when a build from scratch should run instead."""
    plan = plan_delta(warehouse, seeds_dir)
    if isinstance(plan, str):
        print(f"build: from scratch: {plan}")
        return None
    print(f"build: delta build: {plan.describe()}")
    delta_seeds = warehouse.with_name(f"{warehouse.name}.delta-seeds")
    merged = warehouse.with_name(f"{warehouse.name}.merging")
    try:
        fragments = cached_fragments(cache_dir, log, set(plan.fed_documents)) if cache_dir and log else None
        write_delta_seeds(plan, seeds_dir, delta_seeds, fragments)
        dbt_started = time.monotonic()
        code = run_dbt(["build", "--exclude-resource-type", "unit_test"], temporary, seeds_link(warehouse, delta_seeds))
        print(f"dbt: delta build finished in {time.monotonic() - dbt_started:.1f} s (exit {code})")
        if code != 0:
            print(f"build: dbt build failed (exit {code}); {warehouse.name} left unchanged", file=sys.stderr)
            return code
        merge_started = time.monotonic()
        tables = merge_delta(warehouse, temporary, merged, plan, DBT_DIR / "target" / "manifest.json")
        os.replace(merged, warehouse)
        _record_fingerprint(warehouse, fingerprint)
        print(f"build: {tables} tables merged in {time.monotonic() - merge_started:.1f} s")
        return 0
    except (DeltaError, duckdb.Error, OSError) as error:
        print(f"build: the delta could not be merged ({error}); building from scratch")
        return None
    finally:
        for path in (temporary, merged):
            _remove(path)
        shutil.rmtree(delta_seeds, ignore_errors=True)


def seeds_link(warehouse: Path, seeds_dir: Path) -> Path:
    """The folder dbt reads the extracted seeds from, as a link beside the warehouse that always has
    the same name. dbt keeps its parsed project only while the environment its YAML reads stays the
    same; a delta build reads another folder than a full one, and re-parsing costs 3-4 s."""
    link = warehouse.with_name(f"{warehouse.name}.seeds")
    fresh = link.with_name(f"{link.name}.new")
    _remove(fresh)
    os.symlink(seeds_dir.resolve(), fresh, target_is_directory=True)
    os.replace(fresh, link)
    return link


def _delta_allowed(warehouse: Path, fingerprint: str) -> bool:
    """True when the warehouse file is the one the last build recorded, from this very dbt project
    and ingest code: then its rows for unchanged documents are what a build from scratch gives."""
    recorded = _recorded(warehouse)
    return (recorded is not None and _is_recorded_file(warehouse, recorded[1])
            and _project_part(recorded[0]) == _project_part(fingerprint))


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def warehouse_fingerprint(seeds_dir: Path = EXTRACTED_SEEDS) -> str:
    """What the warehouse is built from: ``<dbt project>.<extracted data>`` (see the two below)."""
    return f"{project_fingerprint()}.{data_fingerprint(seeds_dir)}"


def project_fingerprint() -> str:
    """The dbt version, the dbt project's files and the reference seeds (``seeds/*``): everything
    the models and their unit tests are made of; and the ingest code, which makes the seeds, and
    the delta merge: a warehouse built by other code is never merged into, only rebuilt."""
    digest = hashlib.sha256(f"dbt-core {package_version('dbt-core')} dbt-duckdb {package_version('dbt-duckdb')}".encode())
    digest.update(f"ingest {code_version()}".encode())
    digest.update((ROOT / "ingest" / "delta.py").read_bytes())  # how the last warehouse may have been merged
    for path in sorted(p for p in (ROOT / "seeds").glob("*") if p.is_file()):
        digest.update(path.name.encode() + path.read_bytes())
    for folder in ("models", "macros", "tests"):
        for path in sorted((DBT_DIR / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(DBT_DIR).as_posix().encode() + path.read_bytes())
    for name in ("dbt_project.yml", "profiles.yml"):
        digest.update((DBT_DIR / name).read_bytes())
    return digest.hexdigest()[:32]


def data_fingerprint(seeds_dir: Path = EXTRACTED_SEEDS) -> str:
    """The extracted seeds: their folder and each file's size and mtime (the ingest rewrites them
    only when their inputs changed, so this stands for their bytes without reading gigabytes)."""
    digest = hashlib.sha256(str(seeds_dir).encode())
    for path in sorted(seeds_dir.glob("*.csv")):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _fingerprint_file(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.name}.built-from")


def _warehouse_stamp(warehouse: Path) -> str:
    stat = warehouse.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _recorded(warehouse: Path) -> tuple[str, str] | None:
    """What the last build wrote beside the warehouse: its fingerprint and the stamp of the file it built."""
    record = _fingerprint_file(warehouse)
    if not record.exists():
        return None
    fingerprint, _, stamp = record.read_text(encoding="utf-8").strip().partition(" ")
    return fingerprint, stamp


def _is_recorded_file(warehouse: Path, stamp: str) -> bool:
    return warehouse.exists() and stamp == _warehouse_stamp(warehouse)


def _project_part(fingerprint: str) -> str:
    return fingerprint.split(".", 1)[0]


def _up_to_date(warehouse: Path, fingerprint: str) -> bool:
    """True when this very warehouse file was built from these seeds and this dbt project."""
    recorded = _recorded(warehouse)
    return recorded is not None and recorded[0] == fingerprint and _is_recorded_file(warehouse, recorded[1])


def _unit_tests_passed_on(warehouse: Path, fingerprint: str) -> bool:
    """True when the last build recorded beside ``warehouse`` used this very dbt project. dbt's unit
    tests check the models' SQL on fixed rows of their own, not the data, so their verdict for an
    unchanged project cannot change; a build that only brings new data need not run them again."""
    recorded = _recorded(warehouse)
    return recorded is not None and _project_part(recorded[0]) == _project_part(fingerprint)


def _record_fingerprint(warehouse: Path, fingerprint: str) -> None:
    """Written after the swap: a crash in between only costs one needless rebuild, never a wrong skip."""
    _fingerprint_file(warehouse).write_text(f"{fingerprint} {_warehouse_stamp(warehouse)}\n", encoding="utf-8")


def run_dbt(arguments: list[str], warehouse: Path, seeds_dir: Path = EXTRACTED_SEEDS) -> int:
    environment = dict(
        os.environ, JUESUAN_WAREHOUSE=str(warehouse), JUESUAN_EXTRACTED_SEEDS=str(seeds_dir),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    command = [sys.executable, "-m", "ingest.dbt_cli", *arguments, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    return subprocess.call(command, env=environment, cwd=DBT_DIR)


def _remove_stale_builds(warehouse: Path) -> None:
    """Temporary files of builds that were killed (we hold the lock, so none is running)."""
    for stale in warehouse.parent.glob(f"{warehouse.name}.building*"):
        _remove(stale)
    _remove(warehouse.with_name(f"{warehouse.name}.merging"))
    shutil.rmtree(warehouse.with_name(f"{warehouse.name}.delta-seeds"), ignore_errors=True)


def _remove(path: Path) -> None:
    for candidate in (path, Path(f"{path}.wal")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass


if __name__ == "__main__":
    sys.exit(main())
