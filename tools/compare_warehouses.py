"""Compare two warehouses table by table, row for row: is a change of code a change of behaviour?

    .venv/bin/python -m tools.compare_warehouses BEFORE.duckdb AFTER.duckdb [--allow-added-column
        schema.table.column ...] [--allow-added-table schema.table ...] [--ignore-schema NAME ...]

Every base table of every schema of either file is compared: the tables each has, then per table
the columns (name and type; their order is reported apart), then the rows as a multiset over the
columns both have (``EXCEPT ALL`` both ways, so duplicates count). A column or table the newer
warehouse adds on purpose is named with ``--allow-added-…`` and then not counted as a difference;
its presence is still listed. Exit status 0 when the two are identical but for what was allowed, 1
otherwise; one line per table, and for a table that differs the first differing rows.

A *fingerprint* is the same comparison kept in a file, for when the before warehouse is gone
(a test compares the sample warehouse with the fingerprint of the one built before a
refactoring): per table its columns, its row count and an order-free hash of its rows
(the sum of one hash per row, so a duplicate row counts). ``--write-fingerprint FILE`` writes the
fingerprint of one warehouse; ``compare_fingerprint`` names the tables that differ from one.

Not part of the shipped package: a developer's check for refactorings (the README's CONTRIBUTING).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SHOWN_ROWS = 3  # differing rows printed per table and side
IGNORED_SCHEMAS = ("information_schema", "pg_catalog")


@dataclass
class TableResult:
    name: str  # schema.table
    status: str  # identical | differs | only_before | only_after (allowed or not)
    notes: list[str] = field(default_factory=list)
    allowed: bool = False

    @property
    def is_difference(self) -> bool:
        return self.status != "identical" and not self.allowed


def _tables(
    connection: duckdb.DuckDBPyConnection, catalog: str, ignored: tuple[str, ...]
) -> dict[str, list[tuple[str, str]]]:
    """schema.table → [(column, type)] in column order, for the tables and views of ``catalog`` (a model may
    become a view and must still hold the same rows)."""
    rows = connection.execute(
        """
        select c.table_schema, c.table_name, c.column_name, c.data_type
        from information_schema.columns as c
        inner join information_schema.tables as t
            on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_catalog = ? and t.table_type in ('BASE TABLE', 'VIEW')
        order by c.table_schema, c.table_name, c.ordinal_position
        """,
        [catalog],
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, data_type in rows:
        if schema not in ignored:
            tables.setdefault(f"{schema}.{table}", []).append((column, data_type))
    return tables


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _relation(catalog: str, name: str) -> str:
    schema, table = name.split(".", 1)
    return f"{catalog}.{_quoted(schema)}.{_quoted(table)}"


def compare_table(
    connection, name: str, before: list[tuple[str, str]], after: list[tuple[str, str]], allowed_columns: set[str]
) -> TableResult:
    result = TableResult(name, "identical")
    before_types, after_types = dict(before), dict(after)
    added = [column for column in after_types if column not in before_types]
    removed = [column for column in before_types if column not in after_types]
    retyped = [
        f"{column} {before_types[column]} → {after_types[column]}"
        for column in before_types
        if column in after_types and before_types[column] != after_types[column]
    ]
    for column in added:
        allowed = f"{name}.{column}" in allowed_columns
        result.notes.append(f"column {column} added" + (" (allowed)" if allowed else ""))
        if not allowed:
            result.status = "differs"
    for column in removed:
        result.notes.append(f"column {column} removed")
        result.status = "differs"
    for change in retyped:
        result.notes.append(f"column {change}")
        result.status = "differs"
    common = [column for column in before_types if column in after_types]
    if [c for c in before_types if c in common] != [c for c in after_types if c in common]:
        result.notes.append("columns in another order")
    listed = ", ".join(_quoted(column) for column in common)
    counts = []
    for first, second in (("before", "after"), ("after", "before")):
        missing = (
            f"select {listed} from {_relation(first, name)} except all select {listed} from {_relation(second, name)}"
        )
        count = connection.execute(f"select count(*) from ({missing})").fetchone()[0]
        counts.append(count)
        if count:
            result.status = "differs"
            result.notes.append(f"{count} row(s) only {first}")
            for row in connection.execute(f"{missing} limit {SHOWN_ROWS}").fetchall():
                result.notes.append(f"  {first}: {row}")
    rows_before = connection.execute(f"select count(*) from {_relation('before', name)}").fetchone()[0]
    rows_after = connection.execute(f"select count(*) from {_relation('after', name)}").fetchone()[0]
    if rows_before != rows_after:
        result.notes.append(f"{rows_before} rows before, {rows_after} after")
    return result


def compare(
    before: Path,
    after: Path,
    allowed_columns: set[str] = frozenset(),
    allowed_tables: set[str] = frozenset(),
    ignored_schemas: tuple[str, ...] = IGNORED_SCHEMAS,
) -> list[TableResult]:
    """One result per table of either warehouse, in name order."""
    with duckdb.connect() as connection:
        for path, alias in ((before, "before"), (after, "after")):
            connection.execute(f"attach '{str(path).replace(chr(39), chr(39) * 2)}' as {alias} (read_only)")
        tables_before = _tables(connection, "before", ignored_schemas)
        tables_after = _tables(connection, "after", ignored_schemas)
        results = []
        for name in sorted(set(tables_before) | set(tables_after)):
            if name not in tables_after:
                results.append(TableResult(name, "only_before"))
            elif name not in tables_before:
                results.append(TableResult(name, "only_after", allowed=name in allowed_tables))
            else:
                results.append(
                    compare_table(connection, name, tables_before[name], tables_after[name], allowed_columns)
                )
    return results


def report(results: list[TableResult]) -> list[str]:
    lines = []
    for result in results:
        status = result.status + (" (allowed)" if result.allowed else "")
        lines.append(f"{status:<22} {result.name}" + (f": {result.notes[0]}" if result.notes else ""))
        lines += [f"{'':<22}   {note}" for note in result.notes[1:]]
    differing = sum(result.is_difference for result in results)
    lines.append(f"{len(results)} tables compared: {len(results) - differing} identical or allowed, {differing} differ")
    return lines


def fingerprint(path: Path, ignored_schemas: tuple[str, ...] = IGNORED_SCHEMAS) -> dict[str, dict]:
    """schema.table → {columns: [[name, type]], rows: n, hash: order-free hash of the rows}."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{str(path).replace(chr(39), chr(39) * 2)}' as wh (read_only)")
        found = {}
        for name, columns in _tables(connection, "wh", ignored_schemas).items():
            listed = ", ".join(_quoted(column) for column, _ in columns)
            rows, digest = connection.execute(
                f"select count(*), coalesce(sum(hash({listed})::hugeint), 0)::varchar from {_relation('wh', name)}"
            ).fetchone()
            found[name] = {"columns": [list(column) for column in columns], "rows": rows, "hash": digest}
    return found


def compare_fingerprint(
    expected: dict[str, dict],
    path: Path,
    allowed_columns: set[str] = frozenset(),
    allowed_tables: set[str] = frozenset(),
) -> list[str]:
    """What differs between a warehouse and an earlier fingerprint, one line per table (empty: identical).

    A column or table named as allowed may be added; the rows are then compared over the
    expected columns only."""
    actual = fingerprint(path)
    differences = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            differences.append(f"{name}: missing")
            continue
        if name not in expected:
            if name not in allowed_tables:
                differences.append(f"{name}: added")
            continue
        wanted = [tuple(column) for column in expected[name]["columns"]]
        have = [tuple(column) for column in actual[name]["columns"]]
        extra = [column for column, _ in have if (column, dict(have)[column]) not in wanted]
        unexpected = [column for column in extra if f"{name}.{column}" not in allowed_columns]
        if [column for column in have if column in wanted] != wanted or unexpected:
            differences.append(f"{name}: columns {have} instead of {wanted}")
            continue
        if extra:  # allowed additions: hash the expected columns only
            actual_table = _fingerprint_columns(path, name, [column for column, _ in wanted])
        else:
            actual_table = actual[name]
        if (actual_table["rows"], actual_table["hash"]) != (expected[name]["rows"], expected[name]["hash"]):
            differences.append(
                f"{name}: {actual_table['rows']} rows (expected {expected[name]['rows']}), other content"
            )
    return differences


def _fingerprint_columns(path: Path, name: str, columns: list[str]) -> dict:
    with duckdb.connect() as connection:
        connection.execute(f"attach '{str(path).replace(chr(39), chr(39) * 2)}' as wh (read_only)")
        listed = ", ".join(_quoted(column) for column in columns)
        rows, digest = connection.execute(
            f"select count(*), coalesce(sum(hash({listed})::hugeint), 0)::varchar from {_relation('wh', name)}"
        ).fetchone()
    return {"rows": rows, "hash": digest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.compare_warehouses", description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?")
    parser.add_argument("--write-fingerprint", type=Path, metavar="FILE", help="write BEFORE's fingerprint to FILE")
    parser.add_argument("--allow-added-column", action="append", default=[], metavar="SCHEMA.TABLE.COLUMN")
    parser.add_argument("--allow-added-table", action="append", default=[], metavar="SCHEMA.TABLE")
    parser.add_argument("--ignore-schema", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    if args.write_fingerprint:
        if not args.before.is_file():
            print(f"compare_warehouses: no warehouse at {args.before}", file=sys.stderr)
            return 2
        tables = fingerprint(args.before)
        lines = [f"  {json.dumps(name)}: {json.dumps(tables[name], ensure_ascii=False)}" for name in sorted(tables)]
        args.write_fingerprint.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
        return 0
    if args.after is None:
        parser.error("AFTER is needed unless --write-fingerprint is given")
    for path in (args.before, args.after):
        if not path.is_file():
            print(f"compare_warehouses: no warehouse at {path}", file=sys.stderr)
            return 2
    results = compare(
        args.before,
        args.after,
        set(args.allow_added_column),
        set(args.allow_added_table),
        IGNORED_SCHEMAS + tuple(args.ignore_schema),
    )
    print("\n".join(report(results)))
    return 1 if any(result.is_difference for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
