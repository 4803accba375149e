"""tools/compare_warehouses.py: two warehouses compared table by table, row for row."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from tools.compare_warehouses import compare, main


def make(path, rows, extra_column=False, extra_table=False, order=("code", "amount"), view_rows=None):
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        columns = {"code": "varchar", "amount": "decimal(18,6)"}
        listed = ", ".join(f"{name} {columns[name]}" for name in order)
        connection.execute(f"create table marts.lines ({listed}{', note varchar' if extra_column else ''})")
        for code, amount in rows:
            values = {"code": code, "amount": amount}
            connection.execute(
                f"insert into marts.lines values ({', '.join('?' for _ in order)}{', null' if extra_column else ''})",
                [values[name] for name in order],
            )
        if view_rows is not None:  # a model materialised as a view is compared like a table
            connection.execute(f"create view marts.lines_view as select * from marts.lines limit {view_rows}")
        if extra_table:
            connection.execute("create table marts.added (x integer)")
    return path


ROWS = [("2080505", Decimal("12.34")), ("2080505", Decimal("12.34")), ("2010301", Decimal("1"))]


def test_identical_warehouses(tmp_path, capsys):
    before, after = make(tmp_path / "a.duckdb", ROWS), make(tmp_path / "b.duckdb", list(reversed(ROWS)))
    assert [result.status for result in compare(before, after)] == ["identical"]  # row order is no difference
    assert main([str(before), str(after)]) == 0
    assert "1 tables compared: 1 identical or allowed, 0 differ" in capsys.readouterr().out


def test_a_view_is_compared_by_its_rows(tmp_path):
    before = make(tmp_path / "a.duckdb", ROWS, view_rows=3)
    same = make(tmp_path / "b.duckdb", ROWS, view_rows=3)
    fewer = make(tmp_path / "c.duckdb", ROWS, view_rows=1)
    assert {r.name: r.status for r in compare(before, same)}["marts.lines_view"] == "identical"
    assert {r.name: r.status for r in compare(before, fewer)}["marts.lines_view"] == "differs"


def test_a_changed_amount_and_a_lost_duplicate_are_differences(tmp_path, capsys):
    before = make(tmp_path / "a.duckdb", ROWS)
    after = make(tmp_path / "b.duckdb", [("2080505", Decimal("12.35")), ("2010301", Decimal("1"))])
    (result,) = compare(before, after)
    assert result.status == "differs"
    assert "2 row(s) only before" in result.notes and "1 row(s) only after" in result.notes
    assert "3 rows before, 2 after" in result.notes
    assert main([str(before), str(after)]) == 1
    assert "Decimal('12.350000')" in capsys.readouterr().out


def test_added_columns_and_tables_count_unless_allowed(tmp_path):
    before = make(tmp_path / "a.duckdb", ROWS)
    after = make(tmp_path / "b.duckdb", ROWS, extra_column=True, extra_table=True)
    results = {result.name: result for result in compare(before, after)}
    assert results["marts.lines"].is_difference and results["marts.added"].is_difference
    allowed = {r.name: r for r in compare(before, after, {"marts.lines.note"}, {"marts.added"})}
    assert not any(result.is_difference for result in allowed.values())
    assert allowed["marts.lines"].notes == ["column note added (allowed)"]
    assert (
        main(
            [str(before), str(after), "--allow-added-column", "marts.lines.note", "--allow-added-table", "marts.added"]
        )
        == 0
    )


def test_a_removed_table_and_another_column_order(tmp_path):
    before = make(tmp_path / "a.duckdb", ROWS, extra_table=True)
    after = make(tmp_path / "b.duckdb", ROWS, order=("amount", "code"))
    results = {result.name: result for result in compare(before, after)}
    assert results["marts.added"].status == "only_before" and results["marts.added"].is_difference
    assert results["marts.lines"].status == "identical" and results["marts.lines"].notes == ["columns in another order"]


def test_a_missing_file_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    capsys.readouterr()
    assert main([str(tmp_path / "none.duckdb"), str(tmp_path / "none.duckdb")]) == 2
    assert "no warehouse at" in capsys.readouterr().err


def test_a_fingerprint_finds_what_a_comparison_finds(tmp_path):
    from tools.compare_warehouses import compare_fingerprint, fingerprint

    before = make(tmp_path / "a.duckdb", ROWS)
    expected = fingerprint(before)
    assert expected["marts.lines"]["rows"] == 3
    assert compare_fingerprint(expected, make(tmp_path / "b.duckdb", list(reversed(ROWS)))) == []
    changed = make(tmp_path / "c.duckdb", [("2080505", Decimal("12.35")), *ROWS[1:]])
    assert compare_fingerprint(expected, changed) == ["marts.lines: 3 rows (expected 3), other content"]
    lost_duplicate = make(tmp_path / "d.duckdb", ROWS[1:])
    assert compare_fingerprint(expected, lost_duplicate) == ["marts.lines: 2 rows (expected 3), other content"]
    added = make(tmp_path / "e.duckdb", ROWS, extra_column=True, extra_table=True)
    assert len(compare_fingerprint(expected, added)) == 2  # a column and a table not allowed
    assert compare_fingerprint(expected, added, {"marts.lines.note"}, {"marts.added"}) == []
