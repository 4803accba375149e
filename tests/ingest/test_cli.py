"""The command line: `juesuan extract FILE` prints what was found, with provenance, as JSON."""

from __future__ import annotations

import json

import pytest

from ingest.cli import main
from tests.conftest import SICHUAN


def test_extract_prints_json_with_provenance(capsys):
    assert main(["extract", str(SICHUAN)]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["identity"]["fiscal_year"] == "2023"
    operating = [f for f in output["figures"] if f["metric"] == "operating_cost" and f["measure"] == "amount"]
    assert operating[0]["value"] == "48.55" and operating[0]["locator"] == "line 107"
    assert "机关运行经费支出48.55万元" in operating[0]["quote"]


def test_missing_file_is_a_clear_error(capsys, tmp_path):
    assert main(["extract", str(tmp_path / "nope.pdf")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "ingest" in out and "extract" in out
