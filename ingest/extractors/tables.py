"""The standard tables of a 决算 or 预算, read from ``Table`` grids whatever the format.

A table is recognised by the words of its title (收入决算表, 一般公共预算财政拨款支出决算表,
2025年部门收入预算总表, 收支预算总表 …), never by its number. Its columns are known by their
header *path*: the header texts stacked above each column, a merged header cell standing over
every column it spans (``column_labels``), e.g. ``财政拨款“三公”经费 / 公务接待费 / 决算数``.
Code and name columns are known by what the data cells hold.

What each kind of table gives (section ``table:<part>``, part as in ``ref_standard_part``):

- function-classified tables (收入/支出决算表, 一般公共预算…支出, 政府性基金, 国有资本经营,
  收入/支出预算总表): one function line per 类/款/项 row (printed code "208 05 05" or
  "2080505"; a name missing from the text layer leaves the code, which resolves it; a name
  wrapped onto a row of its own is joined back), and the 合计 row as figures;
- summary tables (收入支出决算总表, 财务收支预算总表, 财政拨款收入支出…总表): totals, carry-overs,
  income by source and (not for the 财政拨款 one) the 类 lines of expenditure;
- 基本支出 by economic classification: economic lines for every half of a two-sided layout,
  and 人员经费 / 公用经费 from their 合计 rows or columns;
- 三公 (and 机关运行经费): each part's 预算数 and 决算数 (in a budget, the amount is the budget);
- a table that says 本表无数据 (``Table.is_empty``) is a stated zero of its total.

Money is converted from the table's unit (元 or 万元) to 万元, the printed unit kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.amounts import parse_number, to_wan
from ingest.classification import code_from_columns, normalise_code, resolve_economic_table, resolve_function
from ingest.document import Cell, Document, Table
from ingest.extraction import Extraction
from ingest.extractors.function_lines import add_function_line
from ingest.records import EconomicLineRow

HAN_RE = re.compile(r"[\u4e00-\u9fff]")
CODE_PART_RE = re.compile(r"^\d{2,7}$")
LEADING_CODE_RE = re.compile(r"^(?P<code>\d{3}(?:\s*\d{2}){0,2})\s*(?P<name>[\u4e00-\u9fff].*)$")
ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])\s*")
TOTAL_WORDS = ("合计", "总计")
PERSONNEL_RE = re.compile(r"^(?:人员|公用)经费(?:合计|小计)?$")  # not 离退休人员经费 (a 类 of its own)
SUB_ITEM_RE = re.compile(r"^\d+\s*[.、．]")  # "1.一般公共预算资金": a part of the item above it
HEADER_WORDS = {"项目", "科目", "科目名称", "科目编码", "功能分类科目", "栏次", "行次", "类", "款", "项", "名称", "编码"}
EMPTY_NOTE_RE = re.compile(r"无数据|为空|空表|无相关(?:收支|数据|项目)")

# (kind, pattern on the title without spaces or quotes); the first match wins
TABLE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("sangong", r"三公"),
        ("operating_cost", r"机关运行经费"),
        ("procurement", r"政府采购"),
        ("basic", r"基本支出"),
        ("fiscal_grant_summary", r"财政拨款收.{0,2}支.{0,6}总表"),
        ("government_fund", r"政府性基金"),
        ("state_capital", r"国有资本经营"),
        ("general_budget", r"一般公共预算.{0,8}支出"),
        ("fiscal_grant_expenditure", r"财政拨款支出"),
        ("summary", r"收.{0,2}支.{0,8}总表"),
        ("income", r"收入(?:决算|预算)"),
        ("expenditure", r"支出(?:决算|预算)"),
    )
)
# the standard part (ref_standard_part.section) each kind stands for, by phase
PARTS = {
    "final": {
        "summary": "income_expenditure_summary",
        "income": "income_statement",
        "expenditure": "expenditure_statement",
        "fiscal_grant_summary": "fiscal_grant_summary",
        "general_budget": "general_budget_expenditure",
        "basic": "general_budget_basic",
        "sangong": "sangong",
        "government_fund": "government_fund",
        "state_capital": "state_capital",
    },
    "budget": {
        "summary": "budget_summary",
        "income": "budget_income",
        "expenditure": "budget_expenditure",
        "fiscal_grant_summary": "budget_fiscal_grant_summary",
        "general_budget": "general_budget_expenditure",
        "basic": "general_budget_basic",
        "sangong": "sangong",
        "government_fund": "government_fund",
        "state_capital": "state_capital",
    },
}
FUNCTION_BASIS = {
    "income": "income",
    "expenditure": "all_funds",
    "general_budget": "general_budget",
    "fiscal_grant_expenditure": "fiscal_grant",  # 财政拨款支出预算表 (江苏): 一般公共预算 + 政府性基金 + 国有资本
    "government_fund": "government_fund",
    "state_capital": "state_capital",
}
# figures from the 合计 row of a function table: (column role, metric) by basis
TOTAL_METRICS = {
    "income": (("amount", "income_total"),),
    "all_funds": (("amount", "expenditure_total"), ("basic", "basic_expenditure"), ("project", "project_expenditure")),
    "general_budget": (("amount", "gpb_expenditure"), ("basic", "gpb_basic_expenditure")),
    "fiscal_grant": (("amount", "fiscal_grant_expenditure_total"),),
    "government_fund": (("amount", "government_fund_expenditure"),),
    "state_capital": (("amount", "state_capital_expenditure"),),
}
# summary-table labels (ordinal and spaces removed) → metric; the fiscal-grant table prefixes fiscal_grant_
SUMMARY_LABELS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), metric)
    for pattern, metric in (
        (r"^(?:本年|当年)收入(?:合计|小计)$", "income_total"),
        (r"^(?:本年|当年)支出(?:合计|小计)$", "expenditure_total"),
        (r"^(?:收入|支出|收支)?(?:总计|合计)$", "grand_total"),
        (r"^(?:年初.{0,6}结转和?结余|上年结转(?:和结余)?(?:资金)?)$", "carryover_begin"),
        (r"^(?:年末.{0,6}结转和?结余|结转下年(?:资金)?)$", "carryover_end"),
        (r"^基本支出$", "basic_expenditure"),
        (r"^项目支出$", "project_expenditure"),
        (r"^(?:单位)?预留机动经费$", "reserve_expenditure"),
    )
)
FISCAL_GRANT_METRICS = {
    "income_total": "fiscal_grant_income_total",
    "expenditure_total": "fiscal_grant_expenditure_total",
    "grand_total": "fiscal_grant_grand_total",
    "carryover_begin": "fiscal_grant_carryover_begin",
    "carryover_end": "fiscal_grant_carryover_end",
}
# 三公 parts by the words of a header cell, most specific first
SANGONG_PARTS: tuple[tuple[str, str], ...] = (
    ("机关运行经费", "operating_cost"),
    ("购置及运行", "sangong_vehicle"),
    ("运行", "sangong_vehicle_operation"),
    ("购置", "sangong_vehicle_purchase"),
    ("接待", "sangong_reception"),
    ("出国", "sangong_abroad"),
    ("三公", "sangong_total"),
)
PARENT_OF_SUBTOTAL = {"sangong_vehicle": "sangong_vehicle", "sangong_total": "sangong_total"}


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
        return " | ".join(cell.text for cell in self.cells if cell.text)


def extract_tables(extraction: Extraction, document: Document) -> None:
    """Registered in ``pipeline.TABLE_EXTRACTORS``."""
    identity = extraction.identity
    year = identity.fiscal_year if identity else None
    phase = (identity.phase if identity else None) or "final"
    for table in document.tables:
        kind = _kind_of(table)
        if kind is None:
            continue
        part = PARTS[phase].get(kind)
        if part:
            extraction.mark_section("table", part, table.title, table.locator)
        section = f"table:{part or kind}"
        unit = table.unit or _assumed_unit(extraction, table)
        if table.is_empty or not _data_rows(table):
            _stated_zero(extraction, document, table, kind, section)
        elif kind in FUNCTION_BASIS and function_layout(table).codes:
            function_table(extraction, table, FUNCTION_BASIS[kind], section, unit, year)
        elif kind in FUNCTION_BASIS:
            headline_table(extraction, table, FUNCTION_BASIS[kind], section, unit)
        elif kind in ("summary", "fiscal_grant_summary"):
            summary_table(extraction, table, section, unit, year, fiscal_grant=kind == "fiscal_grant_summary")
        elif kind == "basic":
            basic_table(extraction, table, section, unit, year)
        elif kind == "sangong":
            sangong_table(extraction, table, section, unit, phase)
        elif kind == "operating_cost":
            operating_cost_table(extraction, table, section, unit, year)


def _kind_of(table: Table) -> str | None:
    """The kind its title says, unless its header says 三公: a title cut short by a page break
    ("支出预算表" for 一般公共预算“三公”经费、会议费、培训费支出预算表, 江苏省人民检察院 2018)
    must not make a 三公 table's 合计 a total of the department's spending."""
    kind = table_kind(table.title)
    header = "".join(cell.text for row in table.rows[: table.header_rows] for cell in row)
    if kind not in (None, "sangong") and "三公" in _compact(header):
        return "sangong"
    return kind


def _compact(text: str) -> str:
    """Title or header words without spaces and quotes: “三公”经费 → 三公经费."""
    return re.sub(r"[\s“”\"'‘’]", "", text)


def table_kind(title: str) -> str | None:
    compact = _compact(title)
    return next((kind for kind, pattern in TABLE_KINDS if pattern.search(compact)), None)


def _assumed_unit(extraction: Extraction, table: Table) -> str:
    extraction.warn("unit_missing", f"{table.title}: no unit printed, read as 万元", table.locator)
    return "万元"


# ---------------------------------------------------------------------------------------
# columns


def column_labels(table: Table) -> list[str]:
    """Each column's header path, "/"-joined, a merged cell counted over every column it spans.

    Readers give a merged cell's text once, at its first column. An empty header cell takes
    the text of the nearest filled cell to its left in the same row when both columns have
    the same path above them (they sit under the same parent), so 预算数/决算数 pairs under
    公务接待费 both read 公务接待费, but a column under another parent does not.
    """
    width = max((len(row) for row in table.rows), default=0)
    paths: list[list[str]] = [[] for _ in range(width)]
    for row in table.rows[: table.header_rows]:
        texts = [_squash(row[j].text) if j < len(row) else "" for j in range(width)]
        above = [list(path) for path in paths]
        last: int | None = None
        for j in range(width):
            if texts[j]:
                paths[j].append(texts[j])
                last = j
            elif last is not None and above[j] == above[last]:
                paths[j].append(texts[last])
    return ["/".join(path) for path in paths]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _data_rows(table: Table) -> list[list[Cell]]:
    return [row for row in table.rows[table.header_rows :] if any(cell.text.strip() for cell in row)]


def _text(row: list[Cell], index: int | None) -> str:
    return row[index].text.strip() if index is not None and index < len(row) else ""


def row_locator(cells: list[Cell]) -> str:
    """ "p.8 r.4" from the cells' "p.8 r.4 c.1" (other formats: the first cell's locator)."""
    first = next((cell.locator for cell in cells if cell.locator), "")
    return first.rsplit(" c.", 1)[0]


@dataclass
class Layout:
    codes: list[int]  # code columns, left to right (类, 款, 项 or one whole code)
    name: int | None
    money: dict[str, int]  # role (amount, basic, project, …) -> column
    shared: list[str] = field(default_factory=list)  # labels over several amount columns: none of them read


def function_layout(table: Table) -> Layout:
    """Where codes, names and amounts are, from the data cells and the header paths."""
    rows = _data_rows(table)
    labels = column_labels(table)
    width = max((len(row) for row in table.rows), default=0)
    codes, names, numbers = [], [], []
    for j in range(width):
        texts = [_text(row, j) for row in rows]
        texts = [t for t in texts if t]
        if not texts:
            continue
        code_like = sum(1 for t in texts if CODE_PART_RE.fullmatch(t.replace(" ", "")) and len(t.replace(" ", "")) in (2, 3, 5, 7))
        han = sum(1 for t in texts if HAN_RE.search(t))
        numeric = sum(1 for t in texts if parse_number(t) is not None)
        label = labels[j] if j < len(labels) else ""
        if code_like >= max(han, 1) * 0.6 and (code_like >= numeric * 0.6 or re.search(r"编码|代码|类|款|项", label)) and not _money_label(label):
            codes.append(j)
        elif han > numeric:
            names.append(j)
        elif numeric:
            numbers.append(j)
    name = next((j for j in names if "名称" in labels[j]), names[0] if names else None)
    money = _money_roles(numbers, labels)
    leaves = Counter(labels[j].rsplit("/", 1)[-1] for j in numbers if j not in money.values())
    return Layout(codes, name, money, sorted(leaf for leaf, n in leaves.items() if n > 1))


def _money_label(label: str) -> bool:
    return bool(re.search(r"合计|小计|金额|支出|收入|预算数|决算数", label.rsplit("/", 1)[-1]))


def _money_roles(columns: list[int], labels: list[str]) -> dict[str, int]:
    """amount / basic / project / source columns among the numeric ones, by their header paths."""
    roles: dict[str, int] = {}
    # a table with carry-over columns (政府性基金…收入支出决算表): the amounts are those under 本年支出
    spending = [j for j in columns if "本年支出/" in labels[j]]
    scope = spending or columns
    for j in scope:
        leaf = labels[j].rsplit("/", 1)[-1]
        if "基本" in leaf and "basic" not in roles:
            roles["basic"] = j
        elif "项目" in leaf and "支出" in leaf and "project" not in roles:
            roles["project"] = j
        elif re.search(r"合计|小计|金额|^本年支出$|本年收入合计|预算数|决算数", leaf) and "amount" not in roles:
            roles["amount"] = j
    if "amount" not in roles and scope:
        first = next((j for j in scope if j not in roles.values()), None)
        if first is not None:
            roles["amount"] = first
    others = [j for j in columns if j not in roles.values() and j not in spending]
    leaves = Counter(labels[j].rsplit("/", 1)[-1] for j in others)
    for j in others:
        leaf = labels[j].rsplit("/", 1)[-1]
        # a label that heads several columns names none of them; nor does a header word of the
        # code and name columns ("项目", "科目名称") carried over blank header cells
        if leaves[leaf] == 1 and _squash(leaf) not in HEADER_WORDS:
            roles[f"column:{leaf}"] = j
    return roles


def parse_rows(table: Table, layout: Layout) -> list[Row]:
    """Data rows with their code, name and values; a name wrapped onto a row of its own is joined back."""
    result: list[Row] = []
    for cells in _data_rows(table):
        parts = [_text(cells, j) for j in layout.codes]
        name = re.sub(r"\s+", "", _text(cells, layout.name))
        printed = " ".join(p for p in parts if p)
        m = LEADING_CODE_RE.match(name) if not printed else None
        if m:  # code printed in the name cell: "201 一般公共服务支出"
            printed, name = m.group("code"), m.group("name")
        code = normalise_code(code_from_columns(parts) if not m else printed) or ""
        values = {role: _text(cells, j) for role, j in layout.money.items()}
        has_values = any(parse_number(v) is not None for v in values.values())
        if not code and not has_values and name and result and not _is_total(name):
            result[-1].name += name  # the second line of a wrapped name
            result[-1].cells = result[-1].cells + [c for c in cells if c.text]
            continue
        result.append(Row(code, printed if code else "", name, values, cells))
    return result


def _is_total(name: str) -> bool:
    return _squash(name).startswith(TOTAL_WORDS) or _squash(name) in TOTAL_WORDS


# ---------------------------------------------------------------------------------------
# function-classified tables


def function_table(
    extraction: Extraction, table: Table, basis: str, section: str, unit: str, year: int | None
) -> None:
    layout = function_layout(table)
    if "amount" not in layout.money:
        extraction.warn("table_layout", f"{table.title}: no amount column found", table.locator)
        return
    if layout.shared:
        extraction.warn("table_layout", f"{table.title}: several amount columns headed {'、'.join(layout.shared)}: "
                        "not read", table.locator)
    for row in parse_rows(table, layout):
        if not row.code:
            if _is_total(row.name) or any(_squash(_text(row.cells, j)) in TOTAL_WORDS for j in range(len(row.cells))):
                _total_figures(extraction, row, basis, section, unit)
            elif row.name and any(parse_number(v) is not None for v in row.values.values()):
                match = resolve_function(row.name, year=year)
                _add_line(extraction, table, basis, row, match, unit)
            continue
        match = resolve_function(row.name, printed_code=row.code, year=year)
        _add_line(extraction, table, basis, row, match, unit)


def _add_line(extraction: Extraction, table: Table, basis: str, row: Row, match, unit: str) -> None:
    add_function_line(
        extraction, statement=table.title, basis=basis, printed_code=row.printed_code, raw_label=row.name,
        match=match, amount_printed=row.values.get("amount") or None, unit=unit,
        basic_printed=row.values.get("basic") or None, project_printed=row.values.get("project") or None,
        locator=row.locator, quote=row.quote,
    )


def _total_figures(extraction: Extraction, row: Row, basis: str, section: str, unit: str) -> None:
    for role, metric in TOTAL_METRICS[basis]:
        value = row.values.get(role)
        if value and parse_number(value) is not None:
            extraction.money(section=section, metric=metric, printed_value=value, printed_unit=unit,
                             locator=row.locator, quote=row.quote)
    if basis == "income":
        for role, value in row.values.items():
            if role.startswith("column:") and value and parse_number(value) is not None:
                extraction.money(section=section, metric="income_by_source", qualifier=role.split(":", 1)[1],
                                 printed_value=value, printed_unit=unit, locator=row.locator, quote=row.quote)


def _stated_zero(extraction: Extraction, document: Document, table: Table, kind: str, section: str) -> None:
    """本表无数据: the table's total is a stated zero."""
    basis = FUNCTION_BASIS.get(kind)
    metric = TOTAL_METRICS[basis][0][1] if basis else None
    note = _empty_note(document, table)
    if metric is None or not (table.is_empty or note):
        return
    extraction.money(section=section, metric=metric, printed_value="0", printed_unit=table.unit or "万元",
                     locator=table.locator, quote=note or f"{table.title}: 本表无数据")
    extraction.figures[-1].printed_value = "本表无数据"


def _empty_note(document: Document, table: Table) -> str:
    texts = [cell.text for row in table.rows for cell in row]
    page = table.locator.split("-")[0]
    texts += [line.text for line in document.lines if line.locator.split(" ")[0] == page]
    return next((t for t in texts if EMPTY_NOTE_RE.search(t)), "")


# ---------------------------------------------------------------------------------------
# summary tables


def summary_table(
    extraction: Extraction, table: Table, section: str, unit: str, year: int | None, fiscal_grant: bool
) -> None:
    """Label/amount pairs of each row (a summary table prints two or three such halves side by side)."""
    labels = column_labels(table)
    seen: dict[str, object] = {}
    for cells in _join_wrapped_labels(_data_rows(table), lambda label: _summary_label_known(label, year)):
        for label, value, column in _label_values(cells):
            key = _label_key(label)
            metric = _summary_metric(key)
            locator, quote = row_locator(cells), " | ".join(c.text for c in cells if c.text)
            if metric:
                if fiscal_grant:
                    metric = FISCAL_GRANT_METRICS.get(metric)
                if metric is None:
                    continue
                if metric in seen:
                    if seen[metric] != parse_number(value):
                        extraction.warn("table_inconsistent", f"{table.title}: {metric} printed as "
                                        f"{seen[metric]} and {value}", locator)
                    continue
                seen[metric] = parse_number(value)
                extraction.money(section=section, metric=metric, printed_value=value, printed_unit=unit,
                                 locator=locator, quote=quote)
            elif fiscal_grant:
                continue
            elif "支" not in labels[column] and not key.endswith("支出") and not SUB_ITEM_RE.match(_squash(label)):
                extraction.money(section=section, metric="income_by_source", qualifier=key, printed_value=value,
                                 printed_unit=unit, locator=locator, quote=quote)
            elif key.endswith("支出"):
                match = resolve_function(key, year=year)
                if match.level == "类":
                    add_function_line(extraction, statement=table.title, basis="all_funds", printed_code="",
                                      raw_label=key, match=match, amount_printed=value, unit=unit,
                                      locator=locator, quote=quote)
                else:  # neither a total nor a 类: said, not dropped unseen
                    extraction.warn("summary_label_not_read", f"{table.title}: {label} {value} is no 类 of the "
                                    f"支出功能分类 ({match.method}): not read", locator)


def _label_key(label: str) -> str:
    """A summary label without spaces and list numbering: "八、社会保障和就业支出" → 社会保障和就业支出."""
    return ORDINAL_RE.sub("", _squash(label))


def _summary_metric(key: str) -> str | None:
    """The total a summary label names (本年收入合计 → income_total …), if any."""
    return next((metric for pattern, metric in SUMMARY_LABELS if pattern.search(key)), None)


def _summary_label_known(label: str, year: int | None) -> bool:
    """A summary table's label names a total (当年收入小计 …) or a 支出功能分类 类 exactly (not fuzzily)."""
    key = _label_key(label)
    if _summary_metric(key):
        return True
    match = resolve_function(key, year=year)
    return match.level == "类" and match.method != "fuzzy"


def _join_wrapped_labels(rows: list[list[Cell]], known: Callable[[str], bool]) -> list[list[Cell]]:
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


def _label_values(cells: list[Cell]) -> list[tuple[str, str, int]]:
    """(label, the first number after it, its column) for each label of a row.

    The label is the text just before the number; when that is 小计 (一般公共预算资金 | 小计 |
    24169.74) it is the group's name printed before it. A row whose first cell is blank under
    a merged group name is a part of that group and gives no label.
    """
    pairs: list[tuple[str, str, int]] = []
    parts: list[str] = []
    for j, cell in enumerate(cells):
        text = cell.text.strip()
        if not text:
            continue
        if HAN_RE.search(text):
            parts.append(text)
        elif parts and parse_number(text) is not None:
            label = parts[-1]
            if _squash(label) == "小计" and len(parts) > 1:
                label = parts[-2]
            pairs.append((label, text, j))
            parts = []
    return pairs


def headline_table(extraction: Extraction, table: Table, basis: str, section: str, unit: str) -> None:
    """A 收入/支出预算总表 without codes: labelled rows (收入总计, 一般公共预算资金 | 小计 …) or one
    row of totals under 合计 | 基本支出 | 项目支出 headers."""
    labels = column_labels(table)
    total_metric = dict(TOTAL_METRICS[basis])
    seen: set[str] = set()
    for cells in _data_rows(table):
        locator, quote = row_locator(cells), " | ".join(c.text for c in cells if c.text)
        pairs = _label_values(cells)
        if pairs and not cells[0].text.strip():
            continue  # a part of the group named in the merged cell above
        for label, value, _ in pairs:
            key = _label_key(label)
            metric = _summary_metric(key)
            if key in TOTAL_WORDS:  # a bare 合计 of this table is its own total, not the 收支总计
                metric = total_metric["amount"]
            qualifier = ""
            if metric is None and basis == "income" and "支出" not in key:  # "一般公共服务支出" is no source
                metric, qualifier = "income_by_source", key
            if metric and (metric, qualifier) not in seen:
                seen.add((metric, qualifier))
                extraction.money(section=section, metric=metric, qualifier=qualifier, printed_value=value,
                                 printed_unit=unit, locator=locator, quote=quote)
        if pairs:
            continue
        for j, cell in enumerate(cells):
            leaf = labels[j].rsplit("/", 1)[-1] if j < len(labels) else ""
            role = "basic" if "基本" in leaf else "project" if "项目" in leaf else "amount" if re.search(r"合计|总计", leaf) else None
            metric = total_metric.get(role) if role else None
            if metric and parse_number(cell.text) is not None and metric not in seen:
                seen.add(metric)
                extraction.money(section=section, metric=metric, printed_value=cell.text.strip(), printed_unit=unit,
                                 locator=cell.locator or locator, quote=quote)


# ---------------------------------------------------------------------------------------
# 基本支出 by economic classification


def basic_table(extraction: Extraction, table: Table, section: str, unit: str, year: int | None = None) -> None:
    """Economic lines of every (code…, name, amount) group; 人员经费 / 公用经费 from rows or columns.

    Codes are read in the list of the fiscal ``year`` (the 2018 reform re-coded several 款), all
    lines of the table together (see ``resolve_economic_table``).
    """
    basis = "general_budget_basic" if "一般公共预算" in _squash(table.title) else "fiscal_grant_basic"
    labels = column_labels(table)
    rows = _data_rows(table)
    pending: list[EconomicRow] = []
    for codes, name, amount in _economic_groups(table, rows):
        for cells in rows:
            row = _economic_row(cells, codes, name, amount)
            stated = next((_squash(_text(cells, j)) for j in [*codes, name] if PERSONNEL_RE.match(_squash(_text(cells, j)))), "")
            if stated and not row.printed and parse_number(row.value) is not None:
                metric = "personnel_expenditure" if "人员" in stated else "public_expenditure"
                extraction.money(section=section, metric=metric, printed_value=row.value, printed_unit=unit,
                                 locator=row.locator, quote=row.quote)
                continue
            total = any(_squash(_text(cells, j)) in TOTAL_WORDS for j in [*codes, name])
            if not row.printed and total and parse_number(row.value) is not None and basis == "general_budget_basic":
                extraction.money(section=section, metric="gpb_basic_expenditure", printed_value=row.value,
                                 printed_unit=unit, locator=row.locator, quote=row.quote)
                continue
            if _is_economic_line(extraction, table, row):
                pending.append(row)
    _add_economic_lines(extraction, table, basis, pending, unit, year)
    _personnel_columns(extraction, table, rows, labels, section, unit)


@dataclass
class EconomicRow:
    """One row of an economic-classification table as printed: code, name, amount and provenance."""

    printed: str  # the code as printed ("301 2"), "" when none
    digits: str  # its digits, a dropped leading zero restored ("30102")
    label: str
    value: str
    locator: str
    quote: str


def _economic_row(cells: list[Cell], codes: list[int], name: int, amount: int) -> EconomicRow:
    parts = [p for p in (_text(cells, j) for j in codes) if re.fullmatch(r"[\d\s]+", p or "x")]
    printed, digits = " ".join(parts), re.sub(r"\D", "", code_from_columns(parts))
    label = re.sub(r"\s+", "", _text(cells, name))
    m = LEADING_CODE_RE.match(label) if not printed else None
    if m:  # the code printed in the name cell: "30201 办公费"
        printed, label = m.group("code"), m.group("name")
        digits = re.sub(r"\D", "", printed)
    quote = " | ".join(c.text for c in cells if c.text)
    return EconomicRow(printed, digits, label, _text(cells, amount), row_locator(cells), quote)


def _is_economic_line(extraction: Extraction, table: Table, row: EconomicRow) -> bool:
    """A 类 (3 digits) or 款 (5) line; another code beside an amount is said, not read."""
    if len(row.digits) in (3, 5):
        return True
    if row.digits and parse_number(row.value) is not None:
        extraction.warn("table_layout", f"{table.title}: code {row.printed!r} of {row.label!r} is no 类 (3 digits) "
                        f"or 款 (5): line {row.value} not read", row.locator)
    return False


def _add_economic_lines(
    extraction: Extraction, table: Table, basis: str, rows: list[EconomicRow], unit: str, year: int | None
) -> None:
    """The table's lines, resolved together (``resolve_economic_table``), with their warnings."""
    matches = resolve_economic_table([(row.label, row.digits) for row in rows], year)
    for row, match in zip(rows, matches):
        extraction.economic_lines.append(
            EconomicLineRow(
                document_id=extraction.document_id, line_no=len(extraction.economic_lines) + 1,
                statement=table.title, basis=basis, printed_code=row.printed, raw_label=row.label, code=match.code,
                level=match.level, official_name=match.name, match_method=match.method,
                amount=to_wan(parse_number(row.value), unit), printed_unit=unit, locator=row.locator, quote=row.quote,
            )
        )
        if match.note:
            extraction.warn("code_label_mismatch", match.note, row.locator)
        if match.code is None:
            extraction.warn("unresolved_label", f"{match.method}: {row.label!r} ({row.printed})", row.locator)


def _economic_groups(table: Table, rows: list[list[Cell]]) -> list[tuple[list[int], int, int]]:
    """(code columns, name column, amount column) per half: a two-sided table repeats the group."""
    layout = function_layout(table)
    labels = column_labels(table)
    groups: list[tuple[list[int], int, int]] = []
    names = sorted({layout.name} | {j for j in range(len(labels)) if "名称" in labels[j]} - {None})
    for index, name in enumerate(names):
        start = names[index - 1] + 1 if index else 0
        codes = [j for j in layout.codes if start <= j < name]
        end = names[index + 1] if index + 1 < len(names) else len(labels)
        amounts = [j for j in layout.money.values() if name < j < end]
        if not amounts:
            continue
        # 合计 (or the only amount) column; a 人员经费/公用经费 column split is read separately
        amount = next((j for j in amounts if re.search(r"合计|决算数|金额|预算数", labels[j])), min(amounts))
        groups.append((codes, name, amount))
    return groups


def _personnel_columns(extraction, table, rows, labels, section, unit) -> None:
    """A budget's 基本支出 table with 人员经费 / 公用经费 columns: their 合计 row gives the two figures."""
    columns = {j: label for j, label in enumerate(labels) if PERSONNEL_RE.match(label.rsplit("/", 1)[-1])}
    if not columns:
        return
    for cells in rows:
        if any(_squash(c.text) in TOTAL_WORDS for c in cells):
            for j, label in columns.items():
                value = _text(cells, j)
                if parse_number(value) is not None:
                    metric = "personnel_expenditure" if "人员" in label else "public_expenditure"
                    extraction.money(section=section, metric=metric, printed_value=value, printed_unit=unit,
                                     locator=row_locator(cells), quote=" | ".join(c.text for c in cells if c.text))
            return


# ---------------------------------------------------------------------------------------
# 三公 and 机关运行经费


def sangong_table(extraction: Extraction, table: Table, section: str, unit: str, phase: str) -> None:
    labels = column_labels(table)
    # a 合计 over 三公 and other costs (会议费, 培训费) stands beside a “三公”经费 group: it is no 三公 total
    beside = any("三公" in label.split("/")[0] for label in labels)
    read_as = Counter(sangong_column(label, phase, beside) for label in labels)
    twice = sorted(f"{metric} {measure}" for (metric, measure), n in read_as.items() if metric and n > 1)
    if twice:  # header rows lost or out of order: which column is which cannot be told
        extraction.warn("table_layout", f"{table.title}: several columns read as {', '.join(twice)}: not read",
                        table.locator)
        return
    for cells in _data_rows(table):
        if not any(parse_number(c.text) is not None for c in cells):
            continue
        locator, quote = row_locator(cells), " | ".join(c.text for c in cells if c.text)
        for j, label in enumerate(labels):
            metric, measure = sangong_column(label, phase, beside)
            if metric is None or j >= len(cells):
                continue
            printed = cells[j].text.strip()
            if printed and parse_number(printed) is None:
                continue
            # the row is the whole table: a blank cell beside printed ones is a zero
            extraction.money(section=section, metric=metric, measure=measure, printed_value=printed or "0",
                             printed_unit=unit, locator=cells[j].locator or locator, quote=quote)
            if not printed:
                extraction.figures[-1].printed_value = ""
        return  # one data row: the department's figures


def sangong_column(label: str, phase: str, beside_sangong_group: bool = False) -> tuple[str | None, str]:
    """(metric, measure) of a 三公 table column from its header path.

    ``beside_sangong_group``: the table has a top-level “三公”经费 column group, so a top-level
    合计 beside it also counts other costs.
    """
    parts = label.split("/")
    measure = "amount"
    # 预算数/决算数 is the last header row, but a header printed in another order still says it
    stated = next((part for part in reversed(parts) if "预算" in part or "决算" in part), "")
    if phase == "final" and "预算" in stated and "决算" not in stated:
        measure = "budget_amount"
    metric: str | None = None
    for depth in range(len(parts) - 1, -1, -1):
        text = parts[depth]
        if text in ("预算数", "决算数", "") or re.fullmatch(r"(?:预算|决算)数", text):
            continue
        if text in ("小计", "合计"):
            parent = next((_sangong_part(p) for p in reversed(parts[:depth]) if _sangong_part(p)), None)
            if parent in PARENT_OF_SUBTOTAL:
                metric = parent
            elif text == "合计" and depth == 0 and not beside_sangong_group:
                metric = "sangong_total"
            break
        metric = _sangong_part(text)
        if metric:
            break
        return None, measure  # 会议费, 培训费 and other columns that are no 三公 part
    return metric, measure


def _sangong_part(text: str) -> str | None:
    return next((metric for word, metric in SANGONG_PARTS if word in text), None)


def operating_cost_table(extraction: Extraction, table: Table, section: str, unit: str, year: int | None = None) -> None:
    """一般公共预算机关运行经费支出预算表: its 合计 is the 机关运行经费; its lines by economic
    classification (302 商品和服务支出, 30201 办公费 …) are economic lines of basis operating_cost."""
    rows = _data_rows(table)
    for cells in rows:
        texts = [_squash(c.text) for c in cells]
        if any(t in TOTAL_WORDS for t in texts):
            value = next((c.text for c in cells if parse_number(c.text) is not None), None)
            if value:
                extraction.money(section=section, metric="operating_cost", printed_value=value, printed_unit=unit,
                                 locator=row_locator(cells), quote=" | ".join(c.text for c in cells if c.text))
            break
    lines = [
        row
        for codes, name, amount in _economic_groups(table, rows)
        for row in (_economic_row(cells, codes, name, amount) for cells in rows)
        if row.printed and _is_economic_line(extraction, table, row)
    ]
    _add_economic_lines(extraction, table, "operating_cost", lines, unit, year)
