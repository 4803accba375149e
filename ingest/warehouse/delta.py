"""A change of a few files without rebuilding the whole warehouse: the department delta build.

Every row of the warehouse belongs to one department (its table is keyed by disclosure,
department or document), except the reference tables and the per-file ingest log. When a few
documents change, only their departments' rows can change. So:

1. ``plan_delta``: the documents whose row in ``documents`` changed (added, removed, renamed or
   edited), the departments that owned them before or own them now, and every document of
   those departments.
2. ``write_delta_seeds``: the seed rows of just those documents (and the whole ingest log) go
   to a folder of their own; ``dbt build`` builds them, with every data test, into a small
   warehouse.
3. ``merge_delta``: a copy of the warehouse has those departments' rows replaced by the small
   warehouse's, table by table, as each model's ``meta.delta`` (``dbt_project.yml``) says:

   - ``department``: rows of the affected departments (``disclosure_id``'s department, else
     ``department_id``) are deleted and the small warehouse's inserted;
   - ``document``: the same by ``document_id`` (staging);
   - ``whole``: the table is replaced (the ingest log, one row per file, is fed whole);
   - ``recompute``: its compiled SQL runs again on the merged tables (``fct_ingest_log``);
   - ``reference``: left alone (the dbt project is unchanged, so is the reference data).

The build swaps the merged copy in only when all of it succeeded. A test builds the same
changes both ways (delta and from scratch) and compares every table row for row.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.parse.records import SEED_RECORDS, DocumentRow, IngestLogRow
from ingest.parse.seed_rows import seed_header
from ingest.run.seeds import read_seed
from ingest.warehouse.seed_schema import read_csv_call

# Above this share of all documents fed again, a build from scratch is as quick: not worth a delta.
MAX_SHARE_FED = 0.25
MERGED_SCHEMAS = ("staging", "intermediate", "marts")
DELTA_KINDS = ("department", "document", "whole", "recompute", "reference")


class DeltaError(Exception):
    """The delta cannot be merged; the build falls back to a build from scratch."""


@dataclass
class DeltaPlan:
    departments: list[str]  # departments whose rows are replaced
    fed_documents: list[str]  # documents whose seed rows the small build reads
    replaced_documents: list[str]  # documents whose staging rows are deleted (old and new owners', rejected ones)
    changed_documents: int  # document rows added, removed or changed
    total_documents: int

    def describe(self) -> str:
        return (
            f"{self.changed_documents} document row(s) changed → {len(self.departments)} department(s), "
            f"{len(self.fed_documents)} of {self.total_documents} document(s) built again"
        )


def plan_delta(warehouse: Path, seeds_dir: Path) -> DeltaPlan | str:
    """What a delta build of ``seeds_dir`` over ``warehouse`` would replace, or why it should not be one."""
    with _connect() as connection:
        connection.execute(f"attach '{_quoted(warehouse)}' as old (read_only)")
        columns = [
            row[0]
            for row in connection.execute(
                "select column_name from information_schema.columns"
                " where table_catalog = 'old' and table_schema = 'staging' and table_name = 'stg_documents'"
                " order by ordinal_position"
            ).fetchall()
        ]
        if not columns:
            return "the warehouse has no staging.stg_documents"
        listed = ", ".join(f'"{name}"' for name in columns)
        connection.execute(
            f"create temp table new_documents as select {listed} from {_typed_csv(DocumentRow, seeds_dir)}"
        )
        connection.execute(f"create temp table old_documents as select {listed} from old.staging.stg_documents")
        connection.execute(
            f"create temp table new_log as select document_id from {_typed_csv(IngestLogRow, seeds_dir)}"
        )
        connection.execute("""
            create temp table changed as
            (select * from new_documents except all select * from old_documents)
            union all
            (select * from old_documents except all select * from new_documents)
        """)
        # the disclosure's department, written by ingest into the documents seed (DocumentRow)
        department = "disclosure_department_id"
        departments = _column(connection, f"select distinct {department} from changed order by 1")
        if any("|" in name for name in departments):
            return "a department id holds '|', the separator of disclosure ids"
        connection.execute("create temp table departments as select unnest(?::varchar[]) as department", [departments])
        fed = _column(
            connection,
            f"""
            select document_id from new_documents where {department} in (select department from departments)
            union
            select document_id from new_log where document_id is not null
              and document_id not in (select document_id from new_documents)
            order by 1
        """,
        )
        replaced = _column(
            connection,
            f"""
            select document_id from new_documents where {department} in (select department from departments)
            union
            select document_id from old_documents where {department} in (select department from departments)
            union
            select document_id from new_log where document_id not in (select document_id from new_documents)
            union
            select document_id from old.staging.stg_ingest_log
             where document_id not in (select document_id from old_documents)
            order by 1
        """,
        )
        changed = connection.execute("select count(*) from changed").fetchone()[0]
        total = connection.execute("select count(*) from new_documents").fetchone()[0]
    if len(fed) > MAX_SHARE_FED * max(total, 1):
        return f"{len(fed)} of {total} documents would be built again: a build from scratch is as quick"
    return DeltaPlan(departments, fed, [d for d in replaced if d is not None], changed, total)


def write_delta_seeds(
    plan: DeltaPlan, seeds_dir: Path, delta_seeds_dir: Path, fragments: list[dict[str, bytes]] | None = None
) -> None:
    """The seed rows of the documents the delta feeds, and the whole ingest log, into ``delta_seeds_dir``
    (one file a seed): from those documents' cached ``fragments`` (in file order) when given, else
    filtered from the seeds (every shard of them)."""
    if delta_seeds_dir.exists():
        shutil.rmtree(delta_seeds_dir)
    delta_seeds_dir.mkdir(parents=True)
    (delta_seeds_dir / f"{IngestLogRow.SEED}.csv").write_bytes(read_seed(seeds_dir, IngestLogRow.SEED))
    if fragments is not None:
        for record in SEED_RECORDS:
            if record is not IngestLogRow:
                rows = b"".join(parts.get(record.SEED, b"") for parts in fragments)
                (delta_seeds_dir / f"{record.SEED}.csv").write_bytes(seed_header(record) + rows)
        return
    with _connect() as connection:
        connection.execute("create temp table fed as select unnest(?::varchar[]) as document_id", [plan.fed_documents])
        for record in SEED_RECORDS:
            if record is IngestLogRow:
                continue
            target = delta_seeds_dir / f"{record.SEED}.csv"
            connection.execute(
                f"copy (select * from {_text_csv(record, seeds_dir)} where document_id in (select document_id from fed))"
                f" to '{_quoted(target)}' (header, delimiter ',', quote '\"', escape '\"')"
            )


def merge_delta(
    warehouse: Path, delta: Path, merged: Path, plan: DeltaPlan, manifest_path: Path, copy: FileCopy | None = None
) -> int:
    """``warehouse`` copied to ``merged`` with the affected rows replaced by those of ``delta``;
    returns the number of tables written. Raises ``DeltaError`` when a model cannot be merged.
    ``copy``: that copy, started earlier (``FileCopy``), waited for here."""
    models = _models(manifest_path)
    if copy is None:
        shutil.copyfile(warehouse, merged)
    else:
        copy.wait()
    written = 0
    with _connect(merged) as connection:
        connection.execute(f"attach '{_quoted(delta)}' as delta (read_only)")
        connection.execute(
            "create temp table affected_departments as select unnest(?::varchar[]) as id", [plan.departments]
        )
        connection.execute(
            "create temp table affected_documents as select unnest(?::varchar[]) as id", [plan.replaced_documents]
        )
        connection.execute("begin transaction")
        # recomputed models read merged tables, so they come last, each after the models it reads
        for model in sorted(models, key=lambda m: (m["kind"] == "recompute", m["depth"])):
            written += _merge_model(connection, model)
        connection.execute("commit")
        connection.execute("checkpoint")
    return written


class FileCopy:
    """A copy of one file made in a thread while the build does other work: the warehouse is
    copied (seconds at 100,000 documents) while dbt builds the delta, so the merge does not wait
    for it. The copy stops between blocks when cancelled; the caller removes the partial file."""

    BLOCK = 1 << 26

    def __init__(self, source: Path, target: Path) -> None:
        self.source, self.target = source, target
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="warehouse-copy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with open(self.source, "rb") as source, open(self.target, "wb") as target:
                size, offset = os.fstat(source.fileno()).st_size, 0
                while offset < size and not self._stop.is_set():
                    offset += _copy_block(source, target, offset, min(self.BLOCK, size - offset))
        except BaseException as error:  # handed to the thread that waits
            self._error = error

    def wait(self) -> None:
        """Until the copy is complete; raises what stopped it."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._stop.is_set():
            raise DeltaError("the copy of the warehouse was cancelled")

    def cancel(self) -> None:
        """Stop copying (at the end of the current block) and wait for the thread."""
        self._stop.set()
        self._thread.join()


def _copy_block(source, target, offset: int, length: int) -> int:
    """``length`` bytes from ``offset`` appended to ``target``: in the kernel where it can."""
    if hasattr(os, "copy_file_range"):
        with contextlib.suppress(OSError):
            copied = os.copy_file_range(source.fileno(), target.fileno(), length, offset)
            if copied:
                return copied
    block = os.pread(source.fileno(), length, offset)
    if not block:
        raise OSError(f"{source.name} ended while it was being copied")
    target.write(block)
    target.flush()
    return len(block)


def _merge_model(connection, model: dict) -> int:
    kind, table = model["kind"], f'"{model["schema"]}"."{model["name"]}"'
    if kind == "reference" or model["materialized"] not in ("table", "incremental"):
        return 0
    if kind == "recompute":
        sql = re.sub(
            rf'"{re.escape(model["database"])}"\.', "", Path(model["compiled_path"]).read_text(encoding="utf-8")
        )
        connection.execute(f"create or replace table {table} as {sql}")
        return 1
    source = f"delta.{table}"
    if kind == "whole":
        connection.execute(f"delete from {table}")
    else:
        key = _key(connection, model, kind)
        wanted = "affected_departments" if kind == "department" else "affected_documents"
        connection.execute(f"delete from {table} where {key} in (select id from {wanted})")
    connection.execute(f"insert into {table} by name select * from {source}")
    return 1


def _key(connection, model: dict, kind: str) -> str:
    names = {
        row[0]
        for row in connection.execute(
            "select column_name from information_schema.columns where table_catalog = current_database()"
            " and table_schema = ? and table_name = ?",
            [model["schema"], model["name"]],
        ).fetchall()
    }
    if kind == "document" and "document_id" in names:
        return "document_id"
    if kind == "department" and "disclosure_id" in names:
        return "split_part(disclosure_id, '|', 1)"
    if kind == "department" and "department_id" in names:
        return "department_id"
    raise DeltaError(f"{model['name']} has meta.delta '{kind}' but no column to key it by")


def _models(manifest_path: Path) -> list[dict]:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    models = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] not in MERGED_SCHEMAS:
            continue
        kind = node["config"].get("meta", {}).get("delta")
        if kind not in DELTA_KINDS:
            raise DeltaError(f"model {node['name']} does not say how a delta build merges it (meta.delta: {kind!r})")
        compiled = manifest_path.parent.parent / node["compiled_path"] if node.get("compiled_path") else None
        models.append(
            {
                "name": node["alias"] or node["name"],
                "schema": node["schema"],
                "database": node["database"],
                "materialized": node["config"]["materialized"],
                "kind": kind,
                "compiled_path": compiled,
                "depth": _depth(manifest["nodes"], node["unique_id"]),
            }
        )
    return models


def _depth(nodes: dict, unique_id: str, seen: dict | None = None) -> int:
    """How many models deep a model sits (0: it reads only sources and seeds)."""
    seen = {} if seen is None else seen
    if unique_id not in seen:
        parents = [p for p in nodes[unique_id].get("depends_on", {}).get("nodes", []) if p.startswith("model.")]
        seen[unique_id] = 1 + max((_depth(nodes, p, seen) for p in parents), default=-1)
    return seen[unique_id]


def _connect(path: Path | None = None):
    """DuckDB within the build's memory cap (``JUESUAN_DUCKDB_MEMORY``, as dbt's profile), spilling beyond it."""
    return duckdb.connect(
        str(path) if path else ":memory:", config={"memory_limit": os.environ.get("JUESUAN_DUCKDB_MEMORY", "3GB")}
    )


def _typed_csv(record, seeds_dir: Path) -> str:
    return read_csv_call(record, _quoted(seeds_dir))


def _text_csv(record, seeds_dir: Path) -> str:
    return read_csv_call(record, _quoted(seeds_dir), as_text=True)


def _column(connection, sql: str) -> list:
    return [row[0] for row in connection.execute(sql).fetchall()]


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
