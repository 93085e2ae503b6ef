"""A one-line progress display on standard error, for long scans at a terminal."""

from __future__ import annotations

import time
from typing import TextIO

from binance_errors.scan.inputs import ProgressSink

_INTERVAL = 0.25


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


class Progress(ProgressSink):
    """Input bytes and lines, with their rates; silent unless ``enabled``."""

    def __init__(self, stream: TextIO, total_bytes: int | None, *, enabled: bool) -> None:
        self.stream = stream
        self.total = total_bytes
        self.enabled = enabled
        self.start = time.monotonic()
        self.last_draw = 0.0
        self.done_bytes = 0
        """Raw bytes of the inputs already finished."""
        self.current = 0
        self.lines = 0
        self.drawn = False

    def advance(self, position: int | None) -> None:
        if position is not None:
            self.current = position
        self._maybe_draw()

    def file_done(self) -> None:
        self.done_bytes += self.current
        self.current = 0

    def add_lines(self, count: int) -> None:
        self.lines += count
        self._maybe_draw()

    def _maybe_draw(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last_draw < _INTERVAL:
            return
        self.last_draw = now
        elapsed = max(now - self.start, 1e-9)
        seen = self.done_bytes + self.current
        text = f"scan: {_size(seen)}"
        if self.total:
            text += f" / {_size(self.total)} ({min(100.0, 100.0 * seen / self.total):.0f}%)"
        text += f"  {_size(seen / elapsed)}/s  {self.lines:,} lines  {self.lines / elapsed:,.0f} lines/s"
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
