"""One file, start to end: its bytes → its ``ingest_log`` row, its records, and the seed rows it adds.

Every file gets exactly one ``ingest_log`` row: parsed, warned (figures kept, something to look
at) or rejected (no figures, with the reason in English and Chinese). No exception escapes for
one bad file: a reader's or an extractor's failure is a rejection with its reason.

What this module returns for a file is what the ingest cache keeps (``ingest.run.cache``), so it
is parsing: it depends on the file's bytes and path, this package and the reference seeds only.
"""

from __future__ import annotations

import logging

from ingest.parse.document import Document
from ingest.parse.extraction import Extraction
from ingest.parse.passes import extract_document
from ingest.parse.readers import READERS
from ingest.parse.readers.detect import detect_format, extension_mismatch
from ingest.parse.records import IngestLogRow
from ingest.parse.seed_rows import render_rows

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
    "extraction_failed": ("read, but extracting its figures failed: {detail}", "已读取，但提取数据失败：{detail}"),
    "timeout": ("reading took longer than the {limit} s limit per file", "读取超过每个文件 {limit} 秒的时限"),
    "workers_died": (
        "the worker process reading it died {deaths} times (a crash or out of memory); not tried again",
        "读取它的工作进程意外退出 {deaths} 次（崩溃或内存不足），不再重试",
    ),
}


# the rejections that say our code raised on a file (its reader's or an extractor's exception), not
# what the file is
CODE_FAILURES = ("unreadable", "extraction_failed")


def failed_in_code(row: IngestLogRow) -> bool:
    """True when ``row`` rejects its file because a reader or an extractor raised."""
    return row.status == "rejected" and any(
        row.reason.startswith(REJECTIONS[key][0].split("{")[0]) for key in CODE_FAILURES
    )


def ingest_file(data: bytes | None, relative: str, digest: str, size: int) -> tuple[IngestLogRow, Extraction | None]:
    if data is None:
        return rejected(relative, digest, "unknown", size, "too_large"), None
    fmt = detect_format(data, relative)
    if fmt in ("empty", "binary", "zip"):
        return rejected(relative, digest, fmt, size, fmt), None
    reader = READERS.get(fmt)
    if reader is None:
        return rejected(relative, digest, fmt, size, "no_reader", format_name=fmt), None
    try:
        document = reader(data, relative)
    except Exception as error:  # a reader's failure is a rejection, never a crash
        log.debug("reader failed on %s", relative, exc_info=True)
        return rejected(relative, digest, fmt, size, "unreadable", detail=_describe(error)), None
    mismatch = extension_mismatch(fmt, relative)
    if mismatch:
        document.warnings.append(mismatch)
    try:
        extraction = extract_document(document, digest[:16])
    except Exception as error:  # an extractor's bug rejects this file (no partial figures), never the run
        log.warning("extraction failed on %s", relative, exc_info=True)
        return rejected(relative, digest, fmt, size, "extraction_failed", detail=_describe(error)), None
    return _log_row(document, extraction, digest, size), extraction


def _is_template(document_text: str, relative: str) -> bool:
    return "模板" in relative or "模板" in document_text[:200]


def _text_start(document: Document, length: int) -> str:
    """``document.text[:length]``, joined from only the lines it needs (not the whole document)."""
    texts, joined = [], 0
    for line in document.lines:
        texts.append(line.text)
        joined += len(line.text) + 1  # with the line break after it
        if joined > length:  # the lines so far, joined, are at least ``length`` long
            break
    return "\n".join(texts)[:length]


def _log_row(document: Document, extraction: Extraction, digest: str, size: int) -> IngestLogRow:
    row = IngestLogRow(
        source_file=document.source_file,
        sha256=digest,
        format=document.format,
        size_bytes=size,
        page_count=document.page_count,
        status="parsed",
        reason="",
        reason_zh="",
        document_id=extraction.document_id,
        figure_count=extraction.figure_count,
        warning_count=len(extraction.warnings),
    )
    if _is_template(_text_start(document, 200), document.source_file):
        row.status, (row.reason, row.reason_zh) = "rejected", REJECTIONS["template"]
    elif extraction.figure_count == 0:
        row.status, (row.reason, row.reason_zh) = "rejected", REJECTIONS["no_figures"]
    elif extraction.warnings:
        kinds = sorted({w.kind for w in extraction.warnings})
        row.status = "warned"
        row.reason = f"{len(extraction.warnings)} warnings: " + ", ".join(kinds)
        row.reason_zh = f"{len(extraction.warnings)} 条警告：" + "、".join(kinds)
    return row


def rejected(relative: str, digest: str, fmt: str, size: int, key: str, **details) -> IngestLogRow:
    english, chinese = REJECTIONS[key]
    return IngestLogRow(
        source_file=relative,
        sha256=digest,
        format=fmt,
        size_bytes=size,
        page_count=None,
        status="rejected",
        reason=english.format(**details),
        reason_zh=chinese.format(**details),
        document_id=None,
        figure_count=0,
        warning_count=0,
    )


def _describe(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def seed_fragments(row: IngestLogRow, extraction: Extraction | None) -> dict[str, bytes]:
    """The CSV rows this file adds to each seed, UTF-8 encoded (not ``ingest_log``, written by the merge)."""
    if extraction is None:
        return {}
    fragments = {"extraction_warnings": render_rows(extraction.warnings)}
    if row.status != "rejected":
        fragments.update(
            documents=render_rows([extraction.identity]),
            figures=render_rows(extraction.figures),
            function_lines=render_rows(extraction.function_lines),
            economic_lines=render_rows(extraction.economic_lines),
            performance_projects=render_rows(extraction.projects),
            performance_indicators=render_rows(extraction.indicators),
            document_sections=render_rows(extraction.sections),
        )
    return {seed: text.encode("utf-8") for seed, text in fragments.items() if text}
