"""``make docs``: the dbt docs site (model and column descriptions, lineage) as static files.

``dbt docs generate --static`` writes ``dbt_project/target/static_index.html``, one file that
opens from disk with no server and no network. The catalog is read from a copy of the
warehouse, so readers holding the warehouse open (notebooks) neither block nor are blocked.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from ingest.settings import settings
from ingest.warehouse.dbt_launcher import run_dbt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.warehouse.docs", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=settings().warehouse)
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"docs: no warehouse at {args.warehouse}; run make build first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "warehouse.duckdb"
        shutil.copyfile(args.warehouse, copy)
        code = run_dbt(["docs", "generate", "--static"], copy)
    if code == 0:
        print(f"docs: open {settings().dbt_project / 'target' / 'static_index.html'} in a browser")
    return code


if __name__ == "__main__":
    sys.exit(main())
