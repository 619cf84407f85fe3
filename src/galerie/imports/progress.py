"""A small terminal progress bar for imports, on stderr: share done, rows, rows/s and ETA."""

import sys
import time


class ProgressBar:
    def __init__(self, *, stream=None, width: int = 30, min_interval: float = 0.25):
        self.stream = stream or sys.stderr
        self.width = width
        self.min_interval = min_interval
        self.started = time.monotonic()
        self.last = 0.0
        self.first_row: int | None = None
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, job, row: int) -> None:
        now = time.monotonic()
        if self.first_row is None:
            self.first_row = row
            self.started_row = 0 if row <= 2000 else row
        if now - self.last < self.min_interval and job.done_bytes < job.total_bytes:
            return
        if row == getattr(self, "_printed", None):
            return
        self._printed = row
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        done, total = job.done_bytes, job.total_bytes or 1
        share = min(1.0, done / total)
        rate = (row - self.started_row) / elapsed
        eta = elapsed * (1 - share) / share if share > 0 else 0
        filled = int(self.width * share)
        bar = "█" * filled + "░" * (self.width - filled)
        line = (
            f"{share:4.0%} |{bar}| {row:,} lignes · {rate:,.0f} lignes/s · "
            f"reste {int(eta) // 60}:{int(eta) % 60:02d}"
        ).replace(",", " ")
        if self.tty:
            self.stream.write("\r" + line)
        elif share >= 1.0 or int(share * 10) != int(getattr(self, "_tenth", -1)):
            self._tenth = int(share * 10)
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
