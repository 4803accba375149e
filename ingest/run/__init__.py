"""The ingest run: a folder of disclosures → seed CSVs.

``pipeline.py`` accounts for every file (parsed, warned or rejected with a reason) and writes the
seeds deterministically; ``parallel.py`` parses files on every core under a time limit;
``cache.py`` remembers each file's result by content and parsing code; ``progress.py`` draws the
progress lines; ``seeds.py`` writes records as CSV. Imports ``ingest.parse``, never
``ingest.warehouse``.
"""
