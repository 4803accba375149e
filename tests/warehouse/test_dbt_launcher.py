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


def test_a_build_over_large_seeds_runs_one_model_at_a_time(tmp_path, monkeypatch):
    from ingest.warehouse import dbt_launcher

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "figures.csv").write_bytes(b"x" * 2000)
    (seeds / "documents.csv").write_bytes(b"x" * 500)
    monkeypatch.setattr(dbt_launcher, "ONE_MODEL_AT_A_TIME_BYTES", 2400)
    assert dbt_launcher.thread_arguments(["build"], seeds) == ["--threads", "1"]  # 2,500 bytes of seeds
    assert dbt_launcher.thread_arguments(["docs", "generate"], seeds) == []
    assert dbt_launcher.thread_arguments(["build", "--threads", "4"], seeds) == []  # said by the caller
    (seeds / "documents.csv").unlink()
    assert dbt_launcher.thread_arguments(["build"], seeds) == []  # 2,000 bytes: the profile's threads
