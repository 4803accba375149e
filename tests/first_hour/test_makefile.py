"""The Makefile from a checkout whose path has spaces and Chinese characters, with disclosures and a
warehouse in such folders too; and `make setup` remaking a virtualenv made with the wrong Python."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.first_hour.conftest import make

pytestmark = pytest.mark.slow

REQUIRED = "3.11"


def test_make_targets_work_from_and_on_paths_with_spaces(project, one_text_and_junk, spaced):
    warehouse = spaced / "out 库" / "w 一.duckdb"
    where = (f"DISCLOSURES={one_text_and_junk}", f"WAREHOUSE={warehouse}")
    built = make(project, "build", *where)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "unrecognized arguments" not in built.stderr
    seeds, exports = spaced / "out 库" / "w 一-seeds", spaced / "out 库" / "w 一-exports"
    assert warehouse.is_file() and (seeds / "documents.csv").is_file()
    assert (exports / "parquet" / "fct_disclosure.parquet").is_file()
    assert "summary: 2 files: 0 parsed, 1 warned, 1 rejected" in built.stdout

    ingested = make(project, "ingest", *where)
    assert ingested.returncode == 0, ingested.stderr[-3000:]
    assert f"→ {seeds}" in ingested.stdout
    exported = make(project, "export", *where)
    assert exported.returncode == 0 and str(exports) in exported.stdout, exported.stderr[-3000:]

    # report and docs receive the path whole: they name the missing file instead of failing on a split path
    missing = spaced / "nowhere 无" / "w.duckdb"
    for target, says in (("report", "report: no warehouse at"), ("docs", "docs: no warehouse at")):
        result = make(project, target, f"WAREHOUSE={missing}")
        assert result.returncode != 0 and f"{says} {missing}" in result.stderr, (target, result.stderr[-2000:])

    leftovers = [Path(f"{warehouse}.building"), Path(f"{warehouse}.building.wal"), seeds / ".figures.x1.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"left by a killed build")
    disclosures = sorted(one_text_and_junk.iterdir())
    cleaned = make(project, "clean", *where)
    assert cleaned.returncode == 0, cleaned.stderr[-3000:]
    for gone in [warehouse, seeds, exports, Path(f"{warehouse}.log"), *leftovers]:
        assert not gone.exists(), gone
    assert sorted(one_text_and_junk.iterdir()) == disclosures  # the inputs are never cleaned


def other_python() -> str | None:
    """An installed Python that is not 3.11 (python3.12 and the like, or a pyenv version), if any."""
    names = [f"python3.{minor}" for minor in (13, 12, 10, 9, 8)]
    found = [shutil.which(name) for name in names]
    found += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3")))
    for candidate in filter(None, found):
        version = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
        ).stdout.strip()
        if version and version != REQUIRED:
            return candidate
    return None


def wrong_venv(folder: Path) -> str:
    """A .venv as a first `make setup PYTHON=python3.12` left it: made with another Python, nothing
    installed. Without another Python here, a venv whose Python is gone (uninstalled) stands in."""
    other = other_python()
    if other:
        subprocess.run([other, "-m", "venv", "--without-pip", str(folder / ".venv")], check=True)
        return other
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder / ".venv")], check=True)
    for python in (folder / ".venv" / "bin").glob("python*"):
        python.unlink()
        python.symlink_to(folder / "uninstalled-python")
    return str(folder / "uninstalled-python")


def venv_version(folder: Path) -> str:
    return subprocess.run(
        [str(folder / ".venv" / "bin" / "python"), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_setup_remakes_a_venv_made_with_another_python(tmp_path):
    project = tmp_path / "setup 检查"
    project.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(Path(__file__).resolve().parents[2] / name, project / name)
    # the installing step records which Python it ran with (the real one downloads the dependencies)
    record = (
        "VENV_INSTALL=.venv/bin/python -c 'import sys; "
        'open(".venv/installed-with", "w").write("%d.%d" % sys.version_info[:2])\''
    )
    no_compile = "COMPILE_PARSER=true"  # the copy has no ingest/ to compile
    other = wrong_venv(project)
    assert venv_version(project) != REQUIRED

    refused = subprocess.run(
        ["make", "setup", f"PYTHON={other}", record, no_compile],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and f"juesuan needs {REQUIRED}" in refused.stderr, refused.stdout + refused.stderr
    assert not (project / ".venv" / ".installed").exists()

    if not (project / ".venv").exists():  # put back as the failed first try left it
        wrong_venv(project)
    python311 = getattr(sys, "_base_executable", sys.executable)
    remade = subprocess.run(
        ["make", "setup", f"PYTHON={python311}", record, no_compile],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert remade.returncode == 0, remade.stdout + remade.stderr
    assert "making it again" in remade.stdout
    assert venv_version(project) == REQUIRED
    assert (project / ".venv" / "installed-with").read_text() == REQUIRED
    assert (project / ".venv" / ".installed").exists()

    again = subprocess.run(
        ["make", "setup", f"PYTHON={python311}", record, no_compile],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0 and "making it again" not in again.stdout and "installing" not in again.stdout
