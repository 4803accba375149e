"""Tables by 部门预算支出经济分类 (基本支出 tables, 机关运行经费 tables, 支出经济分类情况表):
economic lines of 类 (301 …) and 款 (30101 …), and 人员经费 / 公用经费.

A table may print its (code…, name, amount) group twice side by side (a two-sided layout, each
half its own lines), or one line in two classifications side by side (部门预算支出经济分类 and
政府预算支出经济分类, 501 …) with the amounts after both: then the group whose codes our
reference knows gives the lines, and the other is said in a warning. Codes are read wherever
printed (columns, "[30201]办公费", "30201 办公费"); a table printing names only is read by name.
Codes are read in the list of the fiscal year (the 2018 reform re-coded several 款), all lines of
a table together (``classification.resolve_economic_table``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.parse.amounts import is_plausible_wan, parse_number, to_wan
from ingest.parse.classification import code_from_columns, economic_reference, resolve_economic_table
from ingest.parse.document import Cell, Table
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.table_grid import (
    CARRYOVER_RE,
    TOTAL_WORDS,
    cell_text,
    code_in_name,
    column_labels,
    data_rows,
    function_layout,
    leaf,
    row_locator,
    row_quote,
    squash,
)
from ingest.parse.records import EconomicLineRow
from ingest.parse.vocabulary import column_role

PERSONNEL_RE = re.compile(r"^(?:人员|公用)经费(?:合计|小计)?$")  # not 离退休人员经费 (a 类 of its own)


@dataclass
class EconomicRow:
    """One row of an economic-classification table as printed: code, name, amount and provenance."""

    printed: str  # the code as printed ("301 2"), "" when none
    digits: str  # its digits, a dropped leading zero restored ("30102")
    label: str
    value: str
    locator: str
    quote: str


def economic_basis(title: str, default: str) -> str:
    """一般公共预算 / 财政拨款 / all funds, as the title says."""
    text = squash(title)
    if "一般公共预算" in text:
        return f"general_budget_{default}" if default else "general_budget"
    if "财政拨款" in text:
        return f"fiscal_grant_{default}" if default else "fiscal_grant"
    return f"all_funds_{default}" if default else "all_funds"


def basic_table(extraction: Extraction, table: Table, section: str, unit: str, year: int | None = None) -> None:
    """Economic lines of every group; 人员经费 / 公用经费 from rows or columns; the 合计 of a
    一般公共预算 基本支出 table is gpb_basic_expenditure."""
    basis = economic_basis(table.title, "basic")
    rows = data_rows(table)
    pending: list[EconomicRow] = []
    for codes, name, amount in economic_groups(extraction, table, rows, year):
        for cells in rows:
            row = economic_row(cells, codes, name, amount)
            stated = next(
                (
                    squash(cell_text(cells, j))
                    for j in [*codes, name]
                    if PERSONNEL_RE.match(squash(cell_text(cells, j)))
                ),
                "",
            )
            if stated and not row.printed and parse_number(row.value) is not None:
                metric = "personnel_expenditure" if "人员" in stated else "public_expenditure"
                extraction.money(
                    section=section,
                    metric=metric,
                    printed_value=row.value,
                    printed_unit=unit,
                    locator=row.locator,
                    quote=row.quote,
                )
                continue
            total = any(squash(cell_text(cells, j)) in TOTAL_WORDS for j in [*codes, name])
            if not row.printed and total and parse_number(row.value) is not None:
                if basis == "general_budget_basic":
                    extraction.money(
                        section=section,
                        metric="gpb_basic_expenditure",
                        printed_value=row.value,
                        printed_unit=unit,
                        locator=row.locator,
                        quote=row.quote,
                    )
                continue
            if is_economic_line(extraction, table, row):
                pending.append(row)
    add_economic_lines(extraction, table, basis, pending, unit, year)
    personnel_columns(extraction, table, rows, section, unit)


def economic_table(extraction: Extraction, table: Table, section: str, unit: str, year: int | None = None) -> None:
    """一般公共预算支出经济分类情况表 (基本 and 项目 together): its lines, basis general_budget, and
    its 合计 (the 一般公共预算 spending, the same as the function table's)."""
    rows = data_rows(table)
    for cells in rows:
        if any(squash(c.text) in TOTAL_WORDS for c in cells) and economic_basis(table.title, "") == "general_budget":
            value = next((c.text for c in cells if parse_number(c.text) is not None), None)
            if value:
                extraction.money(
                    section=section,
                    metric="gpb_expenditure",
                    printed_value=value,
                    printed_unit=unit,
                    locator=row_locator(cells),
                    quote=row_quote(cells),
                )
            break
    lines = [
        row
        for codes, name, amount in economic_groups(extraction, table, rows, year)
        for row in (economic_row(cells, codes, name, amount) for cells in rows)
        if is_economic_line(extraction, table, row)
    ]
    add_economic_lines(extraction, table, economic_basis(table.title, ""), lines, unit, year)


def operating_cost_table(
    extraction: Extraction, table: Table, section: str, unit: str, year: int | None = None
) -> None:
    """一般公共预算机关运行经费支出预算表: its 合计 is the 机关运行经费; its lines by economic
    classification (302 商品和服务支出, 30201 办公费 …) are economic lines of basis operating_cost."""
    rows = data_rows(table)
    for cells in rows:
        texts = [squash(c.text) for c in cells]
        if any(t in TOTAL_WORDS for t in texts):
            value = next((c.text for c in cells if parse_number(c.text) is not None), None)
            if value:
                extraction.money(
                    section=section,
                    metric="operating_cost",
                    printed_value=value,
                    printed_unit=unit,
                    locator=row_locator(cells),
                    quote=row_quote(cells),
                )
            break
    lines = [
        row
        for codes, name, amount in economic_groups(extraction, table, rows, year)
        for row in (economic_row(cells, codes, name, amount) for cells in rows)
        if row.printed and is_economic_line(extraction, table, row)
    ]
    add_economic_lines(extraction, table, "operating_cost", lines, unit, year)


def economic_row(cells: list[Cell], codes: list[int], name: int, amount: int) -> EconomicRow:
    parts = [p for p in (cell_text(cells, j) for j in codes) if re.fullmatch(r"[\d\s]+", p or "x")]
    printed, digits = " ".join(parts), re.sub(r"\D", "", code_from_columns(parts))
    label = squash(cell_text(cells, name))
    inline = code_in_name(label) if not printed else None
    if inline:  # the code printed in the name cell: "30201 办公费", "[30201]办公费"
        printed, label = inline
        digits = re.sub(r"\D", "", printed)
    return EconomicRow(printed, digits, label, cell_text(cells, amount), row_locator(cells), row_quote(cells))


def is_economic_line(extraction: Extraction, table: Table, row: EconomicRow) -> bool:
    """A 类 (3 digits) or 款 (5) line, or a named line without a code; another code beside an
    amount is said, not read."""
    if not row.value.strip():
        return False  # a classification printed in full: an item with a blank amount is not spent on
    if len(row.digits) in (3, 5):
        return True
    if row.digits:
        if parse_number(row.value) is not None:
            extraction.warn(
                "table_layout",
                f"{table.title}: code {row.printed!r} of {row.label!r} is no 类 (3 digits) "
                f"or 款 (5): line {row.value} not read",
                row.locator,
            )
        return False
    return bool(row.label) and squash(row.label) not in TOTAL_WORDS and not PERSONNEL_RE.match(squash(row.label))


def add_economic_lines(
    extraction: Extraction, table: Table, basis: str, rows: list[EconomicRow], unit: str, year: int | None
) -> None:
    """The table's lines, resolved together (``resolve_economic_table``), with their warnings.

    A row without a code whose name is no economic 类/款 (a sub-unit's name over its block) is
    reported, not read as a line.
    """
    rows = [row for row in rows if _amount_readable(extraction, table, row, unit)]
    matches = resolve_economic_table([(row.label, row.digits) for row in rows], year)
    for row, match in zip(rows, matches):
        if match.code is None and not row.digits and match.method == "unresolved":
            extraction.warn(
                "sub_unit_row",
                f"{table.title}: {row.label!r} has no code and names no economic "
                "类/款 (a sub-unit or a subtotal): not read as a line",
                row.locator,
            )
            continue
        extraction.economic_lines.append(
            EconomicLineRow(
                document_id=extraction.document_id,
                line_no=len(extraction.economic_lines) + 1,
                statement=table.title,
                basis=basis,
                printed_code=row.printed,
                raw_label=row.label,
                code=match.code,
                level=match.level,
                official_name=match.name,
                match_method=match.method,
                amount=to_wan(parse_number(row.value), unit),
                printed_unit=unit,
                locator=row.locator,
                quote=row.quote,
            )
        )
        if match.note:
            extraction.warn("code_label_mismatch", match.note, row.locator)
        if match.is_local_item:
            extraction.warn(
                "local_item",
                f"{row.label!r} ({row.printed}): a local item, counted under its official parent {match.parent_code}",
                row.locator,
            )
        elif match.code is None:
            extraction.warn("unresolved_label", f"{match.method}: {row.label!r} ({row.printed})", row.locator)


def _amount_readable(extraction: Extraction, table: Table, row: EconomicRow, unit: str) -> bool:
    """A line with no amount, or one no budget can hold, is a warning, never a line."""
    value = to_wan(parse_number(row.value), unit)
    if value is None:
        extraction.warn(
            "line_without_amount", f"{table.title}: {row.printed} {row.label!r}: no amount read", row.locator
        )
        return False
    if not is_plausible_wan(value):
        extraction.implausible(f"{row.printed} {row.label}", row.value, unit, row.locator, row.quote)
        return False
    return True


def economic_groups(
    extraction: Extraction, table: Table, rows: list[list[Cell]], year: int | None
) -> list[tuple[list[int], int, int]]:
    """(code columns, name column, amount column) per group of the table.

    A group's amount is the first total column (合计, 决算数 …) after its name, before the next
    group. A group with no amount column before the next group shares the next group's amounts
    (one line in two classifications); of such groups only those whose codes the economic
    reference knows give lines.
    """
    layout = function_layout(table)
    labels = column_labels(table)
    width = len(labels)
    names = sorted(
        {layout.name}
        | {j for j in range(width) if column_role(leaf(labels[j])) == "name" and any(cell_text(r, j) for r in rows)}
        - {None}
    )
    groups: list[tuple[list[int], int, list[int]]] = []
    for index, name in enumerate(names):
        start = names[index - 1] + 1 if index else 0
        codes = [j for j in layout.codes if start <= j < name]
        end = names[index + 1] if index + 1 < len(names) else width
        amounts = [j for j in layout.money.values() if name < j < end]
        groups.append((codes, name, amounts))
    result: list[tuple[list[int], int, int]] = []
    shared: list[tuple[list[int], int]] = []
    for codes, name, amounts in groups:
        if not amounts:
            shared.append((codes, name))
            continue
        amount = next((j for j in amounts if column_role(leaf(labels[j])) == "amount"), min(amounts))
        candidates = [*shared, (codes, name)]
        shared = []
        known = [(c, n) for c, n in candidates if _codes_known(rows, c, n, year)]
        for c, n in known or candidates[-1:]:
            result.append((c, n, amount))
        for c, n in candidates:
            if (c, n) not in (known or candidates[-1:]):
                extraction.warn(
                    "table_layout",
                    f"{table.title}: a second classification beside the lines "
                    f"({labels[n] or 'column ' + str(n + 1)}): not read",
                    table.locator,
                )
    return result


def _codes_known(rows: list[list[Cell]], codes: list[int], name: int, year: int | None) -> bool:
    """Some of the group's printed codes are codes of the economic reference."""
    reference = economic_reference(year)
    printed = [re.sub(r"\D", "", code_from_columns([cell_text(r, j) for j in codes])) for r in rows]
    printed += [re.sub(r"\D", "", (code_in_name(squash(cell_text(r, name))) or ("", ""))[0]) for r in rows]
    printed = [p for p in printed if p]
    return not printed or sum(p in reference for p in printed) >= max(1, len(printed) // 2)


def personnel_columns(extraction, table, rows, section, unit) -> None:
    """A budget's 基本支出 table with 人员经费 / 公用经费 columns: their 合计 row gives the two figures."""
    labels = column_labels(table)
    columns = {
        j: role
        for j, label in enumerate(labels)
        if (role := column_role(leaf(label))) in ("personnel", "public") and not CARRYOVER_RE.search(label)
    }
    if not columns:
        return
    for cells in rows:
        if any(squash(c.text) in TOTAL_WORDS for c in cells):
            for j, role in columns.items():
                value = cell_text(cells, j)
                if parse_number(value) is not None:
                    metric = "personnel_expenditure" if role == "personnel" else "public_expenditure"
                    extraction.money(
                        section=section,
                        metric=metric,
                        printed_value=value,
                        printed_unit=unit,
                        locator=row_locator(cells),
                        quote=row_quote(cells),
                    )
            return
