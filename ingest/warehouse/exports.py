"""Exports for people who do not run dbt: Parquet per mart, a Fiscal Data Package, Excel-safe CSV.

``python -m ingest.warehouse.exports --warehouse warehouse.duckdb [--out exports]`` (``make export``)
writes, into the warehouse's own exports folder unless ``--out`` says otherwise (``exports/`` for the
project's ``warehouse.duckdb``, ``<name>-exports/`` beside any other: ``ingest/warehouse/outputs.py``):

- ``parquet/<mart>.parquet``: every table of schema ``marts``, typed (amounts stay DECIMAL);
- ``fiscal-data-package/``: ``datapackage.json`` + CSV resources of the function amounts and
  the headline metrics, following the Frictionless Fiscal Data Package model (measures in CNY
  with factor 10000 for 万元, phase approved for 预算 and executed for 决算; dimensions for the
  department, the functional classification with 类/款/项 as levels 1-3, the fiscal year and
  the region);
- ``csv/<mart>.csv``: UTF-8 with BOM so Excel shows Chinese, numbers as plain numbers, and every
  text cell that starts with =, +, -, @, tab or CR prefixed with ' so Excel never runs it as a formula.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

from ingest.settings import settings
from ingest.warehouse import outputs

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FUNCTION_RESOURCE = """
    select
        f.department_id, f.department_name, d.province, d.city, d.county, d.admin_level,
        f.fiscal_year, f.scope, f.basis, f.level,
        case f.level when '类' then 1 when '款' then 2 else 3 end as level_number,
        f.code, f.name, f.class_code, f.kuan_code,
        case f.level when '类' then null when '款' then f.class_code else f.kuan_code end as parent_code,
        sum(f.amount) filter (where f.phase = 'budget') as approved_amount,
        sum(f.amount) filter (where f.phase = 'final') as executed_amount
    from marts.fct_function_amount as f
    left join marts.dim_department as d using (department_id)
    group by all
    order by f.department_id, f.fiscal_year, f.scope, f.basis, f.code
"""

METRIC_RESOURCE = """
    select
        m.department_id, d.department_name, d.province, d.city, d.county, d.admin_level,
        m.fiscal_year, m.scope, m.metric,
        sum(m.value) filter (where m.phase = 'budget') as approved_amount,
        sum(m.value) filter (where m.phase = 'final') as executed_amount
    from (
        unpivot marts.fct_disclosure
        on total_income, total_expenditure, basic_expenditure, project_expenditure,
           personnel_expenditure, public_expenditure, gpb_expenditure, sangong_total, sangong_abroad,
           sangong_vehicle, sangong_vehicle_purchase, sangong_vehicle_operation, sangong_reception,
           operating_cost
        into name metric value value
    ) as m
    left join marts.dim_department as d using (department_id)
    group by all
    order by m.department_id, m.fiscal_year, m.scope, m.metric
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.warehouse.exports", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=settings().warehouse)
    parser.add_argument("--out", type=Path, default=None, help="default: the warehouse's exports folder")
    args = parser.parse_args(argv)
    args.out = args.out or outputs.exports_dir(args.warehouse)
    if not args.warehouse.exists():
        print(f"export: no warehouse at {args.warehouse}; run make build first", file=sys.stderr)
        return 2
    with duckdb.connect(str(args.warehouse), read_only=True) as connection:
        marts = export_parquet(connection, args.out / "parquet")
        export_excel_csv(connection, args.out / "csv")
        export_fiscal_data_package(connection, args.out / "fiscal-data-package")
    print(
        f"export: {len(marts)} marts → {args.out}/parquet, {args.out}/csv; fiscal data package → {args.out}/fiscal-data-package"
    )
    return 0


def mart_names(connection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
        ).fetchall()
    ]


def export_parquet(connection, folder: Path) -> list[str]:
    _fresh(folder)
    names = mart_names(connection)
    for name in names:
        target = (folder / f"{name}.parquet").as_posix().replace("'", "''")
        connection.execute(f"copy (select * from marts.{name}) to '{target}' (format parquet)")
    return names


def neutralise(value) -> str:
    """Text for an Excel cell: never a live formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_excel_csv(connection, folder: Path) -> None:
    _fresh(folder)
    for name in mart_names(connection):
        cursor = connection.execute(f"select * from marts.{name}")
        columns = [d[0] for d in cursor.description]
        with (folder / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(columns)
            for row in cursor.fetchall():
                writer.writerow([neutralise(v) for v in row])


def export_fiscal_data_package(connection, folder: Path) -> Path:
    _fresh(folder)
    resources = []
    for name, sql, fields in (
        ("function-amounts", FUNCTION_RESOURCE, _function_fields()),
        ("headline-metrics", METRIC_RESOURCE, _metric_fields()),
    ):
        cursor = connection.execute(sql)
        columns = [d[0] for d in cursor.description]
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(columns)
            for row in cursor.fetchall():
                writer.writerow(["" if v is None else (format(v, "f") if isinstance(v, Decimal) else v) for v in row])
        resources.append(
            {
                "name": name,
                "path": path.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": c, **fields[c]} for c in columns]},
            }
        )
    package = {
        "name": "juesuan-department-accounts",
        "title": "部门决算与预算 — department final accounts and budgets",
        # The Fiscal Data Package model lives in "model" below. The profile names the tabular
        # data package schema that frictionless ships, so the package validates offline (the
        # fiscal-data-package profile is a URL frictionless would have to download).
        "profile": "tabular-data-package",
        "fiscalPeriod": _fiscal_period(connection),
        "resources": resources,
        "model": _model(),
    }
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return descriptor


def _common_fields() -> dict:
    return {
        "department_id": {"type": "string", "title": "部门 id"},
        "department_name": {"type": "string", "title": "部门名称"},
        "province": {"type": "string"},
        "city": {"type": "string"},
        "county": {"type": "string"},
        "admin_level": {"type": "string"},
        "fiscal_year": {"type": "integer", "title": "会计年度"},
        "scope": {"type": "string", "title": "部门 or 单位"},
        "approved_amount": {"type": "number", "title": "预算数 (万元)"},
        "executed_amount": {"type": "number", "title": "决算数 (万元)"},
    }


def _function_fields() -> dict:
    return {
        **_common_fields(),
        "basis": {"type": "string"},
        "level": {"type": "string", "title": "类/款/项"},
        "level_number": {"type": "integer"},
        "code": {"type": "string", "title": "支出功能分类科目编码"},
        "name": {"type": "string", "title": "科目名称"},
        "class_code": {"type": "string"},
        "kuan_code": {"type": "string"},
        "parent_code": {"type": "string"},
    }


def _metric_fields() -> dict:
    return {**_common_fields(), "metric": {"type": "string"}}


def _model() -> dict:
    measure = {"currency": "CNY", "factor": 10000, "direction": "expenditure"}
    return {
        "measures": {
            "approved": {**measure, "source": "approved_amount", "phase": "approved", "resource": "function-amounts"},
            "executed": {**measure, "source": "executed_amount", "phase": "executed", "resource": "function-amounts"},
        },
        "dimensions": {
            "administrative-classification": {
                "dimensionType": "classification",
                "classificationType": "administrative",
                "attributes": {
                    "id": {"source": "department_id"},
                    "name": {"source": "department_name", "labelfor": "id"},
                },
                "primaryKey": ["id"],
            },
            "functional-classification": {
                "dimensionType": "classification",
                "classificationType": "functional",
                "attributes": {
                    "class": {"source": "class_code"},
                    "kuan": {"source": "kuan_code", "parent": "class"},
                    "code": {"source": "code", "parent": "kuan"},
                    "name": {"source": "name", "labelfor": "code"},
                    "level": {"source": "level_number"},
                },
                "primaryKey": ["code"],
            },
            "date": {
                "dimensionType": "datetime",
                "attributes": {"year": {"source": "fiscal_year"}},
                "primaryKey": ["year"],
            },
            "location": {
                "dimensionType": "location",
                "attributes": {
                    "province": {"source": "province"},
                    "city": {"source": "city", "parent": "province"},
                    "county": {"source": "county", "parent": "city"},
                },
                "primaryKey": ["province", "city", "county"],
            },
        },
    }


def _fiscal_period(connection) -> dict:
    first, last = connection.execute("select min(fiscal_year), max(fiscal_year) from marts.fct_disclosure").fetchone()
    return {"start": f"{first or 1900}-01-01", "end": f"{last or 1900}-12-31"}


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


if __name__ == "__main__":
    sys.exit(main())
