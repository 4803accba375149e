"""Our generic dbt tests (dbt_project/tests/generic/) find the rows they are there to find.

A data test passes when its query returns no row, so a test whose query can never return one
guards nothing. Each generic test here is rendered as dbt renders it (its ``{% test %}`` body is a
Jinja macro of ``model`` and its arguments) and run on small DuckDB tables: rows that break the
rule must come back, rows that keep it must not.
"""

from __future__ import annotations

import re

import duckdb
import jinja2
import pytest

from ingest.settings import settings

GENERIC = settings().dbt_project / "tests" / "generic"
TEST_BLOCK = re.compile(r"{%-?\s*test\s+(\w+)\(.*?\)\s*-?%}(.*?){%-?\s*endtest\s*-?%}", re.S)


def generic_test(name: str):
    """The body of ``{% test name(...) %}`` as a Jinja template (the ``{#- … -#}`` comment dropped)."""
    text = (GENERIC / f"{name}.sql").read_text(encoding="utf-8")
    found = TEST_BLOCK.search(text)
    assert found and found.group(1) == name, f"no {{% test {name}(...) %}} block in {name}.sql"
    return jinja2.Template(found.group(2))


def failing_rows(name: str, rows_sql: str, **arguments) -> list[tuple]:
    """What the generic test ``name`` returns on a table made by ``rows_sql`` (no row: it passes)."""
    with duckdb.connect() as connection:
        connection.execute(f"create table t as {rows_sql}")
        return connection.execute(generic_test(name).render(model="t", **arguments)).fetchall()


KEY = ["document_id", "figure_no"]


def test_unique_combination_passes_distinct_keys():
    rows = "select * from (values ('a', 1), ('a', 2), ('b', 1)) as v(document_id, figure_no)"
    assert failing_rows("unique_combination", rows, columns=KEY) == []


def test_unique_combination_names_each_shared_key_once_with_its_count():
    rows = """select * from (values ('a', 1), ('a', 1), ('a', 2), ('b', 7), ('b', 7), ('b', 7))
              as v(document_id, figure_no)"""
    assert sorted(failing_rows("unique_combination", rows, columns=KEY)) == [("a", 1, 2), ("b", 7, 3)]


def test_unique_combination_counts_null_as_a_value_like_group_by():
    rows = "select * from (values (null, 1), (null, 1), (null, 2)) as v(document_id, figure_no)"
    assert failing_rows("unique_combination", rows, columns=KEY) == [(None, 1, 2)]


def test_unique_combination_tells_keys_apart_that_differ_in_one_column_only():
    # the same texts in another arrangement, and the same number of another document: no key shared
    rows = """select * from (values ('ab', 'c', 1), ('a', 'bc', 1), ('ab', 'c', 2))
              as v(disclosure_id, metric, figure_no)"""
    assert failing_rows("unique_combination", rows, columns=["disclosure_id", "metric", "figure_no"]) == []


def test_unique_combination_finds_one_shared_key_among_many():
    # 200,000 distinct keys and one repeated: the hash stage must let exactly that one through
    rows = """select 'doc' || (i // 100) as document_id, (i % 100)::integer as figure_no from range(200000) as r(i)
              union all select 'doc1234', 56"""
    assert failing_rows("unique_combination", rows, columns=KEY) == [("doc1234", 56, 2)]


@pytest.mark.parametrize(
    ("value", "fails"),
    [(0, False), (3, False), (-1, True)],
)
def test_expression_true_returns_the_rows_where_the_expression_is_false(value, fails):
    rows = f"select {value} as section_no"
    assert (failing_rows("expression_true", rows, expression="section_no >= 0", where_clause="true") != []) is fails
