"""One reader per format; each turns bytes into a :class:`ingest.document.Document`."""

from __future__ import annotations

from collections.abc import Callable

from ingest.document import Document
from ingest.readers.docx import read_docx
from ingest.readers.html import read_html
from ingest.readers.libreoffice import read_doc, read_xls
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_text
from ingest.readers.xlsx import read_xlsx

Reader = Callable[[bytes, str], Document]

READERS: dict[str, Reader] = {
    "text": read_text,
    "pdf": read_pdf,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "html": read_html,
    "doc": read_doc,  # through LibreOffice, when it is installed
    "xls": read_xls,
}


def register(fmt: str, reader: Reader) -> None:
    READERS[fmt] = reader
