"""Nothing lost: every file of samples/ has exactly one row in marts.fct_ingest_log."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES, rows

pytestmark = pytest.mark.slow


def test_one_row_per_file(warehouse):
    files = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*") if p.is_file())
    logged = [r[0] for r in rows(warehouse, "select source_file from marts.fct_ingest_log order by source_file")]
    assert logged == files


def test_rejections_carry_a_reason_in_both_languages(warehouse):
    for source_file, reason, reason_zh in rows(
        warehouse, "select source_file, reason, reason_zh from marts.fct_ingest_log where status = 'rejected'"
    ):
        assert reason and reason_zh, source_file


def test_the_template_is_rejected_as_not_a_disclosure(warehouse):
    assert rows(warehouse, "select status from marts.fct_ingest_log where source_file like 'reference/%'") == [
        ("rejected",)
    ]
