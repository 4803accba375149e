"""Fixtures for the newcomer's-first-hour tests: a copy of the project in a folder whose path has a
space and Chinese characters, using the project's own virtualenv (nothing is installed), and small
folders of disclosures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, SICHUAN

# the copy uses the project's .venv through links; setup must find nothing to install there
NO_INSTALL = "VENV_INSTALL=echo 'setup tried to install into the linked virtualenv' >&2; exit 1"


def copy_project(target: Path) -> Path:
    """What `make` needs of a checkout, copied to ``target``; ``.venv`` links to the project's own."""
    target.mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "target", "logs", "extracted", ".user.yml")
    for name in ("ingest", "dbt_project", "seeds", "notebooks"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    venv = target / ".venv"
    venv.mkdir()
    for part in ("bin", "lib", "include", "share"):
        if (ROOT / ".venv" / part).exists():
            (venv / part).symlink_to(ROOT / ".venv" / part)
    shutil.copy2(ROOT / ".venv" / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / ".installed").touch()  # newer than the copied pyproject.toml: nothing to install
    return target


def make(project: Path, *arguments: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *arguments, NO_INSTALL],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def spaced(tmp_path_factory) -> Path:
    """A scratch folder whose path has spaces and Chinese characters."""
    return tmp_path_factory.mktemp("first hour") / "数据 folder"


@pytest.fixture(scope="module")
def project(spaced) -> Path:
    return copy_project(spaced / "my checkout 项目")


@pytest.fixture(scope="module")
def one_text_and_junk(spaced) -> Path:
    """The Sichuan 2023 决算 (text) beside a file that is no document: a fast build with one rejection."""
    folder = spaced / "my disclosures 文件"
    folder.mkdir(parents=True)
    shutil.copy(SICHUAN, folder / SICHUAN.name)
    (folder / "scan 扫描件.pdf").write_bytes(b"\x00\x01\x02 not a pdf at all")
    return folder
