"""Issue 13: a value already in the database that a page cannot show (an offer priced 1e20,
written before the CHECK constraints) degrades that one offer, never the page. The product page,
the product API, the listings sorted by price, the search, the seller's offer list and the cart
keep answering and leave the bad offer out (sellers.models.OFFER_IN_BOUNDS), on SQLite (where
the row cannot even be loaded) and on PostgreSQL (where it can, and must not be shown)."""

import pytest
from django.test import Client

from galerie.api.tests.test_seller_api import Api, _token
from galerie.portal.tests.conftest import world  # noqa: F401  (two sellers, users, orders)
from galerie.search.services import search_index_refresh
from galerie.sellers.models import Offer
from galerie.sellers.services import product_offer_summary_refresh
from galerie.testing.factories import make_offer
from galerie.testing.legacy import legacy_price, legacy_update

pytestmark = pytest.mark.django_db

SHOP = "culture.localhost"


@pytest.fixture(params=["summary_stale", "summary_refreshed"])
def legacy(request, world):  # noqa: F811
    """Seller A's offer on « Abbey Road » carries a legacy price; seller B sells the same product
    properly. The product's summary is either as it was before (nothing has rewritten it since)
    or recomputed by a later write to the product."""
    good = make_offer(world.offer_a.product, seller=world.seller_b, price="25.00", stock=3)
    legacy_update(Offer, world.offer_a.pk, price=legacy_price())
    if request.param == "summary_refreshed":
        product_offer_summary_refresh(product_ids=[good.product_id])
    search_index_refresh(product_ids=[good.product_id])
    world.good = good
    return world


def test_product_page_shows_the_good_offer_only(legacy):
    response = Client().get(f"/p/{legacy.good.product.slug}/", HTTP_HOST=SHOP)

    assert response.status_code == 200
    page = response.content.decode()
    assert "25,00" in page
    assert "Disques A" not in page  # the legacy offer's seller


def test_product_api_leaves_the_legacy_offer_out(legacy):
    response = Client(HTTP_HOST="localhost").get(
        f"/api/storefronts/culture/products/{legacy.good.product.slug}"
    )

    assert response.status_code == 200
    body = response.json()
    assert [o["id"] for o in body["offers"]] == [legacy.good.pk]
    assert body["buy_box"]["id"] == legacy.good.pk


@pytest.mark.parametrize("sort", ["prix-decroissant", "prix-croissant"])
def test_listings_sorted_by_price_answer(legacy, sort):
    api = Client(HTTP_HOST="localhost").get(f"/api/storefronts/culture/products?tri={sort}")
    page = Client().get(f"/c/{legacy.category.slug}/?tri={sort}", HTTP_HOST=SHOP)

    assert api.status_code == 200
    assert legacy.good.product.slug in [item["slug"] for item in api.json()["items"]]
    assert page.status_code == 200


def test_search_answers_with_the_product(legacy):
    api = Client(HTTP_HOST="localhost").get("/api/storefronts/culture/search?q=Abbey")
    page = Client().get("/recherche/?q=Abbey", HTTP_HOST=SHOP)

    assert api.status_code == 200
    assert [item["slug"] for item in api.json()["items"]] == [legacy.good.product.slug]
    assert page.status_code == 200
    assert "Abbey Road" in page.content.decode()


def test_seller_offer_list_leaves_the_legacy_offer_out(legacy):
    api = Api(_token(legacy, legacy.users.owner_a))
    portal = Client(HTTP_HOST=SHOP)
    portal.force_login(legacy.users.owner_a)

    listed = api.get("/offers")
    page = portal.get("/vendeur/offres/")

    assert listed.status_code == 200
    assert legacy.offer_a.pk not in [item["id"] for item in listed.json()["items"]]
    assert page.status_code == 200


def test_the_legacy_offer_cannot_be_put_in_a_cart(legacy):
    client = Client(HTTP_HOST=SHOP)

    response = client.post(
        "/api/cart/lines", {"offer_id": legacy.offer_a.pk}, content_type="application/json"
    )

    assert response.status_code in (400, 404, 409), response.content
    assert response.json()["code"] == "offer_unavailable"
