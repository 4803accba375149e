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

from tests.conftest import ROOT, SICHUAN, python_json
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

# Run in a child process whose font lookup sees no system font. vl-convert (fontdb) reads the folders
# named by the fontconfig file in $FONTCONFIG_FILE; a file naming no folder at all makes it fall back
# to /usr/share/fonts, so the file names one empty folder. $HOME hides ~/.fonts and ~/.local/share/fonts.
HIDDEN_FONTS_CONFIG = (
    '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{folder}</dir></fontconfig>'
)
CHART_PROBE = """
import hashlib, json, sys
sys.path.insert(0, {notebooks!r})
import altair as alt, polars as pl, vl_convert

def chart(text):
    return alt.Chart(pl.DataFrame({{"label": [text], "value": [1.0]}})).mark_bar().encode(
        x=alt.X("value:Q", title=text), y=alt.Y("label:N", title="部门")).properties(title=text, width=200)

def digest(png):
    return hashlib.sha256(png).hexdigest()

mode = sys.argv[1]
if mode == "lab":  # as the notebooks draw: lab's theme and the shipped font
    import lab
    render = lab.render
else:  # a font lacking every 汉字 (tofu), or no font at all (blank); same theme as the notebooks
    import lab
    if mode == "tofu":
        vl_convert.register_font_directory(sys.argv[2])
    render = lambda c: vl_convert.vegalite_to_png(c.to_dict(), scale=2.0)
out = {{label: digest(render(chart(label))) for label in ("死亡抚恤占比", "机关运行经费", "")}}
print(json.dumps(out))
"""


def render_without_system_fonts(tmp_path: Path, mode: str, *arguments: str) -> dict[str, str]:
    """SHA-256 of the PNG of a chart titled (and labelled) by each of two Chinese strings and by
    nothing, rendered in a process that sees no system font."""
    empty = tmp_path / "no-fonts"
    empty.mkdir(exist_ok=True)
    config = tmp_path / "hidden-fonts.conf"
    config.write_text(HIDDEN_FONTS_CONFIG.format(folder=empty), encoding="utf-8")
    environment = dict(os.environ, FONTCONFIG_FILE=str(config), HOME=str(tmp_path), XDG_DATA_HOME=str(empty))
    probe = CHART_PROBE.format(notebooks=str(NOTEBOOKS))
    return python_json(probe, [mode, *arguments], environment, timeout=120)


def ascii_only_font(tmp_path: Path) -> Path:
    """The shipped font cut down to ASCII: a font with the same name that has no 汉字 at all."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from ingest.fonts import FONT_FILE

    folder = tmp_path / "tofu-font"
    folder.mkdir()
    font = TTFont(FONT_FILE)
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(0x20, 0x7F))
    subsetter.subset(font)
    font.save(folder / "ascii-only.otf")
    return folder


def test_chinese_labels_render_as_glyphs_with_no_system_font(tmp_path):
    """On a machine without fonts the charts still have text: two different Chinese titles and labels
    draw two different images, unlike a blank chart and unlike tofu (the same boxes for any 汉字)."""
    blank = render_without_system_fonts(tmp_path, "none")
    # the control: the system's fonts really are hidden (no text is drawn: two titles give one image)
    assert blank["死亡抚恤占比"] == blank["机关运行经费"]
    tofu = render_without_system_fonts(tmp_path, "tofu", str(ascii_only_font(tmp_path)))
    assert tofu["死亡抚恤占比"] == tofu["机关运行经费"] != blank["死亡抚恤占比"]  # boxes: the same for any six 汉字
    drawn = render_without_system_fonts(tmp_path, "lab")
    assert drawn["死亡抚恤占比"] != drawn["机关运行经费"]
    assert drawn["死亡抚恤占比"] not in (blank["死亡抚恤占比"], tofu["死亡抚恤占比"])
    assert drawn[""] != blank[""]  # the axis digits are drawn too


def test_the_shipped_font_covers_gb2312_and_stays_small():
    from fontTools.ttLib import TTFont

    from ingest.fonts import FAMILY, FONT_DIRECTORY, FONT_FILE, gb2312_characters

    font = TTFont(FONT_FILE)
    covered = set(map(chr, font.getBestCmap()))
    assert len(gb2312_characters()) == 7445  # 6,763 汉字 + 682 symbols: the size of the GB 2312 table
    assert gb2312_characters() | set(map(chr, range(0x20, 0x7F))) <= covered
    assert font["name"].getDebugName(1) == FAMILY
    assert FONT_FILE.stat().st_size < FONT_SIZE_LIMIT
    assert "SIL OPEN FONT LICENSE" in (FONT_DIRECTORY / "OFL.txt").read_text(encoding="utf-8").upper()


FONT_SIZE_LIMIT = 3_000_000  # bytes: the font is committed to the repository


def test_chinese_labels_render_as_png_and_svg():
    import altair as alt

    chart = alt.Chart(pl.DataFrame({"label": ["三公经费"], "value": [1.0]})).mark_bar().encode(x="value:Q", y="label:N")
    first = lab.render(chart)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "cjk-chart.png").write_bytes(first)
    svg = lab.render(chart, format="svg")
    assert "<svg" in svg and lab.CJK_FONT in svg


# --- reports (make report) ---------------------------------------------------------------------------

# a 1×1 PNG, as a chart's output would be embedded
TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="


def test_reports_hide_the_code_and_show_outputs_and_charts(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("## 死亡抚恤"),
        nbformat.v4.new_code_cell(
            "secret_query_text = lab.query('select 1')",
            outputs=[
                nbformat.v4.new_output("display_data", data={"image/png": TINY_PNG}),
                nbformat.v4.new_output("stream", name="stdout", text="answer printed 42\n"),
            ],
        ),
    ]
    report = lab.export_html(notebook, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "secret_query_text" not in report  # the code is hidden by default
    assert "answer printed 42" in report and f"data:image/png;base64,{TINY_PNG}" in report and "死亡抚恤" in report
    with_code = lab.export_html(notebook, tmp_path / "with-code.html", show_code=True).read_text(encoding="utf-8")
    assert "secret_query_text" in with_code


# --- a build while a notebook kernel holds a result --------------------------------------------


@pytest.mark.slow
def test_build_replaces_the_warehouse_while_a_kernel_holds_a_query_result(warehouse_path, tmp_path):
    """A notebook kernel that ran lab.query keeps its frame; `python -m ingest.warehouse.build` still swaps
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
                code,
                timeout=60,
                output_hook=lambda message: printed.append(message["content"].get("text", "")),
            )
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(printed)

        before = run("import lab\nheld = lab.query('select * from marts.fct_disclosure')\nprint(held.height)")
        build = subprocess.run(
            [sys.executable, "-m", "ingest.warehouse.build", "--disclosures", str(folder), "--warehouse", str(target)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
        after = run("print(held.height, lab.query('select count(*) as n from marts.fct_disclosure')['n'][0])")
        held_rows, new_rows = after.split()
        assert held_rows == before.strip()
        assert int(new_rows) == 1  # the new build holds the Sichuan disclosure alone
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
