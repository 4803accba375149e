"""One reader per format; each turns bytes into a :class:`ingest.parse.document.Document`."""

from __future__ import annotations

from collections.abc import Callable

from ingest.parse.document import Document
from ingest.parse.readers.docx import read_docx
from ingest.parse.readers.html import read_html
from ingest.parse.readers.libreoffice import read_doc, read_xls
from ingest.parse.readers.pdf import read_pdf
from ingest.parse.readers.text import read_text
from ingest.parse.readers.xlsx import read_xlsx

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
