"""Facets by offer and the precomputed facet counts: a brute-force property test of the listing,
and the counts kept equal to a fresh recount through offer changes, seller suspensions, the back
office, feed imports, the demo loader and the rebuild command."""

import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galerie.catalog.admin import _refresh_product
from galerie.catalog.facets import (
    category_facet_counts_rebuild,
    category_facet_counts_repair,
)
from galerie.catalog.models import Attribute, AttributeValue, CategoryFacetCount, Product
from galerie.catalog.summary import PRICE_RANGES, price_range_key
from galerie.inventory.services import stock_adjust, stock_release, stock_reserve
from galerie.sellers.models import Offer
from galerie.sellers.onboarding import seller_status_change
from galerie.sellers.services import offer_publish, offer_update, product_offer_summary_refresh
from galerie.storefronts.listing import SORTS, counting, product_listing
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_product_type,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


def counts_snapshot() -> list[tuple]:
    return sorted(
        CategoryFacetCount.objects.exclude(count=0).values_list(
            "category_id", "scope", "facet", "attribute_id", "value", "count"
        )
    )


def assert_counts_exact():
    kept = counts_snapshot()
    category_facet_counts_rebuild()
    assert kept == counts_snapshot()


def facets_of(listing) -> dict[str, dict[str, int]]:
    return {f.param: {o.value: o.count for o in f.options} for f in listing.facets}


# --- the listing against a brute-force count ---------------------------------------------

PRICES = ["0.50", "9.99", "10.00", "10.01", "19.99", "20.00", "49.99", "50.00", "1000.00"]
AUTHORS = ["Hugo", "Zola", "Sand"]
CONDITIONS = ["new", "used", "refurbished"]
RANGE_KEYS = [key for key, _lo, _hi in PRICE_RANGES]

offer_st = st.tuples(
    st.sampled_from([0, 1, 2, 0, 1, 2, 3]),  # seller: 0-2 verified, 3 applied (never visible)
    st.sampled_from(CONDITIONS),
    st.sampled_from(PRICES),
    st.sampled_from([0, 1, 4, 4]),  # stock
    st.sampled_from([True, True, True, False]),  # active
)
product_st = st.tuples(
    st.sampled_from([None, *AUTHORS]),
    st.booleans(),  # in the subcategory
    st.sampled_from([True, True, True, True, False]),  # active
    st.lists(offer_st, min_size=1, max_size=3) | st.just([]),
)
filters_st = st.fixed_dictionaries(
    {
        "prix": st.lists(st.sampled_from([*RANGE_KEYS, "abc"]), max_size=2, unique=True),
        "etat": st.lists(st.sampled_from([*CONDITIONS, "cassé"]), max_size=2, unique=True),
        "vendeur": st.lists(
            st.sampled_from(["s0", "s1", "s2", "shady", "nobody"]), max_size=2, unique=True
        ),
        "auteur": st.lists(st.sampled_from([*AUTHORS, "Inconnu"]), max_size=2, unique=True),
    }
)


@pytest.fixture
def mall():
    root = make_category("Livres", slug="livres")
    sub = make_category("Poches", slug="poches", parent=root)
    sellers = [make_seller(f"S{i}", slug=f"s{i}") for i in range(3)]
    sellers.append(make_seller("Shady", slug="shady", status="applied"))
    return SimpleNamespace(
        root=root,
        sub=sub,
        shop=make_storefront("culture", categories=[root]),
        book=make_book_type(),
        sellers=sellers,
    )


def _expected(mall, built, filters, *, show_out_of_stock, whole_tree, sort, ranked=None):
    verified = {s.pk for s in mall.sellers[:3]}
    slug_of = {s.pk: s.slug for s in mall.sellers}
    used_authors = {p["author"] for p in built if p["author"]}
    clean = {
        "prix": [v for v in filters["prix"] if v in RANGE_KEYS],
        "etat": [v for v in filters["etat"] if v in CONDITIONS],
        "vendeur": [v for v in filters["vendeur"] if v in ("s0", "s1", "s2")],
        "auteur": [v for v in filters["auteur"] if v in used_authors],
    }
    clean = {k: v for k, v in clean.items() if v}
    categories = {mall.root.pk, mall.sub.pk} if whole_tree or ranked else {mall.sub.pk}

    def purchasable(o):
        return o["active"] and o["stock"] > 0 and o["seller"] in verified

    def visible(p):
        if not (p["active"] and p["category"] in categories):
            return False
        shown = [o for o in p["offers"] if o["active"] and o["seller"] in verified]
        return any(purchasable(o) for o in shown) or (show_out_of_stock and bool(shown))

    def value(o, group):
        return {
            "prix": price_range_key(o["price"]),
            "etat": o["condition"],
            "vendeur": slug_of[o["seller"]],
        }[group]

    def offer_ok(o, skip=None):
        return all(
            value(o, g) in clean[g] for g in ("prix", "etat", "vendeur") if g in clean and g != skip
        )

    offer_groups = any(g in clean for g in ("prix", "etat", "vendeur"))

    def offers_match(p, skip=None):
        return any(purchasable(o) and offer_ok(o, skip) for o in p["offers"])

    def author_ok(p):
        return "auteur" not in clean or p["author"] in clean["auteur"]

    shown = [p for p in built if visible(p)]
    listed = [p for p in shown if author_ok(p) and (not offer_groups or offers_match(p))]
    counts: dict[str, dict[str, int]] = {g: {} for g in ("prix", "etat", "vendeur", "auteur")}
    for p in shown:
        if author_ok(p):
            for group in ("prix", "etat", "vendeur"):
                values = {
                    value(o, group) for o in p["offers"] if purchasable(o) and offer_ok(o, group)
                }
                for v in values:
                    counts[group][v] = counts[group].get(v, 0) + 1
        if p["author"] and (not offer_groups or offers_match(p)):
            counts["auteur"][p["author"]] = counts["auteur"].get(p["author"], 0) + 1
    facets = {}
    for group, found in counts.items():
        shown_values = {v: n for v, n in found.items() if n}
        shown_values.update({v: found.get(v, 0) for v in clean.get(group, [])})
        if shown_values:
            facets[group] = shown_values

    def best(p):
        prices = [o["price"] for o in p["offers"] if purchasable(o)]
        return min(prices) if prices else None

    rank = {pk: i for i, pk in enumerate(ranked or [])}
    keys = {
        "pertinence": (lambda p: rank[p["pk"]]) if ranked else lambda p: (p["title"], p["pk"]),
        "prix-croissant": lambda p: (best(p) is None, best(p) or 0, p["title"], p["pk"]),
        "prix-decroissant": lambda p: (
            best(p) is None,
            -(best(p) or 0),
            p["title"],
            p["pk"],
        ),
        "nouveautes": lambda p: (-p["created"], -p["pk"]),
    }
    order = [p["pk"] for p in sorted(listed, key=keys[sort])]
    return clean, order, facets


PROPERTY = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXAMPLES = given(
    products=st.lists(product_st, min_size=1, max_size=8),
    filters=filters_st,
    show_out_of_stock=st.booleans(),
    sort=st.sampled_from(list(SORTS)),
    per_page=st.sampled_from([1, 2, 3]),
)


@PROPERTY
@EXAMPLES
def test_listing_and_every_count_match_a_brute_force_count(
    mall, products, filters, show_out_of_stock, sort, per_page
):
    """A product is listed iff one of its purchasable offers matches every offer-level filter
    (and its author the author filter); every option's count is the brute-force count."""
    _check_listings(mall, products, filters, show_out_of_stock, sort, per_page, capped=False)


# Larger sets and lighter filters, so that the small caps below are reached.
busy_offer_st = st.tuples(
    st.sampled_from([0, 1, 2, 0, 1, 3]),
    st.sampled_from(CONDITIONS),
    st.sampled_from(PRICES),
    st.sampled_from([1, 4, 4, 0]),
    st.sampled_from([True, True, True, False]),
)
busy_product_st = st.tuples(
    st.sampled_from([None, *AUTHORS]),
    st.booleans(),
    st.sampled_from([True, True, True, False]),
    st.lists(busy_offer_st, min_size=1, max_size=3),
)
light_filters_st = st.fixed_dictionaries(
    {
        "prix": st.lists(st.sampled_from(RANGE_KEYS[:4]), max_size=1),
        "etat": st.lists(st.sampled_from(CONDITIONS[:2]), max_size=1),
        "vendeur": st.lists(st.sampled_from(["s0", "s1", "s2"]), max_size=2, unique=True),
        "auteur": st.lists(st.sampled_from(AUTHORS), min_size=1, max_size=2, unique=True)
        | st.just([]),
    }
)


@PROPERTY
@given(
    products=st.lists(busy_product_st, min_size=3, max_size=10),
    filters=light_filters_st,
    show_out_of_stock=st.booleans(),
    sort=st.sampled_from(list(SORTS)),
    per_page=st.sampled_from([1, 2, 3]),
)
def test_capped_and_sampled_counts_never_contradict_a_brute_force_count(
    mall, monkeypatch, products, filters, show_out_of_stock, sort, per_page
):
    """With caps smaller than the mall (count at most 1 product, sample 1 per set): a total
    shown as exact is exact and a capped one is a true lower bound; the pages list at least
    that many of the right products, in the right order; a facet not marked as an estimate has
    exactly the brute-force counts, and an estimate only offers values that some matching
    product has."""
    monkeypatch.setattr(counting, "COUNT_CAP", 1)
    monkeypatch.setattr(counting, "FACET_SAMPLE", 1)
    _check_listings(mall, products, filters, show_out_of_stock, sort, per_page, capped=True)


def _check_listings(mall, products, filters, show_out_of_stock, sort, per_page, *, capped):
    with transaction.atomic():
        cache.clear()
        mall.shop.show_out_of_stock = show_out_of_stock
        mall.shop.save()
        built, offers = [], []
        for i, (author, in_sub, active, offer_specs) in enumerate(products):
            product = make_product(
                f"P{i}",
                category=mall.sub if in_sub else mall.root,
                product_type=mall.book,
                attributes={"author": author} if author else {},
                is_active=active,
            )
            specs = []
            for seller, condition, price, stock, offer_active in offer_specs:
                spec = {
                    "seller": mall.sellers[seller].pk,
                    "condition": condition,
                    "price": Decimal(price),
                    "stock": stock,
                    "active": offer_active,
                }
                specs.append(spec)
                offers.append(
                    Offer(
                        product=product,
                        seller=mall.sellers[seller],
                        price=spec["price"],
                        stock=stock,
                        condition=condition,
                        condition_note="" if condition == "new" else "Bon état",
                        is_active=offer_active,
                    )
                )
            built.append(
                {
                    "pk": product.pk,
                    "title": product.title,
                    "created": product.created_at.timestamp(),
                    "author": author,
                    "category": product.category_id,
                    "active": active,
                    "offers": specs,
                }
            )
        Offer.objects.bulk_create(offers)
        product_offer_summary_refresh(product_ids=[p["pk"] for p in built])

        # The category with its subcategory (a page merged from both), then the subcategory;
        # its landing page (precomputed counts), then filtered (counted); then the same
        # products as a ranked search result.
        ranked = [p["pk"] for p in reversed(built)]
        cases = [
            (True, {}, None),
            (True, filters, None),
            (False, {}, None),
            (False, filters, None),
            (True, filters, ranked),
        ]
        for whole_tree, wanted, product_ids in cases:
            category = mall.root if whole_tree else mall.sub
            options = {
                "show_out_of_stock": show_out_of_stock,
                "whole_tree": whole_tree,
                "sort": sort,
                "ranked": product_ids,
            }
            expected = _expected(mall, built, {k: wanted.get(k, []) for k in filters}, **options)
            seen, page, num_pages = [], 1, 1
            while page <= num_pages:
                listing = product_listing(
                    storefront=mall.shop,
                    category=None if product_ids is not None else category,
                    product_ids=product_ids,
                    filters=wanted,
                    sort=sort,
                    page=page,
                    per_page=per_page,
                )
                seen.extend(p.pk for p in listing.products)
                num_pages, page = listing.num_pages, page + 1
            clean, order, counts = expected
            assert listing.filters == clean
            if not capped:
                assert listing.total_exact
                assert not listing.facets_estimated
            if listing.total_exact:
                assert seen == order
                assert listing.total == len(order)
            else:
                # At least `total`: the pages go that far (the last one full), in order.
                assert 0 < listing.total <= len(order)
                assert listing.total <= len(seen) and seen == order[: len(seen)]
            got = facets_of(listing)
            for f in listing.facets:
                if f.estimated:
                    # An estimate offers only values some matching product has (or selected).
                    for o in f.options:
                        assert o.count >= 0
                        assert counts.get(f.param, {}).get(o.value, 0) > 0 or o.selected
                else:
                    assert got[f.param] == counts.get(f.param)
            # A group shown exactly may not be missing; an estimated one may have sampled none.
            for param in counts:
                selected = bool(clean.get(param))
                assert param in got or (capped and not selected)
        assert_counts_exact()
        transaction.set_rollback(True)


# --- the counts stay exact ----------------------------------------------------------------


@pytest.fixture
def shelf():
    root = make_category("Musique", slug="musique")
    rock = make_category("Rock", slug="rock", parent=root)
    jazz = make_category("Jazz", slug="jazz", parent=root)
    kind = make_product_type("disque", name="Disque")
    genre = Attribute.objects.create(
        product_type=kind, code="label", name="Label", kind="text", is_facet=True
    )
    Attribute.objects.create(product_type=kind, code="year", name="Année", kind="integer")
    seller, other = make_seller("Disquaire", slug="disquaire"), make_seller("Puces", slug="puces")
    products = []
    for i in range(4):
        product = make_product(
            f"Disque {i}",
            category=rock if i % 2 else jazz,
            product_type=kind,
            attributes={"label": f"Label {i % 2}", "year": 1970 + i},
        )
        make_offer(product, seller=seller, price=f"{8 + 4 * i}.00", stock=2)
        products.append(product)
    make_offer(products[0], seller=other, price="9.99", stock=1, condition="used")
    return SimpleNamespace(
        root=root, rock=rock, jazz=jazz, genre=genre, seller=seller, other=other, products=products
    )


def test_precomputed_counts_stay_equal_to_a_recount_through_offer_changes(shelf):
    assert_counts_exact()
    a, b = shelf.products[0], shelf.products[1]

    offer = offer_publish(
        seller=shelf.other,
        product=b,
        price=Decimal("19.99"),
        stock=3,
        condition="refurbished",
        condition_note="Rayure légère",
    )
    assert_counts_exact()
    offer_update(offer=offer, price=Decimal("20.00"))  # crosses into the next price range
    assert_counts_exact()
    stock_reserve(items=[(offer.pk, 3)], reference="cmd-1")  # sold out
    assert_counts_exact()
    stock_release(items=[(offer.pk, 1)], reference="cmd-1", reason="Annulée")
    assert_counts_exact()
    only = a.offers.get(seller=shelf.seller)
    offer_update(offer=only, stock=0)
    assert_counts_exact()
    seller_status_change(seller=shelf.other, to_status="suspended", actor=None, reason="KYB")
    assert_counts_exact()  # a is now out of every listing: its only purchasable offer was used
    assert not Product.objects.get(pk=a.pk).in_stock
    seller_status_change(seller=shelf.other, to_status="verified", actor=None, reason="")
    assert_counts_exact()
    stock_adjust(offer=only, delta=5, reason="Inventaire")
    offer_update(offer=b.offers.get(seller=shelf.seller), is_active=False)
    assert_counts_exact()
    assert CategoryFacetCount.objects.filter(count__lt=0).count() == 0


def test_the_landing_page_reads_the_precomputed_counts(shelf, django_assert_max_num_queries):
    shop = make_storefront("disques", categories=[shelf.root])
    every_condition = {"etat": ["new", "used", "refurbished"]}
    # Counted from the products and their offers; warms the category and attribute caches.
    computed = product_listing(storefront=shop, category=shelf.root, filters=every_condition)

    # the two reads of the shared versions (global, listing), the counts, the sellers, the page
    with django_assert_max_num_queries(5):
        landing = product_listing(storefront=shop, category=shelf.root)

    assert landing.total == computed.total == 4
    nonzero = {p: {v: n for v, n in f.items() if n} for p, f in facets_of(computed).items()}
    assert facets_of(landing) == nonzero
    assert facets_of(landing)["label"] == {"Label 0": 2, "Label 1": 2}
    assert facets_of(landing)["prix"] == {"0-10": 1, "10-20": 2, "20-50": 1}
    assert facets_of(landing)["etat"] == {"new": 4, "used": 1}
    assert facets_of(landing)["vendeur"] == {"disquaire": 4, "puces": 1}
    assert [p.title for p in landing.products] == [f"Disque {i}" for i in range(4)]


def test_a_product_moved_or_hidden_in_the_back_office_is_recounted(shelf):
    moved = shelf.products[0]
    Product.objects.filter(pk=moved.pk).update(category=shelf.rock)  # as the admin form saves
    _refresh_product(moved.pk)
    assert_counts_exact()

    Product.objects.filter(pk=shelf.products[1].pk).update(is_active=False)
    AttributeValue.objects.filter(product=shelf.products[2]).update(facet_value="Autre")
    _refresh_product(shelf.products[2].pk)
    # The deactivated product was not the one saved: found by its category's total.
    assert_counts_exact()


def test_repair_recounts_only_the_categories_that_disagree(shelf):
    Product.objects.filter(pk=shelf.products[0].pk).update(category=shelf.rock)

    recounted = category_facet_counts_repair()

    assert recounted == sorted([shelf.rock.pk, shelf.jazz.pk])
    assert_counts_exact()


def test_the_rebuild_command_recounts_all_or_some_categories(shelf, capsys):
    CategoryFacetCount.objects.all().delete()

    call_command("facets_rebuild", category=["rock"])
    assert set(CategoryFacetCount.objects.values_list("category_id", flat=True)) == {shelf.rock.pk}
    call_command("facets_rebuild")

    assert "Comptes de filtres écrits" in capsys.readouterr().out
    assert_counts_exact()


def test_unknown_category_is_refused_by_the_rebuild_command(shelf):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="nope"):
        call_command("facets_rebuild", category=["nope"])


def test_imported_products_are_counted_as_a_recount_would(tmp_path):
    from galerie.imports.mappings import DEFAULT_MAPPINGS, category_mappings_load
    from galerie.imports.services import feed_import
    from galerie.imports.tests.conftest import gen_feed

    assert not category_mappings_load(path=DEFAULT_MAPPINGS, create=True).errors
    feed = gen_feed(tmp_path / "feed.tsv", rows=300, seed=5, shop="shop")
    first, second = make_seller("Un", slug="un"), make_seller("Deux", slug="deux")

    feed_import(seller=first, path=str(feed), batch_size=64)
    assert CategoryFacetCount.objects.filter(facet="total").exists()
    assert_counts_exact()
    # The same products again from another seller: new offers on existing products.
    feed_import(seller=second, path=str(feed), batch_size=64)
    assert_counts_exact()
    # A full feed of a few rows deactivates the seller's other offers.
    short = tmp_path / "short.tsv"
    short.write_text("".join(feed.read_text(encoding="utf-8").splitlines(True)[:20]), "utf-8")
    feed_import(seller=second, path=str(short), full=True)
    assert_counts_exact()


def test_the_demo_loader_leaves_exact_counts():
    from galerie.demo.services import demo_load

    demo_load(products=120)

    assert CategoryFacetCount.objects.filter(facet="total").exists()
    assert_counts_exact()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_offer_changes_leave_the_counts_exact():
    """Stock movements on offers of one product, each in its own transaction (they lock the
    offer, not the product): each summary is computed under the product's row lock, from offers
    read after the previous writer committed, and its counts move from the state stored."""
    category = make_category("Romans", slug="romans-concurrents")
    sellers = [make_seller(f"Vendeur {i}", slug=f"vendeur-{i}") for i in range(3)]
    offers = []
    for i, price in enumerate(["5.00", "19.99"]):
        product = make_product(f"Roman {i}", category=category)
        offers += [make_offer(product, seller=s, price=price, stock=2) for s in sellers]
    barrier = threading.Barrier(len(offers))
    errors = []

    def work(offer):
        try:
            barrier.wait()
            for step in range(8):  # sold out, back in stock, …: the product's facets change
                stock_adjust(offer=offer, delta=-2 if step % 2 == 0 else 2, reason="Inventaire")
        except Exception as exc:  # noqa: BLE001 - every outcome is inspected below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(offer,)) for offer in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert_counts_exact()
    # …and from summaries that saw every committed offer change (none lost to a concurrent one).
    stored = sorted(Product.objects.values_list("pk", "offer_facets", "in_stock"))
    product_offer_summary_refresh(product_ids=[pk for pk, _f, _s in stored])
    assert sorted(Product.objects.values_list("pk", "offer_facets", "in_stock")) == stored
