"""``make lab``: JupyterLab on ``notebooks/``, reading the warehouse; built first only when it is missing.

``python -m ingest.lab_server --warehouse FILE [--port 8888] [-- extra JupyterLab flags]``.
JupyterLab runs in a session of its own, so that Ctrl-C reaches this process alone: it asks the
server to stop (SIGTERM, on which jupyter_server shuts its kernels down and exits) and waits for
it, then kills whatever is left of its process group. One Ctrl-C stops the server and its
kernels; nothing is left running. As root (a container, a server), ``--allow-root`` is passed,
which JupyterLab otherwise demands.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from ingest.settings import settings

WAREHOUSE_ENV = "JUESUAN_WAREHOUSE"  # read by notebooks/lab.py
DEFAULT_PORT = 8888
STOP_SECONDS = 20  # for the server to shut its kernels down after SIGTERM, before it is killed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.lab_server", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=settings().warehouse)
    parser.add_argument(
        "--disclosures", type=Path, default=settings().samples, help="built from when the warehouse is missing"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("lab_args", nargs=argparse.REMAINDER, help="after --: passed to JupyterLab as they are")
    args = parser.parse_args(argv)
    warehouse = args.warehouse.expanduser().resolve()
    if not warehouse.exists():
        print(f"lab: no warehouse at {warehouse}: building it from {args.disclosures} first")
        code = subprocess.call(
            [
                sys.executable,
                "-m",
                "ingest.warehouse.build",
                "--disclosures",
                str(args.disclosures),
                "--warehouse",
                str(warehouse),
            ],
            cwd=settings().home,
        )
        if code != 0:
            return code
    extra = [a for a in args.lab_args if a != "--"]
    return serve(lab_command(args.port, extra), dict(os.environ, **{WAREHOUSE_ENV: str(warehouse)}))


def lab_command(port: int, extra: list[str]) -> list[str]:
    command = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={settings().notebooks}", f"--ServerApp.port={port}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    return command + extra


def serve(command: list[str], environment: dict[str, str]) -> int:
    """Run JupyterLab until it exits, or until Ctrl-C (or SIGTERM) here stops it and its kernels."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server = subprocess.Popen(command, env=environment, cwd=settings().home, start_new_session=True)
        try:
            return server.wait()
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            print("\nlab: stopping JupyterLab and its kernels …", file=sys.stderr, flush=True)
            stop(server)
            print("lab: stopped", file=sys.stderr)
            return 0  # stopped as asked
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=STOP_SECONDS)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # anything of its session still there (the server is its leader)
    server.wait()


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
