"""Print the Markdown tables of docs/benchmarks.md from bench/out/*.json.

uv run python bench/report.py
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

# /work/shared/peers.md, same machine type, wrk -t2 -c16 -d20s, 2 workers (req/s).
PEERS = {
    "category": {"django-oscar": 0.5, "Saleor": None},  # 100,000 products (Saleor: 30 at 10k)
    "product": {"django-oscar": 124.0, "Saleor": 33.0},  # oscar 110–138: middle of the range
    "search": {"django-oscar": 0.5, "Saleor": None},  # 100,000 (Saleor: 25 at 10k)
}


def pages(path: Path) -> None:
    results = json.loads(path.read_text())
    build = results["build"]
    print(f"\n### {path.name}: {build['products']:,} products\n")
    print(f"machine: {results['machine']}\n")
    print(
        f"load average at start {results['loadavg_start']}, at end {results['loadavg_end']}; "
        f"database {build['database_mib']} MiB"
    )
    if build.get("products_per_second"):
        print(
            f"catalogue built in {build['loaddemo_seconds']} s (`galerie loaddemo`, process "
            f"included) = {build['products_per_second']:,} products/s; migrate "
            f"{build['migrate_seconds']} s"
        )
    for line in build["loaddemo_output"]:
        print(f"> {line}")
    print()
    print(
        "| page | URLs cycled | req/s | share of bare | p50 ms | p99 ms | cache hit / miss | "
        "non-2xx | peak RSS per worker, MiB | load avg after |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|---|---|")
    for name, r in results["scenarios"].items():
        cache = f"{r['cache_hits']:,} / {r['cache_misses']:,}" if "cache_hits" in r else "–"
        print(
            f"| {name} | {r.get('distinct_urls', 1):,} | {r['requests_per_second']:,.1f} | "
            f"{r['ratio_to_bare']:.1%} | {r.get('p50_ms')} | {r.get('p99_ms')} | {cache} | "
            f"{r['non_2xx'] + r.get('bad_status', 0)} | "
            f"{' + '.join(str(v) for v in r['peak_rss_mib'])} | {r['loadavg_after']} |"
        )
    print("\nRatios to the peers (Galerie req/s ÷ peer req/s):\n")
    for name, peers in PEERS.items():
        r = results["scenarios"].get(name)
        if not r:
            continue
        parts = [
            f"{peer} ×{r['requests_per_second'] / value:,.1f}"
            for peer, value in peers.items()
            if value
        ]
        print(f"- {name}: {', '.join(parts)}")


def main() -> None:
    for path in sorted(OUT.glob("results-*.json")):
        pages(path)
    creation = OUT / "creation.json"
    if creation.exists():
        data = json.loads(creation.read_text())
        print(f"\n### creation.json ({data['products']:,} products, {data['date_utc']})\n")
        print(f"load average {data['loadavg_start']} → {data['loadavg_end']}\n")
        print("| path | seconds | products/s | offers |")
        print("|---|---:|---:|---:|")
        for mode in ("models", "bulk_create", "loaddemo"):
            r = data[mode]
            print(f"| {mode} | {r['seconds']} | {r['products_per_second']:,} | {r['offers']:,} |")
    startup = OUT / "demo-startup.json"
    if startup.exists():
        print(f"\n### demo-startup.json\n\n```\n{startup.read_text()}\n```")


if __name__ == "__main__":
    main()
