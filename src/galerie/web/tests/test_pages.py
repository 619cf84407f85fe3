"""Storefront pages through HTTP: host routing, assortment, facets, buy box, search, languages."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache

from galerie.catalog.models import Product
from galerie.search.services import search_index_refresh
from galerie.sellers.services import offer_update
from galerie.storefronts.listing import counting
from galerie.testing.factories import make_offer, make_product, make_seller, make_storefront
from galerie.web.tests.conftest import get

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# --- host routing -------------------------------------------------------------------------


def test_mall_index_links_every_storefront_keeping_the_port(client, mall):
    response = client.get("/", HTTP_HOST="localhost:8123")

    assert response.status_code == 200
    body = text(response)
    assert 'href="http://culture.localhost:8123/"' in body
    assert 'href="http://hightech.localhost:8123/"' in body


def test_inactive_storefronts_are_not_linked_from_the_mall(client, mall):
    make_storefront("ferme", name="Fermée", is_active=False)

    body = text(client.get("/", HTTP_HOST="localhost"))

    assert "ferme.localhost" not in body


def test_unknown_host_gets_a_404_page_linking_the_storefronts(client, mall):
    for path in ("/", "/c/livres/", "/p/les-miserables/"):
        response = client.get(path, HTTP_HOST="nowhere.localhost:8000")
        assert response.status_code == 404
        body = text(response)
        assert "Boutique introuvable" in body
        assert 'href="http://culture.localhost:8000/"' in body


def test_storefront_home_shows_its_categories_and_products(client, mall):
    response = get(client, "culture", "/")

    body = text(response)
    assert response.status_code == 200
    assert '<html lang="fr">' in body
    assert 'href="/c/livres/"' in body and 'href="/c/romans/"' in body
    assert "Les Misérables" in body
    assert "Informatique" not in body and "Portable 14 pouces" not in body


def test_base_page_is_accessible(client, mall):
    body = text(get(client, "culture", "/c/livres/"))

    assert 'class="skip-link" href="#main"' in body
    assert '<main id="main"' in body and "<header" in body and "<footer" in body
    assert '<label for="site-search"' in body
    assert 'action="/i18n/setlang/"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "--primary:#1d3557" in body


def test_branding_colour_cannot_inject_css(client, mall):
    mall.culture.primary_color = "red;}</"  # model validators bypassed, as a raw UPDATE would
    mall.culture.save()

    body = text(get(client, "culture", "/"))

    assert "red;}" not in body and "--primary:#1d3557" in body


# --- category listing ---------------------------------------------------------------------


def test_category_outside_the_assortment_is_404(client, mall):
    assert get(client, "culture", "/c/informatique/").status_code == 404
    assert get(client, "culture", "/c/nope/").status_code == 404
    assert get(client, "hightech", "/c/informatique/").status_code == 200


def test_category_lists_descendants_in_stock_only(client, mall):
    body = text(get(client, "culture", "/c/livres/"))

    assert "Les Misérables" in body and "Germinal" in body and "Notre-Dame de Paris" in body
    assert "Nana" not in body  # its only offer is out of stock
    assert "3 produits" in body


def test_sold_out_items_are_flagged_when_the_storefront_shows_them(client, mall):
    mall.culture.show_out_of_stock = True
    mall.culture.save()

    body = text(get(client, "culture", "/c/romans/"))

    assert "Nana" in body and "Épuisé" in body
    product_page = get(client, "culture", "/p/nana/")
    assert product_page.status_code == 200
    assert "aucune offre disponible" in text(product_page)


def test_facets_show_counts_and_filter_combined(client, mall):
    body = text(get(client, "culture", "/c/livres/?auteur=Victor+Hugo&editeur=Folio"))

    assert "1 produit" in body
    assert "Les Misérables" in body and "Notre-Dame de Paris" not in body
    assert re.search(r'value="Victor Hugo" checked> Victor Hugo <span class="count">\(1\)', body)
    # Publisher counts ignore the publisher filter: Pocket still counts Notre-Dame.
    assert re.search(r'value="Pocket"> Pocket <span class="count">\(1\)', body)
    # Active filters are removable.
    assert "Auteur : Victor Hugo" in body
    assert 'href="/c/livres/?editeur=Folio"' in body


def test_condition_and_seller_facets(client, mall):
    body = text(get(client, "culture", "/c/livres/?etat=used"))
    assert "1 produit" in body and "Les Misérables" in body

    body = text(get(client, "culture", "/c/livres/?vendeur=bouquiniste"))
    assert "2 produits" in body and "Germinal" in body and "Notre-Dame" not in body
    # The operator is named after the storefront.
    assert re.search(r'value="galerie"> Culture <span class="count">\(2\)', body)


def test_sorting_by_price(client, mall):
    body = text(get(client, "culture", "/c/livres/?tri=prix-decroissant"))
    assert body.index("Germinal") < body.index("Notre-Dame") < body.index("Les Misérables")

    body = text(get(client, "culture", "/c/livres/?tri=prix-croissant"))
    assert body.index("Les Misérables") < body.index("Notre-Dame") < body.index("Germinal")


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=-1",
        "?page=99999999999999999999999",
        "?page=9999",
        "?tri=drop+table",
        "?prix=abc&etat=cass%C3%A9&vendeur=%27%3B--&auteur=%00",
        "?auteur=" + "x" * 3000,
    ],
)
def test_bad_listing_input_gives_a_corrected_page(client, mall, query):
    response = get(client, "culture", "/c/livres/" + query)

    assert response.status_code == 200
    assert "3 produits" in text(response)


def test_page_beyond_the_end_shows_the_last_page(client, mall):
    for i in range(30):
        make_offer(make_product(f"Roman {i:02d}", category=mall.novels), seller=mall.bouquiniste)

    body = text(get(client, "culture", "/c/livres/?page=50"))

    assert "Page 2 sur 2" in body
    assert 'aria-current="page">2<' in body


def test_htmx_requests_get_only_the_listing(client, mall):
    response = get(
        client,
        "culture",
        "/c/livres/?auteur=Victor+Hugo",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="listing",
    )

    body = text(response)
    assert body.startswith('<div id="listing"') and "<html" not in body
    assert "2 produits" in body
    full = text(get(client, "culture", "/c/livres/?auteur=Victor+Hugo"))
    assert "<html" in full
    # Product links leave the boosted listing: a product page must not land inside #listing.
    assert '<ul class="product-grid" hx-boost="false">' in body


# --- product page -------------------------------------------------------------------------


def test_product_page_buy_box_is_the_new_offer_before_cheaper_used_ones(client, mall):
    body = text(get(client, "culture", "/p/les-miserables/"))

    buy_box = body[body.index('class="buy-box"') : body.index("</section>", body.index("buy-box"))]
    # New first: 12 € + 0 € beats the used 4 € + 4,50 € (private seller) and 6 € + 3 €.
    assert "12,00" in buy_box and "<strong>Culture</strong>" in buy_box
    assert "Jean Dupont" not in buy_box and "Particulier" not in buy_box
    assert "2 autres offres" in body
    assert "Livraison comprise : occasion dès 8,50\xa0€" in body
    assert "Le Bouquiniste SARL" in body and "3 quai Voltaire" in body
    assert "Très bon état" in body
    assert "Victor Hugo" in body and "Folio" in body  # attributes table


def test_delivery_decides_the_buy_box_and_operator_sells_as_the_storefront(client, mall):
    body = text(get(client, "culture", "/p/notre-dame/"))
    make_offer(mall.notre_dame, seller=mall.bouquiniste, price="9.00", delivery_price="2.00")

    body = text(get(client, "culture", "/p/notre-dame/"))

    buy_box = body[body.index('class="buy-box"') :]
    assert "Vendu et expédié par <strong>Culture</strong>" in buy_box
    assert "1 autre offre" in body and "Livraison comprise : neuf dès 11,00\xa0€" in body


def test_unverified_sellers_cheaper_offer_is_never_shown(client, mall):
    shady = make_seller("Shady Deals", slug="shady", status="applied")
    make_offer(mall.notre_dame, seller=shady, price="1.00")

    body = text(get(client, "culture", "/p/notre-dame/"))

    assert "Shady" not in body and "1,00" not in body
    assert "9,50" in body


def test_add_to_cart_forms_post_offer_and_quantity_with_csrf(client, mall):
    body = text(get(client, "culture", "/p/les-miserables/"))

    assert body.count('action="/panier/ajouter/"') == 3
    assert 'name="offer_id"' in body and 'name="quantity"' in body
    assert "__galerie_csrf_token__" not in body


def test_product_outside_the_assortment_is_404(client, mall):
    assert get(client, "culture", "/p/portable-14/").status_code == 404
    assert get(client, "hightech", "/p/portable-14/").status_code == 200
    assert get(client, "culture", "/p/nope/").status_code == 404


def test_out_of_stock_product_is_404_unless_the_storefront_shows_sold_out_items(client, mall):
    assert get(client, "culture", "/p/nana/").status_code == 404


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def indexed(mall):
    search_index_refresh(product_ids=Product.objects.values_list("pk", flat=True))
    return mall


def test_search_finds_within_the_assortment_with_facets(client, indexed):
    body = text(get(client, "culture", "/recherche/?q=hugo"))

    assert "Les Misérables" in body and "Notre-Dame de Paris" in body
    assert 'name="auteur"' in body
    assert "Germinal" not in body

    assert "Portable" not in text(get(client, "culture", "/recherche/?q=portable"))
    assert "Portable 14 pouces" in text(get(client, "hightech", "/recherche/?q=portable"))


def test_search_keeps_the_query_in_facet_links(client, indexed):
    body = text(get(client, "culture", "/recherche/?q=hugo&editeur=Folio"))

    assert "1 produit" in body
    assert 'name="q" value="hugo"' in body


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "l'été \"meurtrier",
        "*",
        "NEAR(a b)",
        "a NEAR b",
        "' OR 1=1; DROP TABLE catalog_product; --",
        "x" * 2048,
        "%00",
        "nul\x00byte",
        "AND OR NOT",
        "()",
    ],
)
def test_nasty_search_queries_never_fail(client, indexed, query):
    response = get(client, "culture", "/recherche/", data={"q": query})

    assert response.status_code == 200


def test_a_search_without_results_can_still_be_filtered(client, indexed):
    # Once a 500: the facet count of an empty result compiled an empty `IN ()`.
    response = get(client, "culture", "/recherche/?q=introuvable&etat=used&auteur=Victor+Hugo")

    assert response.status_code == 200
    assert "Aucun produit ne correspond" in text(response)


def test_a_capped_total_and_estimated_counts_say_so(client, mall, monkeypatch):
    body = text(get(client, "culture", "/c/livres/?auteur=Victor+Hugo"))
    assert "2 produits" in body and "≈" not in body

    monkeypatch.setattr(counting, "COUNT_CAP", 1)
    monkeypatch.setattr(counting, "FACET_SAMPLE", 1)
    cache.clear()  # the listing's summary is cached whatever the sort
    body = text(get(client, "culture", "/c/livres/?auteur=Victor+Hugo&tri=nouveautes"))

    assert "au moins 1 produit" in body
    assert '(<abbr title="environ">≈</abbr> ' in body
    assert "nombre estimé d'après un échantillon" in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_HOST="culture.localhost")
    body = text(get(client, "culture", "/c/livres/?auteur=Victor+Hugo&tri=nouveautes"))
    assert "at least 1 product" in body and '<abbr title="about">≈</abbr>' in body
    assert "number estimated from a sample" in body


def test_empty_search_shows_a_hint(client, mall):
    response = get(client, "culture", "/recherche/?q=+")
    assert response.status_code == 200 and "Saisissez" in text(response)


# --- languages ----------------------------------------------------------------------------


def test_french_by_default_english_on_request(client, mall):
    assert "Ajouter au panier" in text(get(client, "culture", "/p/les-miserables/"))

    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/p/les-miserables/"},
        HTTP_HOST="culture.localhost",
    )
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    body = text(get(client, "culture", "/p/les-miserables/"))
    assert '<html lang="en">' in body
    assert "Add to cart" in body and "Sold and shipped by" in body


# --- page cache and query counts ----------------------------------------------------------


def test_anonymous_pages_are_cached_until_offers_change(client, mall):
    first = get(client, "hightech", "/p/portable-14/")
    second = get(client, "hightech", "/p/portable-14/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"

    offer_update(offer=mall.laptop_p.offers.get(), price="749.25")

    third = get(client, "hightech", "/p/portable-14/")
    assert third["X-Page-Cache"] == "miss" and "749,25" in text(third)


def test_visitors_with_a_session_are_never_served_from_the_cache(client, mall):
    get(client, "culture", "/p/notre-dame/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "something"

    response = get(client, "culture", "/p/notre-dame/")

    assert "X-Page-Cache" not in response


def test_cached_page_carries_each_visitors_own_csrf_token(client, mall):
    from django.test import Client

    get(client, "culture", "/p/notre-dame/")
    other = Client()
    response = get(other, "culture", "/p/notre-dame/")

    assert response["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(response)).group(1)
    assert token != "__galerie_csrf_token__" and len(token) == 64


@pytest.mark.parametrize(
    ("path", "limit"),
    # Each includes the reads of the shared cache versions: global, then the page's own
    # (a product page first looks up its product id by slug), and one read of the pictures
    # (the page's cards' first pictures, or the product's gallery).
    [
        ("/", 6),
        ("/c/livres/?auteur=Victor+Hugo&tri=prix-croissant", 12),
        # Filtered on offers: counted from the precomputed rows, never over the matches.
        ("/c/livres/?etat=used&tri=prix-decroissant", 10),
        ("/c/livres/?prix=0-10&vendeur=bouquiniste&page=2", 11),
        # Search: the ranked ids, one read of their stored offer facets, one attribute sample.
        ("/recherche/?q=hugo&etat=new", 8),
        # The product page: + one read of its published reviews with their count and average.
        ("/p/les-miserables/", 9),
    ],
)
def test_query_counts_are_pinned(client, indexed, django_assert_max_num_queries, path, limit):
    # Warm the storefront caches only; the page itself and its category caches stay cold.
    get(client, "culture", "/recherche/?q=warm-up")
    with django_assert_max_num_queries(limit):
        assert get(client, "culture", path).status_code == 200
