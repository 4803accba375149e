"""项目支出绩效自评表: one project per table (or per "项目名称" row), read by its headers.

The indicator block is read by the positions of its header cells (一级指标 … 得分), so
a row that leaves 一级/二级指标 blank inherits them from the row above, as the merged cells
of the original table mean.
"""

from __future__ import annotations

import re

from ingest.parse.amounts import parse_number, to_wan
from ingest.parse.document import Cell, Table
from ingest.parse.extraction import Extraction
from ingest.parse.records import PerformanceIndicatorRow, PerformanceProjectRow

INDICATOR_HEADERS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "operator": "指标性质",
    "target": "指标值",
    "unit": "度量单位",
    "actual": "完成值",
    "weight": "权重",
    "score": "得分",
}
PROJECT_CODE_RE = re.compile(r"^\s*(?P<code>[0-9A-Za-z]{10,})\s*[-－—_]\s*(?P<name>.+)$")


def is_performance_table(table: Table) -> bool:
    texts = {cell.text for row in table.rows for cell in row}
    return "项目名称" in texts and any("一级指标" in t for t in texts)


def extract_performance_tables(extraction: Extraction, tables: list[Table]) -> None:
    for table in tables:
        if is_performance_table(table):
            for rows in _split_projects(table.rows):
                _extract_project(extraction, rows)


def _split_projects(rows: list[list[Cell]]) -> list[list[list[Cell]]]:
    projects: list[list[list[Cell]]] = []
    for row in rows:
        if _texts(row)[:1] == ["项目名称"]:
            projects.append([])
        if projects:
            projects[-1].append(row)
    return projects


def _texts(row: list[Cell]) -> list[str]:
    return [cell.text for cell in row if cell.text]


def _value_after(rows: list[list[Cell]], label: str) -> tuple[str, str]:
    label = label.replace(" ", "")
    for row in rows:
        texts = [cell.text for cell in row]
        for i, text in enumerate(texts):
            if text.replace(" ", "").startswith(label):
                rest = [cell for cell in row[i + 1 :] if cell.text]
                return (rest[0].text, rest[0].locator) if rest else ("", row[i].locator)
    return "", ""


def _extract_project(extraction: Extraction, rows: list[list[Cell]]) -> None:
    title, locator = _value_after(rows, "项目名称")
    m = PROJECT_CODE_RE.match(title)
    code, name = (m.group("code"), m.group("name").strip()) if m else ("", title.strip())
    competent, _ = _value_after(rows, "主管部门")
    implementing, _ = _value_after(rows, "实施单位")
    budget = _budget_row(rows)
    unit = "万元"
    project_no = len(extraction.projects) + 1
    _total_weight, total_score = _total_row(rows)
    extraction.projects.append(
        PerformanceProjectRow(
            document_id=extraction.document_id,
            project_no=project_no,
            project_code=code,
            project_name=name,
            competent_department=competent,
            implementing_unit=implementing,
            initial_budget=to_wan(parse_number(budget[0]), unit),
            adjusted_budget=to_wan(parse_number(budget[1]), unit),
            executed=to_wan(parse_number(budget[2]), unit),
            execution_rate=parse_number(budget[3]),
            weight=parse_number(budget[4]),
            budget_score=parse_number(budget[5]),
            self_score=total_score,
            printed_unit=unit,
            locator=locator,
            quote=title,
        )
    )
    _extract_indicators(extraction, rows, project_no)


def _budget_row(rows: list[list[Cell]]) -> list[str]:
    """年初预算, 调整后预算, 执行数, 执行率, 权重, 得分 of the 总额 row."""
    for row in rows:
        texts = [cell.text for cell in row]
        if "总额" in texts:
            values = texts[texts.index("总额") + 1 :]
            return (values + [""] * 6)[:6]
    return [""] * 6


def _total_row(rows: list[list[Cell]]):
    for row in rows:
        texts = _texts(row)
        if texts[:1] == ["合计"] and len(texts) >= 3:
            return parse_number(texts[1]), parse_number(texts[2])
    return None, None


def _extract_indicators(extraction: Extraction, rows: list[list[Cell]], project_no: int) -> None:
    header_index = next((i for i, row in enumerate(rows) if any(c.text == "一级指标" for c in row)), None)
    if header_index is None:
        return
    positions = {key: _position(rows[header_index], label) for key, label in INDICATOR_HEADERS.items()}
    inherited = {"level1": "", "level2": ""}
    # indicators are numbered within their project (counted once, then as they are added)
    indicator_no = sum(1 for r in extraction.indicators if r.project_no == project_no)
    for row in rows[header_index + 1 :]:
        texts = [cell.text for cell in row]
        if _texts(row)[:1] == ["合计"] or not any(texts):
            break
        cell = {key: (texts[pos] if pos is not None and pos < len(texts) else "") for key, pos in positions.items()}
        for level in ("level1", "level2"):
            cell[level] = cell[level] or inherited[level]
            inherited[level] = cell[level]
        if not cell["level3"]:
            continue
        indicator_no += 1
        extraction.indicators.append(
            PerformanceIndicatorRow(
                document_id=extraction.document_id,
                project_no=project_no,
                indicator_no=indicator_no,
                level1=cell["level1"],
                level2=cell["level2"],
                level3=cell["level3"],
                operator=cell["operator"],
                target=cell["target"],
                unit=cell["unit"],
                actual=cell["actual"],
                weight=parse_number(cell["weight"]),
                score=parse_number(cell["score"]),
                locator=row[0].locator,
            )
        )


def _position(row: list[Cell], label: str) -> int | None:
    for i, cell in enumerate(row):
        if cell.text == label:
            return i
    return None
