"""``ingest.warehouse.dbt_cli`` starts dbt without importing rfc3987_syntax (3.6 s of Earley-grammar
compilation on import) and is otherwise dbt's own command line."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_launcher_keeps_the_slow_module_out_and_dbt_working():
    probe = (
        "import sys, ingest.warehouse.dbt_cli\n"
        "print(sys.modules.get('rfc3987_syntax') is None)\n"
        "import jsonschema\n"
        "print(jsonschema.validate({'a': 1}, {'type': 'object', 'properties': {'a': {'type': 'integer'}}}) is None)\n"
        "print('iri' in jsonschema.FormatChecker().checkers)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "False"]


def test_the_launcher_runs_dbt():
    result = subprocess.run(
        [sys.executable, "-m", "ingest.warehouse.dbt_cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: python -m ingest.warehouse.dbt_cli" in result.stdout or "Usage: dbt" in result.stdout
    assert "build" in result.stdout and "docs" in result.stdout
