"""A small progress line on stderr for the operator commands (no dependency needed)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``done/total unit  rate/s  elapsed`` redrawn in place on a terminal; on a pipe or a file,
    one line at most every ``every`` seconds so logs stay short."""

    def __init__(
        self, *, total: int | None, unit: str, stream: TextIO | None = None, every: float = 5.0
    ) -> None:
        self.total = total
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every = 0.2 if self.tty else every
        self.start = time.perf_counter()
        self.last = 0.0
        self.done = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def rate(self) -> float:
        return self.done / max(self.elapsed(), 1e-9)

    def update(self, done: int, *, force: bool = False) -> None:
        self.done = done
        now = time.perf_counter()
        if not force and now - self.last < self.every:
            return
        self.last = now
        elapsed = now - self.start
        if self.total:
            share = min(done / self.total, 1.0)
            bar = "#" * int(share * 30)
            head = f"[{bar:<30}] {share:6.1%} {done:,}/{self.total:,} {self.unit}"
        else:
            head = f"{done:,} {self.unit}"
        text = f"{head}  {self.rate():,.0f}/s  {elapsed:,.1f} s"
        if self.tty:
            self.stream.write("\r" + text + "\x1b[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.update(self.done, force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
