"""Which format a file is, from its first bytes (the extension only breaks ties and warns)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

EXTENSION_FORMATS = {
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".doc": "doc",
    ".xls": "xls",
}


def detect_format(data: bytes, name: str) -> str:
    """One of pdf, docx, xlsx, zip, doc_or_xls, html, text, binary, empty."""
    if not data.strip():
        return "empty"
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc" if name.lower().endswith(".doc") else "xls"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "html"
    if b"\x00" in data[:4096]:
        return "binary"
    return "text"


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, NotImplementedError):
        # a ZIP cut short (no central directory), or whose directory is damaged into asking for a
        # ZIP version or feature that does not exist: named .docx/.xlsx, its reader says it is damaged
        suffix = PurePosixPath(name).suffix.lower()
        return EXTENSION_FORMATS[suffix] if suffix in (".docx", ".xlsx") else "binary"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def extension_mismatch(detected: str, name: str) -> str | None:
    expected = EXTENSION_FORMATS.get(PurePosixPath(name).suffix.lower())
    if expected and expected != detected and detected not in ("empty", "binary"):
        return f"extension says {expected}, content is {detected}"
    return None
