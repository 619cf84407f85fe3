"""Search benchmark: seed N synthetic products, time the rebuild and a mix of queries.

Run against a throw-away database only, e.g.:
    export DATABASE_URL=sqlite:////tmp/search-bench.sqlite3
    uv run galerie migrate && uv run python bench/search_bench.py 100000 [TITLES]
(TITLES: how many product titles the ~4×TITLES queries are drawn from, 2000 by default.)
A database that already holds products is not seeded again, only re-indexed and queried.
"""

import itertools
import os
import random
import statistics
import sys
import time

import django

# Words drawn with a Zipf-like skew, the head (stop words, never searched) cut off: the most
# common words end up in about one product in ten, as "roman" would in a bookshop.
SYLLABLES = "ba be bi bo bu ca ce ci co da de di do fa fe fi la le li lo ma me mi mo na ne ni no "
SYLLABLES += "pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo"
COMMON = ["roman", "histoire", "édition", "poche", "illustré", "français", "tome", "été", "école"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = SYLLABLES.split()
    words = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)}
    words = sorted(words)[:size]
    rng.shuffle(words)  # frequency must not follow the alphabet, or prefixes get skewed
    return COMMON + words


def seed(count: int, rng: random.Random) -> None:
    from galerie.catalog.models import Attribute, AttributeValue, Product
    from galerie.testing.factories import make_book_type, make_category

    vocabulary = _vocabulary(rng, 20_000)
    weights = list(itertools.accumulate(1 / (rank + 60) for rank in range(len(vocabulary))))
    people = [
        f"{rng.choice(vocabulary).capitalize()} {rng.choice(vocabulary)}" for _ in range(3000)
    ]
    book = make_book_type()
    author, publisher = (
        Attribute.objects.get(product_type=book, code=c) for c in ("author", "publisher")
    )
    categories = [make_category(f"Rayon {i}") for i in range(200)]
    batch = 5000
    for start in range(0, count, batch):
        products = [
            Product(
                title=" ".join(
                    rng.choices(vocabulary, cum_weights=weights, k=rng.randint(2, 6))
                ).capitalize(),
                slug=f"bench-{n}",
                description=" ".join(
                    rng.choices(vocabulary, cum_weights=weights, k=rng.randint(20, 80))
                ),
                product_type=book,
                category=rng.choice(categories),
                gtin=None,
            )
            for n in range(start, min(start + batch, count))
        ]
        Product.objects.bulk_create(products)
        values = []
        for product in products:
            name = rng.choice(people)
            house = rng.choice(people[:100])
            values.append(
                AttributeValue(product=product, attribute=author, value_text=name, facet_value=name)
            )
            values.append(
                AttributeValue(
                    product=product, attribute=publisher, value_text=house, facet_value=house
                )
            )
        AttributeValue.objects.bulk_create(values)


def _percentiles(sorted_timings: list[float]):
    def percentile(q: float) -> float:
        return sorted_timings[min(len(sorted_timings) - 1, int(len(sorted_timings) * q))]

    return percentile


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
    django.setup()
    from django.db import connection

    from galerie.catalog.models import Category, Product
    from galerie.search.selectors import product_search_ids
    from galerie.search.services import search_index_rebuild

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    sampled_titles = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = random.Random(42)
    started = time.perf_counter()
    if Product.objects.exists():
        print(f"using the {Product.objects.count()} products already there ({connection.vendor})")
    else:
        seed(count, rng)
        print(
            f"seeded {count} products in {time.perf_counter() - started:.1f} s "
            f"({connection.vendor})"
        )

    started = time.perf_counter()
    indexed = search_index_rebuild()
    print(f"rebuild: {indexed} products in {time.perf_counter() - started:.1f} s")

    titles = list(
        Product.objects.values_list("title", flat=True)[:: max(1, count // sampled_titles)]
    )
    authors = [t.split()[0] for t in titles]
    category_ids = list(Category.objects.values_list("id", flat=True))
    assortment = category_ids[: len(category_ids) // 4]
    queries = []
    for title in titles:
        words = title.lower().split()
        queries.append(words[0])  # one word
        queries.append(" ".join(words[:2]))  # two words
        queries.append(words[-1][:3])  # typing: a 3-letter prefix
    queries += authors + COMMON * 20
    rng.shuffle(queries)
    for label, categories in (("whole mall", None), ("a quarter of the categories", assortment)):
        timings, cpu, hits = [], [], []
        for query in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            found = product_search_ids(query=query, category_ids=categories, limit=48)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            hits.append(len(found))
        slowest = sorted(zip(timings, queries, strict=True), reverse=True)[:3]
        timings.sort()
        p = _percentiles(timings)
        print(
            f"{label}: {len(queries)} queries, p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, "
            f"p99 {p(0.99):.1f} ms, max {timings[-1]:.1f} ms, mean hits {statistics.mean(hits):.0f}"
        )
        cpu.sort()
        print(
            f"  CPU time (unaffected by other processes): p50 {cpu[len(cpu) // 2]:.1f} ms, "
            f"p99 {_percentiles(cpu)(0.99):.1f} ms"
        )
        print("  slowest: " + ", ".join(f"{q!r} {t:.0f} ms" for t, q in slowest))


if __name__ == "__main__":
    main()
