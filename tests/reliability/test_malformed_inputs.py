"""Malformed inputs not covered elsewhere (issue #7: nothing lost, nothing wrong).

Already covered, not repeated here: an empty file and a binary file in a folder each get one
log row (tests/ingest/test_pipeline.py); unreadable, encrypted and truncated PDFs
(tests/ingest/test_pdf_reader.py); hostile, truncated and renamed .docx/.xlsx, a .docx that is
text or a PDF (tests/formats/test_malformed.py).
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from ingest.parse.outcome import MAX_FILE_BYTES, ingest_file
from ingest.run.pipeline import ingest_folder
from tests.conftest import ROOT, SAMPLES, SICHUAN

BIG = 200 * 1024 * 1024
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def ingest(data: bytes, name: str):
    return ingest_file(data, name, hashlib.sha256(data).hexdigest(), len(data))


# -- a file above the size limit --------------------------------------------------------------


def _sparse(folder: Path, name: str, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (a hole): as large as it says, instantly."""
    path = folder / name
    with path.open("wb") as stream:
        stream.truncate(size)
    return path


def test_the_documented_limit_is_100_mib():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Files above 100 MiB are refused unread." in readme
    assert MAX_FILE_BYTES == 100 * 1024 * 1024


def test_a_200_mb_file_is_refused_unread(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    big = _sparse(folder, "huge.pdf", BIG)
    opened_whole = []
    real_read_bytes = Path.read_bytes

    def read_bytes(self):  # reading a file into memory at once is what the limit forbids
        if self.resolve() == big.resolve():
            opened_whole.append(self)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    started = time.perf_counter()
    result = ingest_folder(folder, tmp_path / "seeds")
    took = time.perf_counter() - started
    [row] = result.log
    assert (row.source_file, row.status, row.size_bytes) == ("huge.pdf", "rejected", BIG)
    assert "100 MiB" in row.reason and "limit" in row.reason
    assert "100 MiB" in row.reason_zh and "上限" in row.reason_zh
    assert row.figure_count == 0 and row.document_id is None
    assert not opened_whole, "the file was read into memory"
    assert took < 30, f"refusing a 200 MB file took {took:.1f} s"
    # its one log row is in the seed too
    log = (tmp_path / "seeds" / "ingest_log.csv").read_text(encoding="utf-8").splitlines()
    assert len(log) == 2 and log[1].startswith("huge.pdf,")


def _peak_kib_ingesting(folder, seeds) -> tuple[str, int]:
    script = textwrap.dedent(
        f"""
        import resource
        from pathlib import Path
        from ingest.run.pipeline import ingest_folder
        result = ingest_folder(Path({str(folder)!r}), Path({str(seeds)!r}))
        print(result.log[0].status, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    status, peak_kib = done.stdout.split()
    return status, int(peak_kib)


def test_a_200_mb_file_does_not_fill_the_memory(tmp_path):
    """In fresh interpreters (this one's peak says nothing): ingesting the 200 MB file peaks no
    higher than ingesting a 1 KB junk file plus a small margin, so the file was never held in
    memory (the interpreter with its libraries alone is ~100 MB, so an absolute bound would be loose)."""
    folder, small = tmp_path / "in", tmp_path / "small"
    folder.mkdir()
    small.mkdir()
    _sparse(folder, "huge.xlsx", BIG)
    (small / "junk.bin").write_bytes(bytes(range(256)) * 4)
    status, peak_huge = _peak_kib_ingesting(folder, tmp_path / "seeds")
    _, peak_small = _peak_kib_ingesting(small, tmp_path / "seeds-small")
    assert status == "rejected"
    assert (peak_huge - peak_small) * 1024 < BIG / 4, f"{(peak_huge - peak_small) // 1024} MiB more than for 1 KB"


# -- a document that does not say whose or which year -------------------------------------------


def _anonymous_sichuan() -> bytes:
    """The Sichuan 决算 without its 部门概况 (which names the department, "我局…区社保局") nor the
    part title ("第二部分 2023年度部门决算情况说明"), with every year written as 某年 and its name
    (line 143, the 绩效 tables) as 某单位: nothing left says who or when."""
    lines = SICHUAN.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "收入支出决算总体情况说明" in line)
    text = re.sub(r"20\d\d(?=\s*年)", "某", "\n".join(lines[start:])).replace(
        "遂宁市安居区社会保险事业管理局", "某单位"
    )
    assert not re.search(r"20\d\d\s*年", text) and "社保局" not in text[:2000]
    return text.encode("utf-8")


def test_unknown_year_and_department_are_warned_with_figures_kept():
    row, extraction = ingest(_anonymous_sichuan(), "disclosures/disclosure.txt")
    identity = extraction.identity
    assert (identity.fiscal_year, identity.department_name, identity.department_id) == (None, None, None)
    assert row.status == "warned" and "identity_unknown" in row.reason and "identity_unknown" in row.reason_zh
    messages = {w.message for w in extraction.warnings if w.kind == "identity_unknown"}
    assert {"fiscal year could not be found", "department could not be found"} <= messages
    # the figures are kept: 收、支总计 1,727.58 万元 and 基本支出 1,558.92 万元 as printed (lines 23, 34)
    assert row.figure_count == extraction.figure_count > 100
    assert str(extraction.find("grand_total")) == "1727.58"
    assert str(extraction.find("basic_expenditure")) == "1558.92"


# -- damaged bytes in a text file ------------------------------------------------------------------


DAMAGED_LABEL = "一般公共预算财政拨款收入"  # line 29: "其中：一般公共预算财政拨款收入1727.58万元"


def _income_sources(extraction) -> set[str]:
    return {f.qualifier for f in extraction.figures if f.metric == "income_by_source"}


def _damage_label(data: bytes, encoding: str, damage: bytes) -> bytes:
    """The sample with the 般 of 一般公共预算财政拨款收入1727.58 (line 29) replaced by ``damage``."""
    label = (DAMAGED_LABEL + "1727.58").encode(encoding)
    assert data.count(label) == 1
    at = data.index(label) + len("一".encode(encoding))
    return data[:at] + damage + data[at + len("般".encode(encoding)) :]


def test_a_text_file_with_a_damaged_byte_is_read_not_refused():
    intact = ingest(SICHUAN.read_bytes(), "sichuan/" + SICHUAN.name)[1]
    damaged = _damage_label(SICHUAN.read_bytes(), "utf-8", b"\xff")  # 0xFF is in no UTF-8 sequence
    row, extraction = ingest(damaged, "sichuan/" + SICHUAN.name)
    assert row.status == "warned"
    assert "encoding: UTF-8 with 1 damaged byte sequence(s) replaced by U+FFFD" in [
        w.message for w in extraction.warnings
    ]
    assert str(extraction.find("grand_total")) == "1727.58"  # line 23, untouched
    # the damaged label is not read as the intact one (nor as anything else); the other sources are
    assert DAMAGED_LABEL in _income_sources(intact)
    assert _income_sources(extraction) == _income_sources(intact) - {DAMAGED_LABEL}


def test_a_gbk_file_with_damaged_bytes_is_still_gbk():
    gbk = SICHUAN.read_text(encoding="utf-8").encode("gbk")
    row, extraction = ingest(_damage_label(gbk, "gbk", b"\xff\xff"), "sichuan/" + SICHUAN.name)  # no GB lead byte
    assert row.status == "warned"
    [encoding] = [w.message for w in extraction.warnings if w.kind == "reader"]
    assert encoding == "encoding: decoded as GB18030 (not UTF-8), 2 damaged byte sequence(s) replaced by U+FFFD"
    assert str(extraction.find("grand_total")) == "1727.58"
    assert DAMAGED_LABEL not in _income_sources(extraction)


def test_bytes_of_no_known_encoding_are_still_refused():
    row, extraction = ingest(b"\xff\xfe\xfd\xfc" * 50 + b" 1,727.58", "a.txt")
    assert (row.status, extraction) == ("rejected", None)
    assert row.reason.startswith("could not be read: UnicodeDecodeError")


# -- a ZIP whose directory asks for a ZIP version that does not exist ---------------------------------


def _zip_of_version(version: int, part: str) -> bytes:
    """A one-part ZIP whose central directory says it needs ZIP ``version`` (tenths) to extract:
    one flipped byte of a real .docx did this, and ``zipfile`` raises NotImplementedError."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(part, "<w:document/>")
    data = bytearray(out.getvalue())
    directory = data.index(b"PK\x01\x02")  # the central directory entry: version needed at +6
    data[directory + 6] = version
    return bytes(data)


@pytest.mark.parametrize(("name", "part"), [("a.docx", "word/document.xml"), ("a.xlsx", "xl/workbook.xml")])
def test_an_office_file_asking_for_an_unknown_zip_version_is_rejected_not_raised(name, part):
    data = _zip_of_version(235, part)
    with pytest.raises(NotImplementedError):  # what zipfile does with it
        zipfile.ZipFile(io.BytesIO(data))
    row, extraction = ingest(data, name)
    assert (row.status, extraction, row.format) == ("rejected", None, name[-4:])
    assert row.reason == (
        f"could not be read: DamagedDocument: truncated or damaged .{name[-4:]}: "
        "not a readable ZIP archive (zip file version 23.5)"
    )


def test_an_other_zip_asking_for_an_unknown_zip_version_is_binary():
    row, _ = ingest(_zip_of_version(235, "a.txt"), "a.zip")
    assert (row.status, row.format) == ("rejected", "binary")


# -- a folder of good and bad files ------------------------------------------------------------------


def _workbook_named_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def _zip_of_documents() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "收支总计1,727.58万元")
    return out.getvalue()


MIXED = {
    # name: (bytes, expected status, words of the English reason)
    "good/sichuan.txt": (SICHUAN.read_bytes(), "warned", ""),
    "good/renamed-text.pdf": (SICHUAN.read_bytes().replace(b"\n", b"\r\n"), "warned", ""),
    "bad/empty.txt": (b"", "rejected", "empty file"),
    "bad/blank.txt": (b" \n\t\r\n  ", "rejected", "empty file"),
    "bad/junk.pdf": (bytes(range(256)) * 8, "rejected", "binary content"),
    "bad/photos.zip": (_zip_of_documents(), "rejected", "ZIP archive"),
    "bad/workbook.docx": (_workbook_named_docx(), "rejected", "not a readable Excel workbook"),
    "bad/template.txt": ("部门决算模板\n收支总计：　　万元".encode(), "rejected", "template"),
    "bad/notes.txt": ("这不是决算。".encode(), "rejected", "no figures"),
    "bad/cut.pdf": (
        SAMPLES.joinpath("shanghai", "普陀区财政局2025部门预算.pdf").read_bytes()[:2000],
        "rejected",
        "could not be read",
    ),
    "bad/old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "rejected", "could not be read"),
}


def test_a_folder_of_good_and_bad_files_has_one_row_each_with_reasons(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-libreoffice"))  # .doc: the same reason on every machine
    folder = tmp_path / "in"
    for name, (data, _, _) in MIXED.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    _sparse(folder / "bad", "huge.txt", MAX_FILE_BYTES + 1)
    result = ingest_folder(folder, tmp_path / "seeds")

    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert len(files) == len(MIXED) + 1
    assert sorted(row.source_file for row in result.log) == files  # one row per file, none lost
    by_file = {row.source_file: row for row in result.log}
    for name, (_, status, words) in MIXED.items():
        assert by_file[name].status == status, (name, by_file[name])
        assert words in by_file[name].reason, (name, by_file[name].reason)
    assert by_file["bad/huge.txt"].reason == "file larger than the 100 MiB limit"
    [renamed] = [e for e in result.extractions if e.identity.source_file == "good/renamed-text.pdf"]
    assert "extension says pdf, content is text" in [w.message for w in renamed.warnings]
    assert by_file["good/renamed-text.pdf"].format == "text"
    assert by_file["bad/workbook.docx"].format == "xlsx"  # the content decides, not the extension
    for row in result.log:
        if row.status == "rejected":
            assert row.reason and row.reason.isascii() and not CJK_RE.search(row.reason.split(":")[0]), row
            assert row.reason_zh and CJK_RE.search(row.reason_zh), row
            assert row.figure_count == 0
    # the seed holds the same rows
    log = (tmp_path / "seeds" / "ingest_log.csv").read_text(encoding="utf-8").splitlines()
    assert len(log) == 1 + len(files)
