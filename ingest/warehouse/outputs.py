"""Where a warehouse's own files live: its seeds, exports and build log, and its temporary files.

Each warehouse keeps its outputs beside it, named after it, so that building another warehouse
never touches the sample's: ``/data/sichuan.duckdb`` has ``/data/sichuan-seeds/`` (the extracted
seed CSVs dbt reads), ``/data/sichuan-exports/`` (``make export``) and ``/data/sichuan.duckdb.log``
(the build log). The project's default warehouse, ``warehouse.duckdb`` at the top of the
project, keeps the places it always had: ``seeds/extracted/`` and ``exports/``.

Only the standard library (and ``ingest.settings``, which imports nothing else) is imported here,
so that ``make clean`` runs before any setup: ``python3 -m ingest.warehouse.outputs clean WAREHOUSE``.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from pathlib import Path

from ingest.settings import settings

# files a build makes beside the warehouse while it runs (see ingest/warehouse/build.py); a killed build
# may leave any of them behind
TEMPORARY_SUFFIXES = (".building", ".building.wal", ".merging", ".merging.wal", ".seeds.new")
TEMPORARY_FOLDERS = (".delta-seeds",)
# files that describe the current warehouse and go with it
COMPANION_SUFFIXES = (".built-from", ".seeds", ".log")
SEED_TEMPORARY_GLOB = ".*.tmp"  # a seed being written (ingest/run/seeds.py)


def _is_default(warehouse: Path) -> bool:
    return warehouse.resolve() == settings().warehouse


def seeds_dir(warehouse: Path) -> Path:
    """The folder of the extracted seed CSVs the warehouse is built from."""
    warehouse = warehouse.resolve()
    return settings().seeds if _is_default(warehouse) else warehouse.with_name(f"{warehouse.stem}-seeds")


def exports_dir(warehouse: Path) -> Path:
    """The folder ``make export`` writes the warehouse's Parquet, CSV and Fiscal Data Package into."""
    warehouse = warehouse.resolve()
    return settings().exports if _is_default(warehouse) else warehouse.with_name(f"{warehouse.stem}-exports")


def build_log(warehouse: Path) -> Path:
    """The full log of the last build (dbt's output included); the console shows progress and a summary."""
    warehouse = warehouse.resolve()
    return warehouse.with_name(f"{warehouse.name}.log")


def leftovers(warehouse: Path, seeds: Path | None = None) -> list[Path]:
    """Temporary files of a build that was killed (or is running: call this under the build lock)."""
    warehouse = warehouse.resolve()
    found = [warehouse.with_name(warehouse.name + suffix) for suffix in TEMPORARY_SUFFIXES + TEMPORARY_FOLDERS]
    found = [path for path in found if path.exists() or path.is_symlink()]
    seeds = seeds or seeds_dir(warehouse)
    if seeds.is_dir():
        found += sorted(seeds.glob(SEED_TEMPORARY_GLOB))
    return found


def remove(path: Path) -> None:
    """A file, a link or a folder, if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def remove_database(path: Path) -> None:
    """A DuckDB file and its write-ahead log (``path.wal``), if they are there."""
    for candidate in (path, Path(f"{path}.wal")):
        remove(candidate)


def remove_leftovers(warehouse: Path, seeds: Path | None = None) -> list[Path]:
    found = leftovers(warehouse, seeds)
    for path in found:
        remove(path)
    return found


def clean(warehouse: Path) -> list[Path]:
    """``make clean``: the warehouse, its companions, its temporary files, its seeds and exports."""
    warehouse = warehouse.resolve()
    targets = [warehouse, Path(f"{warehouse}.wal")]
    targets += [warehouse.with_name(warehouse.name + suffix) for suffix in COMPANION_SUFFIXES]
    targets += leftovers(warehouse) + [seeds_dir(warehouse), exports_dir(warehouse)]
    removed = [path for path in targets if path.exists() or path.is_symlink()]
    for path in removed:
        remove(path)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.warehouse.outputs", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("clean", "show"))
    parser.add_argument("warehouse", type=Path, nargs="?", default=None)
    args = parser.parse_args(argv)
    args.warehouse = args.warehouse or settings().warehouse
    if args.command == "show":
        print(
            f"seeds:   {seeds_dir(args.warehouse)}\nexports: {exports_dir(args.warehouse)}\nlog:     {build_log(args.warehouse)}"
        )
        return 0
    for path in clean(args.warehouse):
        print(f"clean: removed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
