"""Summary tables (收入支出决算总表, 收支预算总表, 收支总表, 财政拨款收支总体情况表 …): label/amount
pairs, two or three halves side by side.

Each label names a total (本年收入合计 → income_total …: the ``summary`` labels of the vocabulary),
an income source (income side), or a 类/款/项 of spending (支出 side: read as function lines of
basis ``all_funds`` along the names' path, see ``function_tables.NamePath``). A 财政拨款 summary
gives its totals under the 财政拨款 metrics (``fiscal_grant`` labels) and no source or line.
Row numbers (行次) beside a label are never its amount.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.parse.amounts import parse_number
from ingest.parse.classification import resolve_function
from ingest.parse.document import Cell, Table
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.function_lines import add_function_line
from ingest.parse.extractors.function_tables import NamePath
from ingest.parse.extractors.table_grid import (
    HAN_RE,
    column_labels,
    data_rows,
    row_locator,
    row_number_columns,
    row_quote,
    squash,
)
from ingest.parse.vocabulary import label_target, mapped

ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])\s*")
SUB_ITEM_RE = re.compile(r"^\d+\s*[.、．]")  # "1.一般公共预算资金": a part of the item above it
CLASS_ORDINAL_RE = re.compile(r"^[一二三四五六七八九十]+[、.．]")  # "八、其他支出": a 类 of the spending side


def summary_table(
    extraction: Extraction, table: Table, section: str, unit: str, year: int | None, fiscal_grant: bool
) -> None:
    """Label/amount pairs of each row (a summary table prints two or three such halves side by side)."""
    labels = column_labels(table)
    rows = data_rows(table)
    numbered = row_number_columns(rows, labels)
    seen: dict[str, object] = {}
    path = NamePath(year)
    below_total: set[str] = set()  # sides whose 本年合计 row has been read: what follows adds to the 总计
    for cells in join_wrapped_labels(rows, lambda label: summary_label_known(label, year)):
        for label, value, column in label_values(cells, numbered):
            key = label_key(label)
            metric = summary_metric(key)
            locator, quote = row_locator(cells), row_quote(cells)
            side = labels[column] if column < len(labels) else ""
            half = "expenditure" if "支" in side.split("/")[0] else "income"
            if metric in ("income_total", "expenditure_total"):
                below_total.add(half)
            elif metric is None and half in below_total and not fiscal_grant and not SUB_ITEM_RE.match(squash(label)):
                # "上级补助收入 3,403.00" printed below 本年收入合计: no part of the year's income, part of 收入总计
                extraction.money(
                    section=section,
                    metric=f"{half}_beyond_year",
                    qualifier=key,
                    printed_value=value,
                    printed_unit=unit,
                    locator=locator,
                    quote=quote,
                )
                continue
            if metric:
                if fiscal_grant:
                    metric = mapped("fiscal_grant", metric)
                if metric is None:
                    continue
                if metric in seen:
                    if seen[metric] != parse_number(value):
                        extraction.warn(
                            "table_inconsistent",
                            f"{table.title}: {metric} printed as {seen[metric]} and {value}",
                            locator,
                        )
                    continue
                seen[metric] = parse_number(value)
                extraction.money(
                    section=section, metric=metric, printed_value=value, printed_unit=unit, locator=locator, quote=quote
                )
            elif fiscal_grant:
                continue
            elif "支" not in side and not key.endswith("支出") and not SUB_ITEM_RE.match(squash(label)):
                extraction.money(
                    section=section,
                    metric="income_by_source",
                    qualifier=key,
                    printed_value=value,
                    printed_unit=unit,
                    locator=locator,
                    quote=quote,
                )
            elif "支" in side or key.endswith("支出"):
                _spending_line(extraction, table, path, label, key, value, unit, locator, quote)


def _spending_line(extraction, table, path: NamePath, label, key, value, unit, locator, quote) -> None:
    """A 类 (or, below it, a 款/项) printed on the spending side: a line of basis all_funds.

    A label numbered with a Chinese ordinal ("八、其他支出") is a 类: the table's top level."""
    if CLASS_ORDINAL_RE.match(squash(label)):
        match = resolve_function(f"{key}（类）", year=path.year)
        path.follow(match)
    else:
        match = path.resolve(key)
    if match.code is None:
        if key.endswith("支出"):  # neither a total nor a 类: said, not dropped unseen
            extraction.warn(
                "summary_label_not_read",
                f"{table.title}: {label} {value} is no 类 of the 支出功能分类 ({match.method}): not read",
                locator,
            )
        else:
            extraction.warn(
                "summary_label_not_read",
                f"{table.title}: {label} {value} names no 类/款/项 under the 类 above it: not read",
                locator,
            )
        return
    add_function_line(
        extraction,
        statement=table.title,
        basis="all_funds",
        printed_code="",
        raw_label=key,
        match=match,
        amount_printed=value,
        unit=unit,
        locator=locator,
        quote=quote,
    )


def label_key(label: str) -> str:
    """A summary label without spaces and list numbering: "八、社会保障和就业支出" → 社会保障和就业支出."""
    return ORDINAL_RE.sub("", squash(label))


def summary_metric(key: str) -> str | None:
    """The total a summary label names (本年收入合计 → income_total …), if any."""
    return label_target("summary", key)


def summary_label_known(label: str, year: int | None) -> bool:
    """A summary table's label names a total (当年收入小计 …) or a 支出功能分类 类 exactly (not fuzzily)."""
    key = label_key(label)
    if summary_metric(key):
        return True
    match = resolve_function(key, year=year)
    return match.level == "类" and match.method != "fuzzy"


def label_values(cells: list[Cell], skipped: set[int] = frozenset()) -> list[tuple[str, str, int]]:
    """(label, the first number after it, its column) for each label of a row.

    The label is the text just before the number; when that is 小计 (一般公共预算资金 | 小计 |
    24169.74) it is the group's name printed before it. Columns in ``skipped`` (行次) are passed
    over. A row whose first cell is blank under a merged group name is a part of that group and
    gives no label.
    """
    pairs: list[tuple[str, str, int]] = []
    parts: list[str] = []
    for j, cell in enumerate(cells):
        text = cell.text.strip()
        if not text or j in skipped:
            continue
        if HAN_RE.search(text):
            parts.append(text)
        elif parts and parse_number(text) is not None:
            label = parts[-1]
            if squash(label) == "小计" and len(parts) > 1:
                label = parts[-2]
            pairs.append((label, text, j))
            parts = []
    return pairs


def join_wrapped_labels(rows: list[list[Cell]], known: Callable[[str], bool]) -> list[list[Cell]]:
    """Rows with a label wrapped onto the row below joined back into one.

    "八、社会保障和就 | 1,608.51" over "业支出" (江苏省人大办公厅 2017 收支预算总表): a row that
    prints no number continues, cell by cell, the labels of the row above that have a number
    beside them, when the joined label is ``known`` and the upper part alone is not. The
    continuation row itself is then dropped; every other row is kept as it is.
    """
    result: list[list[Cell]] = []
    for cells in rows:
        above = result[-1] if result else None
        joined = _joined_row(above, cells, known) if above is not None else None
        if joined is None:
            result.append(cells)
        else:
            result[-1] = joined
    return result


def _joined_row(above: list[Cell], cells: list[Cell], known: Callable[[str], bool]) -> list[Cell] | None:
    texts = [cell.text.strip() for cell in cells]
    if any(parse_number(text) is not None for text in texts) or not any(texts):
        return None
    joined = list(above)
    for j, text in enumerate(texts):
        if not text:
            continue
        upper = above[j].text.strip() if j < len(above) else ""
        beside = [cell.text for cell in above[j + 1 : j + 3]]
        if not (HAN_RE.search(text) and HAN_RE.search(upper) and any(parse_number(t) is not None for t in beside)):
            return None
        if known(upper) or not known(upper + text):
            return None
        joined[j] = Cell(f"{upper} {text}", above[j].locator)  # the quote shows the wrap as a space
    return joined
