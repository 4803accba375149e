"""A progress line for long ingests: files, pages, errors, rate and time left.

On a terminal the line redraws in place (``\\r``); in a log (CI, ``make build > log``) a full
line is printed every ``LOG_EVERY`` seconds instead, so logs stay readable.
"""

from __future__ import annotations

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
