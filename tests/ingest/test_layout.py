"""The packages of ``ingest`` import in one direction: parse ← run ← warehouse ← the command line.

Parsing imports nothing outside ``ingest/parse`` (but ``ingest.settings``, which says where the
reference seeds are): the ingest cache's key is the hash of that package and the seeds it reads
(``ingest.run.cache.code_version``), so code parsing depends on must live inside it. Nothing in
the shipped package imports the developer tools (``tools/``). ``ingest.compiled`` (which parser
runs: the compiled modules or the Python ones) is below them all, like ``ingest.settings``; the
running pipeline asks it whether a failure is to be retried in Python.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import ingest

PACKAGE = Path(ingest.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    """The absolute module names a file imports (``from a.b import c`` counts as ``a.b``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            names.add(node.module)
    return names


def modules_of(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def allowed(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize(
    "package, may_import",
    [
        ("parse", ("ingest.parse", "ingest.settings")),
        ("run", ("ingest.parse", "ingest.run", "ingest.settings", "ingest.compiled")),
        ("warehouse", ("ingest.parse", "ingest.run", "ingest.warehouse", "ingest.settings", "ingest.compiled")),
    ],
)
def test_each_package_imports_only_those_below_it(package, may_import):
    found = {
        path.relative_to(PACKAGE).as_posix(): sorted(
            name
            for name in imported_modules(path)
            if name.split(".")[0] in ("ingest", "tools") and not allowed(name, may_import)
        )
        for path in modules_of(package)
    }
    assert {path: names for path, names in found.items() if names} == {}


def test_nothing_shipped_imports_the_developer_tools():
    shipped = sorted(PACKAGE.rglob("*.py"))
    assert len(shipped) > 50
    assert [path.name for path in shipped if any(n.split(".")[0] == "tools" for n in imported_modules(path))] == []


def test_settings_and_the_clean_command_need_only_the_standard_library():
    """``make clean`` runs ``python3 -m ingest.warehouse.outputs`` before any setup."""
    for path in (PACKAGE / "settings.py", PACKAGE / "warehouse" / "outputs.py", PACKAGE / "warehouse" / "__init__.py"):
        third_party = {
            name
            for name in imported_modules(path)
            if name.split(".")[0] not in sys.stdlib_module_names and name not in ("ingest.settings",)
        }
        assert third_party == set(), path
