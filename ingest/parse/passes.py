"""The passes over one document, in their declared order: extractors, then refining passes, then checks.

Every pass is ``f(extraction, document) -> None`` and runs once per document, in the order of
the tuples below; ``extract_document`` runs them and nothing else decides the order.

- ``EXTRACTORS`` read the document and only *add* records (figures, lines, warnings …). Each
  may read what an earlier one added (the narrative reads the identity's fiscal year), never
  change it.
- ``REFINEMENTS`` settle what the extractors left open once the whole document has been read
  (a narrative's phase-dependent measure, a narrative label only the tables can resolve). A
  refinement never edits a record: it builds the settled one and hands it to
  ``Extraction.replace``, which keeps the record's number (and so the seeds' order).
- ``CHECKS`` read the finished extraction and add warnings.

The order matters where a pass numbers what it adds (function lines of a budget's narrative
items come after the tables' lines) or reads another's result; a new pass goes where its
docstring says what it reads.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.parse.document import Document
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.budget_narrative import budget_amounts_as_amounts, extract_budget_items
from ingest.parse.extractors.function_lines import resolve_narrative_from_tables
from ingest.parse.extractors.identity import identify
from ingest.parse.extractors.narrative import extract_narrative
from ingest.parse.extractors.performance import extract_performance_tables
from ingest.parse.extractors.tables import extract_tables

Pass = Callable[[Extraction, Document], None]


def reader_warnings(extraction: Extraction, document: Document) -> None:
    """What the reader noticed (a damaged table, a file named as another format) as warnings."""
    for warning in document.warnings:
        extraction.warn("reader", warning, "document")


def identity(extraction: Extraction, document: Document) -> None:
    """Department, region, year, phase and scope (``extractors/identity.py``)."""
    extraction.identity = identify(document, extraction.document_id, warn=extraction.warn)


def narrative(extraction: Extraction, document: Document) -> None:
    """The running text's sections and their figures (``extractors/narrative.py``); needs the year."""
    extract_narrative(extraction, document.lines, extraction.identity.fiscal_year)


def performance_tables(extraction: Extraction, document: Document) -> None:
    """绩效自评表: projects and their indicators (``extractors/performance.py``)."""
    extract_performance_tables(extraction, document.tables)


def identity_complete(extraction: Extraction, document: Document) -> None:
    """A department, fiscal year or phase that could not be found, and a region missing from the
    gazetteer, are warnings."""
    found = extraction.identity
    for attribute, what in (("department_name", "department"), ("fiscal_year", "fiscal year"), ("phase", "phase")):
        if getattr(found, attribute) is None:
            extraction.warn("identity_unknown", f"{what} could not be found", "document")
    if found.department_name and found.province is None and found.admin_level != "central":
        extraction.warn("identity_unknown", f"region of {found.department_name} not found in the gazetteer", "document")


EXTRACTORS: tuple[tuple[str, Pass], ...] = (
    ("reader_warnings", reader_warnings),
    ("identity", identity),
    ("narrative", narrative),
    ("performance_tables", performance_tables),
    ("tables", extract_tables),  # the standard tables, by the kind their title names (vocabulary)
    ("budget_items", extract_budget_items),  # a budget's narrative items, numbered after the tables' lines
)

REFINEMENTS: tuple[tuple[str, Pass], ...] = (
    ("budget_amounts_as_amounts", budget_amounts_as_amounts),  # a budget's narrative budget_amount is its amount
    ("narrative_codes_from_tables", resolve_narrative_from_tables),  # an unresolved narrative label: its table line
)

CHECKS: tuple[tuple[str, Pass], ...] = (("identity_complete", identity_complete),)


def extract_document(document: Document, document_id: str) -> Extraction:
    """Everything the passes find in one document."""
    extraction = Extraction(document_id=document_id)
    for _name, run in EXTRACTORS + REFINEMENTS + CHECKS:
        run(extraction, document)
    return extraction
