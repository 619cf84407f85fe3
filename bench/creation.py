"""Catalogue creation rate three ways, on the same generated products, each into a fresh SQLite
database, so the demo loader's speed can be compared fairly with "creation through the models":

  models       Product.save() + AttributeValue.save() per value + the sellers' offer_publish
               service per offer (each refreshes the product summary) — what an admin form or
               a naive import does, and what the peers' figures measure
  bulk_create  the ORM's bulk_create in batches, summaries computed in Python
  loaddemo     galerie.demo.services.demo_load (plain INSERTs through the cursor), search index
               rebuild included
Reference data (storefronts, categories, types, sellers) is created first, untimed.

    uv run python bench/creation.py [--products 5000]

Writes bench/out/creation.json.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def worker(mode: str, products: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from galerie.catalog.models import AttributeValue, Category, Product, ProductType
    from galerie.demo import services
    from galerie.demo.generator import product_specs
    from galerie.sellers.models import Offer
    from galerie.sellers.services import offer_publish

    if mode == "loaddemo":
        services.demo_load(products=0)  # reference data: not timed
        started = time.perf_counter()
        result = services.demo_load(products=products)
        return {"seconds": time.perf_counter() - started, "offers": result.offers_created}

    # Reference data (storefronts, types, sellers) through the loader, no products: not timed.
    services.demo_load(products=0)
    result = services.DemoLoadResult()
    ref = services._reference(result)
    categories = {c.slug: c for c in Category.objects.all()}
    types = {t.slug: t for t in ProductType.objects.all()}
    from galerie.catalog.models import Attribute
    from galerie.sellers.models import Seller

    attributes = {(a.product_type.slug, a.code): a for a in Attribute.objects.select_related()}
    sellers = {s.slug: s for s in Seller.objects.all()}
    specs = [s for chunk in product_specs(products) for s in chunk]
    columns = {
        "text": "value_text",
        "choice": "value_text",
        "integer": "value_int",
        "decimal": "value_decimal",
        "boolean": "value_bool",
        "date": "value_date",
    }
    offers = 0
    started = time.perf_counter()
    if mode == "models":
        for spec in specs:
            with transaction.atomic():
                product = Product(
                    title=spec.title, slug=spec.slug, description=spec.description,
                    product_type=types[spec.product_type], category=categories[spec.category],
                    gtin=spec.gtin, publisher_price=spec.publisher_price,
                )  # fmt: skip
                product.full_clean()
                product.save()
                for code, value in spec.attributes.items():
                    attribute = attributes[(spec.product_type, code)]
                    AttributeValue(
                        product=product, attribute=attribute, **{columns[attribute.kind]: value}
                    ).save()
                for o in spec.offers:
                    offer = offer_publish(
                        seller=sellers[o.seller], product=product, price=o.price, stock=o.stock,
                        condition=o.condition, condition_note=o.condition_note,
                        delivery_price=o.delivery_price, lead_time_days=o.lead_time_days,
                        sku=o.sku,
                    )  # fmt: skip
                    offers += 1
                    if not o.is_active:
                        Offer.objects.filter(pk=offer.pk).update(is_active=False)
    else:
        with transaction.atomic():
            for start in range(0, len(specs), 1000):
                chunk = specs[start : start + 1000]
                rows = []
                for spec in chunk:
                    best, count, in_stock = services._summary(spec, ref.verified)
                    rows.append(
                        Product(
                            title=spec.title, slug=spec.slug, description=spec.description,
                            product_type=types[spec.product_type],
                            category=categories[spec.category], gtin=spec.gtin,
                            publisher_price=spec.publisher_price, best_price=best,
                            offer_count=count, in_stock=in_stock,
                        )
                    )  # fmt: skip
                Product.objects.bulk_create(rows)
                values, offer_rows = [], []
                for spec, product in zip(chunk, rows, strict=True):
                    for code, value in spec.attributes.items():
                        attribute = attributes[(spec.product_type, code)]
                        column = columns[attribute.kind]
                        values.append(
                            AttributeValue(
                                product=product, attribute=attribute, **{column: value},
                                facet_value=services.display_value(attribute.kind, value),
                            )
                        )  # fmt: skip
                    for o in spec.offers:
                        offer_rows.append(
                            Offer(
                                seller=sellers[o.seller], product=product, sku=o.sku,
                                price=o.price, delivery_price=o.delivery_price,
                                condition=o.condition, condition_note=o.condition_note,
                                stock=o.stock, lead_time_days=o.lead_time_days,
                                is_active=o.is_active,
                            )
                        )  # fmt: skip
                AttributeValue.objects.bulk_create(values)
                Offer.objects.bulk_create(offer_rows)
                offers += len(offer_rows)
    return {"seconds": time.perf_counter() - started, "offers": offers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(worker(args.mode, args.products)))
        return
    results = {
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        "products": args.products,
        "loadavg_start": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }
    for mode in ("models", "bulk_create", "loaddemo"):
        var = OUT / f"var-creation-{mode}"
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(GALERIE_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="galerie.settings")
        done = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--products", str(args.products)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        outcome = json.loads(done.stdout.strip().splitlines()[-1])
        outcome["products_per_second"] = round(args.products / outcome["seconds"])
        outcome["seconds"] = round(outcome["seconds"], 2)
        results[mode] = outcome
        print(mode, outcome, flush=True)
        shutil.rmtree(var, ignore_errors=True)
    results["loadavg_end"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    (OUT / "creation.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
