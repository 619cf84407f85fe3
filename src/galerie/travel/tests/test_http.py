"""Trips through HTTP: the product page's departures, the cart, the checkout's travellers step,
and the JSON API (cart details, travellers, product departures)."""

import datetime as dt
import re

import pytest
from django.test import Client

from galerie.cart.models import CartLine
from galerie.core import clock
from galerie.orders.models import Order
from galerie.pricing.services import tax_rates_ensure
from galerie.testing.factories import (
    make_offer,
    make_product,
    make_seller,
    make_storefront,
    make_trip,
)
from galerie.travel.models import Booking
from galerie.travel.tests.conftest import travellers

pytestmark = pytest.mark.django_db

ADDRESS = {
    "shipping-name": "Camille Martin",
    "shipping-line1": "12 rue des Lilas",
    "shipping-postcode": "75011",
    "shipping-city": "Paris",
    "shipping-country": "FR",
    "email": "camille@example.fr",
    "billing_same": "on",
}


@pytest.fixture
def shop(trip):
    storefront = make_storefront("voyages", categories=[trip.offer.product.category])
    tax_rates_ensure()
    return storefront


def _client():
    return Client(HTTP_HOST="voyages.localhost")


def test_product_page_lists_upcoming_departures_with_a_booking_form(shop, trip, operator):
    past = make_trip(seller=operator, product=trip.offer.product, starts_on=clock.localdate())
    html = _client().get(f"/p/{trip.offer.product.slug}/").content.decode()

    assert f'id="departure-{trip.pk}"' in html and f'id="departure-{past.pk}"' not in html
    assert 'name="adults"' in html and 'value="single_room"' in html
    assert 'class="buy-box"' not in html


def test_booking_form_adds_the_trip_then_checkout_asks_for_travellers(shop, trip):
    client = _client()
    response = client.post(
        "/panier/ajouter/",
        {"offer_id": trip.offer_id, "adults": "2", "children": "1", "options": "single_room"},
    )
    assert response.status_code == 302
    line = CartLine.objects.get()
    assert line.quantity == 3 and line.details["options"] == ["single_room"]
    cart = client.get("/panier/").content.decode()
    assert "2 adultes" in cart and "1 enfant" in cart and "Chambre individuelle" in cart
    assert "Passer la commande" in cart

    response = client.post("/commande/", ADDRESS)
    assert response["Location"].endswith("/commande/voyageurs/")
    assert client.get("/commande/livraison/")["Location"].endswith("/commande/voyageurs/")

    # A child's birth date in the adult's place: refused on that field, nothing stored.
    people = travellers(2, 1, on=trip.starts_on)
    form = {}
    for i, person in enumerate([people[0], people[2], people[1]]):
        for key in ("first_name", "last_name", "birth_date"):
            form[f"trip{line.pk}-{i}-{key}"] = person[key]
    form[f"trip{line.pk}-0-last_name"] = ""
    response = client.post("/commande/voyageurs/", form)
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    form[f"trip{line.pk}-0-last_name"] = "Martin"
    response = client.post("/commande/voyageurs/", form)
    assert response.status_code == 400
    assert "moins de 12 ans" in response.content.decode()
    line.refresh_from_db()
    assert "travellers" not in line.details

    for i, person in enumerate(people):
        for key in ("first_name", "last_name", "birth_date"):
            form[f"trip{line.pk}-{i}-{key}"] = person[key]
    response = client.post("/commande/voyageurs/", form)
    # Trips alone are not shipped: no delivery to choose, the recap comes next.
    assert response["Location"].endswith("/commande/recapitulatif/")
    assert client.get("/commande/livraison/")["Location"].endswith("/commande/recapitulatif/")
    line.refresh_from_db()
    assert len(line.details["travellers"]) == 3

    recap = client.get("/commande/recapitulatif/").content.decode()
    assert "Adulte0 Martin" in recap and "Régime particulier – Agences de voyages" in recap
    key = re.search(r'name="idempotency_key" value="([^"]+)"', recap).group(1)
    total = re.search(r'name="expected_total" value="([^"]+)"', recap).group(1)
    client.post(
        "/commande/valider/",
        {"idempotency_key": key, "expected_total": total, "payment_method": "transfer"},
    )
    order = Order.objects.get()
    assert Booking.objects.get(order_line__order=order).travellers.count() == 3


def test_trip_line_quantity_cannot_be_changed_from_the_cart(shop, trip):
    client = _client()
    client.post("/panier/ajouter/", {"offer_id": trip.offer_id, "adults": "2"})
    line = CartLine.objects.get()
    client.post(f"/panier/lignes/{line.pk}/", {"quantity": "5"})
    line.refresh_from_db()
    assert line.quantity == 2


def test_api_books_a_trip_names_travellers_and_shows_departures(shop, trip):
    client = _client()
    product = client.get(f"/api/storefronts/voyages/products/{trip.offer.product.slug}").json()
    assert [d["offer_id"] for d in product["departures"]] == [trip.offer_id]
    assert product["travel_options"][0]["code"] == "single_room"

    response = client.post(
        "/api/cart/lines",
        {"offer_id": trip.offer_id, "details": {"adults": 1, "children": 1}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    token = response["X-Cart-Token"]
    body = response.json()
    line = body["groups"][0]["lines"][0]
    assert line["quantity"] == 2 and line["trip"]["travellers"] is None
    assert [p["code"] for p in body["problems"]] == ["travellers_required"]

    url = f"/api/cart/lines/{line['id']}/travellers"
    bad = client.put(
        url,
        {"travellers": travellers(2, on=trip.starts_on)},
        content_type="application/json",
        HTTP_X_CART_TOKEN=token,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "travellers_mismatch"
    good = client.put(
        url,
        {"travellers": travellers(1, 1, on=trip.starts_on)},
        content_type="application/json",
        HTTP_X_CART_TOKEN=token,
    )
    assert good.status_code == 200
    assert (
        good.json()["can_order"]
        and len(good.json()["groups"][0]["lines"][0]["trip"]["travellers"]) == 2
    )


def test_api_refuses_bad_trip_details_and_foreign_lines(shop, trip):
    client = _client()
    bad = client.post(
        "/api/cart/lines",
        {"offer_id": trip.offer_id, "details": {"adults": 1, "options": ["spa"]}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_option"
    assert CartLine.objects.count() == 0
    mine = client.post(
        "/api/cart/lines",
        {"offer_id": trip.offer_id, "details": {"adults": 1}},
        content_type="application/json",
    )
    line_id = mine.json()["groups"][0]["lines"][0]["id"]
    other = _client()
    other.post(
        "/api/cart/lines",
        {"offer_id": trip.offer_id, "quantity": 1},
        content_type="application/json",
    )
    response = other.put(
        f"/api/cart/lines/{line_id}/travellers",
        {"travellers": travellers(1)},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert "travellers" not in CartLine.objects.get(pk=line_id).details


def test_a_listing_card_shows_the_next_departure_and_its_seats_and_stays_fresh_when_booked(
    shop, trip, operator, place, django_capture_on_commit_callbacks
):
    # Given a trip with a later departure too, listed on its category page (cached)
    later = make_trip(
        seller=operator,
        product=trip.offer.product,
        starts_on=trip.starts_on + dt.timedelta(days=30),
        price="900.00",
    )
    url = f"/c/{trip.offer.product.category.slug}/"
    card = _card(_client().get(url).content.decode(), trip.offer.product.slug)
    assert "10 places" in card and trip.starts_on.strftime("%Y") in card
    assert "900,00" in card  # "from": the cheapest departure's fare

    # When two seats of the next departure are booked
    with django_capture_on_commit_callbacks(execute=True):
        place(
            [(trip.offer_id, 2)],
            details={trip.offer_id: {"adults": 2, "travellers": travellers(2)}},
        )

    # Then the cached card shows the seats left, not the old figure
    card = _card(_client().get(url).content.decode(), trip.offer.product.slug)
    assert "8 places" in card
    assert later.offer.stock == 10


def _card(html: str, slug: str) -> str:
    start = html.index(f'href="/p/{slug}/"')
    return html[start : html.index("</li>", start)]


def test_seats_are_counted_in_places_not_copies(shop, trip):
    client = _client()
    response = client.post("/panier/ajouter/", {"offer_id": trip.offer_id, "adults": "11"})
    assert CartLine.objects.count() == 0
    client.post("/panier/ajouter/", {"offer_id": trip.offer_id, "adults": "3"})
    trip.offer.stock = 2
    trip.offer.save(update_fields=["stock"])

    cart = client.get("/panier/", follow=True).content.decode()

    assert response.status_code in (302, 400)
    assert "il ne reste que 2 places." in cart
    assert "exemplaire" not in cart


def test_mixed_order_delivery_step_asks_only_for_the_parcel(shop, trip):
    book_seller = make_seller("Librairie du Port")
    book = make_offer(
        make_product("Guide de Lisbonne", category=trip.offer.product.category),
        seller=book_seller,
        price="15.00",
        stock=4,
        delivery_price="3.00",
    )
    client = _client()
    client.post("/panier/ajouter/", {"offer_id": trip.offer_id, "adults": "1"})
    client.post("/panier/ajouter/", {"offer_id": book.pk, "quantity": "1"})
    client.post("/commande/", ADDRESS)
    line = CartLine.objects.get(offer=trip.offer)
    person = travellers(1)[0]
    client.post(
        "/commande/voyageurs/",
        {
            f"trip{line.pk}-0-{key}": person[key]
            for key in ("first_name", "last_name", "birth_date")
        },
    )

    page = client.get("/commande/livraison/").content.decode()

    assert "Rien à expédier" in page and "sans livraison" not in page
    assert f'name="delivery_{book_seller.pk}"' in page and 'type="radio"' in page
    assert page.count('type="radio"') == 1  # the bookseller's flat rate; none for the trip
    hidden = re.search(rf'name="delivery_{trip.offer.seller_id}" value="(\d+)"', page).group(1)
    method = re.search(rf'name="delivery_{book_seller.pk}" value="(\d+)"', page).group(1)
    response = client.post(
        "/commande/livraison/",
        {f"delivery_{trip.offer.seller_id}": hidden, f"delivery_{book_seller.pk}": method},
    )
    assert response["Location"].endswith("/commande/recapitulatif/")
