"""Compile the parser's busiest modules with mypyc (``make setup`` runs this; see ingest/compiled.py).

``python -m ingest.compile_parser`` compiles ``ingest.compiled.MODULES`` into ``ingest/.compiled/``
unless what is there matches the sources already (then it takes well under a second). A machine
that cannot compile says so and parses in Python; ``--required`` (CI) makes that an error.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from ingest.compiled import FOLDER, MANIFEST, MODULES, PACKAGE, current_problem, module_name, python_tag, source_hashes


def build(folder: Path = FOLDER) -> str:
    """Compile ``MODULES`` into ``folder`` unless what is there matches the sources already;
    raises CompileError with mypyc's own words when it cannot."""
    if current_problem(folder) is None:
        return "up to date"
    try:
        import mypyc  # noqa: F401  (installed with mypy: pyproject.toml, extra "compile")
    except ImportError as error:
        raise CompileError("mypyc is not installed (pip install -e '.[compile]')") from error
    with tempfile.TemporaryDirectory(prefix="juesuan-compile-") as scratch:
        work = Path(scratch)
        shutil.copytree(PACKAGE, work / "ingest", ignore=shutil.ignore_patterns(".compiled*", "__pycache__", "*.so"))
        sources = source_hashes(work)  # what is compiled, even if a file is edited meanwhile
        result = subprocess.run(
            [sys.executable, "-m", "mypyc", "--ignore-missing-imports", *MODULES],
            cwd=work,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CompileError(_last_lines(result.stdout + result.stderr))
        files = _collect(work)
        fresh = folder.with_name(folder.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        for file in files.values():
            (fresh / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / file, fresh / file)
        manifest = {"python": python_tag(), "sources": sources, "files": files}
        (fresh / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        fresh.rename(folder)
    return f"compiled {len(MODULES)} modules into {folder}"


def _collect(work: Path) -> dict[str, str]:
    """The compiled files mypyc left in ``work`` (paths relative to it), by module name: one per
    module in ``MODULES``, and the runtime module they share (a top-level ``<hash>__mypyc``)."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    files = {}
    for module in MODULES:
        file = module.removesuffix(".py") + suffix
        if not (work / file).is_file():
            raise CompileError(f"mypyc left no {file} for {module}")
        files[module_name(module)] = file
    for file in work.glob(f"*__mypyc{suffix}"):
        files[file.name.removesuffix(suffix)] = file.name
    return files


def _last_lines(text: str, count: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-count:])


class CompileError(RuntimeError):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.compile_parser", description=__doc__.splitlines()[0])
    parser.add_argument("--required", action="store_true", help="exit 1 when the modules cannot be compiled")
    parser.add_argument("--status", action="store_true", help="only say whether the compiled modules are in use")
    args = parser.parse_args(argv)
    if args.status:
        problem = current_problem()
        print("compiled parser: in use" if problem is None else f"compiled parser: not in use ({problem})")
        return 0
    try:
        done = build()
        if done != "up to date":  # said on every `make` command otherwise
            print(f"compiled parser: {done}")
    except (CompileError, OSError) as error:
        # without --required a machine that cannot compile (no C compiler, no mypyc) parses in Python
        print(f"compiled parser: not built, parsing stays in Python:\n{error}", file=sys.stderr)
        return 1 if args.required else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
