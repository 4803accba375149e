"""Typed records the extractors return; each dataclass is one row of one seed CSV.

Records are frozen: a pass that settles an earlier record replaces it whole
(``Extraction.replace``), never edits it. The ingest log row, which the run fills in as it
accounts for a file, is the one record that is not.

The field order of each dataclass is the column order of its seed (``seeds/<SEED>.csv``).
Money is ``Decimal`` in 万元 (converted from the printed unit, which is kept beside it);
codes are strings. Every record carries ``document_id`` and a ``locator`` so that any
figure in the warehouse can be traced to the file and the line, page or cell it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.parse.frozen import frozen


@dataclass
class IngestLogRow:
    """One row per input file: what happened to it (seed ``ingest_log``)."""

    SEED = "ingest_log"
    source_file: str
    sha256: str
    format: str
    size_bytes: int
    page_count: int | None
    status: str  # parsed | warned | rejected
    reason: str  # English, empty when parsed
    reason_zh: str  # the same in Chinese
    document_id: str | None
    figure_count: int
    warning_count: int


@frozen
class DocumentRow:
    """Identity of one parsed document (seed ``documents``)."""

    SEED = "documents"
    document_id: str
    source_file: str
    department_id: str | None
    department_name: str | None  # full name as printed, region prefix included, qualifier (（本级）…) apart
    department_short_name: str | None  # without the region prefix, e.g. 社会保险事业管理局
    parent_department: str | None  # e.g. 区人社局 where the document says so
    province: str | None
    city: str | None
    county: str | None
    adcode: str | None
    admin_level: str | None  # central | province | city | county
    fiscal_year: int | None
    phase: str | None  # final (决算) | budget (预算)
    scope: str | None  # department (部门) | unit (单位)
    printed_unit: str | None  # dominant money unit of the document: 万元 | 元
    identity_locator: str
    identity_quote: str
    # consolidated (（汇总）, or a sentence 本部门预算为汇总预算: with its units) | own_level (（本级）,
    # 本级, 机关: the department's own organ) | "" (the document does not say); two documents of one
    # department-year that differ here are two disclosures (int_documents.disclosure_id)
    consolidation: str = ""
    name_as_printed: str | None = None  # the name with its qualifier as printed, e.g. 无锡市教育局（本级）
    # where fiscal_year, phase and scope were read (the cover title, a table title, 'file name');
    # identity_locator/identity_quote say where the name was read
    year_phase_locator: str = ""
    year_phase_quote: str = ""
    # where consolidation was read: the name's qualifier, or a sentence such as 本部门预算为汇总预算
    consolidation_locator: str = ""
    consolidation_quote: str = ""
    # the department the document's disclosure belongs to: department_id, or unknown:<document_id>
    # when the department could not be identified (so such documents are never merged). Written
    # here, once, and read by dbt (int_documents) and by the delta build (ingest/warehouse/delta.py).
    disclosure_department_id: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "disclosure_department_id", disclosure_department_id(self.department_id, self.document_id)
        )


def disclosure_department_id(department_id: str | None, document_id: str) -> str:
    """The department key of a disclosure: the identified department, else the document alone."""
    return department_id or f"unknown:{document_id}"


@frozen
class FigureRow:
    """One scalar figure stated in a document (seed ``figures``).

    ``metric`` names what is measured (see ``ingest/metrics.py``), ``qualifier``
    narrows it (e.g. 行政编制 for staff_authorized, 轿车 for vehicles_held),
    ``measure`` says which number about it this is: amount, prior_amount,
    change_amount, change_pct, share_pct, budget_amount, completion_pct, count,
    score, reason (text only).
    """

    SEED = "figures"
    document_id: str
    figure_no: int
    section: str
    metric: str
    qualifier: str
    measure: str
    value: Decimal | None  # 万元 for money, percent for *_pct, plain count otherwise
    unit: str  # 万元 | % | 人 | 辆 | 个 | 次 | 人次 | 台（套） | 分 | text
    printed_value: str
    printed_unit: str
    text: str  # stated reason or other text, when measure = reason
    locator: str
    quote: str


@frozen
class FunctionLineRow:
    """One 类/款/项 line of a function-classified statement (seed ``function_lines``).

    basis: general_budget (一般公共预算财政拨款), all_funds (支出决算表 / 部门支出总表),
    income (收入决算表), government_fund (政府性基金), state_capital (国有资本经营).
    """

    SEED = "function_lines"
    document_id: str
    line_no: int
    statement: str  # the table title as printed, or "narrative"
    basis: str
    printed_code: str
    raw_label: str
    code: str | None
    level: str | None
    official_name: str | None
    match_method: str
    match_score: Decimal | None
    amount: Decimal | None
    basic_amount: Decimal | None
    project_amount: Decimal | None
    budget_amount: Decimal | None
    prior_amount: Decimal | None
    completion_pct: Decimal | None
    share_pct: Decimal | None
    printed_unit: str
    reason: str
    locator: str
    quote: str


@frozen
class EconomicLineRow:
    """One line of a table by economic classification, e.g. 基本支出决算表 (seed ``economic_lines``)."""

    SEED = "economic_lines"
    document_id: str
    line_no: int
    statement: str
    basis: str  # general_budget_basic (一般公共预算财政拨款基本支出) | ...
    printed_code: str
    raw_label: str
    code: str | None
    level: str | None
    official_name: str | None
    match_method: str
    amount: Decimal | None
    printed_unit: str
    locator: str
    quote: str


@frozen
class PerformanceProjectRow:
    """One 项目支出绩效自评表 (seed ``performance_projects``)."""

    SEED = "performance_projects"
    document_id: str
    project_no: int
    project_code: str
    project_name: str
    competent_department: str  # 主管部门
    implementing_unit: str  # 实施单位
    initial_budget: Decimal | None  # 年初预算
    adjusted_budget: Decimal | None  # 调整后预算
    executed: Decimal | None  # 预算执行数
    execution_rate: Decimal | None  # 预算执行率, percent as printed
    weight: Decimal | None
    budget_score: Decimal | None  # 预算执行情况得分
    self_score: Decimal | None  # 合计得分
    printed_unit: str
    locator: str
    quote: str


@frozen
class PerformanceIndicatorRow:
    """One indicator row of a 绩效自评表 (seed ``performance_indicators``)."""

    SEED = "performance_indicators"
    document_id: str
    project_no: int
    indicator_no: int
    level1: str  # 一级指标, e.g. 产出指标
    level2: str  # 二级指标, e.g. 数量指标
    level3: str  # 三级指标 (the indicator itself)
    operator: str  # ＝ ≥ ≤ 定性 ...
    target: str  # 指标值 as printed
    unit: str  # 度量单位
    actual: str  # 完成值
    weight: Decimal | None
    score: Decimal | None
    locator: str


@frozen
class ExtractionWarningRow:
    """Something an extractor noticed and could not settle (seed ``extraction_warnings``)."""

    SEED = "extraction_warnings"
    document_id: str
    warning_no: int
    kind: str
    message: str
    locator: str


@frozen
class DocumentSectionRow:
    """A standard part found in a document: a narrative section or a standard table (seed ``document_sections``).

    kind: narrative | table. section: the standard part's id (e.g. sangong, income for narrative;
    income_statement, general_budget_expenditure for tables). title: the heading or table title as printed.
    """

    SEED = "document_sections"
    document_id: str
    section_no: int
    kind: str
    section: str
    title: str
    locator: str


SEED_RECORDS = (
    IngestLogRow,
    DocumentRow,
    FigureRow,
    FunctionLineRow,
    EconomicLineRow,
    PerformanceProjectRow,
    PerformanceIndicatorRow,
    ExtractionWarningRow,
    DocumentSectionRow,
)
