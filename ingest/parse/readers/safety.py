"""Guards run on a .docx or .xlsx before any library opens it: ZIP bombs and hostile XML.

An Office file is a ZIP of XML parts. Before python-docx or calamine sees one:

- the ZIP's *declared* sizes are checked, nothing is decompressed yet: at most
  ``MAX_PARTS`` parts, ``MAX_PART_BYTES`` (128 MiB) for one part, ``MAX_TOTAL_BYTES``
  (256 MiB) for all of them, and a compression ratio of at most ``MAX_RATIO`` (100:1) for
  any part over 1 MiB. Real disclosures compress 5–20:1; a ZIP bomb compresses 1000:1 and
  more. Python's ``zipfile`` never inflates a part past its declared size, and a part whose
  data disagrees with its declaration fails its CRC check, so a lying header is caught too;
- every XML part (``*.xml``, ``*.rels``) is parsed once by a locked-down lxml parser (no
  entity substitution, no DTD loading, no network, no huge-tree mode). A part that carries a
  document type declaration is refused: Office never writes one, and it is how XML external
  entity (XXE) and entity-expansion ("billion laughs") payloads arrive. Entities are never
  expanded, only their declaration is seen.

Failures raise :class:`UnsafeDocument` or :class:`DamagedDocument` with a reason a person can
act on; the pipeline logs the file as rejected with that reason.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

MAX_PARTS = 5_000
MAX_PART_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024  # small parts may compress very well (blank styles); not a threat


class UnsafeDocument(ValueError):
    """The file looks built to attack a reader (ZIP bomb, XXE, entity expansion)."""


class DamagedDocument(ValueError):
    """The file is truncated or corrupt."""


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def open_office_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The checked archive of a .docx/.xlsx; raises when it is damaged, a bomb or hostile XML."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError) as error:  # NotImplementedError: "zip file version 23.5"
        raise DamagedDocument(f"truncated or damaged .{kind}: not a readable ZIP archive ({error})") from None
    parts = archive.infolist()
    _check_sizes(parts, kind)
    for info in parts:
        if info.filename.lower().endswith((".xml", ".rels")):
            check_xml(_read_part(archive, info, kind), info.filename)
    return archive


def _check_sizes(parts: list[zipfile.ZipInfo], kind: str) -> None:
    if len(parts) > MAX_PARTS:
        raise UnsafeDocument(f"ZIP bomb refused: .{kind} has {len(parts)} parts (limit {MAX_PARTS})")
    total = sum(info.file_size for info in parts)
    if total > MAX_TOTAL_BYTES:
        raise UnsafeDocument(
            f"ZIP bomb refused: .{kind} declares {total // 2**20} MiB uncompressed (limit {MAX_TOTAL_BYTES // 2**20} MiB)"
        )
    for info in parts:
        if info.file_size > MAX_PART_BYTES:
            raise UnsafeDocument(
                f"ZIP bomb refused: part {info.filename} declares {info.file_size // 2**20} MiB uncompressed "
                f"(limit {MAX_PART_BYTES // 2**20} MiB)"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise UnsafeDocument(
                f"ZIP bomb refused: part {info.filename} compresses {ratio:,.0f}:1 (limit {MAX_RATIO}:1)"
            )


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> bytes:
    try:
        with archive.open(info) as stream:
            return stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        raise DamagedDocument(f"truncated or damaged .{kind}: part {info.filename} cannot be read ({error})") from None


def check_xml(body: bytes, part: str) -> etree._Element:
    """Parse one XML part safely; refuse any document type or entity declaration."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise UnsafeDocument(_refusal(part))
    try:
        root = etree.fromstring(body, _safe_parser())
    except etree.XMLSyntaxError as error:
        if "entit" in str(error).lower():
            raise UnsafeDocument(_refusal(part)) from None
        raise DamagedDocument(f"malformed XML in part {part}: {error}") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.system_url or info.public_id:
        raise UnsafeDocument(_refusal(part))  # declared in an encoding the byte check cannot see (UTF-16)
    return root


def _refusal(part: str) -> str:
    return (
        f"XML part {part} declares a DTD or entities (<!DOCTYPE>/<!ENTITY>): refused, never expanded "
        "(XML external entity or entity-expansion attack)"
    )
