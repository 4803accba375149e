"""Parsing: bytes in, typed records out. Pure: it reads the file's bytes and the reference seeds
(``vocabulary.PARSING_SEEDS``) and nothing else, and imports nothing from ``ingest.run`` or
``ingest.warehouse`` (``ingest.settings`` says where the reference seeds are).

- ``readers/``: one per format, bytes → ``document.Document`` (lines and tables with locators);
- ``extractors/``: one per section or kind of table, Document → records added to an
  ``extraction.Extraction``;
- ``passes.py``: the extractors and the refining passes of one document, in their declared order;
- ``records.py`` (one dataclass per seed), ``amounts.py`` (printed numbers → Decimal 万元),
  ``classification.py`` (labels → 政府收支分类科目 codes), ``vocabulary.py`` (the words tables are
  read by, as seeds).

The ingest cache's key is the hash of this package's files and the reference seeds it reads
(``ingest.run.cache.code_version``): editing anything here parses every file again.
"""
