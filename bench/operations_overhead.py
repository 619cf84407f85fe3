"""What galerie.operations' middleware adds to every request: request id, two clock reads, the
Prometheus counter and histogram, the access-log level check. Measured in-process around a view
that does nothing, so the figure is the middleware's alone (no server, no database).

    uv run python bench/operations_overhead.py             # single-process metrics (runserver)
    PROMETHEUS_MULTIPROC_DIR=$(mktemp -d) uv run python bench/operations_overhead.py  # as serve

Not part of the test suite; the figures go to docs/benchmarks.md.
"""

import os
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
os.environ.setdefault("GALERIE_HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.urls import resolve  # noqa: E402

from galerie.operations.middleware import OperationsMiddleware  # noqa: E402

N = 200_000


def main() -> None:
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="bench-1")
    request.resolver_match = resolve("/")
    response = HttpResponse(b"x")

    def view(request):
        return response

    wrapped = OperationsMiddleware(view)
    for label, handler in (("bare view", view), ("with OperationsMiddleware", wrapped)):
        for _ in range(10_000):
            handler(request)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(N):
                handler(request)
            best = min(best, (time.perf_counter() - start) / N)
        print(f"{label}: {best * 1e6:.2f} µs per request")
    mode = "multiprocess" if os.environ.get("PROMETHEUS_MULTIPROC_DIR") else "single-process"
    print(f"metrics mode: {mode}; load average: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
