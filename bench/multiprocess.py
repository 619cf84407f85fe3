"""Several web processes against one PostgreSQL and one Redis: throughput and p99 per row.

For 1, 2 and 4 web processes (`galerie serve --workers N`, one thread each), with REDIS_URL set
(cache, sessions' cache, task queue) and a task worker beside them (`galerie rqworker`, which
sends the order e-mails), the script measures with wrk, for a fixed time and a fixed number of
connections: a category listing (its sort orders), product pages (40 products) and searches;
then checkout with bench/checkout_bench.py's buyers (add to cart, place, pay by the simulated
card), 8 at once. Redis db 4 is emptied before each configuration.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/checkout_bench \
    REDIS_URL=redis://127.0.0.1:6379/4 uv run python bench/multiprocess.py

The database must be migrated; a "bench…" storefront with 40 products is added. Prints one JSON
document and a Markdown table (docs/benchmarks.md, "Several web processes").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("GALERIE_HTTPS", "0")
os.environ.setdefault("GALERIE_PAYMENT_SIMULATOR", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
if not os.environ.get("REDIS_URL"):
    raise SystemExit("Set REDIS_URL (e.g. redis://127.0.0.1:6379/4) and DATABASE_URL.")

import checkout_bench  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402
from pages import OUT, Server, free_port, lua_script, parse_wrk, wrk_argv  # noqa: E402

from galerie.demo.processes import worker_command  # noqa: E402
from galerie.sellers.models import Offer  # noqa: E402


def urls(offer_ids: list[int]) -> dict[str, list[str]]:
    offers = Offer.objects.filter(pk__in=offer_ids).select_related("product__category")
    products = [f"/p/{o.product.slug}/" for o in offers]
    category = f"/c/{offers[0].product.category.slug}/"
    listing = [category] + [
        f"{category}?tri={s}" for s in ("prix-croissant", "prix-decroissant", "nouveautes")
    ]
    search = [f"/recherche/?q={q}" for q in ("bench", "product", "bench+product", "livre")]
    connection.close()
    return {"listing": listing, "product": products, "search": search}


def redis_flush() -> None:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


def measure(workers: int, args, host: str, offer_ids: list[int], paths: dict) -> dict:
    redis_flush()
    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    port = free_port(args.port)
    argv = [sys.executable, "-m", "galerie.cli", "serve", "--host", "127.0.0.1", "--port"]
    argv += ["{port}", "--workers", str(workers), "--threads", "1", "--allow-simulator"]
    server = Server(f"multiprocess-{workers}", argv, env, port, host)
    task_worker = subprocess.Popen(
        [sys.executable, "-m", "galerie.cli", *worker_command()],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = {"web_processes": workers}
    try:
        for name in ("listing", "product", "search"):
            script = lua_script(f"multiprocess-{name}", paths[name])
            # Warm each worker's connection and caches, then measure.
            warm = wrk_argv(server, script, threads=1, connections=workers, duration=2)
            subprocess.run(warm, capture_output=True, text=True)
            argv = wrk_argv(
                server, script, threads=2, connections=args.connections, duration=int(args.seconds)
            )
            done = subprocess.run(argv, capture_output=True, text=True)
            if "Requests/sec" not in done.stdout:
                raise RuntimeError(f"wrk failed: {done.stdout} {done.stderr}")
            rows[name] = parse_wrk(done.stdout)
        bench_args = argparse.Namespace(seconds=args.seconds, pay="card")
        rows["checkout"] = checkout_bench.http_phase(
            "concurrent", bench_args, server.port, host, offer_ids, args.buyers
        )
        rows["loadavg"] = checkout_bench.loadavg()
    finally:
        server.stop()
        task_worker.terminate()
        task_worker.wait(30)
    return rows


def table(results: list[dict]) -> str:
    lines = [
        "| web processes | listing req/s (p99) | product req/s (p99) | search req/s (p99) "
        "| checkouts/s (place p99, purchase p99) | load average after |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        cells = [str(r["web_processes"])]
        for name in ("listing", "product", "search"):
            row = r[name]
            bad = f", {row['non_2xx']} non-2xx" if row.get("non_2xx") else ""
            cells.append(f"{row['requests_per_second']:.1f} ({row.get('p99_ms')} ms{bad})")
        c = r["checkout"]
        p99s = f"{c['place_p99_ms']:.0f} ms, {c['purchase_p99_ms']:.0f} ms"
        cells.append(f"{c['checkouts_per_second']} ({p99s})" if c["place_p99_ms"] else "0")
        cells.append(r["loadavg"])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--port", type=int, default=8793)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a migrated PostgreSQL database.")
    run = uuid.uuid4().hex[:6]
    host, offer_ids, initial = checkout_bench.setup(run, 40, 100_000)
    paths = urls(offer_ids)
    started = time.monotonic()
    results = [measure(int(n), args, host, offer_ids, paths) for n in args.processes.split(",")]
    checks = checkout_bench.checks(offer_ids, initial, 0)
    print(json.dumps({"results": results, "checks": checks}, indent=2, ensure_ascii=False))
    print(f"\n{table(results)}\n\nruntime {time.monotonic() - started:.0f} s")
    ok = not (checks["oversold_units"] or checks["offers_with_unexplained_stock"])
    return 0 if ok and not checks["duplicates"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
