"""The sample warehouse is the one built before the house was rebuilt (issue #21), table by table.

tests/fixtures/sample_warehouse_18e3cb1.json is the fingerprint (columns, row count, an order-free
hash of the rows) of every table and view of the warehouse that commit 18e3cb1 built from samples/
(views since a model became one for speed, issue #22: fct_figure was a table then), before
ingest/ became parse/, run/ and warehouse/. The restructuring was to change no behaviour: every
table must hold the same rows. Only what it added on purpose is allowed: the amount-rule seed
(unit factors and tolerances read by Python and dbt alike) and the department key that ingest now
writes into the documents seed, and the statement int_disclosure_metrics takes for each key, marked on
int_figures (is_chosen, statement_count) since int_disclosure_metrics became a view of those rows (#22).

A change that alters the warehouse on purpose makes this test fail: compare with a warehouse
built before the change (``python -m tools.compare_warehouses BEFORE AFTER``), and when every
difference is intended, write the new fingerprint (``--write-fingerprint``) in the same commit,
saying so in its message.
"""

from __future__ import annotations

import json
from pathlib import Path

from tools.compare_warehouses import compare_fingerprint

FINGERPRINT = Path(__file__).parents[1] / "fixtures" / "sample_warehouse_18e3cb1.json"
ADDED_COLUMNS = {
    "staging.stg_documents.disclosure_department_id",
    "intermediate.int_figures.is_chosen",
    "intermediate.int_figures.statement_count",
}
ADDED_TABLES = {"raw.ref_amount_rule"}


def test_sample_warehouse_is_unchanged_by_the_restructuring(warehouse_path):
    expected = json.loads(FINGERPRINT.read_text(encoding="utf-8"))
    assert len(expected) > 80  # every schema's tables, not a few
    differences = compare_fingerprint(expected, warehouse_path, ADDED_COLUMNS, ADDED_TABLES)
    assert differences == [], "\n".join(differences)
