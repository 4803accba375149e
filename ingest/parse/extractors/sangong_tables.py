"""“三公”经费 tables, whichever way they are laid out, and the 机关运行经费 printed beside them.

The parts (因公出国（境）费, 公务用车购置及运行维护费 with 购置费 and 运行维护费, 公务接待费, the
total) are named by the ``sangong_part`` labels of the vocabulary. Layouts seen in real budgets
and 决算, all read by the same rules:

- **parts as columns** (a stacked header: “三公”经费合计 / 公务用车购置及运行费 / 小计 …): one row of
  values, or one row per 预算单位 under a 合计 row (the 合计 row is the department's), or rows per
  unit and 年度 (the rows of the document's fiscal year);
- **blocks of columns** side by side: a block per year ("2025年预算数 | 2026年预算数": the fiscal
  year's block is the amount, the year before its prior amount), or 当年预算 beside 上年结转结余
  (carried-over money is no part of the year's 三公 budget: not read);
- **transposed**, parts as rows (合计, 1、因公出国（境）费用, …, 其中：（1）公务用车购置费) and the
  amount in the first total column (合计 / 一般公共预算 … or 预算数 / 决算数).

In a 决算 a 预算数 column is the part's budget_amount and 决算数 its amount; in a budget every
amount is the budget. Other columns (会议费, 培训费) are no part.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.parse.amounts import parse_number
from ingest.parse.document import Cell, Table
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.table_grid import (
    HAN_RE,
    cell_text,
    column_labels,
    data_rows,
    is_total,
    leaf,
    row_locator,
    row_quote,
    squash,
    warn_rows_not_read,
)
from ingest.parse.vocabulary import compact, labels

YEAR_RE = re.compile(r"(20\d{2})\s*年")
CARRIED_OVER_RE = re.compile(r"结转|结余")
MEASURE_WORDS_RE = re.compile(r"^(?:\d{4}年)?(?:预算|决算)数?$|^(?:预算|决算)$")
# a part's amount printed per source of funds: summed (the 三公 of 财政拨款 is all of them)
FUNDING_SOURCE_RE = re.compile(r"^(?:一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?|财政拨款)(?:拨款|资金)?$")
ROUNDING_PER_ROW = Decimal("0.01")  # 万元: a total may miss the sum of its printed parts by this much per part


def sangong_part(text: str) -> str | None:
    """The 三公 part (or 机关运行经费) a header or row label names, by the vocabulary."""
    key = compact(text)
    return next((label.target for label in labels("sangong_part") if label.pattern.search(key)), None)


def sangong_table(
    extraction: Extraction, table: Table, section: str, unit: str, phase: str, year: int | None = None
) -> None:
    header_paths = column_labels(table)
    if _transposed(table, header_paths):
        _transposed_table(extraction, table, section, unit, phase)
        return
    # a 合计 over 三公 and other costs (会议费, 培训费) stands beside a “三公”经费 group: it is no 三公 total
    beside = any("三公" in label.split("/")[0] for label in header_paths)
    groups: dict[tuple[str, str], list[int]] = {}
    for j, label in enumerate(header_paths):
        metric, measure = sangong_column(label, phase, beside, year)
        if metric is not None:
            groups.setdefault((metric, measure), []).append(j)
    for key, columns in groups.items():
        subtotals = [j for j in columns if leaf(header_paths[j]) in ("小计", "合计", "总计")]
        if len(columns) > 1 and len(subtotals) == 1:
            groups[key] = subtotals  # 因公出国（境）费 / 小计 beside its components (科研因公出国（境）费用 …)
    twice = sorted(
        f"{metric} {measure}"
        for (metric, measure), columns in groups.items()
        if len(columns) > 1 and not all(FUNDING_SOURCE_RE.search(leaf(header_paths[j])) for j in columns)
    )
    if twice:  # header rows lost or out of order: which column is which cannot be told
        extraction.warn(
            "table_layout", f"{table.title}: several columns read as {', '.join(twice)}: not read", table.locator
        )
        return
    for cells, row_measure in _department_rows(extraction, table, year):
        locator, quote = row_locator(cells), row_quote(cells)
        for (metric, measure), columns in sorted(groups.items(), key=lambda item: item[1][0]):
            printed = [cells[j].text.strip() if j < len(cells) else "" for j in columns]
            if any(p and parse_number(p) is None for p in printed):
                continue
            value, shown = _sum_printed(printed)
            # the row is the department's: a blank cell beside printed ones is a zero
            extraction.money(
                section=section,
                metric=metric,
                measure=row_measure or measure,
                printed_value=value,
                printed_unit=unit,
                shown_as=shown,
                locator=cells[columns[0]].locator or locator,
                quote=quote,
            )


def _sum_printed(printed: list[str]) -> tuple[str, str]:
    """(value, as printed) of a part printed once, or split by source of funds (一般公共预算 |
    政府性基金预算 | 国有资本经营预算, summed: the 三公 of 财政拨款 is all of them)."""
    numbers = [parse_number(p) for p in printed if p]
    if not numbers:
        return "0", ""
    if len(printed) == 1:
        return printed[0], printed[0]
    shown = " + ".join(p or "空" for p in printed)
    return format(sum(numbers), "f"), shown


def _department_rows(extraction: Extraction, table: Table, year: int | None) -> list[tuple[list[Cell], str]]:
    """The department's row(s) with the measure they give ("" keeps the column's): the only row with
    values; else the 合计 row; with rows per unit and 年度, the fiscal year's row (the year before:
    prior_amount) of the 合计 block or of the first block when it is the department's own total."""
    rows = [cells for cells in data_rows(table) if any(parse_number(c.text) is not None for c in cells)]
    if year is not None and any(_row_year(cells) for cells in rows):
        return _year_rows(extraction, table, rows, year)
    if len(rows) <= 1:
        return [(rows[0], "")] if rows else []
    totals = [cells for cells in rows if any(is_total(c.text) for c in cells if HAN_RE.search(c.text))]
    if len(totals) == 1:
        warn_rows_not_read(
            extraction,
            table,
            [cells for cells in data_rows(table) if cells is not totals[0]],
            "a sub-unit's row; the department's figures are its 合计 row",
        )
        return [(totals[0], "")]
    extraction.warn(
        "table_layout",
        f"{table.title}: {len(rows)} rows and no single 合计 row: which is the department's cannot be told, not read",
        table.locator,
    )
    return []


def _year_rows(extraction: Extraction, table: Table, rows: list[list[Cell]], year: int) -> list[tuple[list[Cell], str]]:
    """Rows per 预算单位 and 年度 (the unit's name printed on its first row only)."""
    blocks: list[tuple[str, list[list[Cell]]]] = []
    for cells in rows:
        name = next(
            (
                c.text.strip()
                for c in cells
                if HAN_RE.search(c.text) and not YEAR_RE.search(c.text) and _row_year(cells) != _year_of(c.text)
            ),
            "",
        )
        if name or not blocks:
            blocks.append((name, []))
        blocks[-1][1].append(cells)
    totals = [block for block in blocks if is_total(block[0])]
    chosen = totals[0] if len(totals) == 1 else blocks[0] if _first_block_is_total(blocks, year) else None
    if chosen is None:
        extraction.warn(
            "table_layout",
            f"{table.title}: rows per unit and year, and no block that is the department's total: not read",
            table.locator,
        )
        return []
    warn_rows_not_read(
        extraction,
        table,
        [cells for block in blocks if block is not chosen for cells in block[1]],
        "a sub-unit's row; the department's figures are the first block's",
    )
    result = []
    for cells in chosen[1]:
        row_year = _row_year(cells)
        if row_year == year:
            result.append((cells, ""))
        elif row_year == year - 1:
            result.append((cells, "prior_amount"))
        else:
            warn_rows_not_read(extraction, table, [cells], "a change or another year's row, not read")
    return result


def _first_block_is_total(blocks: list[tuple[str, list[list[Cell]]]], year: int) -> bool:
    """One block, or a first block whose fiscal-year total is the sum of the other blocks'."""
    if len(blocks) == 1:
        return True
    totals = [_first_amount(next((c for c in cells if _row_year(c) == year), [])) for _, cells in blocks]
    if any(t is None for t in totals):
        return False
    return abs(totals[0] - sum(totals[1:])) <= ROUNDING_PER_ROW * len(totals)


def _first_amount(cells: list[Cell]):
    return next(
        (parse_number(c.text) for c in cells if parse_number(c.text) is not None and not _year_of(c.text)), None
    )


def _year_of(text: str) -> int | None:
    m = YEAR_RE.fullmatch(squash(text)) or re.fullmatch(r"(20\d{2})", squash(text))
    return int(m.group(1)) if m else None


def _row_year(cells: list[Cell]) -> int | None:
    return next((y for c in cells if (y := _year_of(c.text))), None)


def sangong_column(
    label: str, phase: str, beside_sangong_group: bool = False, year: int | None = None
) -> tuple[str | None, str]:
    """(metric, measure) of a 三公 table column from its header path.

    ``beside_sangong_group``: the table has a top-level “三公”经费 column group, so a top-level
    合计 beside it also counts other costs.
    """
    parts = label.split("/")
    if any(CARRIED_OVER_RE.search(part) for part in parts):
        return None, "amount"  # 上年结转结余 block: not the year's 三公
    measure = "amount"
    stated_years = [int(m.group(1)) for part in parts for m in [YEAR_RE.search(part)] if m]
    if year is not None and stated_years:
        if stated_years[0] == year - 1:
            measure = "prior_amount"
        elif stated_years[0] != year:
            return None, measure
    # 预算数/决算数 is the last header row, but a header printed in another order still says it
    stated = next((part for part in reversed(parts) if "预算" in part or "决算" in part), "")
    if phase == "final" and "预算" in stated and "决算" not in stated:
        measure = "budget_amount" if measure == "amount" else measure
    metric: str | None = None
    for depth in range(len(parts) - 1, -1, -1):
        text = parts[depth]
        if text == "" or MEASURE_WORDS_RE.match(text) or FUNDING_SOURCE_RE.match(text):
            continue
        if text in ("小计", "合计", "总计"):
            parent = next((sangong_part(p) for p in reversed(parts[:depth]) if sangong_part(p)), None)
            if parent is not None:  # a part's 小计: the part itself (its other columns are its components)
                metric = parent
            elif (
                text in ("合计", "总计")
                and (depth == 0 or all(MEASURE_WORDS_RE.match(p) or YEAR_RE.search(p) for p in parts[:depth]))
                and not beside_sangong_group
            ):
                metric = "sangong_total"
            break
        metric = sangong_part(text)
        if metric:
            break
        return None, measure  # 会议费, 培训费 and other columns that are no 三公 part
    return metric, measure


# ---------------------------------------------------------------------------------------
# parts as rows


def _transposed(table: Table, header_paths: list[str]) -> bool:
    """Parts printed as rows: at least three row labels name parts, and no column header does."""
    if any(sangong_part(leaf) for label in header_paths for leaf in label.split("/")):
        return False
    named = {sangong_part(_row_label(cells)) for cells in data_rows(table)} - {None}
    return len(named) >= 3


def _row_label(cells: list[Cell]) -> str:
    return next((c.text for c in cells if HAN_RE.search(c.text)), "")


def _transposed_table(extraction: Extraction, table: Table, section: str, unit: str, phase: str) -> None:
    header_paths = column_labels(table)
    amount_columns = _transposed_columns(header_paths, phase)
    seen: set[tuple[str, str]] = set()
    for cells in data_rows(table):
        label = _row_label(cells)
        metric = sangong_part(label)
        if metric is None and is_total(label) and not seen:
            metric = "sangong_total"  # the table's 合计 row, before any part
        if metric is None:
            continue
        for j, measure in amount_columns:
            printed = cell_text(cells, j)
            if parse_number(printed) is None or (metric, measure) in seen:
                continue
            seen.add((metric, measure))
            extraction.money(
                section=section,
                metric=metric,
                measure=measure,
                printed_value=printed,
                printed_unit=unit,
                locator=row_locator(cells),
                quote=row_quote(cells),
            )


def _transposed_columns(header_paths: list[str], phase: str) -> list[tuple[int, str]]:
    """The amount column(s): 预算数 and 决算数 in a 决算, else the first total column (合计 …)."""
    columns: list[tuple[int, str]] = []
    for j, label in enumerate(header_paths):
        text = compact(label)
        if phase == "final" and "决算" in text:
            columns.append((j, "amount"))
        elif phase == "final" and "预算" in text:
            columns.append((j, "budget_amount"))
    if columns:
        return columns
    total = next(
        (j for j, label in enumerate(header_paths) if re.search(r"合计|总计|预算数|金额", compact(label))), None
    )
    if total is None:
        total = next((j for j, label in enumerate(header_paths) if j > 0 and label), None)
    return [(total, "amount")] if total is not None else []
