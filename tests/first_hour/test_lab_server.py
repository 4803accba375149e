"""`make lab`: JupyterLab on the existing warehouse (built only when missing), PORT= and LAB_ARGS=,
as root too, and one Ctrl-C stops the server and its kernels: no jupyter process is left."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from jupyter_client import BlockingKernelClient, find_connection_file

from tests.conftest import ROOT
from tests.first_hour.conftest import NO_INSTALL

pytestmark = pytest.mark.slow

TOKEN = "first-hour-test"
START_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def api(port: int, path: str, method: str = "GET") -> dict | list:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}?token={TOKEN}", method=method, data=b"{}" if method == "POST" else None
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def wait_until_ready(kernel: str, deadline: float) -> None:
    """Until the kernel answers on its channels (the server reports "starting" until a client connects)."""
    client = BlockingKernelClient(connection_file=find_connection_file(f"kernel-{kernel}.json"))
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        client.stop_channels()


def processes_mentioning(text: str) -> dict[int, str]:
    """pid → command line of every process whose command line contains ``text``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in command:
                found[int(entry.name)] = command
    return found


def environment_of(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(pair.decode(errors="replace").split("=", 1) for pair in pairs if b"=" in pair)


def test_make_lab_serves_the_warehouse_and_stops_with_its_kernels_on_ctrl_c(project, spaced):
    warehouse = spaced / "lab 库" / "w 一.duckdb"
    warehouse.parent.mkdir(parents=True)
    duckdb.connect(str(warehouse)).close()  # exists: `make lab` must not build
    port = free_port()
    lab = subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "lab",
            f"WAREHOUSE={warehouse}",
            f"PORT={port}",
            f"LAB_ARGS=--no-browser --IdentityProvider.token={TOKEN}",
            NO_INSTALL,
        ],
        cwd=project,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert lab.poll() is None, lab.stdout.read()[-3000:]  # as root it must start (--allow-root)
            try:
                api(port, "/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer"
                time.sleep(0.5)
        assert "01_death_benefits.ipynb" in {item["name"] for item in api(port, "/api/contents")["content"]}
        kernel = api(port, "/api/kernels", method="POST")["id"]
        for _ in range(60):
            if processes_mentioning(kernel):
                break
            time.sleep(0.5)
        (kernel_pid,) = processes_mentioning(kernel)
        assert environment_of(kernel_pid)["JUESUAN_WAREHOUSE"] == str(warehouse)
        # Ctrl-C once the kernel is up, as after opening a notebook: on shutdown jupyter_client
        # interrupts each kernel first (SIGINT), and one still importing IPython prints its
        # KeyboardInterrupt traceback (seen on a slow machine: harmless, and not ours to change)
        wait_until_ready(kernel, deadline)
        server = processes_mentioning(f"--ServerApp.port={port}")
        assert server, "no JupyterLab server process"

        os.killpg(lab.pid, signal.SIGINT)  # Ctrl-C in the terminal: the whole foreground group
        output, _ = lab.communicate(timeout=60)
    finally:
        if lab.poll() is None:
            os.killpg(lab.pid, signal.SIGKILL)
    assert "building" not in output
    assert "Traceback" not in output, output[-3000:]
    time.sleep(1)
    assert processes_mentioning(kernel) == {}, "the kernel outlived the server"
    assert processes_mentioning(f"--ServerApp.port={port}") == {}, "the server outlived make lab"


def test_lab_builds_the_warehouse_only_when_it_is_missing(tmp_path):
    missing = tmp_path / "not built.duckdb"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest.lab_server",
            "--warehouse",
            str(missing),
            "--disclosures",
            str(tmp_path / "no such"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert f"lab: no warehouse at {missing}: building it" in result.stdout
    assert "no such folder of disclosures" in result.stderr
    assert not processes_mentioning(str(missing)) and not missing.exists()
