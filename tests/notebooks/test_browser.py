"""JupyterLab in a real browser: a notebook opened, Run All from the menu, the chart found in an
output area, a screenshot saved to tests/artifacts/. Headless Debian Chromium driven by Playwright
(no browser download). Skipped when /usr/bin/chromium is missing (`apt-get install chromium`)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import pytest

from tests.notebooks.conftest import ARTIFACTS, NOTEBOOKS

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOTEBOOK = "02_operating_cost"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """A running JupyterLab: its URL, token, and the notebook file it serves."""

    def __init__(self, base: str, token: str, notebook: Path):
        self.base, self.token, self.notebook = base, token, notebook
        self.url = f"{base}/lab/tree/{notebook.name}?token={token}"

    def kernel_states(self) -> list[str]:
        with urllib.request.urlopen(f"{self.base}/api/sessions?token={self.token}", timeout=5) as response:
            return [session["kernel"]["execution_state"] for session in json.load(response)]

    def wait_for_idle_kernel(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = self.kernel_states()
            if states and all(state == "idle" for state in states):
                return
            time.sleep(0.5)
        raise TimeoutError(f"kernel not idle after {timeout:.0f} s: {self.kernel_states()}")


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer {url} within {timeout:.0f} s")


@pytest.fixture
def jupyter_lab(warehouse_path, tmp_path):
    """JupyterLab on a free localhost port over a copy of notebooks/ (so nothing is saved into the repo)."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("lab.py", "charts.py", "jupytext.toml", f"{NOTEBOOK}.py"):
        shutil.copy(NOTEBOOKS / name, folder / name)
    jupytext.write(jupytext.read(folder / f"{NOTEBOOK}.py"), folder / f"{NOTEBOOK}.ipynb")
    settings = tmp_path / "settings"
    for plugin, values in {
        "notebook-extension/tracker": {"windowingMode": "none"},  # every cell in the DOM
        "apputils-extension/notification": {"fetchNews": "false"},  # no news pop-up over the page
    }.items():
        target = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    log = (tmp_path / "jupyter.log").open("w")
    server = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.open_browser=False",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
            f"--LabApp.user_settings_dir={settings}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *(["--allow-root"] if os.geteuid() == 0 else []),  # CI containers run as root
        ],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=dict(os.environ, JUESUAN_WAREHOUSE=str(warehouse_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime")),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/api/status?token={token}", server)
        yield Lab(base, token, folder / f"{NOTEBOOK}.ipynb")
    finally:
        # the server and the kernels it started share its process group
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        except ProcessLookupError:
            pass
        log.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: apt-get install chromium")
def test_run_all_in_jupyterlab_renders_the_chart(jupyter_lab):
    from playwright.sync_api import expect, sync_playwright

    code_cells = sum(cell.cell_type == "code" for cell in nbformat.read(jupyter_lab.notebook, as_version=4).cells)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / f"jupyterlab-{NOTEBOOK}.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(jupyter_lab.url)
            page.locator(".jp-NotebookPanel .jp-CodeCell").first.wait_for()
            jupyter_lab.wait_for_idle_kernel()
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            # every code cell has run (its prompt shows an execution count) and the kernel is idle again
            page.wait_for_function(
                """count => {
                    const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')];
                    return prompts.length === count && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
                }""",
                arg=code_cells,
                timeout=90_000,
            )
            jupyter_lab.wait_for_idle_kernel()
            chart = page.locator(".jp-OutputArea-output img, .jp-OutputArea-output svg").first
            chart.scroll_into_view_if_needed()
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, box
            page.screenshot(path=str(screenshot))
            # save, then read the outputs back from the file: no cell raised
            page.locator(".jp-NotebookPanel .jp-Notebook").first.focus()
            page.get_by_role("menuitem", name="File", exact=True).click()
            page.get_by_role("menuitem", name="Save Notebook", exact=False).first.click()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                saved = nbformat.read(jupyter_lab.notebook, as_version=4)
                if all(cell.get("execution_count") for cell in saved.cells if cell.cell_type == "code"):
                    break
                time.sleep(0.5)
            errors = [o for c in saved.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
            assert not errors, errors
            assert any("image/png" in o.get("data", {}) for c in saved.cells for o in c.get("outputs", []))
        finally:
            browser.close()
    assert screenshot.stat().st_size > 10_000
