"""Records as seed CSV rows: the one textual form of a record, the same bytes for the same record.

What a parsed file contributes to each seed is cached as this text (``ingest.run.cache``), so the
rendering belongs to parsing: changing it changes the cache key.
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from functools import cache

from ingest.parse.amounts import format_decimal


def seed_columns(record_type) -> list[str]:
    return [f.name for f in fields(record_type)]


@cache
def _field_names(record_type) -> tuple[str, ...]:
    return tuple(seed_columns(record_type))


_VALUE_GETTERS: dict[type, Callable[[object], tuple]] = {}


def _values_of(record_type: type) -> Callable[[object], tuple]:
    """A function giving a record's field values in column order, as a tuple (one C call per row);
    made once per record type."""
    made = _VALUE_GETTERS.get(record_type)
    if made is None:
        names = _field_names(record_type)
        if len(names) == 1:  # attrgetter of one name gives the value itself, not a tuple
            single = operator.attrgetter(names[0])
            made = lambda row: (single(row),)  # noqa: E731
        else:
            made = operator.attrgetter(*names)
        _VALUE_GETTERS[record_type] = made
    return made


def row_values(row: object) -> list:
    """The record's field values in column order (records are flat, so no deep copy is needed:
    ``dataclasses.astuple`` deep-copies every value and took a quarter of the ingest time)."""
    return list(_values_of(type(row))(row))


def cell(value) -> str:
    if type(value) is str:  # most values: tested first
        if "\n" in value or "\r" in value:
            return value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        return value
    if value is None:
        return ""
    if type(value) is int:  # a number (figure_no …): its digits, nothing to replace
        return str(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def seed_header(record_type) -> bytes:
    return (",".join(seed_columns(record_type)) + "\n").encode("utf-8")


def render_rows(rows: list[object]) -> str:
    """CSV text of ``rows`` without a header, exactly as ``write_seed`` writes them.

    A row none of whose cells holds a comma or a double quote (most rows) is its cells joined by
    commas, which is what the csv module writes for it; the others (and a row of one empty cell,
    which the csv module quotes) are written by the csv module. Cells never hold a line break
    (``cell`` replaces them)."""
    lines: list[str] = []
    for row in rows:
        # a string without line breaks (most values) is its own cell, None an empty one: ``cell``
        # is called for the others only
        cells = [
            v if type(v) is str and "\n" not in v and "\r" not in v else "" if v is None else cell(v)
            for v in _values_of(type(row))(row)
        ]
        line = ",".join(cells)
        if '"' in line or line.count(",") >= len(cells) or (not line and len(cells) == 1):
            line = _csv_line(cells)
        lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def _csv_line(cells: list[str]) -> str:
    """The cells as the csv module writes them (quoted where they must be), without a line end."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()
