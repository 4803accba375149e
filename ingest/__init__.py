"""juesuan ingest: read 部门决算/预算 disclosures and write tidy seed CSVs with provenance."""
