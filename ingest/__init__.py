"""juesuan ingest: read 部门决算/预算 disclosures and write tidy seed CSVs with provenance."""

from ingest.compiled import use_compiled

# the parser's compiled modules, when they match their sources (ingest/compiled.py); else Python
use_compiled()
