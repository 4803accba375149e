"""The plans of every intermediate model and mart stay scalable (issue #8).

Each model's compiled SELECT is explained against the sample warehouse; its physical plan must
join by hashing only. A nested-loop, block-wise, piecewise-merge or inequality join, or a cross
product, grows with the product of its inputs: harmless on 34 sample files, hours at 100,000
department-years. (At 100k, ~6.5 million figures, every plan here was checked the same way.)
"""

from __future__ import annotations

import re

import pytest

from ingest.settings import settings

COMPILED = settings().dbt_project / "target" / "compiled" / "juesuan" / "models"
QUADRATIC = ("Nested Loop Join", "Blockwise NL Join", "Piecewise Merge Join", "IE Join", "Cross Product")
CATALOG = re.compile(r'"[^"]+"\.("(?:raw|staging|intermediate|marts)"\.)')


def compiled_models() -> list:
    return sorted(p for layer in ("intermediate", "marts") for p in (COMPILED / layer).glob("*.sql"))


def operators(connection, path) -> list[str]:
    sql = CATALOG.sub(r"\1", path.read_text(encoding="utf-8"))  # the build ran in a temporary file
    plan = connection.execute("explain " + sql).fetchall()[0][1]
    return re.findall(r"─ ([A-Za-z][A-Za-z_ ]+?) ─", plan)


def test_every_model_is_explained_with_hash_joins_only(warehouse):
    models = compiled_models()
    assert len(models) >= 25, f"compiled models missing under {COMPILED}"
    joins = 0
    for path in models:
        found = operators(warehouse, path)
        assert found, f"no plan read for {path.stem}"
        bad = [op for op in found if op in QUADRATIC]
        assert not bad, f"{path.stem} plans {bad}"
        joins += found.count("Hash Join")
    assert joins > 20  # the plans were really read: the marts join disclosures everywhere


def test_a_cartesian_join_would_be_caught(warehouse):
    plan = warehouse.execute(
        "explain select * from marts.fct_figure as a, marts.fct_figure as b where a.value < b.value"
    ).fetchall()[0][1]
    found = re.findall(r"─ ([A-Za-z][A-Za-z_ ]+?) ─", plan)
    assert set(found) & set(QUADRATIC), found


@pytest.fixture(scope="module", autouse=True)
def _needs_compiled(warehouse):
    if not COMPILED.exists():
        pytest.fail("dbt_project/target/compiled is missing although the session warehouse was built")
