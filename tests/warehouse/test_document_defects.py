"""One document's defect, or our misreading of it, never blocks the warehouse (#warehouse 1).

The Sichuan sample is ingested, then three of its function lines are given what a misread table
can give: an "amount" of 24 digits (codes run together: no DECIMAL(18, 6) holds it), no amount at
all, and 1,000,000,000 万元 (far above the document's own 收支总计 of 1,727.58 万元, line 29). dbt
builds the warehouse all the same and reports each line as a warn finding with its quote.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.run.pipeline import ingest_folder
from ingest.warehouse.build import build_lock
from ingest.warehouse.dbt_launcher import run_dbt
from tests.conftest import SICHUAN

pytestmark = pytest.mark.slow

RUN_OF_DIGITS = "123456789012345678901234"
FAR_ABOVE_TOTAL = "1000000000"
# the Sichuan 一般公共预算 items (lines 70-80 of the sample), by printed label
DIGITS_LINE, EMPTY_LINE, HUGE_LINE = "死亡抚恤", "行政单位医疗", "住房公积金"


def _set_amounts(function_lines: Path, amounts: dict[str, str]) -> dict[str, str]:
    """Give the first line whose label names each key (its 项) the amount given; their locators."""
    with function_lines.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    locators = {}
    for label, amount in amounts.items():
        row = next(r for r in rows if label in r["raw_label"] and r["amount"])
        row["amount"] = amount
        locators[label] = row["locator"]
    with function_lines.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return locators


@pytest.fixture(scope="module")
def defective(tmp_path_factory):
    work = tmp_path_factory.mktemp("defects")
    folder = work / "disclosures" / "sichuan"
    folder.mkdir(parents=True)
    shutil.copy(SICHUAN, folder / SICHUAN.name)
    seeds = work / "seeds"
    ingest_folder(work / "disclosures", seeds, jobs=1, cache_dir=None, keep_extractions=False)
    locators = _set_amounts(
        seeds / "function_lines.csv", {DIGITS_LINE: RUN_OF_DIGITS, EMPTY_LINE: "", HUGE_LINE: FAR_ABOVE_TOTAL}
    )
    warehouse = work / "warehouse.duckdb"
    with build_lock(900):
        code = run_dbt(["build", "--exclude-resource-type", "unit_test"], warehouse, seeds)
    return code, warehouse, locators


def test_the_build_succeeds(defective):
    code, warehouse, _ = defective
    assert code == 0 and warehouse.is_file()


def test_each_defect_is_a_warn_finding_with_its_quote(defective):
    _, warehouse, locators = defective
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        findings = {
            locator: (check, severity, quote)
            for check, severity, locator, quote in connection.execute(
                "select check_name, severity, source_locator, quote from marts.fct_disclosure_check"
                " where check_name in ('unreadable_amount', 'line_without_amount', 'amount_above_grand_total')"
            ).fetchall()
        }
        verdict = connection.execute("select verdict from marts.fct_disclosure").fetchall()
    assert findings[locators[DIGITS_LINE]][:2] == ("unreadable_amount", "warn")
    assert DIGITS_LINE in findings[locators[DIGITS_LINE]][2]
    assert findings[locators[EMPTY_LINE]][:2] == ("line_without_amount", "warn")
    assert findings[locators[HUGE_LINE]][:2] == ("amount_above_grand_total", "warn")
    assert verdict == [("check first",)]


def test_the_unreadable_amount_is_null_and_named_not_guessed(defective):
    _, warehouse, locators = defective
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        ((amount, unreadable),) = connection.execute(
            "select amount, unreadable_values from staging.stg_function_lines where source_locator = ?",
            [locators[DIGITS_LINE]],
        ).fetchall()
        stated = connection.execute(
            "select count(*) from marts.fct_function_amount where code = '2080801' and amount_source = 'stated'"
        ).fetchone()[0]
    assert amount is None and unreadable == f"amount {RUN_OF_DIGITS}"
    # 死亡抚恤 has no stated amount of its own now (the 24 digits are no figure); its 款 rolls up what is left
    assert stated == 0
