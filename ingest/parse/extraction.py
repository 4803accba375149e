"""The result of reading one document: identity plus every record, numbered in order found.

Extractors only add records (``money``, ``quantity``, ``reason``, ``warn`` … or appending a row
they built). A refining pass (``ingest.parse.passes.REFINEMENTS``) that settles something an
earlier record left open never edits that record: it builds the settled record and hands it to
``replace``, which puts it in the old one's place under the same number. Records are frozen
dataclasses, so an edit in place fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.parse.amounts import is_plausible_wan, parse_number, to_wan
from ingest.parse.records import (
    DocumentRow,
    DocumentSectionRow,
    EconomicLineRow,
    ExtractionWarningRow,
    FigureRow,
    FunctionLineRow,
    PerformanceIndicatorRow,
    PerformanceProjectRow,
)


@dataclass
class Extraction:
    document_id: str
    identity: DocumentRow | None = None
    figures: list[FigureRow] = field(default_factory=list)
    function_lines: list[FunctionLineRow] = field(default_factory=list)
    economic_lines: list[EconomicLineRow] = field(default_factory=list)
    projects: list[PerformanceProjectRow] = field(default_factory=list)
    indicators: list[PerformanceIndicatorRow] = field(default_factory=list)
    warnings: list[ExtractionWarningRow] = field(default_factory=list)
    sections: list[DocumentSectionRow] = field(default_factory=list)

    # -- adding records -------------------------------------------------------------
    def money(
        self,
        *,
        section: str,
        metric: str,
        printed_value: str,
        printed_unit: str,
        locator: str,
        quote: str,
        measure: str = "amount",
        qualifier: str = "",
        negative: bool = False,
        assumed_unit: str | None = None,
        shown_as: str | None = None,
    ) -> FigureRow | None:
        """A money figure, converted from its printed unit to 万元.

        ``printed_unit`` is "" when the document printed none; ``assumed_unit`` then says
        how it was read (and a warning records the assumption). ``negative`` is for a
        stated decrease ("减少56.95万元"), whose printed number has no sign. ``shown_as`` is
        what the document printed when that is not the number read (持平 for a change of 0,
        本表无数据 for a stated zero, "12 + 空" for parts summed by source of funds): it is kept
        as the figure's ``printed_value``.
        """
        value = parse_number(printed_value)
        if value is None:
            self.warn("unreadable_number", f"{metric}: cannot read {printed_value!r}", locator)
            return None
        unit = printed_unit or assumed_unit
        if unit is None:
            self.warn("unit_missing", f"{metric}: {printed_value} has no unit", locator)
            return None
        wan = to_wan(-value if negative else value, unit)
        if not is_plausible_wan(wan):
            self.implausible(metric, printed_value, unit, locator, quote)
            return None
        if not printed_unit:
            self.warn("unit_missing", f"{metric}: {printed_value} printed without a unit, read as {unit}", locator)
        shown = printed_value if shown_as is None else shown_as
        return self._add_figure(
            section, metric, qualifier, measure, wan, "万元", shown, printed_unit, "", locator, quote
        )

    def quantity(
        self,
        *,
        section: str,
        metric: str,
        printed_value: str,
        unit: str,
        locator: str,
        quote: str,
        measure: str = "count",
        qualifier: str = "",
        negative: bool = False,
    ) -> FigureRow | None:
        """A count, percentage or score, kept in its printed unit."""
        value = parse_number(printed_value)
        if value is None:
            self.warn("unreadable_number", f"{metric}: cannot read {printed_value!r}", locator)
            return None
        return self._add_figure(
            section,
            metric,
            qualifier,
            measure,
            -value if negative else value,
            unit,
            printed_value,
            unit,
            "",
            locator,
            quote,
        )

    def reason(self, *, section: str, metric: str, text: str, locator: str, quote: str, qualifier: str = "") -> None:
        """A stated reason (主要原因) for a figure or its change."""
        if text:
            self._add_figure(section, metric, qualifier, "reason", None, "text", "", "", text, locator, quote)

    def mark_section(self, kind: str, section: str, title: str, locator: str) -> None:
        """Record that a standard part (narrative section or table) is present, once per section."""
        if not any(s.kind == kind and s.section == section for s in self.sections):
            self.sections.append(
                DocumentSectionRow(self.document_id, len(self.sections) + 1, kind, section, title, locator)
            )

    def implausible(self, what: str, printed_value: str, unit: str, locator: str, quote: str) -> None:
        """An "amount" no budget can hold (digits of codes run together): a warning with its quote, never a figure."""
        self.warn(
            "implausible_amount",
            f"{what}: {printed_value} {unit} cannot be a budget amount, not read (quote: {quote[:120]})",
            locator,
        )

    def warn(self, kind: str, message: str, locator: str) -> None:
        self.warnings.append(ExtractionWarningRow(self.document_id, len(self.warnings) + 1, kind, message, locator))

    # -- refining ---------------------------------------------------------------------
    def replace(self, old, new) -> None:
        """``new`` in the place of ``old``, a record an extractor added: the one way a refining
        pass changes what was found. Same kind of record, same number (``figure_no``, ``line_no`` …),
        so the seeds keep their order and every reference to the number still holds."""
        name, number = _NUMBERED[type(old)]
        records = getattr(self, name)
        index = getattr(old, number) - 1
        if not (0 <= index < len(records) and records[index] is old):
            raise ValueError(f"{type(old).__name__} {number} {getattr(old, number)} is not this extraction's")
        if type(new) is not type(old) or getattr(new, number) != getattr(old, number):
            raise ValueError(f"a {type(old).__name__} is replaced by one of the same kind and number")
        records[index] = new

    def _add_figure(
        self, section, metric, qualifier, measure, value, unit, printed_value, printed_unit, text, locator, quote
    ) -> FigureRow:
        row = FigureRow(
            document_id=self.document_id,
            figure_no=len(self.figures) + 1,
            section=section,
            metric=metric,
            qualifier=qualifier,
            measure=measure,
            value=value,
            unit=unit,
            printed_value=printed_value,
            printed_unit=printed_unit,
            text=text,
            locator=locator,
            quote=quote,
        )
        self.figures.append(row)
        return row

    # -- summaries ------------------------------------------------------------------
    @property
    def figure_count(self) -> int:
        return (
            sum(1 for f in self.figures if f.value is not None)
            + len(self.function_lines)
            + len(self.economic_lines)
            + len(self.projects)
            + len(self.indicators)
        )

    def find(self, metric: str, measure: str = "amount", qualifier: str = "") -> Decimal | None:
        """First value stated for a metric (used by tests and cross-checks)."""
        for f in self.figures:
            if f.metric == metric and f.measure == measure and f.qualifier == qualifier:
                return f.value
        return None


# record type → (its list in an Extraction, its number field), for the records numbered by their
# place in the list (a performance indicator is numbered within its project: never replaced)
_NUMBERED = {
    FigureRow: ("figures", "figure_no"),
    FunctionLineRow: ("function_lines", "line_no"),
    EconomicLineRow: ("economic_lines", "line_no"),
    PerformanceProjectRow: ("projects", "project_no"),
    ExtractionWarningRow: ("warnings", "warning_no"),
    DocumentSectionRow: ("sections", "section_no"),
}
