"""Adding one 类/款/项 line to an extraction, from a table row or a narrative item alike."""

from __future__ import annotations

from decimal import Decimal

from ingest.amounts import parse_number, to_wan
from ingest.classification import CodeMatch
from ingest.extraction import Extraction
from ingest.records import FunctionLineRow


def add_function_line(
    extraction: Extraction,
    *,
    statement: str,
    basis: str,
    printed_code: str,
    raw_label: str,
    match: CodeMatch,
    amount_printed: str | None,
    unit: str,
    locator: str,
    quote: str,
    basic_printed: str | None = None,
    project_printed: str | None = None,
    budget_printed: str | None = None,
    prior_printed: str | None = None,
    completion_printed: str | None = None,
    share_pct: Decimal | None = None,
    reason: str = "",
) -> FunctionLineRow:
    """Money columns are printed strings in ``unit``; they are stored in 万元."""

    def money(printed: str | None) -> Decimal | None:
        return to_wan(parse_number(printed), unit)

    row = FunctionLineRow(
        document_id=extraction.document_id,
        line_no=len(extraction.function_lines) + 1,
        statement=statement,
        basis=basis,
        printed_code=printed_code,
        raw_label=raw_label,
        code=match.code,
        level=match.level,
        official_name=match.name,
        match_method=match.method,
        match_score=None if match.score is None else Decimal(str(round(match.score, 1))),
        amount=money(amount_printed),
        basic_amount=money(basic_printed),
        project_amount=money(project_printed),
        budget_amount=money(budget_printed),
        prior_amount=money(prior_printed),
        completion_pct=parse_number(completion_printed),
        share_pct=share_pct,
        printed_unit=unit,
        reason=reason,
        locator=locator,
        quote=quote,
    )
    extraction.function_lines.append(row)
    if match.code is None:
        extraction.warn("unresolved_label", f"{match.method}: {raw_label!r} ({printed_code or 'no code'})", locator)
    return row
