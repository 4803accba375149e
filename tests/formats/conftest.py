"""The sample disclosures rendered in every format, built once per test session into a temporary folder."""

from __future__ import annotations

import pytest

from tests.formats.make_fixtures import build_all, shanghai_tables


@pytest.fixture(scope="session")
def shanghai_pdf_tables():
    """The standard tables of the Shanghai 财政局 2024 决算 PDF, cell by cell (pdfplumber)."""
    return shanghai_tables()


@pytest.fixture(scope="session")
def renderings(tmp_path_factory, shanghai_pdf_tables):
    """{kind: path} for text, docx, gbk, traditional, html (Sichuan) and xlsx (Shanghai tables)."""
    return build_all(tmp_path_factory.mktemp("formats"), shanghai_pdf_tables)
