"""Print the Markdown tables of docs/benchmarks.md from bench/out/*.json.

uv run python bench/report.py

bench/pages.py imports `pages_table` to print its own results the same way.
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

LABELS = {
    "bare": "bare 10 KB view (first)",
    "bare-end": "bare 10 KB view (last)",
    "category-cached": "category, one URL (cached)",
    "product-cached": "product, one URL (cached)",
    "live-category": "live mall: 20 popular category pages",
    "live-product": "live mall: 50 popular products",
    "category": "category listings, uncached",
    "product": "product pages, uncached",
    "search": "search, uncached",
    "search-c1": "search, uncached, 1 connection",
}


def _target(r: dict) -> str:
    target = r.get("target")
    if not target:
        return "–"
    text = f"≥ {target['share']:.0%}" + (" (next to it)" if "ratio_to_adjacent_bare" in r else "")
    if "p99_ms" in target:
        text += f", p99 ≤ {target['p99_ms']} ms"
    return f"{text}: {'**met**' if r['target_met'] else '**no**'}"


def _cache(r: dict) -> str:
    if "cache_hits" not in r:
        return "–"
    seen = r["cache_hits"] + r["cache_misses"]
    share = f" ({r['cache_hits'] / seen:.0%} hits)" if seen else ""
    return f"{r['cache_hits']:,} / {r['cache_misses']:,}{share}"


def pages_table(results: dict) -> str:
    """The Markdown table (and the notes under it) of one bench/pages.py run."""
    build = results["build"]
    lines = [f"### {build['products']:,} products", ""]
    code = results.get("code")
    if code:
        dirty = f", {len(code['uncommitted_src'])} uncommitted files in src/" if code[
            "uncommitted_src"
        ] else ""  # fmt: skip
        lines.append(f"code: {code['commit']} ({code['subject']}){dirty}  ")
    lines.append(
        f"load average (1/5/15 min): **{results['loadavg_start']}** at the start, "
        f"**{results['loadavg_end']}** at the end; database {build['database_mib']} MiB"
        + (f"; run {results['run_minutes']} min" if "run_minutes" in results else "")
        + "  "
    )
    if build.get("products_per_second"):
        lines.append(
            f"catalogue built in {build['loaddemo_seconds']} s (`galerie loaddemo`, process "
            f"included) = {build['products_per_second']:,} products/s; migrate "
            f"{build['migrate_seconds']} s  "
        )
    facet = build.get("facet_rebuild_command")
    lines.append(
        f"facet-count rebuild: `galerie {facet}` {build.get('facet_rebuild_seconds')} s  "
        if facet
        else "facet-count rebuild: no such command in this Galerie  "
    )
    if "ceiling_rps" in results:
        lines.append(
            f"shares are of the bare view's mean over its two rows: "
            f"{results['ceiling_rps']:,.1f} req/s"
        )
    lines += [
        "",
        "| row | URLs cycled | req/s | share of bare (first/last mean) | share of bare next to "
        "it | p50 ms | p99 ms | cache hit / miss | non-2xx | VmHWM per worker, MiB | "
        "load avg after | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|---|",
    ]
    for name, r in results["scenarios"].items():
        hwm = r.get("vm_hwm_mib", r.get("peak_rss_mib", []))
        adjacent = (
            f"{r['ratio_to_adjacent_bare']:.1%} of {r['bare_adjacent_rps']:,.0f}"
            if "ratio_to_adjacent_bare" in r
            else "–"
        )
        lines.append(
            f"| {LABELS.get(name, name)} | {r.get('distinct_urls', 1):,} | "
            f"{r['requests_per_second']:,.1f} | {r['ratio_to_bare']:.1%} | {adjacent} | "
            f"{r.get('p50_ms')} | "
            f"{r.get('p99_ms')} | {_cache(r)} | {max(r['non_2xx'], r.get('bad_status', 0))} | "
            f"{' + '.join(str(v) for v in hwm)} | {r['loadavg_after']} | {_target(r)} |"
        )
    notes = []
    for name, r in results["scenarios"].items():
        if "valid" in r and not r["valid"]:
            notes.append(f"- {name}: only {r['miss_share']:.0%} misses (< 90 %): not uncached")
        mall = r.get("live_mall")
        if mall:
            seen = r.get("cache_hits", 0) + r.get("cache_misses", 0)
            rate = f"{r['cache_hits'] / seen:.1%}" if seen else "n/a"
            notes.append(
                f"- {name}: hit rate **{rate}** while {mall['changes']} stock changes ran "
                f"({mall['changes_per_second']}/s; {mall['by_service']['stock_adjust']} "
                f"stock_adjust, {mall['by_service']['offer_update']} offer_update); "
                f"**{mall['summary_changed']}** altered a product summary; "
                f"{mall['on_popular_products']} touched the popular products "
                f"({mall['popular_summary_changed']} altering their summary); service p50 "
                f"{mall['service_ms_p50']} ms, max {mall['service_ms_max']} ms; "
                f"errors {mall['error_count']}"
            )
        if r.get("bad_status") and name.startswith("live-"):
            notes.append(
                f"- {name}: {r['bad_status']:,} non-200 answers (a popular product the live "
                "mall sold out answers 404 in a storefront hiding sold-out items)"
            )
        drain = r.get("drain", {})
        if drain.get("restarted"):
            notes.append(
                f"- {name}: workers still busy {drain['drain_seconds']} s after wrk: restarted"
            )
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def pages(path: Path) -> None:
    results = json.loads(path.read_text())
    print(f"\n## {path.name}\n")
    print(f"machine: {results['machine']}\n")
    for line in results["build"]["loaddemo_output"]:
        print(f"> {line}")
    print()
    print(pages_table(results))
    print("\nRatios to the peers (Galerie req/s ÷ peer req/s):\n")
    for name, peers in PEERS.items():
        r = results["scenarios"].get(name) or results["scenarios"].get(f"{name}-mix")
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
