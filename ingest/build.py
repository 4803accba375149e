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
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from ingest.pipeline import ingest_folder

ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = ROOT / "dbt_project"
EXTRACTED_SEEDS = ROOT / "seeds" / "extracted"
LOCK_FILE = ROOT / ".juesuan-build.lock"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.build", description=__doc__.splitlines()[0])
    parser.add_argument("--disclosures", type=Path, default=ROOT / "samples")
    parser.add_argument("--warehouse", type=Path, default=ROOT / "warehouse.duckdb")
    parser.add_argument("--wait", type=float, default=900, help="seconds to wait for another build to finish")
    args = parser.parse_args(argv)
    if not args.disclosures.is_dir():
        print(f"build: no such folder of disclosures: {args.disclosures}", file=sys.stderr)
        return 2
    try:
        with build_lock(args.wait):
            return build(args.disclosures.resolve(), args.warehouse.resolve())
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


def build(disclosures: Path, warehouse: Path) -> int:
    started = time.monotonic()
    result = ingest_folder(disclosures, EXTRACTED_SEEDS)
    rejected = sum(1 for row in result.log if row.status == "rejected")
    print(f"ingest: {len(result.log)} files ({rejected} rejected) → {EXTRACTED_SEEDS.relative_to(ROOT)}")
    _remove_stale_builds(warehouse)
    temporary = warehouse.with_name(f"{warehouse.name}.building-{os.getpid()}")
    _remove(temporary)
    code = run_dbt(["build"], temporary)
    if code != 0:
        _remove(temporary)
        print(f"build: dbt build failed (exit {code}); {warehouse.name} left unchanged", file=sys.stderr)
        return code
    os.replace(temporary, warehouse)
    _remove(Path(f"{temporary}.wal"))
    print(f"build: {warehouse} ready in {time.monotonic() - started:.1f} s")
    return 0


def run_dbt(arguments: list[str], warehouse: Path) -> int:
    environment = dict(os.environ, JUESUAN_WAREHOUSE=str(warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), *arguments, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    return subprocess.call(command, env=environment, cwd=DBT_DIR)


def _remove_stale_builds(warehouse: Path) -> None:
    """Temporary files of builds that were killed (we hold the lock, so none is running)."""
    for stale in warehouse.parent.glob(f"{warehouse.name}.building-*"):
        _remove(stale)


def _remove(path: Path) -> None:
    for candidate in (path, Path(f"{path}.wal")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass


if __name__ == "__main__":
    sys.exit(main())
