"""From a folder of disclosures to seed CSVs: read, extract, account for every file, write.

Every file under the folder gets exactly one row in ``ingest_log``: parsed, warned (figures
kept, something to look at) or rejected (no figures, with the reason in English and
Chinese). No exception escapes for one bad file.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import Document
from ingest.extraction import Extraction
from ingest.extractors.budget_narrative import extract_budget_narrative
from ingest.extractors.identity import identify
from ingest.extractors.narrative import extract_narrative
from ingest.extractors.performance import extract_performance_tables
from ingest.extractors.tables import extract_tables
from ingest.readers import READERS
from ingest.readers.detect import detect_format, extension_mismatch
from ingest.records import IngestLogRow, SEED_RECORDS
from ingest.writers.seeds import write_seed

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 100 * 1024 * 1024  # 100 MiB: larger files are refused unread

REJECTIONS = {
    "empty": ("empty file", "空文件"),
    "binary": ("not a document: binary content of unknown kind", "不是文档：无法识别的二进制内容"),
    "zip": ("a ZIP archive that is neither .docx nor .xlsx", "压缩包，既非 .docx 也非 .xlsx"),
    "too_large": ("file larger than the 100 MiB limit", "文件超过 100 MiB 上限"),
    "no_reader": ("format {format_name} is not supported yet", "暂不支持 {format_name} 格式"),
    "unreadable": ("could not be read: {detail}", "无法读取：{detail}"),
    "template": ("a blank template, not a disclosure", "空白模板，不是公开文件"),
    "no_figures": ("no figures found in it", "未找到任何数据"),
}


@dataclass
class IngestResult:
    log: list[IngestLogRow] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)


def ingest_folder(folder: Path, seeds_dir: Path) -> IngestResult:
    result = IngestResult()
    seen: dict[str, IngestLogRow] = {}
    for path in list_files(folder):
        relative = path.relative_to(folder).as_posix()
        data = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
        digest = hashlib.sha256(data).hexdigest() if data is not None else _hash_file(path)
        if digest in seen:
            result.log.append(_duplicate(seen[digest], relative, path.stat().st_size))
            continue
        row, extraction = ingest_file(data, relative, digest, path.stat().st_size)
        seen[digest] = row
        result.log.append(row)
        if extraction is not None:
            result.extractions.append(extraction)
    write_seeds(result, seeds_dir)
    return result


def list_files(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


def ingest_file(data: bytes | None, relative: str, digest: str, size: int) -> tuple[IngestLogRow, Extraction | None]:
    if data is None:
        return _rejected(relative, digest, "unknown", size, "too_large"), None
    fmt = detect_format(data, relative)
    if fmt in ("empty", "binary", "zip"):
        return _rejected(relative, digest, fmt, size, fmt), None
    reader = READERS.get(fmt)
    if reader is None:
        return _rejected(relative, digest, fmt, size, "no_reader", format_name=fmt), None
    try:
        document = reader(data, relative)
    except Exception as error:  # a reader's failure is a rejection, never a crash
        log.debug("reader failed on %s", relative, exc_info=True)
        return _rejected(relative, digest, fmt, size, "unreadable", detail=_describe(error)), None
    mismatch = extension_mismatch(fmt, relative)
    if mismatch:
        document.warnings.append(mismatch)
    extraction = extract_document(document, digest[:16])
    return _log_row(document, extraction, digest, size), extraction


def extract_document(document: Document, document_id: str) -> Extraction:
    """Everything the extractors find in one document."""
    extraction = Extraction(document_id=document_id)
    for warning in document.warnings:
        extraction.warn("reader", warning, "document")
    extraction.identity = identify(document, document_id)
    extract_narrative(extraction, document.lines, extraction.identity.fiscal_year)
    extract_performance_tables(extraction, document.tables)
    for extractor in TABLE_EXTRACTORS:
        extractor(extraction, document)
    _check_identity(extraction)
    return extraction


# extractors of the standard tables (and the budget narrative, after the narrative): f(extraction, document) -> None
TABLE_EXTRACTORS: list = [extract_tables, extract_budget_narrative]


def _check_identity(extraction: Extraction) -> None:
    identity = extraction.identity
    for attribute, what in (("department_name", "department"), ("fiscal_year", "fiscal year"), ("phase", "phase")):
        if getattr(identity, attribute) is None:
            extraction.warn("identity_unknown", f"{what} could not be found", "document")
    if identity.department_name and identity.province is None:
        extraction.warn("identity_unknown", f"region of {identity.department_name} not found in the gazetteer", "document")


def _is_template(document_text: str, relative: str) -> bool:
    return "模板" in relative or "模板" in document_text[:200]


def _log_row(document: Document, extraction: Extraction, digest: str, size: int) -> IngestLogRow:
    row = IngestLogRow(
        source_file=document.source_file, sha256=digest, format=document.format, size_bytes=size,
        page_count=document.page_count, status="parsed", reason="", reason_zh="",
        document_id=extraction.document_id, figure_count=extraction.figure_count,
        warning_count=len(extraction.warnings),
    )
    if _is_template(document.text, document.source_file):
        row.status, (row.reason, row.reason_zh) = "rejected", REJECTIONS["template"]
    elif extraction.figure_count == 0:
        row.status, (row.reason, row.reason_zh) = "rejected", REJECTIONS["no_figures"]
    elif extraction.warnings:
        kinds = sorted({w.kind for w in extraction.warnings})
        row.status = "warned"
        row.reason = f"{len(extraction.warnings)} warnings: " + ", ".join(kinds)
        row.reason_zh = f"{len(extraction.warnings)} 条警告：" + "、".join(kinds)
    return row


def _rejected(relative: str, digest: str, fmt: str, size: int, key: str, **details) -> IngestLogRow:
    english, chinese = REJECTIONS[key]
    return IngestLogRow(
        source_file=relative, sha256=digest, format=fmt, size_bytes=size, page_count=None, status="rejected",
        reason=english.format(**details), reason_zh=chinese.format(**details), document_id=None,
        figure_count=0, warning_count=0,
    )


def _duplicate(first: IngestLogRow, relative: str, size: int) -> IngestLogRow:
    return IngestLogRow(
        source_file=relative, sha256=first.sha256, format=first.format, size_bytes=size,
        page_count=first.page_count, status=first.status,
        reason=f"duplicate of {first.source_file}; counted once", reason_zh=f"与 {first.source_file} 内容相同，只计一次",
        document_id=first.document_id, figure_count=0, warning_count=0,
    )


def _describe(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_seeds(result: IngestResult, seeds_dir: Path) -> None:
    kept = [e for e in result.extractions if _kept(result, e)]
    collected = {
        "ingest_log": result.log,
        "documents": [e.identity for e in kept],
        "figures": [f for e in kept for f in e.figures],
        "function_lines": [f for e in kept for f in e.function_lines],
        "economic_lines": [f for e in kept for f in e.economic_lines],
        "performance_projects": [f for e in kept for f in e.projects],
        "performance_indicators": [f for e in kept for f in e.indicators],
        "extraction_warnings": [w for e in result.extractions for w in e.warnings],
        "document_sections": [s for e in kept for s in e.sections],
    }
    for record_type in SEED_RECORDS:
        write_seed(seeds_dir, record_type, collected[record_type.SEED])


def _kept(result: IngestResult, extraction: Extraction) -> bool:
    return any(r.document_id == extraction.document_id and r.status != "rejected" for r in result.log)
