"""The parser's busiest modules compiled to C by mypyc, used only while they match their sources.

Parsing is written and tested in Python; the Python files are the reference. ``make setup`` runs
``python -m ingest.compile_parser`` (the building), which compiles ``MODULES`` with mypyc (from the
pinned mypy) into ``ingest/.compiled/`` together with a manifest: the SHA-256 of every Python file of the
package when it was compiled (the compiled code was type-checked against all it imports, records
and readers included) and the Python it was compiled for. ``ingest/__init__.py`` calls
``use_compiled()`` before any other part of the package is imported; it puts the compiled modules
in place of the Python ones only when every file still has its recorded hash, for this very
Python. Any file of the package edited since (until ``make`` compiles again), a machine
without a C compiler or ``JUESUAN_PURE_PYTHON=1`` all mean the Python modules, as they are: the
compiled ones are a speed-up (a third less CPU per synthetic document), never another parser.
tests/ingest/test_compiled.py checks that both write the same seeds, byte for byte.

mypyc checks the annotations of compiled code at run time: an argument of the wrong type is a
TypeError there, where Python would carry on. It type-checks the modules before compiling them and
refuses any annotation mypy finds false; CI requires the compile to succeed (``.ci/run``); and a
file whose reader or extractor raises under the compiled parser is parsed again by the Python one
(``ingest/run/python_retry.py``).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
import sysconfig
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
FOLDER = PACKAGE / ".compiled"
MANIFEST = "manifest.json"
PURE_PYTHON_VARIABLE = "JUESUAN_PURE_PYTHON"
# the modules that take most of a text document's parsing time (bench/profile_parse.txt); a module
# whose classes are made by ingest.parse.frozen (records, document) stays Python: it sets __dict__
MODULES = (
    "ingest/parse/amounts.py",
    "ingest/parse/extraction.py",
    "ingest/parse/seed_rows.py",
    "ingest/parse/readers/text.py",
    "ingest/parse/extractors/clauses.py",
    "ingest/parse/extractors/function_lines.py",
    "ingest/parse/extractors/identity.py",
    "ingest/parse/extractors/narrative.py",
    "ingest/parse/extractors/passages.py",
    "ingest/parse/extractors/performance.py",
)

# what use_compiled() found: "compiled" or "python: <why>"
status = "python: not looked for"


def python_tag() -> str:
    """The Python a compiled module was built for, as its file names say (cpython-311-x86_64-linux-gnu)."""
    return str(sysconfig.get_config_var("EXT_SUFFIX") or "").strip(".").removesuffix(".so")


def source_hashes(root: Path = PACKAGE.parent) -> dict[str, str]:
    """SHA-256 of every Python file of the package under ``root``, by path (ingest/parse/…)."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((root / PACKAGE.name).rglob("*.py"))
    }


def module_name(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def current_problem(folder: Path = FOLDER) -> str | None:
    """Why the compiled modules in ``folder`` cannot stand for the sources, or None when they can."""
    return _usable_files(folder)[1]


def _usable_files(folder: Path) -> tuple[dict[str, Path], str | None]:
    """The compiled files of ``folder`` by module name, and why they cannot stand for the sources
    (None when they can): the manifest is read once."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, "not compiled (python -m ingest.compile_parser)"
    except (OSError, ValueError) as error:
        return {}, f"unreadable manifest: {error}"
    if manifest.get("python") != python_tag():
        return {}, f"compiled for {manifest.get('python')}, this is {python_tag()}"
    recorded, now = manifest.get("sources", {}), source_hashes()
    changed = sorted(path for path in recorded.keys() | now.keys() if recorded.get(path) != now.get(path))
    if changed:
        return {}, f"{len(changed)} source(s) changed since compiled: {', '.join(changed[:3])}"
    files = {name: folder / file for name, file in manifest.get("files", {}).items()}
    missing = [str(file.relative_to(folder)) for file in files.values() if not file.is_file()]
    if missing or not files:
        return {}, f"compiled file(s) missing: {', '.join(missing[:3]) or 'all'}"
    return files, None


class CompiledFinder:
    """Finds the compiled modules (and mypyc's shared runtime module) by their full names."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def find_spec(self, fullname, path=None, target=None):
        file = self.files.get(fullname)
        if file is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(file))
        return importlib.util.spec_from_file_location(fullname, file, loader=loader)


def use_compiled(folder: Path = FOLDER) -> str:
    """Put the compiled modules first on the import path when they match their sources; returns
    (and keeps in ``status``) what was decided."""
    global status
    if os.environ.get(PURE_PYTHON_VARIABLE):
        status = f"python: {PURE_PYTHON_VARIABLE} is set"
        return status
    files, problem = _usable_files(folder)
    if problem is not None:
        status = f"python: {problem}"
        return status
    if not any(isinstance(finder, CompiledFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, CompiledFinder(files))
    status = "compiled"
    return status


def compiled_modules_loaded() -> list[str]:
    """The modules of ``MODULES`` imported in this process from compiled files."""
    loaded = []
    for module in MODULES:
        found = sys.modules.get(module_name(module))
        if found is not None and str(getattr(found, "__file__", "")).endswith(".so"):
            loaded.append(module_name(module))
    return loaded
