"""Developer tools, not part of the shipped ``ingest`` package: benchmarks (``bench``,
``scale_bench``), the synthetic corpus they read (``synthetic``), the warehouse comparison
(``compare_warehouses``) and the reference-code scan (``scan_printed_codes``). Run from the
checkout: ``.venv/bin/python -m tools.<name>``."""
