"""The listing selector: visibility, facets and counts, sorting, pagination, bad input."""

from decimal import Decimal

import pytest

from galerie.sellers.services import offer_update
from galerie.storefronts.listing import (
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    counting,
    product_listing,
)
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    books = make_category("Livres", slug="livres")
    other = make_category("Électroménager", slug="electromenager")
    shop = make_storefront("culture", categories=[books])
    book = make_book_type()
    seller = make_seller("Librairie", slug="librairie")
    used_seller = make_seller("Bouquiniste", slug="bouquiniste")
    products = {}
    for title, author, price in [
        ("A Hugo", "Victor Hugo", "5.00"),
        ("B Hugo", "Victor Hugo", "15.00"),
        ("C Zola", "Émile Zola", "15.50"),
        ("D Sand", "George Sand", "60.00"),
    ]:
        p = make_product(title, category=books, product_type=book, attributes={"author": author})
        make_offer(p, seller=seller, price=price)
        products[title] = p
    make_offer(products["C Zola"], seller=used_seller, price="12.00", condition="used")
    fridge = make_product("Frigo", category=other)
    make_offer(fridge, seller=seller, price="300.00")
    return shop, products, fridge


def titles(listing):
    return [p.title for p in listing.products]


def facet(listing, param):
    found = [f for f in listing.facets if f.param == param]
    return {o.value: (o.count, o.selected) for o in found[0].options} if found else {}


def test_only_the_assortment_and_in_stock_products_are_listed(shelf):
    shop, products, fridge = shelf
    offer = products["D Sand"].offers.get()
    offer_update(offer=offer, stock=0)

    listing = product_listing(storefront=shop)

    assert titles(listing) == ["A Hugo", "B Hugo", "C Zola"]
    assert listing.total == 3


def test_sold_out_items_are_listed_when_the_storefront_shows_them(shelf):
    shop, products, _fridge = shelf
    offer_update(offer=products["D Sand"].offers.get(), stock=0)
    shop.show_out_of_stock = True
    shop.save()

    listing = product_listing(storefront=shop)

    sand = [p for p in listing.products if p.title == "D Sand"][0]
    assert listing.total == 4 and sand.in_stock is False


def test_facet_counts_are_computed_over_the_visible_products(shelf):
    shop, _products, _fridge = shelf

    listing = product_listing(storefront=shop)

    assert facet(listing, "auteur") == {
        "Victor Hugo": (2, False),
        "Émile Zola": (1, False),
        "George Sand": (1, False),
    }
    assert facet(listing, "prix") == {
        "0-10": (1, False),
        "10-20": (2, False),
        "50-100": (1, False),
    }
    assert facet(listing, "etat") == {"new": (4, False), "used": (1, False)}
    assert facet(listing, "vendeur") == {"librairie": (4, False), "bouquiniste": (1, False)}


def test_facets_combine_and_each_group_counts_without_its_own_filter(shelf):
    shop, _products, _fridge = shelf

    listing = product_listing(
        storefront=shop, filters={"auteur": ["Victor Hugo", "Émile Zola"], "prix": "10-20"}
    )

    assert titles(listing) == ["B Hugo", "C Zola"]
    # Authors are counted with the price filter only: Sand is not in 10-20 €.
    assert facet(listing, "auteur") == {
        "Victor Hugo": (1, True),
        "Émile Zola": (1, True),
    }
    # Price ranges are counted with the author filter only.
    assert facet(listing, "prix")["0-10"] == (1, False)
    assert facet(listing, "prix")["10-20"] == (2, True)


def test_condition_and_seller_filters_use_purchasable_offers(shelf):
    shop, _products, _fridge = shelf

    assert titles(product_listing(storefront=shop, filters={"etat": "used"})) == ["C Zola"]
    assert titles(product_listing(storefront=shop, filters={"vendeur": "bouquiniste"})) == [
        "C Zola"
    ]


def test_unverified_sellers_offers_do_not_count(shelf):
    shop, products, _fridge = shelf
    shady = make_seller("Shady", slug="shady", status="applied")
    make_offer(products["A Hugo"], seller=shady, price="1.00", condition="refurbished")

    listing = product_listing(storefront=shop)

    assert "refurbished" not in facet(listing, "etat")
    assert "shady" not in facet(listing, "vendeur")
    assert titles(product_listing(storefront=shop, filters={"vendeur": "shady"})) == titles(listing)


def test_unknown_facet_values_and_parameters_are_ignored(shelf):
    shop, _products, _fridge = shelf

    listing = product_listing(
        storefront=shop,
        filters={
            "prix": ["abc", "10-20"],
            "etat": "cassé",
            "vendeur": "nobody",
            "auteur": "Inconnu",
            "couleur": "rouge",
        },
    )

    assert listing.filters == {"prix": ["10-20"]}
    assert titles(listing) == ["B Hugo", "C Zola"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (SORT_PRICE_ASC, ["A Hugo", "C Zola", "B Hugo", "D Sand"]),
        (SORT_PRICE_DESC, ["D Sand", "B Hugo", "C Zola", "A Hugo"]),
        ("n'importe quoi", ["A Hugo", "B Hugo", "C Zola", "D Sand"]),
    ],
)
def test_sorting(shelf, sort, expected):
    shop, _products, _fridge = shelf

    listing = product_listing(storefront=shop, sort=sort)

    assert titles(listing) == expected
    assert listing.sort in (SORT_PRICE_ASC, SORT_PRICE_DESC, "pertinence")


def test_price_ascending_uses_best_price(shelf):
    shop, _products, _fridge = shelf
    # C Zola's best price is the used offer at 12 €, below B Hugo's 15 €.
    listing = product_listing(storefront=shop, sort=SORT_PRICE_ASC)
    assert titles(listing)[:3] == ["A Hugo", "C Zola", "B Hugo"]
    assert listing.products[1].best_price == Decimal("12.00")


def test_newest_first(shelf):
    shop, _products, _fridge = shelf
    listing = product_listing(storefront=shop, sort=SORT_NEWEST)
    assert titles(listing) == ["D Sand", "C Zola", "B Hugo", "A Hugo"]


@pytest.mark.parametrize(
    ("raw", "page"), [("abc", 1), ("-3", 1), ("0", 1), ("2", 2), ("999", 2), (None, 1)]
)
def test_bad_pages_are_corrected(shelf, raw, page):
    shop, _products, _fridge = shelf

    listing = product_listing(storefront=shop, page=raw, per_page=3)

    assert listing.page == page and listing.num_pages == 2
    assert len(listing.products) == (3 if page == 1 else 1)


def test_a_ranked_search_result_keeps_its_order_and_the_assortment(shelf):
    shop, products, fridge = shelf
    ranked = [products["C Zola"].pk, fridge.pk, products["A Hugo"].pk]

    listing = product_listing(storefront=shop, product_ids=ranked)

    assert titles(listing) == ["C Zola", "A Hugo"]
    assert facet(listing, "auteur") == {"Émile Zola": (1, False), "Victor Hugo": (1, False)}


def test_facet_counts_take_one_query_per_group(shelf, django_assert_max_num_queries):
    shop, _products, _fridge = shelf
    product_listing(storefront=shop)  # warm the category and attribute caches

    # filter check, count, page, attributes (shared + the filtered group), the three offer
    # groups (price ranges, condition, seller: one UNION ALL statement, as the price ranges now
    # count offers and no longer share the count's scan); plus the two reads of the shared
    # cache versions (global, listing)
    with django_assert_max_num_queries(8):
        product_listing(storefront=shop, filters={"auteur": "Victor Hugo"})


def test_sorting_and_paging_reuse_the_cached_total_and_facets(shelf, django_assert_max_num_queries):
    shop, _products, _fridge = shelf
    first = product_listing(storefront=shop)

    # the page itself and the two reads of the shared versions (global, listing)
    with django_assert_max_num_queries(3):
        again = product_listing(storefront=shop, sort=SORT_PRICE_DESC, page=2, per_page=3)

    assert again.total == first.total == 4
    assert [f.param for f in again.facets] == [f.param for f in first.facets]


def test_an_offer_change_is_seen_at_once_despite_the_cache(shelf):
    shop, products, _fridge = shelf
    assert product_listing(storefront=shop).total == 4

    offer_update(offer=products["D Sand"].offers.get(), stock=0)

    listing = product_listing(storefront=shop)
    assert listing.total == 3
    assert "George Sand" not in facet(listing, "auteur")


@pytest.fixture
def blu_ray():
    """The issue's case: a Blu-ray whose only copy under 10 € is used; its new copies cost more."""
    films = make_category("Films", slug="films")
    shop = make_storefront("video", categories=[films])
    film = make_product("La Grande Évasion", category=films)
    make_offer(film, seller=make_seller("Particulier", slug="particulier"), price="5.70",
               condition="used")  # fmt: skip
    store = make_seller("Vidéothèque", slug="videotheque")
    make_offer(film, seller=store, price="13.99")
    cheap = make_product("Le Mépris", category=films)
    make_offer(cheap, seller=store, price="9.99")
    return shop, film, cheap


def test_condition_and_price_filters_must_match_one_and_the_same_offer(blu_ray):
    shop, _film, _cheap = blu_ray

    listing = product_listing(storefront=shop, filters={"etat": "new", "prix": "0-10"})

    assert titles(listing) == ["Le Mépris"]
    # Price ranges counted over new offers only, conditions over offers under 10 €.
    assert facet(listing, "prix") == {"0-10": (1, True), "10-20": (1, False)}
    assert facet(listing, "etat") == {"new": (1, True), "used": (1, False)}
    assert facet(listing, "vendeur") == {"videotheque": (1, False)}


def test_a_product_counts_in_every_price_range_one_of_its_offers_is_in(blu_ray):
    shop, _film, _cheap = blu_ray

    listing = product_listing(storefront=shop)

    assert facet(listing, "prix") == {"0-10": (2, False), "10-20": (1, False)}
    assert titles(product_listing(storefront=shop, filters={"prix": "10-20"})) == [
        "La Grande Évasion"
    ]
    used_under_10 = product_listing(storefront=shop, filters={"etat": "used", "prix": "0-10"})
    assert titles(used_under_10) == ["La Grande Évasion"]


def test_a_seller_filter_and_a_condition_filter_match_one_offer(blu_ray):
    shop, _film, _cheap = blu_ray

    listing = product_listing(storefront=shop, filters={"vendeur": "particulier", "etat": "new"})

    assert titles(listing) == [] and listing.total == 0
    assert facet(listing, "etat") == {"new": (0, True), "used": (1, False)}


# --- bounded counting: precomputed, sampled, capped -----------------------------------------


@pytest.fixture
def small_caps(monkeypatch):
    """Caps small enough for a test mall: count at most 1 product, sample 1 per set."""
    monkeypatch.setattr(counting, "COUNT_CAP", 1)
    monkeypatch.setattr(counting, "FACET_SAMPLE", 1)


def test_an_offer_filtered_listing_is_counted_from_the_precomputed_rows(
    shelf, django_assert_max_num_queries
):
    shop, _products, _fridge = shelf
    product_listing(storefront=shop)  # warm the category and attribute caches

    # the two reads of the shared versions, the precomputed rows, the attribute sample, the
    # sellers' names, the page: no count over the matching products
    with django_assert_max_num_queries(6):
        listing = product_listing(storefront=shop, filters={"etat": "new", "prix": "10-20"})

    assert titles(listing) == ["B Hugo", "C Zola"]
    assert listing.total == 2 and listing.total_exact
    assert facet(listing, "prix") == {"0-10": (1, False), "10-20": (2, True), "50-100": (1, False)}
    assert facet(listing, "etat") == {"new": (2, True), "used": (1, False)}
    assert facet(listing, "vendeur") == {"librairie": (2, False)}
    assert not any(f.estimated for f in listing.facets)


def test_one_seller_is_counted_from_its_own_offer_masks(shelf):
    shop, _products, _fridge = shelf

    listing = product_listing(storefront=shop, filters={"vendeur": "bouquiniste"})

    assert titles(listing) == ["C Zola"] and listing.total == 1 and listing.total_exact
    assert facet(listing, "prix") == {"10-20": (1, False)}
    assert facet(listing, "etat") == {"used": (1, False)}
    assert facet(listing, "vendeur") == {"bouquiniste": (1, True), "librairie": (4, False)}


def test_attribute_counts_of_a_set_larger_than_the_sample_are_scaled_estimates(shelf, small_caps):
    shop, _products, _fridge = shelf

    listing = product_listing(storefront=shop, filters={"etat": "new"})

    # The total and the offer-level counts still come exact from the precomputed rows.
    assert listing.total == 4 and listing.total_exact and len(listing.products) == 4
    assert facet(listing, "etat") == {"new": (4, True), "used": (1, False)}
    authors = [f for f in listing.facets if f.param == "auteur"][0]
    assert authors.estimated and listing.facets_estimated
    # One product sampled out of four: its author, counted once, stands for four.
    assert [
        (o.value in {"Victor Hugo", "Émile Zola", "George Sand"}, o.count) for o in authors.options
    ] == [(True, 4)]


def test_a_total_no_precomputed_row_gives_is_counted_up_to_the_cap(shelf, small_caps):
    shop, _products, _fridge = shelf

    listing = product_listing(storefront=shop, filters={"auteur": "Victor Hugo"}, per_page=1)

    assert listing.total == 1 and not listing.total_exact
    # The pages go as far as the count: the first of the two Hugo novels.
    assert listing.num_pages == 1 and titles(listing) == ["A Hugo"]
    assert all(f.estimated for f in listing.facets if f.param in ("prix", "etat", "vendeur"))


def test_a_truncated_search_result_gives_a_lower_bound(shelf):
    shop, products, _fridge = shelf
    ranked = [products["C Zola"].pk, products["A Hugo"].pk]

    listing = product_listing(storefront=shop, product_ids=ranked, truncated=True)

    assert titles(listing) == ["C Zola", "A Hugo"]
    assert listing.total == 2 and not listing.total_exact


def test_search_facets_are_counted_over_the_first_matches(shelf, small_caps):
    shop, products, _fridge = shelf
    ranked = [products[t].pk for t in ("D Sand", "A Hugo", "B Hugo")]

    listing = product_listing(storefront=shop, product_ids=ranked)

    # Exact total and offer-level counts (every candidate's stored offer facets are read) …
    assert listing.total == 3 and listing.total_exact
    assert facet(listing, "prix") == {"0-10": (1, False), "10-20": (1, False), "50-100": (1, False)}
    # … authors of the best-ranked match only, scaled to the three.
    authors = [f for f in listing.facets if f.param == "auteur"][0]
    assert authors.estimated and [(o.value, o.count) for o in authors.options] == [
        ("George Sand", 3)
    ]


def test_an_empty_search_result_with_a_filter_is_empty(shelf):
    shop, _products, _fridge = shelf

    listing = product_listing(storefront=shop, product_ids=[], filters={"etat": "used"})

    assert listing.total == 0 and listing.products == [] and listing.total_exact


def test_an_assortment_without_categories_lists_nothing_whatever_the_filters(shelf):
    shop, products, _fridge = shelf
    empty = make_storefront("vide", categories=[])
    filters = {"auteur": ["Victor Hugo", "Émile Zola"], "editeur": "Folio", "etat": "new"}
    make_product(  # the values exist in the mall, so the filters are kept
        "E Folio",
        category=products["A Hugo"].category,
        product_type=products["A Hugo"].product_type,
        attributes={"author": "Victor Hugo", "publisher": "Folio"},
    )

    listing = product_listing(storefront=empty, filters=filters)

    assert listing.total == 0 and listing.products == []
