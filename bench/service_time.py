"""Per-request service time of uncached catalogue pages, measured in one process.

wrk figures depend on what else the two cores are doing; this does not queue: one Django
process (DEBUG off, embedded defaults, the bench catalogue built by bench/pages.py) serves each
URL of a row once through Django's test client, timed from request to response, after warming up
on URLs of the same kind that the row never asks (as a `galerie serve` worker would be). The URLs
are those of bench/pages.py's uncached rows (same seed), so every request is a page-cache miss;
the sort- and page-independent listing summaries are cached per process as in a worker. Wall
time and the process's CPU time are both recorded: SQLite runs inside the process, so on a
machine shared with other work the CPU time is the steadier figure (not with PostgreSQL).

    uv run python bench/service_time.py                     # 100k catalogue, category + search
    uv run python bench/service_time.py --rows category --label after
    uv run python bench/service_time.py --var bench/out/var1m --limit 300

Writes bench/out/service-<catalogue folder>[-<label>].json; prints p50 / p90 / p99 / max per row.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from pages import HOST, OUT, choose_urls, code_state, loadavg  # noqa: E402


def kind_of(path: str) -> str:
    """`filtered` when the URL carries a facet filter, else `plain`: the two cost differently."""
    query = parse_qs(urlsplit(path).query)
    filtered = [k for k in query if k not in ("tri", "page", "q")]
    return "filtered" if filtered else "plain"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def figures(times: list[float]) -> dict:
    if not times:
        return {}
    return {
        "n": len(times),
        "mean_ms": round(statistics.fmean(times), 2),
        "p50_ms": round(percentile(times, 0.50), 2),
        "p90_ms": round(percentile(times, 0.90), 2),
        "p99_ms": round(percentile(times, 0.99), 2),
        "max_ms": round(max(times), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var", type=Path, default=OUT / "var100k")
    parser.add_argument("--rows", default="category,search")
    parser.add_argument("--limit", type=int, default=0, help="at most this many URLs per row")
    parser.add_argument("--label", default="", help="suffix of the JSON file (e.g. before)")
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest URLs per row")
    args = parser.parse_args()

    var = args.var.resolve()
    if not (var / "galerie.sqlite3").exists():
        raise SystemExit(f"no catalogue in {var}: run `uv run python bench/pages.py --build-only`")
    os.environ.pop("GALERIE_DEBUG", None)
    urls, warm, _popular = choose_urls(var, random.Random(2026))

    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    results: dict = {"code": code_state(), "loadavg_start": loadavg(), "rows": {}}
    for row in filter(None, args.rows.split(",")):
        paths = urls[row][: args.limit or None]
        for path in warm.get(row, []):
            client.get(path)
        times: dict[str, list[float]] = {"all": [], "plain": [], "filtered": []}
        cpu: list[float] = []
        slowest: list[tuple[float, str]] = []
        misses = 0
        for path in paths:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            cpu.append((time.process_time() - started_cpu) * 1000)
            slowest.append((cpu[-1], path))
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            misses += response.get("X-Page-Cache") == "miss"
            times["all"].append(elapsed)
            times[kind_of(path)].append(elapsed)
        outcome = {k: figures(v) for k, v in times.items() if v}
        outcome["cpu"] = figures(cpu)
        outcome["misses"] = misses
        results["rows"][row] = outcome
        line = outcome["all"]
        print(
            f"{row}: {line['n']} URLs ({misses} misses), mean {line['mean_ms']} ms, "
            f"p50 {line['p50_ms']}, p90 {line['p90_ms']}, p99 {line['p99_ms']}, "
            f"max {line['max_ms']}; CPU p50 {outcome['cpu']['p50_ms']}, "
            f"p99 {outcome['cpu']['p99_ms']}, mean {outcome['cpu']['mean_ms']}"
        )
        for spent, path in sorted(slowest, reverse=True)[: args.slowest]:
            print(f"  {spent:8.1f} ms CPU  {path}")
        for kind in ("plain", "filtered"):
            if kind in outcome:
                f = outcome[kind]
                print(
                    f"  {kind}: {f['n']}, p50 {f['p50_ms']}, p99 {f['p99_ms']}, max {f['max_ms']}"
                )
    results["loadavg_end"] = loadavg()
    connection.close()
    label = f"-{args.label}" if args.label else ""
    path = OUT / f"service-{var.name}{label}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"load average {results['loadavg_start']} → {results['loadavg_end']}; written {path}")


if __name__ == "__main__":
    main()
