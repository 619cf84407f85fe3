"""Progress of an export or import on stderr: entity, rows done, share, rows per second."""

import sys
import time


class EntityProgress:
    def __init__(self, *, stream=None, min_interval: float = 0.5):
        self.stream = stream or sys.stderr
        self.min_interval = min_interval
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.entity = None

    def __call__(self, entity: str, done: int, expected: int) -> None:
        now = time.monotonic()
        finished = done >= expected
        if entity == self.entity and not finished and now - self.last < self.min_interval:
            return
        if entity != self.entity:
            self.entity, self.entity_started = entity, now
        self.last = now
        share = done / expected if expected else 1.0
        rate = done / max(now - self.entity_started, 1e-6)
        width = 24
        bar = "█" * int(width * min(share, 1.0)) + "░" * (width - int(width * min(share, 1.0)))
        line = f"{entity:<24} |{bar}| {done:>9,} / {expected:,} · {rate:,.0f}/s".replace(",", " ")
        if self.tty:
            self.stream.write("\r" + line + ("\n" if finished else ""))
        elif finished:
            self.stream.write(line + "\n")
        self.stream.flush()
