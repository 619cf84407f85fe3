"""Benchmark of catalogue feed imports (issue 6), on SQLite and PostgreSQL.

    uv run python bench/import_bench.py --rows 1000000            # both databases
    uv run python bench/import_bench.py --rows 100000 --backends sqlite

For each database, in a fresh empty mall, each phase in its own process (so that peak memory,
ru_maxrss, is the phase's own):
  plain    the rate at which the database takes plain bulk INSERTs of the feed's product rows
           alone (COPY on PostgreSQL, executemany on SQLite; the import's batch size per
           transaction; building the tuples is not timed), into catalog_product and into a bare
           table of the same columns without any index; then those rows are deleted again;
  import   `feed_import` of the feed into the empty mall (a new seller); the peak memory of the
           feed reader's child process is reported beside the importing process's;
  reimport the same feed again (nothing changes);
  floor    with --floor, in a fresh empty mall again: the import's own writes for the feed (the
           same statements and batches), every row built beforehand, only the writes timed: the
           database's share of an import, which no Python work can go below.
The feed comes from gen_feed.py (../shared/data, or the copy beside the import tests) into
bench/out/imports/. Results: a table on stdout and
bench/out/imports/import-results-<rows>-<backends>.json.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "imports"
# Its own database (dropped and created by the script); another name with GALERIE_BENCH_PG_DB.
PG_DB = os.environ.get("GALERIE_BENCH_PG_DB", "galerie_h_imports")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"


def gen_feed_script() -> Path:
    shared = ROOT.parent / "shared" / "data" / "gen_feed.py"
    if shared.exists():
        return shared
    return ROOT / "src" / "galerie" / "imports" / "tests" / "data" / "gen_feed.py.txt"


def feed_for(rows: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"feed-{rows}.tsv"
    if not path.exists():
        t = time.time()
        with open(path, "w", encoding="utf-8") as out:
            subprocess.run(
                [
                    sys.executable,
                    str(gen_feed_script()),
                    "--rows",
                    str(rows),
                    "--seed",
                    "7",
                    "--shop",
                    "bench",
                ],
                stdout=out,
                check=True,
            )
        print(f"feed generated: {path} ({time.time() - t:.0f} s)", file=sys.stderr)
    return path


def env_for(backend: str) -> dict:
    env = dict(os.environ)
    env["GALERIE_VAR_DIR"] = str(OUT / f"var-{backend}")
    env["DJANGO_SETTINGS_MODULE"] = "galerie.settings"
    if backend == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env.pop("DATABASE_URL", None)
    return env


def fresh_database(backend: str) -> None:
    if backend == "sqlite":
        var = OUT / "var-sqlite"
        var.mkdir(parents=True, exist_ok=True)
        for name in ("galerie.sqlite3", "galerie.sqlite3-wal", "galerie.sqlite3-shm"):
            (var / name).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            c.execute(f"CREATE DATABASE {PG_DB}")


def run_phase(backend: str, phase: str, feed: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--feed", str(feed)],
        env=env_for(backend),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"phase {phase} on {backend} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------- inside one phase


def _setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from galerie.imports.mappings import DEFAULT_MAPPINGS, category_mappings_load
    from galerie.imports.models import CategoryMapping

    if not CategoryMapping.objects.exists():
        category_mappings_load(path=DEFAULT_MAPPINGS, create=True)


def phase_plain(feed: Path) -> dict:
    """Plain bulk INSERTs of the product rows alone: the database's own pace.

    Twice: into `catalog_product` itself (its unique slug and GTIN, its listing indexes), and into
    a bare copy of its columns without any index (what the database takes at most).
    """
    _setup()
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from galerie.catalog.models import Category, Product, ProductType
    from galerie.imports.feeds import Feed
    from galerie.imports.services import BATCH_SIZE

    category = Category.objects.first().pk
    product_type = ProductType.objects.first().pk
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Product._meta.db_table)
    bare = "bench_bare_product"
    columns = [
        "title",
        "slug",
        "description",
        "product_type_id",
        "category_id",
        "gtin",
        "image_urls",
        "is_active",
        "offer_count",
        "in_stock",
        "offer_facets",
        "created_at",
        "updated_at",
    ]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {bare}")
        cursor.execute(
            f"CREATE TABLE {bare} (id bigint, title varchar(250), slug varchar(280), "
            "description text, product_type_id bigint, category_id bigint, gtin varchar(14), "
            "image_urls text, is_active boolean, offer_count integer, in_stock boolean, "
            "offer_facets text, "
            "created_at varchar(40), updated_at varchar(40))"
        )
    elapsed = {table: 0.0, bare: 0.0}
    rows = 0
    seen: set[str] = set()
    batch: list[tuple] = []

    def flush():
        connection.ensure_connection()
        for target in (table, bare):
            t = time.perf_counter()
            with transaction.atomic():
                # The fastest plain form on each database: COPY on PostgreSQL, one prepared
                # statement run with executemany on SQLite.
                if connection.vendor == "postgresql":
                    import psycopg

                    with (
                        psycopg.Cursor(connection.connection) as cursor,
                        cursor.copy(f"COPY {target} ({cols}) FROM STDIN") as copy,
                    ):
                        for row in batch:
                            copy.write_row(row)
                else:
                    with connection.cursor() as cursor:
                        cursor.executemany(f"INSERT INTO {target} ({cols}) VALUES {one}", batch)
            elapsed[target] += time.perf_counter() - t
        batch.clear()

    with Feed(feed) as f:
        for _n, r in f.rows():
            gtin = (r or {}).get("gtin", "")
            if not r or not gtin or gtin in seen:
                continue
            seen.add(gtin)
            batch.append(
                (
                    r["title"][:250],
                    f"{slugify(r['title'])[:200]}-{gtin}",
                    r["description"],
                    product_type,
                    category,
                    gtin,
                    json.dumps([r["image_link"]]),
                    True,
                    0,
                    False,
                    "",
                    now,
                    now,
                )
            )
            rows += 1
            if len(batch) >= BATCH_SIZE:  # the import's own transaction size
                flush()
    if batch:
        flush()
    with transaction.atomic(), connection.cursor() as cursor:
        # Plain SQL: the ORM's delete would collect the million rows (and their relations).
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"DROP TABLE {bare}")
    return {
        "rows": rows,
        "seconds": elapsed[table],
        "rate": rows / elapsed[table],
        "bare_seconds": elapsed[bare],
        "bare_rate": rows / elapsed[bare],
    }


def phase_floor(feed: Path) -> dict:
    """The database's share of a first import: the very statements the import runs for the feed
    (products with RETURNING, brand values, offers, ids seen, search index, one commit per batch
    of the import's size), with every row built beforehand. Only the writes are timed."""
    _setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from galerie.catalog.models import AttributeValue, Product
    from galerie.catalog.summary import SUMMARY_FIELDS, OfferFacts, product_summary
    from galerie.imports import bulk
    from galerie.imports.models import ImportJob, ImportRowKey
    from galerie.imports.reader import prepared_batches
    from galerie.imports.services import (
        BATCH_SIZE,
        OFFER_COLUMNS,
        PRODUCT_COLUMNS,
        _Catalogue,
    )
    from galerie.search.services import search_index_refresh
    from galerie.sellers.models import Offer, Seller, SellerStatus
    from galerie.sellers.services import product_offer_summary_refresh

    seller, _ = Seller.objects.get_or_create(
        slug="floor", defaults={"name": "Floor", "status": SellerStatus.VERIFIED}
    )
    job = ImportJob.objects.create(seller=seller, path=str(feed))
    catalogue = _Catalogue()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    elapsed = 0.0
    rows = 0
    product_ids: dict[str, int] = {}  # GTIN → product: a GTIN seen again gets an offer only
    for batch in prepared_batches(str(feed), batch_size=BATCH_SIZE, seller_pk=seller.pk):
        products, brands, offers, keys = [], [], [], []
        pending: dict[str, int] = {}  # GTIN → index in `products`
        for n, sku, row, _problems in batch.rows:
            if row is None:
                continue
            keys.append((job.pk, sku, n))
            offers.append(
                [
                    seller.pk,
                    product_ids.get(row.gtin),
                    sku,
                    row.price,
                    row.delivery_price or 0,
                    row.condition,
                    row.condition_note,
                    row.stock,
                    2,
                    True,
                    now,
                    now,
                ]
            )
            offers[-1].append(row.gtin)  # its product, once the batch's products have ids
            if row.gtin in product_ids or row.gtin in pending:
                continue
            pending[row.gtin] = len(products)
            category_id, type_id = catalogue.map(row.categories)
            info = catalogue.types[type_id]
            book = info.is_book and row.condition == "new"
            summary = product_summary(
                [
                    OfferFacts(
                        row.price,
                        row.condition,
                        seller.pk,
                        visible=True,
                        purchasable=row.stock > 0,  # a verified seller's active offer
                    )
                ]
            )
            products.append(
                (
                    row.title,
                    row.slug,
                    row.description,
                    type_id,
                    category_id,
                    row.gtin,
                    f"[{json.dumps(row.image_url)}]",
                    row.list_price if book else None,
                    True,
                    *(summary[f] for f in SUMMARY_FIELDS),
                    now,
                    now,
                )
            )
            brands.append(info.brand_attribute_id and row.brand)
        connection.ensure_connection()
        t = time.perf_counter()
        with transaction.atomic():
            ids = bulk.insert(Product, PRODUCT_COLUMNS, products, returning=True)
            bulk.insert(
                AttributeValue,
                ["product_id", "attribute_id", "value_text", "facet_value"],
                [
                    (pk, catalogue.types[p[3]].brand_attribute_id, brand, brand)
                    for pk, p, brand in zip(ids, products, brands, strict=True)
                    if brand
                ],
            )
            for gtin, index in pending.items():
                product_ids[gtin] = ids[index]
            # As the import: a product that existed before the batch, or that received more
            # than one offer in it, gets its offer summary recomputed.
            touched, offers_of_new = set(), Counter()
            for offer in offers:
                gtin = offer.pop()
                if offer[1] is None:
                    offer[1] = product_ids[gtin]
                    offers_of_new[offer[1]] += 1
                else:
                    touched.add(offer[1])
            touched.update(pk for pk, count in offers_of_new.items() if count > 1)
            bulk.insert(Offer, OFFER_COLUMNS, [tuple(o) for o in offers])
            bulk.insert(ImportRowKey, ["job_id", "sku", "row"], keys)
            if touched:
                product_offer_summary_refresh(product_ids=sorted(touched))
            search_index_refresh(product_ids=ids)
            job.last_row = batch.rows[-1][0]
            job.save()
        elapsed += time.perf_counter() - t
        rows += len(batch.rows)
    return {"rows": rows, "seconds": elapsed, "rate": rows / elapsed}


def _steps_timed() -> dict:
    """Wall time spent in each step of the import (the batch's writes, the search index, the
    summaries…), by wrapping the functions the import calls; the rest is reading and deciding."""
    import collections

    from galerie.imports import bulk, services, staging

    spent: dict[str, float] = collections.defaultdict(float)

    def wrap(module, name):
        function = getattr(module, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] += time.perf_counter() - start

        setattr(module, name, timed)

    for name in ("stage_products", "stage_offers"):
        wrap(staging, name)
    for name in ("insert", "select", "update_by_pk", "sequence_ids"):
        wrap(bulk, name)
    for name in (
        "_batch_commit",
        "feed_images_queue",
        "offer_prices_record",
        "stock_movements_record",
        "category_facet_counts_add",
        "product_offer_summary_refresh",
        "search_index_refresh",
        "versions_bump",
        "_report",
    ):
        wrap(services, name)
    return spent


def _server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when the server runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def phase_import(feed: Path) -> dict:
    _setup()
    from galerie.imports.services import feed_import
    from galerie.sellers.models import Seller, SellerStatus

    steps = _steps_timed()

    seller, _ = Seller.objects.get_or_create(
        slug="bench", defaults={"name": "Bench", "status": SellerStatus.VERIFIED}
    )
    server = _server_cpu()
    t = time.perf_counter()
    cpu = time.process_time()
    report = feed_import(seller=seller, path=str(feed))
    elapsed = time.perf_counter() - t
    if server is not None:
        server = _server_cpu() - server
    job = report.job
    return {
        "rows": job.last_row,
        "seconds": elapsed,
        "cpu_seconds": time.process_time() - cpu,
        "server_cpu_seconds": server,
        "rate": job.last_row / elapsed,
        "rows_ok": job.rows_ok,
        "rows_rejected": job.rows_rejected,
        "offers_created": job.offers_created,
        "offers_unchanged": job.offers_unchanged,
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # The feed reader's child process, when the feed is large enough to get one.
        "reader_peak_memory_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "steps_seconds": {k: round(v, 2) for k, v in sorted(steps.items(), key=lambda i: -i[1])},
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument(
        "--floor",
        action="store_true",
        help="also time the import's own INSERTs alone, rows built beforehand (a fresh database)",
    )
    p.add_argument("--no-reimport", action="store_true", help="skip the re-import phase")
    p.add_argument("--phase", choices=["plain", "import", "floor"], help=argparse.SUPPRESS)
    p.add_argument("--feed", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.phase:
        sys.path.insert(0, str(ROOT / "src"))
        phases = {"plain": phase_plain, "import": phase_import, "floor": phase_floor}
        result = phases[a.phase](Path(a.feed))
        print(json.dumps(result))
        return

    feed = feed_for(a.rows)
    results = {"rows": a.rows, "feed": str(feed), "cpus": os.cpu_count(), "backends": {}}
    for backend in a.backends.split(","):
        fresh_database(backend)
        plain = run_phase(backend, "plain", feed)
        print(
            f"[{backend}] plain inserts: {plain['rate']:,.0f} rows/s "
            f"(bare table: {plain['bare_rate']:,.0f})",
            file=sys.stderr,
        )
        first = run_phase(backend, "import", feed)
        print(
            f"[{backend}] import: {first['rate']:,.0f} rows/s, steps (s): {first['steps_seconds']}",
            file=sys.stderr,
        )
        again = None if a.no_reimport else run_phase(backend, "import", feed)
        if again:
            print(f"[{backend}] re-import: {again['rate']:,.0f} rows/s", file=sys.stderr)
        floor = None
        if a.floor:
            fresh_database(backend)  # the same writes again, into an empty mall
            floor = run_phase(backend, "floor", feed)
            print(
                f"[{backend}] the import's writes alone: {floor['rate']:,.0f} rows/s",
                file=sys.stderr,
            )
        results["backends"][backend] = {
            "plain": plain,
            "import": first,
            "reimport": again,
            "floor": floor,
            "ratio_to_plain": first["rate"] / plain["rate"],
            "ratio_to_bare": first["rate"] / plain["bare_rate"],
            "reimport_speedup": first["seconds"] / again["seconds"] if again else None,
        }
    out = OUT / f"import-results-{a.rows}-{a.backends.replace(',', '-')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(
        "| database | import rows/s | CPU s | peak memory (reader) | plain rows/s "
        "(bare table) | ratio (bare) | re-import rows/s | speed-up |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for backend, r in results["backends"].items():
        imp = r["import"]
        print(
            f"| {backend} | {imp['rate']:,.0f} | {imp['cpu_seconds']:.0f} "
            f"| {imp['peak_memory_mb']:.0f} MB ({imp['reader_peak_memory_mb']:.0f} MB) "
            f"| {r['plain']['rate']:,.0f} ({r['plain']['bare_rate']:,.0f}) "
            f"| 1/{1 / r['ratio_to_plain']:.1f} (1/{1 / r['ratio_to_bare']:.1f}) "
            + (
                f"| {r['reimport']['rate']:,.0f} | ×{r['reimport_speedup']:.1f} |"
                if r["reimport"]
                else "| – | – |"
            )
        )
    print(f"results: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
