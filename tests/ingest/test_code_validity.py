"""Code validity is one rule: ingest's ``classification.valid_in`` and dbt's macro ``code_valid_in``
(dbt_project/macros/codes.sql) give the same answer for every kind of row and year."""

from __future__ import annotations

import itertools

import duckdb
import jinja2

from ingest.parse.classification import RefRow, valid_in
from ingest.settings import settings

BOUNDS = (None, 2017, 2018)  # open, or a fiscal year
YEARS = (None, 2016, 2017, 2018, 2019)  # undated, before, on each bound, after


def macro_sql(reference: str, year: str) -> str:
    """The macro rendered as dbt renders it (plain Jinja: it calls nothing of dbt's)."""
    source = (settings().dbt_project / "macros" / "codes.sql").read_text(encoding="utf-8")
    return (
        jinja2.Environment()
        .from_string(source + "{{ code_valid_in(reference, year) }}")
        .render(reference=reference, year=year)
    )


def test_python_and_dbt_agree_on_every_case():
    cases = [(f, t, y) for f, t, y in itertools.product(BOUNDS, BOUNDS, YEARS) if f is None or t is None or f <= t]
    with duckdb.connect() as connection:
        connection.execute(
            "create table r (case_no integer, valid_from integer, valid_to integer, fiscal_year integer)"
        )
        connection.executemany("insert into r values (?, ?, ?, ?)", [(i, *case) for i, case in enumerate(cases)])
        in_force = dict(
            connection.execute(f"select case_no, coalesce({macro_sql('r', 'r.fiscal_year')}, false) from r").fetchall()
        )
    for number, (valid_from, valid_to, year) in enumerate(cases):
        row = RefRow("30311", "款", "住房公积金", "303", valid_from, valid_to)
        assert in_force[number] == valid_in(row, year), (valid_from, valid_to, year)


def test_the_rule_read_by_hand():
    # 30311 was 住房公积金 until 2017 and is 代缴社会保险费 since 2018 (seeds/ref_economic_code.csv)
    until_2017 = RefRow("30311", "款", "住房公积金", "303", None, 2017)
    since_2018 = RefRow("30311", "款", "代缴社会保险费", "303", 2018, None)
    assert valid_in(until_2017, 2017) and not valid_in(until_2017, 2018)
    assert valid_in(since_2018, 2018) and not valid_in(since_2018, 2017)
    assert valid_in(since_2018, None) and not valid_in(until_2017, None)  # undated: the current list
