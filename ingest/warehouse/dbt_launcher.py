"""Starting dbt: ``python -m ingest.warehouse.dbt_cli`` on the project's dbt project, as a subprocess.

dbt runs as a program of its own (``dbt_cli.py`` says why it is not imported here): its output
goes to the build log as plain text while the console shows a progress line, or to the console
when there is no log (``make docs``). Ctrl-C lets dbt cancel its queries and stop, and is raised
again here once it has. The warehouse file and the folder of extracted seeds reach dbt's profile
and sources through the environment (``JUESUAN_WAREHOUSE``, ``JUESUAN_EXTRACTED_SEEDS``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Protocol

from ingest.run.progress import DbtProgress
from ingest.settings import settings

DBT_POLL_SECONDS = 0.2  # how often the console's dbt progress reads the log
DBT_STOP_SECONDS = 20  # after Ctrl-C, how long dbt has to cancel its queries before it is killed
DBT_FAILURE_LINES = 40  # lines of dbt's closing report shown on the console when it failed
# Above this much extracted seed data a build runs one model at a time (``--threads 1``; the
# profile says 2). Two large models at once share DuckDB's one memory limit: at 100,000 documents
# (3 GB of seeds) mart_disclosure_coverage ran out of it (2.7 GiB used) beside another model, and
# two threads were no quicker (217 s against 213 s: DuckDB already runs each query on every core).
# Below it, two threads overlap dbt's own work on the many small models (10,000: 20-22 s against 25-26 s).
ONE_MODEL_AT_A_TIME_BYTES = 1 << 30


class Log(Protocol):
    """Where dbt's output goes: a file (the build log, ``build.BuildLog``)."""

    path: Path


def run_dbt(arguments: list[str], warehouse: Path, seeds_dir: Path | None = None, log: Log | None = None) -> int:
    """dbt's command line on ``warehouse``. With ``log``, dbt's output goes to the log file as plain
    text and the console shows a progress line; without, to the console (in colour on a terminal only).
    Ctrl-C lets dbt cancel its queries and stop (then kills it if it has not), and raises KeyboardInterrupt."""
    dbt_dir = settings().dbt_project
    environment = dict(
        os.environ,
        JUESUAN_WAREHOUSE=str(warehouse),
        JUESUAN_EXTRACTED_SEEDS=str(seeds_dir or settings().seeds),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DBT_USE_COLORS_FILE="false",
        DBT_USE_COLORS="true" if log is None and sys.stdout.isatty() else "false",
    )
    command = [
        sys.executable,
        "-m",
        "ingest.warehouse.dbt_cli",
        *arguments,
        *thread_arguments(arguments, seeds_dir or settings().seeds),
        "--project-dir",
        str(dbt_dir),
        "--profiles-dir",
        str(dbt_dir),
    ]
    if log is None:
        process = subprocess.Popen(command, env=environment, cwd=dbt_dir)
        return _wait_for_dbt(process)
    with log.path.open("ab") as output, log.path.open("r", encoding="utf-8", errors="replace") as reader:
        reader.seek(0, os.SEEK_END)
        process = subprocess.Popen(
            command, env=environment, cwd=dbt_dir, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        meter = DbtProgress()
        lines: list[str] = []
        try:
            while process.poll() is None:
                time.sleep(DBT_POLL_SECONDS)
                lines += meter.feed(reader.read())
            lines += meter.feed(reader.read())
        except KeyboardInterrupt:
            _stop_dbt(process)
            raise
        finally:
            meter.close()
    if process.returncode != 0:
        for line in _dbt_failure_report(lines):
            print(line, file=sys.stderr)
    return process.returncode


def thread_arguments(arguments: list[str], seeds_dir: Path) -> list[str]:
    """``--threads 1`` for a build over more than ``ONE_MODEL_AT_A_TIME_BYTES`` of extracted seeds."""
    if not arguments or arguments[0] != "build" or "--threads" in arguments:
        return []
    size = sum(path.stat().st_size for path in Path(seeds_dir).glob("*.csv") if path.is_file())
    return ["--threads", "1"] if size > ONE_MODEL_AT_A_TIME_BYTES else []


def _wait_for_dbt(process: subprocess.Popen) -> int:
    try:
        return process.wait()
    except KeyboardInterrupt:
        _stop_dbt(process)
        raise


def _stop_dbt(process: subprocess.Popen) -> None:
    """dbt got the terminal's SIGINT too (same process group) or gets one now; it cancels its queries
    and exits. After ``DBT_STOP_SECONDS`` it is killed."""
    try:
        process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=DBT_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _dbt_failure_report(lines: list[str]) -> list[str]:
    """dbt's closing report (from "Completed with …" on) or, if it stopped before, its last lines."""
    start = next((i for i, line in enumerate(lines) if line.startswith("Completed with")), None)
    shown = lines[start:] if start is not None else lines[-DBT_FAILURE_LINES:]
    return ["dbt: " + line for line in shown[:DBT_FAILURE_LINES] if line.strip()]
