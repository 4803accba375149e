"""The warehouse build: seed CSVs → DuckDB through dbt, and what is read off the warehouse.

``build.py`` (ingest, then ``dbt build`` into a temporary file swapped in atomically),
``delta.py`` (a few changed documents rebuilt and merged), ``dbt_launcher.py`` and
``dbt_cli.py`` (dbt started as a subprocess), ``seed_schema.py`` (dbt's view of the seeds,
generated from the records), ``outputs.py`` (a warehouse's companion files), ``exports.py``,
``docs.py`` and ``coverage.py``.

Nothing here is imported by ``ingest.parse`` or ``ingest.run``. Keep this file free of imports:
``python3 -m ingest.warehouse.outputs clean`` runs before any setup, with the standard library only.
"""
