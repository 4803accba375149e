"""notebooks/lab.py and the paired notebook files: how the notebooks read the warehouse (one
read-only connection per query, closed at once), render charts with Chinese labels, and stay
paired with their .py sources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import jupytext
import nbformat
import polars as pl
import pytest

from tests.conftest import ROOT, SICHUAN
from tests.notebooks.conftest import ARTIFACTS, NOTEBOOKS, SOURCES, lab


def test_the_four_notebooks_are_there():
    assert list(SOURCES) == ["01_death_benefits", "02_operating_cost", "03_sangong", "04_data_quality"]


def test_notebooks_are_paired_with_jupytext():
    config = (NOTEBOOKS / "jupytext.toml").read_text(encoding="utf-8")
    assert 'formats = "ipynb,py:percent"' in config


@pytest.mark.parametrize("name", list(SOURCES))
def test_ipynb_is_generated_from_the_py_and_has_no_outputs(name):
    paired = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    source = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [(c.cell_type, c.source) for c in paired.cells] == [(c.cell_type, c.source) for c in source.cells], (
        f"{name}.ipynb is out of date: run `jupytext --sync notebooks/{name}.py`"
    )
    for cell in paired.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}.ipynb was committed with outputs"
    assert paired.metadata.kernelspec.name == "python3"


# --- reading the warehouse ----------------------------------------------------------------------


@pytest.fixture
def tiny_warehouse(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute("create table marts.t as select 'a' as name, 1.50::decimal(18, 6) as amount")
    monkeypatch.setenv(lab.WAREHOUSE_ENV, str(path))
    return path


def test_a_missing_warehouse_says_run_make_build(tmp_path, monkeypatch):
    monkeypatch.setenv(lab.WAREHOUSE_ENV, str(tmp_path / "nowhere.duckdb"))
    with pytest.raises(lab.WarehouseMissing, match="run `make build` first"):
        lab.query("select 1")


def test_the_default_warehouse_is_the_one_make_build_writes(monkeypatch):
    monkeypatch.delenv(lab.WAREHOUSE_ENV, raising=False)
    assert (NOTEBOOKS / lab.warehouse_path()).resolve() == ROOT / "warehouse.duckdb"


def test_amounts_are_float_for_charts_and_decimal_on_request(tiny_warehouse):
    assert lab.query("select * from marts.t").schema["amount"] == pl.Float64
    assert lab.query("select * from marts.t", exact=True)["amount"][0] == Decimal("1.5")
    assert lab.query("select * from marts.t where name = $name", {"name": "b"}).is_empty()


HOLDER = """
import sys
sys.path.insert(0, {notebooks!r})
import lab
held = {statement}
print("holding", flush=True)
sys.stdin.readline()
"""


def hold(statement: str, environment: dict) -> subprocess.Popen:
    code = HOLDER.format(notebooks=str(NOTEBOOKS), statement=statement)
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=environment
    )
    assert process.stdout.readline().strip() == "holding"
    return process


def release(process: subprocess.Popen) -> None:
    process.stdin.write("\n")
    process.stdin.flush()
    process.wait(timeout=30)


def test_a_process_holding_a_query_result_does_not_hold_the_file(tiny_warehouse):
    """After lab.query returns, another process can open the file for writing: no lock is held."""
    environment = dict(os.environ)
    holder = hold("lab.query('select * from marts.t')", environment)
    try:
        with duckdb.connect(str(tiny_warehouse)) as writer:
            writer.execute("insert into marts.t values ('b', 2)")
    finally:
        release(holder)
    # the control: a connection held open does lock the file against a writer
    holder = hold(f"lab.duckdb.connect({str(tiny_warehouse)!r}, read_only=True)", environment)
    try:
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(tiny_warehouse))
    finally:
        release(holder)


def test_iqr_outliers_use_linear_quartiles_per_group():
    frame = pl.DataFrame({"year": [1] * 5 + [2] * 3, "value": [1.0, 2.0, 3.0, 4.0, 100.0, 1.0, 2.0, 50.0]})
    result = lab.iqr_outliers(frame, "value", by=["year"], min_count=4)
    assert result.filter(pl.col("is_outlier"))["value"].to_list() == [100.0]  # year 2 has too few to judge
    year1 = result.filter(pl.col("year") == 1).row(0, named=True)
    assert (year1["q1"], year1["q3"]) == (2.0, 4.0)


# --- charts ---------------------------------------------------------------------------------------


def cjk_font_installed() -> bool:
    try:
        listing = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=30).stdout
    except FileNotFoundError:
        return False
    return lab.CJK_FONT.lower() in listing.lower()


@pytest.mark.skipif(not cjk_font_installed(), reason="no Noto Sans CJK font: apt-get install fonts-noto-cjk")
def test_chinese_labels_render_as_glyphs():
    """Two different Chinese strings render differently (without the font both would be blank boxes)."""
    import altair as alt

    def chart(text: str):
        return alt.Chart(pl.DataFrame({"label": [text], "value": [1.0]})).mark_bar().encode(
            x="value:Q", y=alt.Y("label:N", title="部门")
        ).properties(title=text, width=200)

    first, second = lab.render(chart("死亡抚恤占比")), lab.render(chart("机关运行经费"))
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first != second
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "cjk-chart.png").write_bytes(first)
    assert "<svg" in lab.render(chart("三公经费"), format="svg")


# --- a build while a notebook kernel holds a result --------------------------------------------


@pytest.mark.slow
def test_build_replaces_the_warehouse_while_a_kernel_holds_a_query_result(warehouse_path, tmp_path):
    """A notebook kernel that ran lab.query keeps its frame; `python -m ingest.build` still swaps
    the file in; the kernel's next query reads the new warehouse."""
    from jupyter_client import KernelManager

    target = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse_path, target)
    folder = tmp_path / "disclosures"
    folder.mkdir()
    shutil.copy(SICHUAN, folder / SICHUAN.name)

    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(NOTEBOOKS), env=dict(os.environ, JUESUAN_WAREHOUSE=str(target)))
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)

        def run(code: str) -> str:
            printed = []
            reply = client.execute_interactive(
                code, timeout=60,
                output_hook=lambda message: printed.append(message["content"].get("text", "")),
            )
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(printed)

        before = run("import lab\nheld = lab.query('select * from marts.fct_disclosure')\nprint(held.height)")
        build = subprocess.run(
            [sys.executable, "-m", "ingest.build", "--disclosures", str(folder), "--warehouse", str(target)],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
        )
        assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
        after = run("print(held.height, lab.query('select count(*) as n from marts.fct_disclosure')['n'][0])")
        held_rows, new_rows = after.split()
        assert held_rows == before.strip()
        assert int(new_rows) == 1  # the new build holds the Sichuan disclosure alone
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
