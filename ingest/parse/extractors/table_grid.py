"""What every table extractor needs to know about a table's grid: which rows are data, what each
column is, and where a row's code, name and amounts are.

A ``Table`` comes from any reader as rows of cells, header rows first. What the columns mean is
read from two things only: the header texts stacked above each column (``column_labels``) and
the data cells themselves. Nothing depends on a table's number or on the place that printed it.

Two kinds of numbers are never amounts, whatever their header says:

- a **column-number row** under the header ("栏次 1 2 3", "** 1 2 3 4 …", "行次"): the columns'
  own numbering, a header row wherever it stands (also when a continuation page repeats it);
- a **row-number column** (行次, 序号, or a column whose cells count 1, 2, 3 … down the rows):
  the lines' numbering in 收入支出决算总表 and its like.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TypeVar

from ingest.parse.amounts import parse_number
from ingest.parse.classification import code_from_columns, normalise_code
from ingest.parse.document import Cell, Table
from ingest.parse.vocabulary import column_role

T = TypeVar("T")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
CODE_PART_RE = re.compile(r"^\d{2,7}$")
TOTAL_WORDS = ("合计", "总计")
# a code printed in the name's cell: "201 一般公共服务支出", "[2010301]行政运行", "【30201】办公费",
# "2010501-行政运行", "208 05 05 死亡抚恤"
CODE_IN_NAME_RE = re.compile(
    r"^[\[【〔(（]?(?P<code>\d{3}(?:\s*\d{2}){0,2})[\]】〕)）]?\s*[-—－_:：.．、]?\s*(?P<name>[\u4e00-\u9fff].*)$"
)
# cells of a column-number row besides the numbers: "**", "栏次", "行次", "—"
COLUMN_NUMBER_FILLERS = {"**", "*", "栏次", "行次", "栏号", "—", "-", "/"}
MIN_NUMBERED = 2  # a column-number row numbers at least this many columns
MIN_COUNTED_ROWS = 3  # a row-number column counts at least this many rows
MAX_ROW_NUMBER = 999  # row numbers are small integers
YEAR_IN_HEADER_RE = re.compile(r"(20\d{2})\s*年")
CARRYOVER_RE = re.compile(r"上年结[转余]|结转|结余")  # money carried over from the year before: not this year's


def includes_carryover(labels: list[str], amount_column: int) -> bool:
    """The amount column is a 总计 over this year's money and a carry-over printed beside it."""
    others = [label for j, label in enumerate(labels) if j != amount_column]
    return "/" not in labels[amount_column] and any(CARRYOVER_RE.search(label.split("/")[0]) for label in others)


def squash(text: str) -> str:
    """``text`` without whitespace, as ``re.sub(r"\\s+", "", text)`` gives it: ``str.split`` knows the
    same whitespace (checked over every code point) at a fraction of the cost, for every cell."""
    return "".join(text.split())


def cell_text(row: list[Cell], index: int | None) -> str:
    return row[index].text.strip() if index is not None and index < len(row) else ""


def row_locator(cells: list[Cell]) -> str:
    """ "p.8 r.4" from the cells' "p.8 r.4 c.1" (other formats: the first cell's locator)."""
    first = next((cell.locator for cell in cells if cell.locator), "")
    return first.rsplit(" c.", 1)[0]


def row_quote(cells: list[Cell]) -> str:
    return " | ".join(cell.text for cell in cells if cell.text)


def is_total(name: str) -> bool:
    return squash(name).startswith(TOTAL_WORDS) or squash(name) in TOTAL_WORDS


SMALL_INTEGER_RE = re.compile(r"\d{1,3}")


def _small_integer(text: str) -> int | None:
    text = text.strip()
    return int(text) if SMALL_INTEGER_RE.fullmatch(text) else None


def warn_rows_not_read(extraction, table: Table, rows: list[list[Cell]], why: str) -> None:
    """Rows with amounts that are read through another row (a sub-unit's row under the 合计 the
    department's figures come from): said row by row, so that nothing is dropped unseen."""
    for cells in rows:
        if any(parse_number(c.text) is not None for c in cells):
            extraction.warn("sub_unit_row", f"{table.title}: {why}: {row_quote(cells)[:100]}", row_locator(cells))


def is_column_number_row(texts: list[str]) -> bool:
    """ "** | 1 | 2 | 3", "栏次 | 1 | 2", "| | 1 | 2 | 3": the columns' own numbers, consecutive from 1.

    Asked of every row of every table, several times: a cell that is neither a number nor a
    filler (most rows' first) settles it at once."""
    numbers: list[int] = []
    fillers = False
    for text in map(squash, texts):
        if not text:
            continue
        value = _small_integer(text)
        if value is not None:
            numbers.append(value)
        elif text in COLUMN_NUMBER_FILLERS or set(text) <= {"*"}:
            fillers = True
        else:
            return False  # a word or an amount: no column-number row
    return (
        len(numbers) >= (1 if fillers else MIN_NUMBERED)
        and numbers[0] in (0, 1)
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    )


CAPTION_RE = re.compile(
    r"^(?:(?:预算|编制|主管)?(?:单位|部门)(?:名称)?(?:（单位）)?[:：]|金额单位[:：]|单位[:：])|表\s*[（(][^）)]*\d+[）)]$|表$"
)


def is_caption_row(texts: list[str]) -> bool:
    """A title or "预算单位：… 单位：万元" line printed inside the grid (长春 2026): no column's header."""
    filled = [squash(t) for t in texts if squash(t)]
    return bool(filled) and len(filled) <= 2 and all(CAPTION_RE.search(t) for t in filled)


def remembered(table: Table, what: str, work_out: Callable[[Table], T]) -> T:
    """``work_out(table)``, worked out once per table: an extractor asks a table's data rows, header
    paths and layout several times (a function table's data rows five times), and each answer
    reads every cell. Tables are not changed once read (readers build them, extractors only read
    them); the answer is worked out again if the table's rows or header count are replaced all the
    same. Answers that are lists are handed out as copies, so that no caller changes another's."""
    answers = table.__dict__.setdefault("_remembered", {})
    answer = answers.get(what)
    if answer is None or answer[0] is not table.rows or answer[1] != (len(table.rows), table.header_rows):
        answer = answers[what] = (table.rows, (len(table.rows), table.header_rows), work_out(table))
    return answer[2]


def header_row_count(table: Table) -> int:
    """The reader's header rows and the column-number rows right below them."""
    return remembered(table, "header_row_count", _header_row_count)


def _header_row_count(table: Table) -> int:
    count = table.header_rows
    while count < len(table.rows) and is_column_number_row([c.text for c in table.rows[count]]):
        count += 1
    return count


def data_rows(table: Table) -> list[list[Cell]]:
    """Rows below the header with any text, column-number rows (repeated on a continuation page) left out."""
    return list(remembered(table, "data_rows", _data_rows))


def _data_rows(table: Table) -> list[list[Cell]]:
    return [
        row
        for row in table.rows[header_row_count(table) :]
        if any(cell.text.strip() for cell in row) and not is_column_number_row([c.text for c in row])
    ]


def header_text(table: Table) -> str:
    return "".join(cell.text for row in table.rows[: header_row_count(table)] for cell in row)


def column_labels(table: Table) -> list[str]:
    """Each column's header path, "/"-joined, a merged cell counted over every column it spans
    (``_column_labels``; worked out once per table)."""
    return list(remembered(table, "column_labels", _column_labels))


def _column_labels(table: Table) -> list[str]:
    """Each column's header path, "/"-joined, a merged cell counted over every column it spans.

    Readers give a merged cell's text once, at its first column. An empty header cell takes
    the text of the nearest filled cell to its left in the same row when both columns have
    the same path above them (they sit under the same parent), so 预算数/决算数 pairs under
    公务接待费 both read 公务接待费, but a column under another parent does not. Column-number
    rows add nothing to a path.
    """
    width = max((len(row) for row in table.rows), default=0)
    paths: list[list[str]] = [[] for _ in range(width)]
    for row in table.rows[: header_row_count(table)]:
        texts = [squash(row[j].text) if j < len(row) else "" for j in range(width)]
        if is_column_number_row(texts) or is_caption_row(texts):
            continue
        above = [list(path) for path in paths]
        last: int | None = None
        for j in range(width):
            if texts[j]:
                paths[j].append(texts[j])
                last = j
            elif last is not None and above[j] == above[last]:
                paths[j].append(texts[last])
    return ["/".join(path) for path in paths]


def leaf(label: str) -> str:
    return label.rsplit("/", 1)[-1]


def row_number_columns(rows: list[list[Cell]], labels: list[str]) -> set[int]:
    """Columns that number the rows: headed 行次/栏次/序号, or counting 1, 2, 3 … down the rows."""
    width = max((len(row) for row in rows), default=0)
    roles = [column_role(leaf(labels[j])) if j < len(labels) else None for j in range(width)]
    found = {j for j in range(width) if roles[j] == "row_number"}
    for j in range(width):
        if roles[j] == "code":
            continue
        texts = [cell_text(row, j) for row in rows if cell_text(row, j)]
        values = [_small_integer(text) for text in texts]
        if (
            len(values) >= MIN_COUNTED_ROWS
            and None not in values
            and all(v <= MAX_ROW_NUMBER for v in values)
            and values[0] == 1
            and all(b == a + 1 for a, b in pairwise(values))
            and not any(text.startswith("0") for text in texts)
        ):
            found.add(j)
    return found


# ---------------------------------------------------------------------------------------
# where codes, names and amounts are


@dataclass
class Layout:
    codes: list[int]  # code columns, left to right (类, 款, 项 or one whole code)
    name: int | None
    money: dict[str, int]  # role (amount, basic, project, column:<leaf> …) -> column
    shared: list[str] = field(default_factory=list)  # labels over several amount columns: none of them read
    row_numbers: set[int] = field(default_factory=set)


def function_layout(table: Table) -> Layout:
    """Where codes, names and amounts are, from the data cells and the header paths (worked out
    once per table, handed out as a copy)."""
    layout = remembered(table, "function_layout", _function_layout)
    return Layout(list(layout.codes), layout.name, dict(layout.money), list(layout.shared), set(layout.row_numbers))


def _function_layout(table: Table) -> Layout:
    rows = data_rows(table)
    labels = column_labels(table)
    width = max((len(row) for row in table.rows), default=0)
    labels += [""] * (width - len(labels))
    numbered = row_number_columns(rows, labels)
    codes, names, numbers = [], [], []
    for j in range(width):
        if j in numbered:
            continue
        texts = [t for t in (cell_text(row, j) for row in rows) if t]
        if not texts:
            continue
        code_like = sum(
            1 for t in texts if CODE_PART_RE.fullmatch(t.replace(" ", "")) and len(t.replace(" ", "")) in (2, 3, 5, 7)
        )
        han = sum(1 for t in texts if HAN_RE.search(t))
        numeric = sum(1 for t in texts if parse_number(t) is not None)
        role = column_role(leaf(labels[j]))
        money_header = role in ("amount", "basic", "project", "personnel", "public")
        if code_like >= max(han, 1) * 0.6 and (code_like >= numeric * 0.6 or role == "code") and not money_header:
            codes.append(j)
        elif han > numeric:
            names.append(j)
        elif numeric:
            numbers.append(j)
    name = next((j for j in names if column_role(leaf(labels[j])) == "name"), names[0] if names else None)
    money = money_roles(numbers, labels)
    leaves = Counter(leaf(labels[j]) for j in numbers if j not in money.values())
    return Layout(codes, name, money, sorted(lf for lf, n in leaves.items() if n > 1), numbered)


def money_roles(columns: list[int], labels: list[str]) -> dict[str, int]:
    """amount / basic / project / other columns among the numeric ones, by their header paths.

    The roles come from the vocabulary (seeds/ref_column_role.csv). The first column headed as
    a total (合计, 小计, 金额, 预算数 …) is the line's amount; without one, the first amount column.
    A table with carry-over columns (政府性基金…收入支出决算表) reads the amounts under 本年支出.
    """
    roles: dict[str, int] = {}
    spending = [j for j in columns if "/" in labels[j] and column_role(labels[j].split("/")[0]) == "current_year"]
    years = {j: int(m.group(1)) for j in columns if (m := YEAR_IN_HEADER_RE.search(labels[j]))}
    if len(set(years.values())) > 1:
        # "2025年预算数 | 2026年预算数/总计 …": the latest year printed is the document's own, the
        # year before it the line's prior amount
        latest = max(years.values())
        spending = [j for j in columns if years.get(j) == latest]
        prior = [j for j in columns if years.get(j) == latest - 1]
        if prior:
            roles["prior"] = prior[0]
    scope = spending or columns
    for j in scope:
        role = column_role(leaf(labels[j]))
        if role in ("basic", "project", "amount") and role not in roles and not CARRYOVER_RE.search(labels[j]):
            roles[role] = j
    if "amount" not in roles and spending and not years:
        # this year's group prints no 小计: the line's amount is the table's own total column
        # (a 收入总计 that may add the carry-over: see includes_carryover), never a source of it
        total = next((j for j in columns if column_role(leaf(labels[j])) == "amount"), None)
        if total is not None:
            roles["amount"] = total
    if "amount" not in roles and scope:
        first = next((j for j in scope if j not in roles.values()), None)
        if first is not None:
            roles["amount"] = first
    others = [j for j in columns if j not in roles.values()]
    leaves = Counter(
        leaf(labels[j]) if leaf(labels[j]) not in ("小计", "合计") or "/" not in labels[j] else labels[j].split("/")[-2]
        for j in others
    )
    for j in others:
        name = leaf(labels[j])
        if name in ("小计", "合计") and "/" in labels[j]:
            name = labels[j].split("/")[-2]  # "财政拨款收入/小计": the group's own total
        # a label that heads several columns names none of them; nor does the header word of the
        # code and name columns ("项目", "科目名称") carried over blank header cells
        if leaves[name] == 1 and column_role(name) not in ("code", "name", "row_number"):
            roles[f"column:{name}"] = j
    return roles


@dataclass
class Row:
    """A data row of a function or economic table, once its columns are known."""

    code: str  # digits only, "" when none printed
    printed_code: str
    name: str
    values: dict[str, str]  # role -> printed value
    cells: list[Cell]

    @property
    def locator(self) -> str:
        return row_locator(self.cells)

    @property
    def quote(self) -> str:
        return row_quote(self.cells)

    @property
    def has_values(self) -> bool:
        return any(parse_number(v) is not None for v in self.values.values())


def code_in_name(name: str) -> tuple[str, str] | None:
    """(printed code, name) when the name's cell starts with a code, else None."""
    m = CODE_IN_NAME_RE.match(name)
    return (m.group("code"), m.group("name")) if m else None


def parse_rows(table: Table, layout: Layout) -> list[Row]:
    """Data rows with their code, name and values.

    Codes are read from the code columns whichever way they are printed: whole ("2010301"),
    split and cumulative ("201 | 08 | 01" or "201 08 01"), or split with each level printing
    only its own segment ("201", then "| 40", then "| | 01": the code is rebuilt from the rows
    above); or from the name's own cell ("[2010301]行政运行", "2010501-行政运行"). A name wrapped
    onto a row of its own is joined back.
    """
    result: list[Row] = []
    last_by_depth: dict[int, str] = {}  # code of the last row whose code started in code column k
    for cells in data_rows(table):
        parts = [cell_text(cells, j) for j in layout.codes]
        name = squash(cell_text(cells, layout.name))
        printed = " ".join(p for p in parts if p)
        code = ""
        if printed:
            code, rebuilt = _code_from_parts(parts, last_by_depth)
            if rebuilt:
                printed = code  # a segment rebuilt from the rows above ("40" under 201): the whole code
        else:
            inline = code_in_name(name)
            if inline:
                printed, name = inline
                code = normalise_code(printed) or ""
        values = {role: cell_text(cells, j) for role, j in layout.money.items()}
        has_values = any(parse_number(v) is not None for v in values.values())
        if not code and not has_values and name and result and not is_total(name) and not printed:
            result[-1].name += name  # the second line of a wrapped name
            result[-1].cells = result[-1].cells + [c for c in cells if c.text]
            continue
        result.append(Row(code, printed if code else "", name, values, cells))
    return result


def _code_from_parts(parts: list[str], last_by_depth: dict[int, str]) -> tuple[str, bool]:
    """(code, rebuilt) of a row from its code columns; a segment printed alone in a lower column
    continues the code of the nearest row above whose code ended one column to the left (rebuilt)."""
    cumulative = normalise_code(code_from_columns(parts)) or ""
    first = next((k for k, part in enumerate(parts) if part), None)
    if first is None:
        return "", False
    if first > 0 and len(parts) > 1:
        segment = "".join(re.sub(r"\D", "", p) for p in parts[first:])
        parent = last_by_depth.get(first - 1, "")
        rebuilt = normalise_code(parent + segment.zfill(2)) if parent and len(segment) <= 2 else None
        if rebuilt:
            last_by_depth[first] = rebuilt
            return rebuilt, True
    if cumulative:
        depth = {3: 0, 5: 1, 7: 2}.get(len(cumulative), first)
        last_by_depth[depth] = cumulative
        for deeper in [k for k in last_by_depth if k > depth]:
            del last_by_depth[deeper]
    return cumulative, False
