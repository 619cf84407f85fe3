"""The catalogue API shows the product page's ranking: the same offers in the same order, the same
buy box, and the lowest price per condition on every product summary."""

import re

import pytest

from galerie.testing.factories import make_offer, make_seller

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "localhost"}


def api_get(client, path, **params):
    response = client.get(f"/api{path}", data=params, **HOST)
    assert response.status_code == 200
    return response.json()


def page_offer_ids(client, slug: str) -> list[int]:
    body = client.get(f"/p/{slug}/", HTTP_HOST="culture.localhost").content.decode()
    return [int(pk) for pk in re.findall(r'name="offer_id" value="(\d+)"', body)]


def test_api_offers_are_in_the_product_pages_order(client, mall):
    operator_tie = make_seller("Tiers", slug="tiers")
    make_offer(mall.hugo, seller=operator_tie, price="11.00", delivery_price="1.00")
    make_offer(mall.hugo, seller=mall.bouquiniste, price="9.90", condition="refurbished",
               lead_time_days=1)  # fmt: skip
    make_offer(mall.hugo, seller=make_seller(slug="lent"), price="9.90", condition="refurbished",
               lead_time_days=4)  # fmt: skip

    body = api_get(client, "/storefronts/culture/products/les-miserables")

    ids = [o["id"] for o in body["offers"]]
    assert ids == page_offer_ids(client, "les-miserables")
    assert body["buy_box"]["id"] == ids[0]
    # new (operator before a third party at 12,00 €), refurbished (faster first), used by total.
    assert [(o["condition"], o["seller"]["slug"], o["total_price"]) for o in body["offers"]] == [
        ("new", "galerie", "12.00"),
        ("new", "tiers", "12.00"),
        ("refurbished", "bouquiniste", "9.90"),
        ("refurbished", "lent", "9.90"),
        ("used", "jean", "8.50"),
        ("used", "bouquiniste", "9.00"),
    ]


def test_api_buy_box_is_the_best_purchasable_condition_when_new_is_sold_out(client, mall):
    mall.hugo.offers.filter(condition="new").update(stock=0)
    make_offer(mall.hugo, seller=mall.bouquiniste, price="6.00", condition="used")  # refresh

    body = api_get(client, "/storefronts/culture/products/les-miserables")

    assert body["buy_box"]["condition"] == "used"
    assert body["buy_box"]["total_price"] == "6.00"  # 6 € delivered free beats 4 € + 4,50 €
    assert body["price_new"] is None and body["price_used"] == "4.00"


def test_product_summaries_expose_the_lowest_price_per_condition(client, mall):
    make_offer(mall.hugo, seller=mall.bouquiniste, price="9.90", condition="refurbished")

    listing = api_get(client, "/storefronts/culture/products", tri="prix-croissant")
    detail = api_get(client, "/storefronts/culture/products/les-miserables")

    hugo = next(p for p in listing["items"] if p["slug"] == "les-miserables")
    for summary in (hugo, detail):
        assert summary["best_price"] == "4.00"  # kept for older clients
        assert (summary["price_new"], summary["price_refurbished"], summary["price_used"]) == (
            "12.00",
            "9.90",
            "4.00",
        )
    zola = next(p for p in listing["items"] if p["slug"] == "germinal")
    assert (zola["price_new"], zola["price_refurbished"], zola["price_used"]) == (
        "25.00",
        None,
        None,
    )
    search = api_get(client, "/storefronts/culture/search", q="nothing-matches")
    assert search["items"] == []


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_schema_documents_the_new_fields_and_every_reference_resolves(client, mall):
    schema = client.get("/api/openapi.json", **HOST).json()

    components = schema["components"]["schemas"]
    for name in ("ProductSummary", "ProductDetail"):
        properties = components[name]["properties"]
        for field in ("best_price", "price_new", "price_refurbished", "price_used"):
            assert field in properties, (name, field)
            assert "description" in properties[field]
        assert {"slug", "best_price", "offer_count", "in_stock"} <= set(
            components[name]["required"]
        )
        assert "price_new" not in components[name]["required"]  # an optional addition
    assert "classement" in components["ProductDetail"]["properties"]["buy_box"]["description"]

    refs = list(_refs(schema))
    assert refs and all(ref.removeprefix("#/components/schemas/") in components for ref in refs)
