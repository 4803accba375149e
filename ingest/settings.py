"""Where juesuan's files are: one object with every path the packages read or write by default.

The *project home* is the folder that holds ``dbt_project/`` (the warehouse's models) and
``seeds/`` (the reference seeds parsing and dbt read). It is

1. ``$JUESUAN_HOME`` when set (``juesuan --project DIR`` sets it for the command and every
   process it starts), else
2. the checkout this package was installed from: ``pip install -e .`` (what ``make setup``
   does) leaves the package in the checkout, so the home is the folder above ``ingest/``.

So the installed ``juesuan`` command works from any directory: it finds the dbt project and the
reference seeds in its home, and writes only where it is told (``--warehouse``; the default
warehouse, its seeds and exports, and the ingest cache are in the home). Paths are read from
the environment at each call, never frozen at import, so ``--project`` given on the command
line holds for everything that runs after it.

Standard library only: ``make clean`` runs ``python3 -m ingest.warehouse.outputs`` before any
setup, and every package (``parse`` too) may import this module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_VARIABLE = "JUESUAN_HOME"
INSTALLED_FROM = Path(__file__).resolve().parents[1]  # the checkout of an editable install


@dataclass(frozen=True)
class Settings:
    """The project's paths, all derived from its home."""

    home: Path

    @property
    def reference_seeds(self) -> Path:
        """``seeds/``: the reference seeds (``ref_*.csv``), read by parsing and loaded by dbt."""
        return self.home / "seeds"

    @property
    def dbt_project(self) -> Path:
        return self.home / "dbt_project"

    @property
    def extracted_sources(self) -> Path:
        """The dbt source properties of the extracted seeds, generated from the records."""
        return self.dbt_project / "models" / "staging" / "_extracted_sources.yml"

    @property
    def samples(self) -> Path:
        return self.home / "samples"

    @property
    def notebooks(self) -> Path:
        return self.home / "notebooks"

    @property
    def warehouse(self) -> Path:
        """The default warehouse (``make build`` without ``WAREHOUSE=``)."""
        return self.home / "warehouse.duckdb"

    @property
    def seeds(self) -> Path:
        """The default warehouse's extracted seeds; any other warehouse keeps its own beside it."""
        return self.reference_seeds / "extracted"

    @property
    def exports(self) -> Path:
        """The default warehouse's exports; any other warehouse keeps its own beside it."""
        return self.home / "exports"

    @property
    def cache(self) -> Path:
        """The ingest cache (safe to delete)."""
        return self.home / ".juesuan-cache"

    @property
    def build_lock(self) -> Path:
        """One build at a time per project home."""
        return self.home / ".juesuan-build.lock"

    def problem(self) -> str | None:
        """What is missing from the home for a build, said so a user knows what to do; None when fine."""
        for needed in (self.dbt_project / "dbt_project.yml", self.reference_seeds):
            if not needed.exists():
                return (
                    f"{self.home} is not a juesuan project (no {needed.relative_to(self.home)}): "
                    f"pass --project DIR or set {HOME_VARIABLE} to the checkout that holds dbt_project/ and seeds/"
                )
        return None


def settings() -> Settings:
    """The settings in force: ``$JUESUAN_HOME``, else the checkout the package was installed from."""
    home = os.environ.get(HOME_VARIABLE)
    return Settings(Path(home).expanduser().resolve() if home else INSTALLED_FROM)


def use_home(home: Path) -> Settings:
    """Make ``home`` the project home of this process and of the processes it starts (``--project``)."""
    os.environ[HOME_VARIABLE] = str(Path(home).expanduser().resolve())
    return settings()
