"""Hostile or broken files of the new formats are rejected with a clear reason, never a traceback."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile

import pytest

from ingest.parse.readers import libreoffice
from ingest.parse.readers.libreoffice import read_doc
from ingest.parse.readers.safety import MAX_RATIO, MAX_TOTAL_BYTES
from tests.formats.make_fixtures import SHANGHAI_FINAL

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ingest(data: bytes, name: str):
    from ingest.parse.outcome import ingest_file

    return ingest_file(data, name, hashlib.sha256(data).hexdigest(), len(data))


@pytest.fixture(scope="module")
def docx_bytes(renderings) -> bytes:
    return renderings["docx"].read_bytes()


def _with_part(data: bytes, part: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, body if info.filename == part else source.read(info.filename))
    return out.getvalue()


def _with_dtd(data: bytes, dtd: bytes, reference: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    end = xml.index(b"?>") + 2
    hostile = xml[:end] + dtd + xml[end:].replace(b"<w:t>", b"<w:t>" + reference, 1)
    return _with_part(data, "word/document.xml", hostile)


def _assert_rejected(row, *words):
    assert row.status == "rejected" and row.figure_count == 0
    for word in words:
        assert word in row.reason, row.reason
    assert "Traceback" not in row.reason and row.reason_zh.startswith("无法读取")


def test_xml_external_entity_is_refused(docx_bytes):
    data = _with_dtd(docx_bytes, b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;")
    row, extraction = ingest(data, "xxe.docx")
    _assert_rejected(row, "UnsafeDocument", "word/document.xml", "never expanded")
    assert extraction is None


def test_billion_laughs_is_refused_unexpanded(docx_bytes):
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    data = _with_dtd(docx_bytes, b"<!DOCTYPE w:document [" + entities + b"]>", b"&lol9;")
    row, _ = ingest(data, "laughs.docx")
    _assert_rejected(row, "UnsafeDocument", "entit")


def _bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            block = b"0" * (1 << 20)
            for _ in range(size >> 20):
                part.write(block)
    return out.getvalue()


def test_zip_bomb_refused_by_declared_size():
    data = _bomb(MAX_TOTAL_BYTES + (8 << 20))
    assert len(data) < 2 << 20
    row, _ = ingest(data, "bomb.xlsx")
    _assert_rejected(row, "ZIP bomb", "MiB uncompressed")


def test_zip_bomb_refused_by_compression_ratio():
    row, _ = ingest(_bomb(16 << 20), "ratio.xlsx")
    _assert_rejected(row, "ZIP bomb", f"limit {MAX_RATIO}:1")


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_docx_is_rejected_as_damaged(docx_bytes, cut):
    row, _ = ingest(docx_bytes[: int(len(docx_bytes) * cut)], "cut.docx")
    _assert_rejected(row, "DamagedDocument", "truncated or damaged .docx")
    assert row.format == "docx"


def test_docx_that_is_really_text_is_read_with_a_warning(renderings):
    row, extraction = ingest(renderings["text"].read_bytes(), "renamed.docx")
    assert row.status == "warned" and row.format == "text"
    assert "extension says docx, content is text" in [w.message for w in extraction.warnings if w.kind == "reader"]


def test_docx_that_is_really_a_pdf():
    from ingest.parse.readers import READERS

    if "pdf" not in READERS:
        pytest.skip("no PDF reader registered yet")
    row, extraction = ingest(SHANGHAI_FINAL.read_bytes(), "renamed.docx")
    assert row.format == "pdf" and row.status in ("parsed", "warned")
    assert "extension says docx, content is pdf" in [w.message for w in extraction.warnings]


def test_doc_without_libreoffice_is_rejected_with_the_reason(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    row, _ = ingest(OLE_HEADER + b"\x00" * 4096, "old.doc")
    _assert_rejected(row, "needs LibreOffice to read .doc")
    assert row.format == "doc"
    row, _ = ingest(OLE_HEADER + b"\x00" * 4096, "old.xls")
    _assert_rejected(row, "needs LibreOffice to read .xls")


def _fake_soffice(folder, body: str) -> None:
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_doc_goes_through_libreoffice_into_the_docx_reader(monkeypatch, tmp_path, docx_bytes):
    """A stand-in soffice that "converts" by copying a .docx checks the plumbing without LibreOffice."""
    (tmp_path / "converted.docx").write_bytes(docx_bytes)
    _fake_soffice(
        tmp_path,
        f'while [ "$1" != "--outdir" ]; do shift; done\nmkdir -p "$2" && cp "{tmp_path}/converted.docx" "$2/input.docx"\n',
    )
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/usr/bin:/bin")
    document = read_doc(OLE_HEADER, "old.doc")
    assert document.format == "doc" and document.lines and document.tables
    assert any("LibreOffice" in warning for warning in document.warnings)


def test_libreoffice_that_hangs_is_stopped(monkeypatch, tmp_path):
    _fake_soffice(tmp_path, "sleep 30\n")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/usr/bin:/bin")
    monkeypatch.setattr(libreoffice, "TIMEOUT_SECONDS", 1)
    row, _ = ingest(OLE_HEADER + b"\x00" * 64, "slow.doc")
    _assert_rejected(row, "ConversionFailed", "longer than 1 s")


@pytest.mark.skipif(libreoffice.find_soffice() is None, reason="LibreOffice not installed")
def test_real_doc_gives_the_same_projects_as_the_docx(tmp_path, renderings):
    import subprocess

    from ingest.parse.passes import extract_document
    from ingest.parse.readers.docx import read_docx

    source = tmp_path / "in.docx"
    source.write_bytes(renderings["docx"].read_bytes())
    subprocess.run(
        [
            libreoffice.find_soffice(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    from_doc = extract_document(read_doc((tmp_path / "in.doc").read_bytes(), renderings["docx"].name), "d")
    from_docx = extract_document(read_docx(source.read_bytes(), renderings["docx"].name), "d")
    assert [(f.metric, f.qualifier, f.measure, f.value) for f in from_doc.figures] == [
        (f.metric, f.qualifier, f.measure, f.value) for f in from_docx.figures
    ]
    assert [(p.project_code, p.executed) for p in from_doc.projects] == [
        (p.project_code, p.executed) for p in from_docx.projects
    ]
