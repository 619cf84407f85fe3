"""The read-only catalogue API through HTTP: lists, facets, product with offers, errors."""

import pytest
from django.core.cache import cache

from galerie.catalog.models import Product
from galerie.search.services import search_index_refresh
from galerie.storefronts.listing import counting
from galerie.testing.factories import make_offer, make_seller

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "localhost"}


def api_get(client, path, **params):
    return client.get(f"/api{path}", data=params, **HOST)


def test_storefronts(client, mall):
    response = api_get(client, "/storefronts")

    assert response.status_code == 200
    by_slug = {s["slug"]: s for s in response.json()}
    assert set(by_slug) == {"culture", "hightech"}
    assert by_slug["culture"]["hosts"] == ["culture.localhost"]
    assert by_slug["culture"]["currency"] == "EUR"


def test_categories_of_a_storefront(client, mall):
    response = api_get(client, "/storefronts/culture/categories")

    assert response.status_code == 200
    assert response.json() == [
        {"slug": "livres", "name": "Livres", "parent": None, "depth": 0},
        {"slug": "romans", "name": "Romans", "parent": "livres", "depth": 1},
    ]


def test_products_with_facets_sort_and_page(client, mall):
    response = api_get(
        client, "/storefronts/culture/products", auteur="Victor Hugo", tri="prix-decroissant"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert [p["slug"] for p in body["items"]] == ["notre-dame", "les-miserables"]
    assert body["items"][0]["best_price"] == "9.50"
    assert body["filters"] == {"auteur": ["Victor Hugo"]}
    authors = next(f for f in body["facets"] if f["param"] == "auteur")
    assert {o["value"]: o["count"] for o in authors["options"]} == {
        "Victor Hugo": 2,
        "Émile Zola": 1,
    }


def test_products_filtered_by_category_and_unknown_values_ignored(client, mall):
    response = api_get(
        client, "/storefronts/culture/products", category="romans", etat="cassé", prix="0-10"
    )

    body = response.json()
    assert response.status_code == 200
    assert body["filters"] == {"prix": ["0-10"]}
    assert [p["slug"] for p in body["items"]] == ["les-miserables"]


def test_products_page_past_the_end_gives_the_last_page(client, mall):
    body = api_get(client, "/storefronts/culture/products", page=40, per_page=2).json()
    assert body["page"] == 2 and body["num_pages"] == 2 and len(body["items"]) == 1


def test_product_detail_with_all_purchasable_offers_buy_box_first(client, mall):
    make_offer(mall.hugo, seller=make_seller("Shady", status="applied"), price="1.00")

    response = api_get(client, "/storefronts/culture/products/les-miserables")

    assert response.status_code == 200
    body = response.json()
    # New first, then used by price + delivery (4 € + 4,50 € before 6 € + 3 €).
    assert body["buy_box"]["seller"]["slug"] == "galerie"
    assert body["buy_box"]["condition"] == "new"
    assert [o["seller"]["slug"] for o in body["offers"]] == ["galerie", "jean", "bouquiniste"]
    assert body["offers"][0]["seller"]["name"] == "Culture"  # the operator sells as the shop
    assert body["offers"][1]["seller"]["is_trader"] is False
    assert body["offers"][1]["total_price"] == "8.50"
    assert {"code": "author", "name": "Auteur", "value": "Victor Hugo", "unit": ""} in body[
        "attributes"
    ]


def test_search(client, mall):
    search_index_refresh(product_ids=Product.objects.values_list("pk", flat=True))

    body = api_get(client, "/storefronts/culture/search", q="hugo").json()
    assert {p["slug"] for p in body["items"]} == {"les-miserables", "notre-dame"}

    assert api_get(client, "/storefronts/culture/search", q="portable").json()["total"] == 0
    nasty = api_get(client, "/storefronts/culture/search", q="\"NEAR* ' OR 1=1 --" + "x" * 2000)
    assert nasty.status_code == 200
    nul = api_get(client, "/storefronts/culture/products", auteur="Hugo\x00", vendeur="\x00")
    assert nul.status_code == 200 and nul.json()["filters"] == {}
    assert api_get(client, "/storefronts/culture/search").json()["total"] == 0


def test_search_corrects_a_query_that_finds_nothing_unless_asked_not_to(client, mall):
    search_index_refresh(product_ids=Product.objects.values_list("pk", flat=True))

    body = api_get(client, "/storefronts/culture/search", q="miserbles").json()
    assert body["correction"] == "miserables"
    assert [p["slug"] for p in body["items"]] == ["les-miserables"]
    assert api_get(client, "/storefronts/culture/search", q="hugo").json()["correction"] is None

    literal = api_get(client, "/storefronts/culture/search", q="miserbles", exact="true").json()
    assert literal["total"] == 0 and literal["correction"] is None


@pytest.mark.parametrize(
    "filters", [{"vendeur": "galerie"}, {"etat": "new"}, {"auteur": "Victor Hugo"}, {"prix": "x"}]
)
def test_a_filtered_search_that_finds_nothing_is_an_empty_page(client, mall, filters):
    """Found by the API fuzzer: facets were counted over a query Django knew to be empty
    (`pk IN ()`), which it refuses to compile: a 500 on the API and on the search page."""
    search_index_refresh(product_ids=Product.objects.values_list("pk", flat=True))

    response = api_get(client, "/storefronts/culture/search", q="introuvable", **filters)

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 0 and body["items"] == []
    page = client.get("/recherche/", {"q": "introuvable", **filters}, HTTP_HOST="culture.localhost")
    assert page.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/storefronts/nope/categories",
        "/storefronts/nope/products",
        "/storefronts/nope/search?q=x",
        "/storefronts/culture/products/nope",
        "/storefronts/culture/products/portable-14",  # outside the assortment
        "/storefronts/culture/products/nana",  # out of stock
        "/storefronts/culture/products?category=informatique",
        "/storefronts/culture/products?category=nul%00",
        "/storefronts/nul%00/products",
        "/storefronts/culture/products/nul%00",
    ],
)
def test_not_found_errors_are_json(client, mall, path):
    response = client.get(f"/api{path}", **HOST)

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and body["message"]


@pytest.mark.parametrize("query", ["page=abc", "page=0", "per_page=1000", "per_page=x"])
def test_bad_parameters_are_422_with_a_message(client, mall, query):
    response = client.get(f"/api/storefronts/culture/products?{query}", **HOST)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_params"
    assert body["message"].startswith("Paramètres invalides")


def test_openapi_and_docs(client, mall):
    schema = client.get("/api/openapi.json", **HOST)
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/storefronts/{slug}/products/{product_slug}" in paths
    assert "/api/storefronts/{slug}/search" in paths
    assert client.get("/api/docs", **HOST).status_code == 200


def test_product_list_query_count(client, mall, django_assert_max_num_queries):
    api_get(client, "/storefronts/culture/products")
    with django_assert_max_num_queries(12):
        api_get(client, "/storefronts/culture/products", auteur="Victor Hugo")


def test_totals_and_facets_say_when_they_are_capped_or_estimated(client, mall, monkeypatch):
    exact = api_get(client, "/storefronts/culture/products", auteur="Victor Hugo").json()
    assert exact["total"] == 2 and exact["total_exact"] is True
    assert not any(f["estimated"] for f in exact["facets"])

    monkeypatch.setattr(counting, "COUNT_CAP", 1)
    monkeypatch.setattr(counting, "FACET_SAMPLE", 1)
    cache.clear()  # the listing's summary is cached whatever the sort
    capped = api_get(
        client, "/storefronts/culture/products", auteur="Victor Hugo", tri="nouveautes"
    )

    body = capped.json()
    assert body["total"] == 1 and body["total_exact"] is False
    assert {f["param"]: f["estimated"] for f in body["facets"]}["prix"] is True
    assert len(body["items"]) >= 1  # the pages go as far as the count, the last one full


def test_a_search_without_results_can_still_be_filtered(client, mall):
    body = api_get(client, "/storefronts/culture/search", q="introuvable", etat="used").json()

    assert body["total"] == 0 and body["items"] == [] and body["total_exact"] is True
