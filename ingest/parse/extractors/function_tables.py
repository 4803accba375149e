"""Tables by 支出功能分类 (收入/支出决算表, 一般公共预算支出表, 政府性基金, 国有资本经营 …):
one function line per 类/款/项 row, and the 合计 row's figures.

A row's code is read wherever the table prints it (``table_grid.parse_rows``). A table that prints
no codes at all (names indented under each other) is read by the names' path: a 类 name opens a
类, a name among that 类's 款 opens a 款, a name among the 款's 项 is a 项 (``NamePath``), so a
shared name such as 行政运行 takes the code under the 款 above it. A row that is no total and
names no 类/款/项 (a sub-unit's name in a table printed in blocks per unit) is reported, not read
as a line. A code printed once per sub-unit gives a line per row; the warehouse sums them per code.
"""

from __future__ import annotations

from decimal import Decimal

from ingest.parse.amounts import parse_number
from ingest.parse.classification import CodeMatch, function_reference, resolve_function
from ingest.parse.document import Table
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.function_lines import add_function_line
from ingest.parse.extractors.table_grid import (
    CARRYOVER_RE,
    TOTAL_WORDS,
    Row,
    cell_text,
    column_labels,
    data_rows,
    function_layout,
    includes_carryover,
    is_total,
    parse_rows,
    row_locator,
    row_quote,
    squash,
    warn_rows_not_read,
)
from ingest.parse.vocabulary import table_kinds

ROUNDING_PER_LINE = Decimal("0.01")  # 万元: a printed total may miss the sum of its printed lines by this per line

# figures from the 合计 row of a function table, by basis: (column role, metric)
TOTAL_METRICS = {
    "income": (("amount", "income_total"),),
    "all_funds": (("amount", "expenditure_total"), ("basic", "basic_expenditure"), ("project", "project_expenditure")),
    "general_budget": (("amount", "gpb_expenditure"), ("basic", "gpb_basic_expenditure")),
    "fiscal_grant": (("amount", "fiscal_grant_expenditure_total"),),
    "government_fund": (("amount", "government_fund_expenditure"),),
    "state_capital": (("amount", "state_capital_expenditure"),),
}


def function_table(extraction: Extraction, table: Table, basis: str, section: str, unit: str, year: int | None) -> None:
    layout = function_layout(table)
    if "amount" not in layout.money:
        extraction.warn("table_layout", f"{table.title}: no amount column found", table.locator)
        return
    if layout.shared:
        extraction.warn(
            "table_layout",
            f"{table.title}: several amount columns headed {'、'.join(layout.shared)}: not read",
            table.locator,
        )
    rows = parse_rows(table, layout)
    coded = any(row.code for row in rows)
    path = NamePath(year)
    labels = column_labels(table)
    with_carryover = (
        includes_carryover(labels, layout.money["amount"]) if layout.money["amount"] < len(labels) else False
    )
    department = _department_row(rows, year) if coded and not any(_is_total_row(row) for row in rows) else None
    # a table printed in blocks per 预算单位 repeats its codes once per unit (summed per code in the
    # warehouse); in any other table a code printed twice is a slip of the document, read once
    blocks = coded and any(
        not row.code
        and row.has_values
        and not _is_total_row(row)
        and row is not department
        and resolve_function(row.name, year=year).code is None
        for row in rows
    )
    seen_codes: set[str] = set()
    for row in rows:
        if _is_total_row(row) or row is department:
            _total_figures(extraction, row, basis, section, unit, with_carryover)
            continue
        if not row.has_values:
            continue
        if row.code and len(row.code) == 3 and row.code not in function_reference():
            # "113 | 无锡市信访局": a unit's code, no 类 of the 支出功能分类 (every 类 is in the list)
            extraction.warn(
                "sub_unit_row",
                f"{table.title}: {row.printed_code} {row.name!r} is no 类 code (a unit's code): not read as a line",
                row.locator,
            )
            continue
        if row.code and row.code in seen_codes and not blocks:
            extraction.warn(
                "repeated_code_row",
                f"{table.title}: {row.printed_code} {row.name!r} {row.values.get('amount')} "
                "printed again in a table not in blocks per unit: read once",
                row.locator,
            )
            continue
        if row.code:
            seen_codes.add(row.code)
            match = resolve_function(row.name, printed_code=row.code, year=year)
            path.follow(match)
        else:
            match = path.resolve(row.name)
            if match.code is None and coded:
                extraction.warn(
                    "sub_unit_row",
                    f"{table.title}: {row.name!r} has no code and names no 类/款/项 "
                    "(a sub-unit's or a subtotal's row): not read as a line",
                    row.locator,
                )
                continue
        _add_line(extraction, table, basis, row, match, unit)


def _department_row(rows: list[Row], year: int | None) -> Row | None:
    """A table printed in blocks per 预算单位 with no 合计 row: its first row, when it names no
    类/款/项 and its amount is the sum of every 类 line below (the department's own total)."""
    first = next((row for row in rows if row.has_values), None)
    if first is None or first.code or resolve_function(first.name, year=year).code is not None:
        return None
    amount = parse_number(first.values.get("amount"))
    classes = [parse_number(row.values.get("amount")) for row in rows if len(row.code) == 3]
    classes = [value for value in classes if value is not None]
    if amount is None or not classes:
        return None
    return first if abs(amount - sum(classes)) <= ROUNDING_PER_LINE * (len(classes) + 1) else None


def _is_total_row(row: Row) -> bool:
    return not row.code and (is_total(row.name) or any(squash(c.text) in TOTAL_WORDS for c in row.cells))


class NamePath:
    """The 类 and 款 above the current row of a table that prints names without codes."""

    def __init__(self, year: int | None) -> None:
        self.year = year
        self.class_code: str | None = None
        self.kuan_code: str | None = None

    def follow(self, match: CodeMatch) -> None:
        if match.code and len(match.code) == 3:
            self.class_code, self.kuan_code = match.code, None
        elif match.code and len(match.code) == 5:
            self.class_code, self.kuan_code = match.code[:3], match.code

    def resolve(self, name: str) -> CodeMatch:
        """A 项 under the 款 above, a 款 under the 类 above, else a 类 (never a bare name anywhere)."""
        for parent in (self.kuan_code, self.class_code):
            if parent:
                match = resolve_function(name, year=self.year, parent_code=parent)
                if match.code:
                    self.follow(match)
                    return match
        match = resolve_function(name, year=self.year)
        if match.code and len(match.code) == 3:
            self.follow(match)
            return match
        if match.code and self.class_code is None:  # a table that starts below the 类 level
            self.follow(match)
            return match
        # a name of another 类's 款 or 项 under this 类: not taken (it would be a guess)
        return match if match.code is None else CodeMatch(None, None, None, "unresolved", None, (match.code,))


def _add_line(extraction: Extraction, table: Table, basis: str, row: Row, match: CodeMatch, unit: str) -> None:
    add_function_line(
        extraction,
        statement=table.title,
        basis=basis,
        printed_code=row.printed_code,
        raw_label=row.name,
        match=match,
        amount_printed=row.values.get("amount") or None,
        unit=unit,
        basic_printed=row.values.get("basic") or None,
        project_printed=row.values.get("project") or None,
        prior_printed=row.values.get("prior") or None,
        locator=row.locator,
        quote=row.quote,
    )


def _total_figures(
    extraction: Extraction, row: Row, basis: str, section: str, unit: str, with_carryover: bool = False
) -> None:
    """The 合计 row's totals; a 总计 that adds the carry-over printed beside it is no total of the
    year's income or spending (the summary table states those), so it is not read as one."""
    for role, metric in TOTAL_METRICS[basis]:
        if role == "amount" and with_carryover:
            # the table's own 合计 all the same: what its 类 lines add up to (function_classes_vs_total)
            value = row.values.get(role)
            if value and parse_number(value) is not None:
                extraction.money(
                    section=section,
                    metric="statement_total",
                    qualifier=basis,
                    printed_value=value,
                    printed_unit=unit,
                    locator=row.locator,
                    quote=row.quote,
                )
            continue
        value = row.values.get(role)
        if value and parse_number(value) is not None:
            extraction.money(
                section=section,
                metric=metric,
                printed_value=value,
                printed_unit=unit,
                locator=row.locator,
                quote=row.quote,
            )
    if basis == "income":
        for role, value in row.values.items():
            if (
                role.startswith("column:")
                and value
                and parse_number(value) is not None
                and not CARRYOVER_RE.search(role)
            ):
                extraction.money(
                    section=section,
                    metric="income_by_source",
                    qualifier=role.split(":", 1)[1],
                    printed_value=value,
                    printed_unit=unit,
                    locator=row.locator,
                    quote=row.quote,
                )


def headline_table(extraction: Extraction, table: Table, basis: str, section: str, unit: str) -> None:
    """A function table that prints no 类/款/项: its totals only.

    Two layouts: amount columns under a header (合计 | 财政拨款 | 事业收入 …, or 合计 | 基本支出 |
    项目支出), one row per 预算单位 under a 合计 row (the 合计 row is the department's; a single
    row is it); or labelled rows (收入总计, 一般公共预算资金 | 小计 …), read label by label.
    """
    layout = function_layout(table)
    if len(layout.money) >= 2 and "amount" in layout.money:
        _column_totals(extraction, table, layout, basis, section, unit)
    else:
        _labelled_totals(extraction, table, basis, section, unit)


def _column_totals(extraction: Extraction, table: Table, layout, basis: str, section: str, unit: str) -> None:
    rows = [row for row in parse_rows(table, layout) if row.has_values]
    labels = column_labels(table)
    totals = [row for row in rows if _is_total_row(row)]
    department = totals[0] if len(totals) == 1 else rows[0] if len(rows) == 1 or _first_is_sum(rows, layout) else None
    if department is None:
        extraction.warn(
            "table_layout",
            f"{table.title}: {len(rows)} rows and no single 合计 row: which is the "
            "department's cannot be told, not read",
            table.locator,
        )
        return
    with_carryover = includes_carryover(labels, layout.money["amount"])
    _total_figures(extraction, department, basis, section, unit, with_carryover)
    warn_rows_not_read(
        extraction,
        table,
        [row.cells for row in rows if row is not department],
        "a sub-unit's row; the department's figures are the 合计 row",
    )


def _first_is_sum(rows: list[Row], layout) -> bool:
    """Rows per 预算单位 with no 合计 row: the first is the department's when it is the sum of the others."""
    amounts = [parse_number(row.values.get("amount")) for row in rows]
    if len(rows) < 2 or any(a is None for a in amounts):
        return False
    return abs(amounts[0] - sum(amounts[1:])) <= ROUNDING_PER_LINE * len(amounts)


def _labelled_totals(extraction: Extraction, table: Table, basis: str, section: str, unit: str) -> None:
    from ingest.parse.extractors.summary_tables import label_key, label_values, summary_metric

    total_metric = dict(TOTAL_METRICS[basis])
    seen: set = set()
    for cells in data_rows(table):
        locator, quote = row_locator(cells), row_quote(cells)
        pairs = label_values(cells)
        if pairs and not cells[0].text.strip():
            continue  # a part of the group named in the merged cell above
        for label, value, _ in pairs:
            key = label_key(label)
            metric = summary_metric(key)
            if key in TOTAL_WORDS:  # a bare 合计 of this table is its own total, not the 收支总计
                metric = total_metric["amount"]
            qualifier = ""
            if metric is None and basis == "income" and "支出" not in key:  # "一般公共服务支出" is no source
                metric, qualifier = "income_by_source", key
            if metric and (metric, qualifier) not in seen:
                seen.add((metric, qualifier))
                extraction.money(
                    section=section,
                    metric=metric,
                    qualifier=qualifier,
                    printed_value=value,
                    printed_unit=unit,
                    locator=locator,
                    quote=quote,
                )


def basis_of(kind: str) -> str:
    return table_kinds()[kind].basis


__all__ = ["TOTAL_METRICS", "NamePath", "basis_of", "cell_text", "function_table", "headline_table"]
