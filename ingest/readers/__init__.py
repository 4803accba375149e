"""One reader per format; each turns bytes into a :class:`ingest.document.Document`."""

from __future__ import annotations

from collections.abc import Callable

from ingest.document import Document
from ingest.readers.text import read_text

Reader = Callable[[bytes, str], Document]

READERS: dict[str, Reader] = {"text": read_text}


def register(fmt: str, reader: Reader) -> None:
    READERS[fmt] = reader
