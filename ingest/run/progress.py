"""Progress lines for long builds: the ingest (files, pages, errors, rate and time left) and dbt
(models and tests done, warnings and failures).

On a terminal the line redraws in place (``\\r``); in a log (CI, ``make build > log``) a full
line is printed every ``LOG_EVERY`` seconds instead, so logs stay readable.
"""

from __future__ import annotations

import re
import sys
import time
from typing import TextIO

REDRAW_EVERY = 0.2
LOG_EVERY = 10.0
BAR_WIDTH = 24


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.files = self.pages = self.errors = self.cached = 0
        self.started = time.monotonic()
        self._last = 0.0

    def update(self, pages: int | None, rejected: bool, cached: bool) -> None:
        self.files += 1
        self.pages += pages or 0
        self.errors += int(rejected)
        self.cached += int(cached)
        now = time.monotonic()
        if self.enabled and now - self._last >= (REDRAW_EVERY if self.interactive else LOG_EVERY):
            self._last = now
            self._draw(now)

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            if self.interactive:
                self.stream.write("\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.files / elapsed
        left = (self.total - self.files) / rate if rate > 0 else 0.0
        done = int(BAR_WIDTH * self.files / self.total) if self.total else BAR_WIDTH
        bar = "#" * done + "." * (BAR_WIDTH - done)
        return (
            f"ingest [{bar}] {self.files}/{self.total} files · {self.pages} pages · {self.errors} rejected"
            f" · {self.cached} unchanged · {rate:.0f} files/s · {_clock(elapsed)} elapsed, {_clock(left)} left"
        )

    def _draw(self, now: float) -> None:
        if self.interactive:
            self.stream.write("\r" + self.line(now))
        else:
            self.stream.write(self.line(now) + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


DBT_TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d\s+")
DBT_NODE_DONE = re.compile(r"^(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP)\b")
DBT_PROBLEMS = ("WARN", "ERROR", "FAIL", "SKIP")


class DbtProgress:
    """A progress line for ``dbt build`` read from its output (which goes to the build log):
    nodes done of all, and how many warned, failed or were skipped."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = self.total = 0
        self.outcomes: dict[str, int] = {}
        self.started = time.monotonic()
        self._last = 0.0
        self._partial = ""

    def feed(self, text: str) -> list[str]:
        """New output of dbt: returns its complete lines without dbt's timestamps, and redraws."""
        text = self._partial + text
        *complete, self._partial = text.split("\n")
        lines = [DBT_TIMESTAMP.sub("", line.rstrip("\r")) for line in complete]
        for line in lines:
            match = DBT_NODE_DONE.match(line)
            if match:
                self.done, self.total = max(self.done, int(match.group(1))), int(match.group(2))
                self.outcomes[match.group(3)] = self.outcomes.get(match.group(3), 0) + 1
        now = time.monotonic()
        if self.total and now - self._last >= (REDRAW_EVERY if self.interactive else LOG_EVERY):
            self._last = now
            self._draw(now)
        return lines

    def line(self, now: float) -> str:
        done = int(BAR_WIDTH * self.done / self.total) if self.total else 0
        bar = "#" * done + "." * (BAR_WIDTH - done)
        problems = " · ".join(f"{self.outcomes[k]} {k.lower()}" for k in DBT_PROBLEMS if self.outcomes.get(k))
        return (
            f"dbt    [{bar}] {self.done}/{self.total} models and tests"
            + (f" · {problems}" if problems else "")
            + f" · {_clock(now - self.started)} elapsed"
        )

    def close(self) -> None:
        if self.total:
            self._draw(time.monotonic())
            if self.interactive:
                self.stream.write("\n")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        self.stream.write(("\r" if self.interactive else "") + self.line(now) + ("" if self.interactive else "\n"))
        self.stream.flush()
