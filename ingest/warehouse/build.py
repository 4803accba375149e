"""``make build``: disclosures → seeds → ``dbt build`` into a new file → swapped in atomically.

The warehouse is built in a temporary file beside the target and renamed over it only
when every dbt model and error-severity test passed, so an interrupted or failed build
leaves the previous warehouse as it was. A reader holding the old file open (a notebook)
keeps reading the old file and does not block the swap. One build at a time: a second
build waits for the lock and says so.

Each warehouse has its own seeds, exports and log beside it (``ingest/warehouse/outputs.py``). dbt's
output goes to the log (``<warehouse>.log``, plain text); the console shows a progress line and
ends with a summary of what was read, rejected and built. Ctrl-C stops the build with one line:
the temporary files are removed and the last good warehouse is left as it was; the files of a
build that was killed outright are removed by the next build (or ``make clean``).
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import shutil
import signal
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TextIO

import duckdb

from ingest.run.cache import code_version, default_cache_dir
from ingest.run.executor import EXECUTOR_HELP, ExecutorUnavailable, executor_from
from ingest.run.parallel import DEFAULT_FILE_TIMEOUT, default_jobs
from ingest.run.pipeline import cached_fragments, ingest_folder, list_files
from ingest.run.seeds import seed_files
from ingest.settings import settings
from ingest.warehouse import delta, outputs
from ingest.warehouse.dbt_launcher import run_dbt
from ingest.warehouse.delta import DeltaError, FileCopy, merge_delta, plan_delta, write_delta_seeds

INTERRUPTED = "interrupted; the last good warehouse is unchanged"
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
ALL_REJECTED_EXIT = 4
BAD_ARGUMENTS_EXIT = 2
LOCK_TIMEOUT_EXIT = 3
EXECUTOR_UNAVAILABLE_EXIT = 5
REJECTIONS_SHOWN = 10  # rejected files listed in the summary; the rest are in the ingest log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.warehouse.build", description=__doc__.splitlines()[0])
    parser.add_argument("--disclosures", type=Path, default=settings().samples)
    parser.add_argument("--warehouse", type=Path, default=settings().warehouse)
    parser.add_argument("--wait", type=float, default=900, help="seconds to wait for another build to finish")
    parser.add_argument(
        "--jobs", type=int, default=default_jobs(), help="processes parsing files (default: every core)"
    )
    parser.add_argument(
        "--cache", type=Path, default=default_cache_dir(), help="incremental ingest cache (safe to delete)"
    )
    parser.add_argument("--no-cache", action="store_true", help="parse every file again")
    parser.add_argument("--executor", default=None, help=EXECUTOR_HELP)
    parser.add_argument("--file-timeout", type=float, default=DEFAULT_FILE_TIMEOUT, help="seconds allowed per file")
    parser.add_argument("--force", action="store_true", help="run dbt build even when nothing changed")
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="where the extracted seed CSVs go (default: beside the warehouse, <name>-seeds/; "
        "seeds/extracted/ for the project's warehouse.duckdb)",
    )
    parser.add_argument(
        "--allow-empty", action="store_true", help="build an empty warehouse from a folder with no files"
    )
    args = parser.parse_args(argv)
    problem = disclosures_problem(args.disclosures, args.allow_empty)
    if problem:
        print(f"build: {problem}", file=sys.stderr)
        return BAD_ARGUMENTS_EXIT
    warehouse = args.warehouse.expanduser().resolve()
    if warehouse.is_dir():
        print(
            f"build: {warehouse} is a folder; --warehouse names the database file, e.g. {warehouse / 'warehouse.duckdb'}",
            file=sys.stderr,
        )
        return BAD_ARGUMENTS_EXIT
    try:
        executor_from(args.executor, 1)
    except ValueError as error:
        parser.error(str(error))
    options = BuildOptions(
        jobs=max(1, args.jobs),
        executor=args.executor,
        cache_dir=None if args.no_cache else args.cache,
        file_timeout=args.file_timeout,
        force=args.force,
        seeds_dir=(args.seeds or outputs.seeds_dir(warehouse)).expanduser().resolve(),
    )
    with interrupts_stop_this_process():
        try:
            warehouse.parent.mkdir(parents=True, exist_ok=True)
            with build_lock(args.wait):
                try:
                    _remove_leftovers(warehouse, options.seeds_dir)
                    return build(args.disclosures.expanduser().resolve(), warehouse, options)
                except KeyboardInterrupt:
                    outputs.remove_leftovers(warehouse, options.seeds_dir)  # ours: we hold the lock
                    with outputs.build_log(warehouse).open("a", encoding="utf-8") as log:
                        log.write(f"build: {INTERRUPTED}\n")
                    raise
        except TimeoutError as error:
            print(f"build: {error}", file=sys.stderr)
            return LOCK_TIMEOUT_EXIT
        except ExecutorUnavailable as error:  # the build stopped before writing anything
            print(f"build: {error}", file=sys.stderr)
            return EXECUTOR_UNAVAILABLE_EXIT
        except KeyboardInterrupt:
            print(f"build: {INTERRUPTED}", file=sys.stderr)
            return INTERRUPTED_EXIT


def disclosures_problem(folder: Path, allow_empty: bool = False) -> str | None:
    """What is wrong with the folder of disclosures, said so a user knows what to do; None when fine."""
    if folder.is_file():
        return f"{folder} is a file, not a folder: give the folder that holds the disclosures (--disclosures {folder.parent})"
    if not folder.exists():
        return f"no such folder of disclosures: {folder}"
    if not folder.is_dir():
        return f"{folder} is not a folder of disclosures"
    if not allow_empty and not list_files(folder):
        return (
            f"the folder {folder} holds no files (hidden files are skipped): nothing to build; "
            "--allow-empty builds an empty warehouse anyway"
        )
    return None


@contextmanager
def interrupts_stop_this_process():
    """Ctrl-C raises KeyboardInterrupt here, once, and nowhere else. The terminal sends SIGINT to every
    process of the build: the parsing workers (forked from this process, so they inherit this handler)
    ignore it and are stopped by their pool; dbt (a program of its own, started after this handler is
    reset by exec) cancels its queries and exits, its output going to the log, and ``run_dbt`` waits
    for it. No worker prints a traceback, and a second Ctrl-C does not cut the clean-up short."""
    owner = os.getpid()

    def interrupt(signum, frame):
        if os.getpid() != owner:
            return  # a forked worker: its parent decides
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _remove_leftovers(warehouse: Path, seeds_dir: Path) -> None:
    """Temporary files of builds that were killed (we hold the lock, so none is running)."""
    removed = outputs.remove_leftovers(warehouse, seeds_dir)
    if removed:
        print(
            f"build: removed {len(removed)} leftover file(s) of an interrupted build: "
            + ", ".join(path.name for path in removed)
        )


@contextmanager
def build_lock(wait_seconds: float):
    lock_file = settings().build_lock
    with lock_file.open("a+") as handle:
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
                    raise TimeoutError(
                        f"another build still holds {lock_file.name} after {wait_seconds:.0f} s"
                    ) from None
                time.sleep(0.5)
        if announced:  # said, so that a benchmark timing the build can leave the wait out
            waited = wait_seconds - (deadline - time.monotonic())
            print(f"build: another build is running: waited {waited:.1f} s for it to finish", file=sys.stderr)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class BuildOptions:
    jobs: int = 1
    executor: str | None = None  # --executor: None for the local pool of ``jobs``, or dask://HOST:PORT
    cache_dir: Path | None = None
    file_timeout: float | None = DEFAULT_FILE_TIMEOUT
    force: bool = False
    seeds_dir: Path | None = None  # None: the warehouse's own (ingest.warehouse.outputs.seeds_dir)


def build(disclosures: Path, warehouse: Path, options: BuildOptions | None = None) -> int:
    """Ingest, then dbt build into a temporary file swapped in on success; ends with a summary. The
    exit status is dbt's when it failed, ``ALL_REJECTED_EXIT`` when no file could be read."""
    options = options or BuildOptions()
    seeds_dir = options.seeds_dir or outputs.seeds_dir(warehouse)
    with BuildLog(outputs.build_log(warehouse)) as log:
        started = time.monotonic()
        result = ingest_folder(
            disclosures,
            seeds_dir,
            jobs=options.jobs,
            executor=executor_from(options.executor, options.jobs),
            cache_dir=options.cache_dir,
            keep_extractions=False,
            progress=True,
            file_timeout=options.file_timeout,
        )
        rejected = sum(1 for row in result.log if row.status == "rejected")
        state = "unchanged" if result.seeds_unchanged else f"{result.parsed_now} parsed now"
        log.say(
            f"ingest: {len(result.log)} files ({rejected} rejected, {state}) → {_shown(seeds_dir)}"
            f" in {time.monotonic() - started:.1f} s"
        )
        if result.log and rejected == len(result.log):
            log.say(f"build: every file was rejected; {warehouse.name} left unchanged", error=True)
            code = ALL_REJECTED_EXIT
        else:
            code = _build_warehouse(warehouse, seeds_dir, options, result.log, log)
            if code == 0:
                log.say(f"build: {warehouse} ready in {time.monotonic() - started:.1f} s")
        for line in summary(result.log, warehouse, seeds_dir, built=code == 0, log_path=log.path):
            log.say(line)
    return code


def _build_warehouse(warehouse: Path, seeds_dir: Path, options: BuildOptions, ingest_log: list, log: BuildLog) -> int:
    fingerprint = warehouse_fingerprint(seeds_dir)
    if not options.force and _up_to_date(warehouse, fingerprint):
        log.say(f"build: {warehouse.name} is up to date (seeds and dbt project unchanged); dbt build skipped")
        return 0
    _remove_stale_builds(warehouse)
    # The same name every time (the lock allows one build): dbt keeps its parsed project between
    # runs only while the profile, which names this file, stays the same.
    temporary = warehouse.with_name(f"{warehouse.name}.building")
    outputs.remove_database(temporary)
    if not options.force and _delta_allowed(warehouse, fingerprint):
        code = delta_build(warehouse, temporary, seeds_dir, fingerprint, ingest_log, options.cache_dir, log)
        if code is not None:
            return code
    arguments = ["build"]
    if not options.force and _unit_tests_passed_on(warehouse, fingerprint):
        arguments += ["--exclude-resource-type", "unit_test"]
        log.say(
            "dbt: unit tests not run again: the dbt project is the one they passed on last time (--force runs them)"
        )
    dbt_started = time.monotonic()
    try:
        code = run_dbt(arguments, temporary, seeds_link(warehouse, seeds_dir), log)
    except BaseException:  # Ctrl-C: dbt has stopped; its half-built file goes
        outputs.remove_database(temporary)
        raise
    log.say(f"dbt: build finished in {time.monotonic() - dbt_started:.1f} s (exit {code})")
    if code != 0:
        outputs.remove_database(temporary)
        log.say(f"build: dbt build failed (exit {code}); {warehouse.name} left unchanged", error=True)
        return code
    make_durable(temporary)
    os.replace(temporary, warehouse)
    outputs.remove(Path(f"{temporary}.wal"))
    _record_fingerprint(warehouse, fingerprint)
    return 0


class BuildLog:
    """The build's own lines go to the console and to the log file beside the warehouse; dbt's
    output goes to the same file only (``run_dbt``). The file is rewritten by every build."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
        self._file: TextIO = path.open("a", encoding="utf-8")  # append: dbt writes into it between our lines

    def say(self, text: str, error: bool = False) -> None:
        print(text, file=sys.stderr if error else sys.stdout, flush=True)
        self.write(text)

    def write(self, text: str) -> None:
        self._file.write(text + "\n")
        self._file.flush()

    def __enter__(self) -> BuildLog:
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


def summary(ingest_log: list, warehouse: Path, seeds_dir: Path, built: bool, log_path: Path | None = None) -> list[str]:
    """The closing lines of a build: files parsed / warned / rejected (the rejected ones with their
    reason, the first ``REJECTIONS_SHOWN``), disclosures by verdict, departments and years, and where
    the warehouse and its log are."""
    statuses = Counter(row.status for row in ingest_log)
    lines = [
        f"summary: {len(ingest_log)} files: {statuses['parsed']} parsed, {statuses['warned']} warned, "
        f"{statuses['rejected']} rejected"
    ]
    rejected = [row for row in ingest_log if row.status == "rejected"]
    for row in rejected[:REJECTIONS_SHOWN]:
        lines.append(f"  rejected {row.source_file}: {row.reason}")
    if len(rejected) > REJECTIONS_SHOWN:
        where = "marts.fct_ingest_log (where status = 'rejected')" if built else _log_seed_shown(seeds_dir)
        lines.append(f"  … and {len(rejected) - REJECTIONS_SHOWN} more rejected: see {where}")
    contents = warehouse_contents(warehouse) if warehouse.exists() else None
    if contents is not None:
        verdicts, departments, years = contents
        shown = ", ".join(f"{count} {verdict}" for verdict, count in verdicts) or "none"
        lines.append(
            f"  disclosures: {sum(count for _, count in verdicts)} ({shown}); departments: {departments}; "
            f"years: {_years(years)}"
        )
    state = "built" if built else "unchanged (the last good one)" if warehouse.exists() else "not built"
    lines.append(f"  warehouse: {warehouse} ({state})")
    if log_path is not None:
        lines.append(f"  log: {log_path}")
    return lines


def _log_seed_shown(seeds_dir: Path) -> str:
    """The ingest-log seed's file, or its shards' pattern when it is cut into shards (``ingest.run.seeds``)."""
    files = seed_files(seeds_dir, "ingest_log")
    return str(files[0]) if len(files) == 1 else str(seeds_dir / "ingest_log.*.csv")


def warehouse_contents(warehouse: Path) -> tuple[list[tuple[str, int]], int, list[int]] | None:
    """Disclosures by verdict, the number of departments and the fiscal years in the warehouse."""
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            verdicts = connection.execute(
                "select verdict, count(*) from marts.fct_disclosure group by verdict order by count(*) desc, verdict"
            ).fetchall()
            departments = connection.execute(
                "select count(distinct department_id) from marts.fct_disclosure"
            ).fetchone()[0]
            years = [
                row[0]
                for row in connection.execute(
                    "select distinct fiscal_year from marts.fct_disclosure where fiscal_year is not null order by 1"
                ).fetchall()
            ]
    except duckdb.Error:
        return None
    return [(str(verdict), count) for verdict, count in verdicts], departments, years


def _years(years: list[int]) -> str:
    """2017-2019, 2023 for [2017, 2018, 2019, 2023]."""
    if not years:
        return "none"
    spans, first, last = [], years[0], years[0]
    for year in years[1:] + [None]:
        if year is not None and year == last + 1:
            last = year
            continue
        spans.append(f"{first}-{last}" if last > first else f"{first}")
        if year is not None:
            first = last = year
    return ", ".join(spans)


def delta_build(
    warehouse: Path,
    temporary: Path,
    seeds_dir: Path,
    fingerprint: str,
    log: list | None,
    cache_dir: Path | None,
    build_log: BuildLog,
) -> int | None:
    """Only the departments of the changed documents built again and merged into a copy of the
    warehouse (see ``ingest.warehouse.delta``); None when a build from scratch should run instead.
    The copy is made while dbt builds the delta (``FileCopy``): at 100,000 documents it takes seconds."""
    say = build_log.say
    plan = plan_delta(warehouse, seeds_dir)
    if isinstance(plan, str):
        say(f"build: from scratch: {plan}")
        return None
    say(f"build: delta build: {plan.describe()}")
    delta_seeds = warehouse.with_name(f"{warehouse.name}.delta-seeds")
    merged = warehouse.with_name(f"{warehouse.name}.merging")
    copy = None
    try:
        copy = FileCopy(warehouse, merged)
        fragments = cached_fragments(cache_dir, log, set(plan.fed_documents)) if cache_dir and log else None
        write_delta_seeds(plan, seeds_dir, delta_seeds, fragments)
        dbt_started = time.monotonic()
        code = run_dbt(
            ["build", "--exclude-resource-type", "unit_test"], temporary, seeds_link(warehouse, delta_seeds), build_log
        )
        say(f"dbt: delta build finished in {time.monotonic() - dbt_started:.1f} s (exit {code})")
        if code != 0:
            say(f"build: dbt build failed (exit {code}); {warehouse.name} left unchanged", error=True)
            return code
        merge_started = time.monotonic()
        manifest = settings().dbt_project / "target" / "manifest.json"
        tables = merge_delta(warehouse, temporary, merged, plan, manifest, copy)
        os.replace(merged, warehouse)
        _record_fingerprint(warehouse, fingerprint)
        say(f"build: {tables} tables merged in {time.monotonic() - merge_started:.1f} s")
        return 0
    except (DeltaError, duckdb.Error, OSError) as error:
        say(f"build: the delta could not be merged ({error}); building from scratch")
        return None
    finally:
        if copy is not None:
            copy.cancel()  # done already unless the delta stopped early; the thread ends before its file goes
        for path in (temporary, merged):
            outputs.remove_database(path)
        shutil.rmtree(delta_seeds, ignore_errors=True)


def make_durable(path: Path) -> None:
    """The file on disk before it is swapped in. dbt's DuckDB does not sync after each model
    (``fsync_mode: none`` in ``dbt_project/profiles.yml``): a file that is only ever swapped in
    whole needs one sync, here, not one per model, each waiting behind the disk's other writes."""
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def seeds_link(warehouse: Path, seeds_dir: Path) -> Path:
    """The folder dbt reads the extracted seeds from, as a link beside the warehouse that always has
    the same name. dbt keeps its parsed project only while the environment its YAML reads stays the
    same; a delta build reads another folder than a full one, and re-parsing costs 3-4 s."""
    link = warehouse.with_name(f"{warehouse.name}.seeds")
    fresh = link.with_name(f"{link.name}.new")
    outputs.remove(fresh)
    os.symlink(seeds_dir.resolve(), fresh, target_is_directory=True)
    os.replace(fresh, link)
    return link


def _delta_allowed(warehouse: Path, fingerprint: str) -> bool:
    """True when the warehouse file is the one the last build recorded, from this very dbt project
    and ingest code: then its rows for unchanged documents are what a build from scratch gives."""
    recorded = _recorded(warehouse)
    return (
        recorded is not None
        and _is_recorded_file(warehouse, recorded[1])
        and _project_part(recorded[0]) == _project_part(fingerprint)
    )


def _shown(path: Path) -> str:
    home = settings().home
    return str(path.relative_to(home)) if path.is_relative_to(home) else str(path)


def warehouse_fingerprint(seeds_dir: Path) -> str:
    """What the warehouse is built from: ``<dbt project>.<extracted data>`` (see the two below)."""
    return f"{project_fingerprint()}.{data_fingerprint(seeds_dir)}"


def project_fingerprint() -> str:
    """The dbt version, the dbt project's files and the reference seeds (``seeds/*``): everything
    the models and their unit tests are made of; and the ingest code, which makes the seeds, and
    the delta merge: a warehouse built by other code is never merged into, only rebuilt."""
    digest = hashlib.sha256(
        f"dbt-core {package_version('dbt-core')} dbt-duckdb {package_version('dbt-duckdb')}".encode()
    )
    digest.update(f"ingest {code_version()}".encode())
    digest.update(Path(delta.__file__).read_bytes())  # how the last warehouse may have been merged
    dbt_dir = settings().dbt_project
    for path in sorted(p for p in settings().reference_seeds.glob("*") if p.is_file()):
        digest.update(path.name.encode() + path.read_bytes())
    for folder in ("models", "macros", "tests"):
        for path in sorted((dbt_dir / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(dbt_dir).as_posix().encode() + path.read_bytes())
    for name in ("dbt_project.yml", "profiles.yml"):
        digest.update((dbt_dir / name).read_bytes())
    return digest.hexdigest()[:32]


def data_fingerprint(seeds_dir: Path) -> str:
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


def _remove_stale_builds(warehouse: Path) -> None:
    """Temporary files of builds that were killed (we hold the lock, so none is running)."""
    for stale in warehouse.parent.glob(f"{warehouse.name}.building*"):
        outputs.remove_database(stale)
    outputs.remove_database(warehouse.with_name(f"{warehouse.name}.merging"))
    shutil.rmtree(warehouse.with_name(f"{warehouse.name}.delta-seeds"), ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
