"""Old binary Office files (.doc, .xls) read by converting them with LibreOffice first.

``soffice --headless --convert-to docx|xlsx`` runs in a temporary folder with its own
throw-away user profile (so it never meets a running LibreOffice), with no input and a time
limit of ``TIMEOUT_SECONDS``; on time-out its whole process group is killed. The result is read
by the .docx/.xlsx reader, so its locators ("para 12", "sheet 收入决算表!B7") refer to the
converted file, which LibreOffice lays out as the original; a document warning says so.

Without LibreOffice on PATH (``soffice`` or ``libreoffice``) the file is rejected with the
reason "needs LibreOffice to read .doc".
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ingest.parse.document import Document
from ingest.parse.readers.docx import read_docx
from ingest.parse.readers.xlsx import read_xlsx

EXECUTABLES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 120


class NeedsLibreOffice(RuntimeError):
    """LibreOffice is not installed here."""


class ConversionFailed(RuntimeError):
    """LibreOffice ran but produced nothing (a damaged file, or it timed out)."""


def find_soffice() -> str | None:
    for name in EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert(data: bytes, source: str, target: str) -> bytes:
    """The bytes of ``data`` (a .``source`` file) converted by LibreOffice to .``target``."""
    executable = find_soffice()
    if executable is None:
        raise NeedsLibreOffice(f"needs LibreOffice to read .{source} (soffice not found on PATH)")
    with tempfile.TemporaryDirectory(prefix="juesuan-lo-") as folder:
        work = Path(folder)
        original = work / f"input.{source}"
        original.write_bytes(data)
        outdir = work / "out"
        command = [
            executable,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(original),
        ]
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            _, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionFailed(f"LibreOffice took longer than {TIMEOUT_SECONDS} s to convert .{source}") from None
        result = outdir / f"input.{target}"
        if not result.is_file():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit code {process.returncode}"]
            raise ConversionFailed(f"LibreOffice could not convert .{source} to .{target}: {detail[0][:200]}")
        return result.read_bytes()


def read_doc(data: bytes, source_file: str) -> Document:
    return _converted(read_docx(convert(data, "doc", "docx"), source_file), "doc", "docx")


def read_xls(data: bytes, source_file: str) -> Document:
    return _converted(read_xlsx(convert(data, "xls", "xlsx"), source_file), "xls", "xlsx")


def _converted(document: Document, source: str, target: str) -> Document:
    document.format = source
    document.warnings.append(
        f"converted from .{source} to .{target} with LibreOffice; locators refer to the converted file"
    )
    return document
