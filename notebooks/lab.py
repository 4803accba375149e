"""Helpers for the juesuan notebooks: read the warehouse, chart, and write answers from the data.

Reading the warehouse
---------------------
``query(sql)`` opens a **read-only** DuckDB connection to the warehouse, runs one query, returns a
polars DataFrame and closes the connection at once. A notebook therefore never holds the file
open between cells: ``make build`` (which builds into a temporary file and renames it over
``warehouse.duckdb``) is never held up by a notebook left running, and the next ``query`` reads
the new file. The warehouse path is ``$JUESUAN_WAREHOUSE``, else ``../warehouse.duckdb`` (the kernel's
working directory is ``notebooks/``).

Measured with ``python lab.py --measure`` (warehouse built from samples/, 2 cores, 50 runs of one
query of ``marts.mart_department_year``):

==========================================  ==========================================
read-only connection per query (kept)       ~40-50 ms per query (opening the catalog)
one connection held for the session         ~2-3 ms per query
Parquet copy of the marts                   ~0.7 ms per read, plus an export after every
                                            build (~3 ms per mart), and stale in between
==========================================  ==========================================

A notebook runs about ten queries, so the per-query connection costs about half a second in a
run that spends seconds starting its kernel, and in exchange it always reads the current build,
never holds a lock (a held connection would lock the file against any writer, and keep the
replaced file's disk space alive until the kernel dies) and needs no export step. That is the
approach kept. ``tests/notebooks/test_lab.py`` pins it: a process holding a ``query`` result
holds no lock on the file, and a kernel holding one does not stop ``python -m ingest.warehouse.build``
from replacing the warehouse; its next ``query`` reads the new build.

Amounts are DECIMAL(18,6) 万元 in the warehouse. ``query`` returns them as Float64 for charts and
statistics (a DECIMAL has no place in an altair spec); pass ``exact=True`` to keep Decimal.

Charts
------
An altair theme with the CJK font shipped in ``ingest/fonts/`` ("Juesuan Sans SC", a subset of
Noto Sans CJK SC; see ``ingest/fonts.py``) is enabled on import, so charts have text on a machine
without any system font. ``show(chart)`` renders the chart with vl-convert to PNG (or SVG) and displays
the image, so it shows in JupyterLab, in exported HTML and offline: no JavaScript, no CDN.
"""

from __future__ import annotations

import os
import struct
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import altair as alt
import duckdb
import polars as pl
import polars.selectors as cs

from ingest.fonts import FAMILY as CJK_FONT
from ingest.fonts import register_chart_fonts

WAREHOUSE_ENV = "JUESUAN_WAREHOUSE"
DEFAULT_WAREHOUSE = Path("..") / "warehouse.duckdb"


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet."""


# --- the warehouse -----------------------------------------------------------------------------


def warehouse_path() -> Path:
    """``$JUESUAN_WAREHOUSE`` if set, else ``../warehouse.duckdb`` (relative to notebooks/)."""
    configured = os.environ.get(WAREHOUSE_ENV)
    return Path(configured).expanduser() if configured else DEFAULT_WAREHOUSE


def query(sql: str, params: dict | Sequence | None = None, *, exact: bool = False) -> pl.DataFrame:
    """Run one read-only query against the warehouse and return a polars DataFrame.

    The connection is opened for this query only and closed before returning.
    DECIMAL columns become Float64 unless ``exact`` is true.
    """
    path = warehouse_path()
    if not path.is_file():
        raise WarehouseMissing(
            f"No warehouse at {path.resolve()}: run `make build` first (or point {WAREHOUSE_ENV} at a warehouse file)."
        )
    connection = duckdb.connect(str(path), read_only=True)
    try:
        frame = connection.sql(sql, params=params).pl()
    finally:
        connection.close()
    if not isinstance(frame, pl.DataFrame):  # a single column may come back as a Series
        frame = frame.to_frame()
    return frame if exact else frame.with_columns(cs.decimal().cast(pl.Float64))


# --- words computed from the data ----------------------------------------------------------------


def md(*lines: str) -> None:
    """Display markdown (one paragraph per argument)."""
    from IPython.display import Markdown, display

    display(Markdown("\n\n".join(lines)))


def no_data(frame: pl.DataFrame | int, what: str) -> bool:
    """Say "no data for …" and return True when ``frame`` is empty (or, given a row count, when it is 0)."""
    if (frame if isinstance(frame, int) else frame.height) == 0:
        md(f"**No data for {what}** in this warehouse (`{warehouse_path()}`).")
        return True
    return False


def wan(value: float | None, digits: int = 2) -> str:
    """An amount in 万元, thousands separated; '—' when missing."""
    return "—" if value is None else f"{value:,.{digits}f} 万元"


def pct(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}%"


def num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def names(values: Iterable[str], limit: int = 12) -> str:
    """'a、b 和 c' for a list of names (shortened after ``limit``)."""
    items = [str(value) for value in values]
    if len(items) > limit:
        return "、".join(items[:limit]) + f" 等 {len(items)} 个"
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + " 和 " + items[-1]


def showing(shown: int, total: int | None, what: str, criterion: str) -> None:
    """Say how much of a population a chart or table shows: all ``total`` of it, or the ``shown``
    chosen by ``criterion`` (``total`` is counted in SQL over every row, not over the rows shown)."""
    if not total:
        return
    if shown >= total:
        md(f"*Showing all {total:,} {what}.*")
    else:
        md(f"*Showing {shown:,} of {total:,} {what}: {criterion}.*")


def coverage(frame: pl.DataFrame, what: str) -> dict | None:
    """State what the warehouse covers for a notebook's topic, from its row of marts.mart_coverage:
    disclosures, departments, places, years, phases, verdicts, the largest department type and the
    largest like-for-like peer group, and how many disclosures state their staffing. Returns the row
    (None, after saying "no data", when there is none)."""
    if no_data(frame.filter(pl.col("disclosures") > 0) if frame.height else frame, what):
        return None
    row = frame.row(0, named=True)
    phases = ", ".join(
        f"{count} {word}"
        for count, word in ((row["budget_disclosures"], "预算"), (row["final_disclosures"], "决算"))
        if count
    )
    lines = [
        f"**Coverage.** {row['disclosures']} disclosure(s) of {row['departments']} department(s) in "
        f"{row['places']} place(s) ({row['place_list']}) state {what}; fiscal years {row['years']}; "
        f"phases: {phases}. Verdicts: {row['trusted']} trusted, {row['incomplete']} incomplete, "
        f"{row['check_first']} check first.",
    ]
    if row["largest_type"]:
        lines.append(
            f"{row['typed_departments']} department(s) have a department type ({row['department_types']} types); the most "
            f"widespread is **{row['largest_type']}**: {row['largest_type_departments']} department(s) in "
            f"{row['largest_type_places']} place(s). The largest like-for-like peer group (same type, phase, scope and "
            f"consolidation) is **{row['largest_peer_group']}**: {row['largest_peer_group_departments']} department(s) in "
            f"{row['largest_peer_group_places']} place(s)."
        )
    lines.append(
        f"Staffing (实有人数) is stated in {row['staff_stated']} of the {row['disclosures']} disclosure(s): "
        + (
            "no figure per staff can be computed."
            if not row["staff_stated"]
            else "a figure per staff exists for that one alone, with nothing to compare it with."
            if row["staff_stated"] == 1
            else "figures per staff exist for those alone."
        )
    )
    md(*lines)
    return row


def table(frame: pl.DataFrame, limit: int = 30) -> None:
    """Display a frame as an HTML table (the first ``limit`` rows, saying how many there are)."""
    from IPython.display import HTML, display

    shown = frame.head(limit)
    html = shown.to_pandas().to_html(index=False, na_rep="—", float_format=lambda x: f"{x:,.2f}")
    note = f"<p><em>{limit} of {frame.height} rows shown.</em></p>" if frame.height > limit else ""
    display(HTML(html + note))


# --- statistics ----------------------------------------------------------------------------------


def iqr_outliers(frame: pl.DataFrame, column: str, by: Sequence[str] = (), min_count: int = 4) -> pl.DataFrame:
    """Tukey's rule: rows whose ``column`` lies outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR] of its group.

    Quartiles are linear interpolations (DuckDB ``quantile_cont``, numpy's default). Groups with
    fewer than ``min_count`` non-null values are not judged. Returns the input rows (non-null
    ``column``) with q1, q3, lower, upper, group_count and is_outlier.
    """
    rows = frame.filter(pl.col(column).is_not_null())
    group = list(by) or None
    over = (lambda expr: expr.over(group)) if group else (lambda expr: expr)
    q1 = over(pl.col(column).quantile(0.25, interpolation="linear"))
    q3 = over(pl.col(column).quantile(0.75, interpolation="linear"))
    return (
        rows.with_columns(q1=q1, q3=q3, group_count=over(pl.len()))
        .with_columns(
            lower=pl.col("q1") - 1.5 * (pl.col("q3") - pl.col("q1")),
            upper=pl.col("q3") + 1.5 * (pl.col("q3") - pl.col("q1")),
        )
        .with_columns(
            is_outlier=(pl.col("group_count") >= min_count)
            & ((pl.col(column) < pl.col("lower")) | (pl.col(column) > pl.col("upper")))
        )
    )


# --- caveats -------------------------------------------------------------------------------------


def caveats(
    department_ids: Iterable[str], fiscal_years: Iterable[int] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The data checks and unresolved labels of the departments (and years) shown, displayed and returned."""
    ids = sorted({str(d) for d in department_ids if d is not None})
    years = sorted({int(y) for y in fiscal_years if y is not None}) if fiscal_years is not None else None
    params = {"ids": ids, "years": years}
    year_filter = "and ($years is null or list_contains($years, fiscal_year))"
    checks = query(
        f"""select department_name, fiscal_year, phase, severity, check_name, message,
                   expected, actual, difference, source_file, source_locator
            from marts.fct_disclosure_check
            where list_contains($ids, department_id) {year_filter}
            order by severity desc, department_name, fiscal_year, check_name, source_locator""",
        params,
    )
    labels = query(
        f"""select department_id, fiscal_year, phase, basis, statement, printed_code, raw_label,
                   match_method, amount, source_file, source_locator
            from marts.fct_unresolved_label
            where list_contains($ids, department_id) {year_filter}
            order by department_id, fiscal_year, source_file, source_locator""",
        params,
    )
    if not ids:
        md("No departments shown, so no caveats to list.")
        return checks, labels
    warn = checks.filter(pl.col("severity") == "warn").height
    info = checks.filter(pl.col("severity") == "info").height
    md(
        f"The data checks found **{warn}** defect(s) (`warn`) and **{info}** rounding difference(s) "
        f"(`info`) in the disclosures of the {len(ids)} department(s) shown; "
        f"**{labels.height}** label(s) could not be given a code."
    )
    if not checks.is_empty():
        table(checks)
    if not labels.is_empty():
        table(labels)
    return checks, labels


# --- charts --------------------------------------------------------------------------------------


@alt.theme.register("juesuan", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": CJK_FONT,
            "title": {"font": CJK_FONT, "fontSize": 15, "anchor": "start"},
            "axis": {
                "labelFont": CJK_FONT,
                "titleFont": CJK_FONT,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "labelLimit": 320,
            },
            "legend": {"labelFont": CJK_FONT, "titleFont": CJK_FONT, "labelLimit": 320},
            "header": {"labelFont": CJK_FONT, "titleFont": CJK_FONT},
            "mark": {"font": CJK_FONT},
            "view": {"continuousWidth": 560, "continuousHeight": 320, "stroke": None},
            "background": "white",
        }
    }


alt.data_transformers.disable_max_rows()


def render(chart: alt.TopLevelMixin, format: str = "png", scale: float = 2.0) -> bytes | str:
    """The chart as PNG bytes or SVG text, rendered by vl-convert with the CJK theme."""
    import vl_convert

    register_chart_fonts()
    spec = chart.to_dict()
    if format == "svg":
        return vl_convert.vegalite_to_svg(spec)
    if format == "png":
        return vl_convert.vegalite_to_png(spec, scale=scale)
    raise ValueError(f"format must be 'png' or 'svg', not {format!r}")


def show(chart: alt.TopLevelMixin, format: str = "png", scale: float = 2.0) -> None:
    """Display the chart as a static image (PNG by default; 'svg' for vector output)."""
    from IPython.display import SVG, Image, display

    image = render(chart, format, scale)
    if format == "svg":
        display(SVG(image))
        return
    width, _ = struct.unpack(">II", image[16:24])  # PNG IHDR: width, height
    display(Image(data=image, format="png", width=int(width / scale)))


# --- measurement ---------------------------------------------------------------------------------


def measure(repeat: int = 50) -> dict[str, float]:
    """Milliseconds per query: a read-only connection per query, one held connection, Parquet."""
    import tempfile

    sql = "select * from marts.mart_department_year"

    def timed(function) -> float:
        function()
        started = time.perf_counter()
        for _ in range(repeat):
            function()
        return (time.perf_counter() - started) / repeat * 1000

    results = {"per_query_ms": timed(lambda: query(sql))}
    held = duckdb.connect(str(warehouse_path()), read_only=True)
    try:
        results["held_connection_ms"] = timed(lambda: held.sql(sql).pl())
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            held.execute(f"copy (select * from marts.mart_department_year) to '{folder}/m.parquet' (format parquet)")
            results["parquet_export_ms"] = (time.perf_counter() - started) * 1000
            results["parquet_read_ms"] = timed(lambda: pl.read_parquet(f"{folder}/m.parquet"))
    finally:
        held.close()
    return results


# --- running the notebooks (make report, tests) --------------------------------------------------

NOTEBOOKS = Path(__file__).resolve().parent


def notebook_sources() -> list[Path]:
    """notebooks/NN_name.py: the jupytext sources, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def run_notebook(source: Path, warehouse: Path | None = None, timeout: int = 300, append: Sequence[str] = ()):
    """Execute a notebook from its .py source (kernel cwd = notebooks/) and return the executed notebook.

    ``append``: code cells added at the end before running (the tests read values back this way).
    """
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    notebook = jupytext.read(source)
    notebook.cells.extend(nbformat.v4.new_code_cell(code) for code in append)
    environment = dict(os.environ)
    if warehouse is not None:
        environment[WAREHOUSE_ENV] = str(Path(warehouse).resolve())
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute(env=environment)
    return notebook


def export_html(notebook, target: Path, show_code: bool = False) -> Path:
    """Write an executed notebook as self-contained HTML: charts are embedded PNG images, and no
    script is loaded from a CDN (no MathJax, no require.js), so the page reads offline. A report
    is read, not run: the code cells are left out unless ``show_code``; their outputs stay."""
    import re

    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        mathjax_url="",
        require_js_url="",
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=not show_code,
    )
    html, _ = exporter.from_notebook_node(notebook)
    html = re.sub(r'<script[^>]*\bsrc=""[^>]*>\s*</script>', "", html)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return target


def report(out: Path, show_code: bool = False) -> int:
    """``make report``: execute every notebook against the warehouse and write reports/NN_name.html
    (``--with-code``: with the code cells)."""
    if not warehouse_path().is_file():
        print(f"report: no warehouse at {warehouse_path().resolve()}: run `make build` first", file=sys.stderr)
        return 1
    for source in notebook_sources():
        started = time.monotonic()
        target = export_html(run_notebook(source, warehouse_path()), out / f"{source.stem}.html", show_code)
        print(f"report: {target} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    if "--measure" in sys.argv:
        for name, value in measure().items():
            print(f"{name:>20}: {value:8.2f}")
    elif "--report" in sys.argv:
        sys.exit(report(Path(sys.argv[sys.argv.index("--report") + 1]), show_code="--with-code" in sys.argv))
    else:
        print("usage: python lab.py --measure | --report OUT_DIR [--with-code]", file=sys.stderr)
        sys.exit(2)
