"""Two sellers (A and B) with their users, offers and one paid order each, on one storefront."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.orders.services import order_place
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.sellers.models import SellerMember, SellerRole
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

HOST = "culture.localhost"
ADDRESS = {
    "name": "Camille Martin",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country": "FR",
}


def _user(username: str, **kw):
    # No password: force_login needs none, and hashing one (Argon2) costs ~1 s per user here.
    return get_user_model().objects.create_user(username, f"{username}@example.fr", **kw)


def _paid_order(storefront, offer, key: str):
    order = order_place(
        storefront=storefront,
        email="client@example.fr",
        lines=[(offer.pk, 1)],
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key=key,
    )
    start = payment_start(order=order, method="transfer", return_url="/")
    payment_transfer_mark_received(payment=start.payment)
    return order.seller_orders.get()


@pytest.fixture
def world(db):
    return world_build()


def world_build() -> SimpleNamespace:
    books = make_category("Livres", slug="livres")
    storefront = make_storefront("culture", name="Culture", categories=[books])
    book_type = make_book_type()
    seller_a = make_seller("Disques A", slug="vendeur-a")
    seller_b = make_seller("Bouquins B", slug="vendeur-b")
    users = SimpleNamespace(
        owner_a=_user("owner_a"),
        staff_a=_user("staff_a"),
        owner_b=_user("owner_b"),
        customer=_user("customer"),
        operator=_user("operator", is_staff=True),
    )
    SellerMember.objects.create(seller=seller_a, user=users.owner_a, role=SellerRole.OWNER)
    SellerMember.objects.create(seller=seller_a, user=users.staff_a, role=SellerRole.STAFF)
    SellerMember.objects.create(seller=seller_b, user=users.owner_b, role=SellerRole.OWNER)
    product_a = make_product("Abbey Road", category=books)
    product_b = make_product("Bel-Ami", category=books)
    offer_a = make_offer(product_a, seller=seller_a, price="20.00", stock=10, sku="A-1")
    offer_b = make_offer(product_b, seller=seller_b, price="15.00", stock=10, sku="B-1")
    book = make_product(
        "Le Rouge et le Noir", category=books, product_type=book_type, publisher_price="10.00"
    )
    return SimpleNamespace(
        storefront=storefront,
        category=books,
        book_type=book_type,
        book=book,
        seller_a=seller_a,
        seller_b=seller_b,
        users=users,
        offer_a=offer_a,
        offer_b=offer_b,
        order_a=_paid_order(storefront, offer_a, "order-a"),
        order_b=_paid_order(storefront, offer_b, "order-b"),
    )


@pytest.fixture
def as_user():
    """A client logged in as `user` (None: anonymous) on the storefront host."""

    def _client(user=None) -> Client:
        client = Client(HTTP_HOST=HOST)
        if user is not None:
            client.force_login(user)
        return client

    return _client
