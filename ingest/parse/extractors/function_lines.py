"""Adding one 类/款/项 line to an extraction, from a table row or a narrative item alike, and
(a refining pass) giving a narrative line no name resolves the code of its document's equal table line."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ingest.parse.amounts import is_plausible_wan, parse_number, to_wan
from ingest.parse.classification import CodeMatch, resolve_from_table_lines
from ingest.parse.document import Document
from ingest.parse.extraction import Extraction
from ingest.parse.records import FunctionLineRow


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
) -> FunctionLineRow | None:
    """Money columns are printed strings in ``unit``; they are stored in 万元.

    A line without a readable amount, or with one no budget can hold, is not added: a warning
    with its quote says so (the build never fails on one document's line).
    """

    def money(printed: str | None) -> Decimal | None:
        return to_wan(parse_number(printed), unit)

    amount = money(amount_printed)
    if amount is None:
        extraction.warn(
            "line_without_amount",
            f"{printed_code or ''} {raw_label!r}: no amount read (quote: {quote[:120]})".strip(),
            locator,
        )
        return None
    if not all(
        is_plausible_wan(money(p))
        for p in (amount_printed, basic_printed, project_printed, budget_printed, prior_printed)
    ):
        extraction.implausible(f"{printed_code} {raw_label}".strip(), amount_printed or "", unit, locator, quote)
        return None

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
        amount=amount,
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
    if match.note:
        extraction.warn("code_label_mismatch", match.note, locator)
    if match.is_local_item:
        extraction.warn(
            "local_item",
            f"{raw_label!r} ({printed_code}): a local item, counted under its official parent {match.parent_code}",
            locator,
        )
    elif match.code is None:
        extraction.warn("unresolved_label", f"{match.method}: {raw_label!r} ({printed_code or 'no code'})", locator)
    return row


def resolve_narrative_from_tables(extraction: Extraction, document: Document | None = None) -> None:
    """Refining: narrative lines without a code take the code of the one equal table line of their document.

    A narrative may call a 项 by a name of its own ("机关事业单位退休人员活动费支出（项）" for
    the 0.88 万元 its 一般公共预算财政拨款支出决算表 prints as 2080599) or repeat the 类 name
    as 款; the tables of the same document and basis (and so the same phase) settle it when
    exactly one line under the path's resolved 类/款 has the same amount
    (``classification.resolve_from_table_lines``). The line is replaced by the resolved one, and
    its unresolved_label warning by a ``label_from_table`` warning naming the table line used
    (``Extraction.replace``; a new warning when there was none).
    """
    year = extraction.identity.fiscal_year if extraction.identity else None
    tables = [line for line in extraction.function_lines if line.statement != "narrative" and line.code]
    for line in list(extraction.function_lines):
        if line.statement != "narrative" or line.code is not None:
            continue
        same_basis = [table_line for table_line in tables if table_line.basis == line.basis]
        match, index = resolve_from_table_lines(
            line.raw_label, line.amount, [(t.code, t.amount) for t in same_basis], year
        )
        if match.code is None or index is None:
            continue
        source = same_basis[index]
        extraction.replace(
            line,
            replace(
                line,
                code=match.code,
                level=match.level,
                official_name=match.name,
                match_method=match.method,
                match_score=None,
            ),
        )
        message = (
            f"{line.raw_label!r} ({line.match_method} by name) is {match.code} {match.name}: the only "
            f"{match.level} line of that amount under its path in {source.statement} "
            f"(line {source.line_no}, {source.locator}: {source.printed_code} {source.raw_label})"
        )
        warning = next(
            (
                w
                for w in extraction.warnings
                if w.kind == "unresolved_label" and w.locator == line.locator and repr(line.raw_label) in w.message
            ),
            None,
        )
        if warning is None:
            extraction.warn("label_from_table", message, line.locator)
        else:
            extraction.replace(warning, replace(warning, kind="label_from_table", message=message))
