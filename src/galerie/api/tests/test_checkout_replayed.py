"""`replayed` says whether this very request created the order: with one Idempotency-Key sent
many times, exactly one answer has replayed=false, however the others learnt of the order."""

import threading

import pytest
from django.db import connection
from django.test import Client

from galerie.orders.models import Order
from galerie.orders.services import order_place
from galerie.sellers.models import Offer
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

ADDRESS = {"name": "Marie Curie", "line1": "1 rue Cuvier", "postcode": "75005", "city": "Paris"}
BODY = {"email": "marie@example.fr", "shipping_address": ADDRESS}


@pytest.fixture(autouse=True)
def _tax_rates():
    """The seeded rates (a transactional test's flush removes them)."""
    from galerie.pricing.services import tax_rates_ensure

    tax_rates_ensure()


def _shop(stock: int):
    category = make_category("Livres")
    storefront = make_storefront("culture", categories=[category])
    offer = make_offer(make_product("Livre", category=category), stock=stock, price="10.00")
    return storefront, offer


def _cart(offer) -> str:
    response = Client(HTTP_HOST="culture.localhost").post(
        "/api/cart/lines", {"offer_id": offer.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response["X-Cart-Token"]


def _place(token: str, key: str):
    return Client(HTTP_HOST="culture.localhost").post(
        "/api/checkout/orders",
        BODY,
        content_type="application/json",
        headers={"X-Cart-Token": token, "Idempotency-Key": key},
    )


@pytest.mark.django_db
def test_a_request_that_finds_the_order_of_its_key_is_a_replay():
    """The loser of a race may find the order made with its key while the cart still holds the
    lines (the winner has not emptied it yet): it did not create that order."""
    storefront, offer = _shop(stock=1)
    token = _cart(offer)
    first = order_place(
        storefront=storefront,
        email=BODY["email"],
        lines=[(offer.pk, 1)],
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key="race-1",
    )

    answer = _place(token, "race-1")

    assert answer.status_code == 201, answer.content
    assert answer.json()["public_id"] == str(first.public_id)
    assert answer.json()["replayed"] is True
    assert Order.objects.count() == 1
    assert Offer.objects.get(pk=offer.pk).stock == 0


@pytest.mark.django_db
@pytest.mark.parametrize("stock", [5, 1], ids=["unique-index", "last-unit-gone"])
def test_a_request_overtaken_between_its_check_and_its_insert_is_a_replay(monkeypatch, stock):
    """The race's narrow window, made certain: another request with the same key commits its
    order after this one looked for it and before this one inserts its own. This one then hits
    the key's unique index or, with the last unit gone, sees the stock taken: a replay both ways,
    never a 409."""
    from galerie.orders import services

    real = services._order_create

    def overtaken(**kwargs):
        if not Order.objects.exists():
            real(**kwargs)  # the concurrent request, with the same key and body, wins
        return real(**kwargs)

    monkeypatch.setattr(services, "_order_create", overtaken)
    _, offer = _shop(stock=stock)

    answer = _place(_cart(offer), "overtaken-1")

    assert answer.status_code == 201, answer.content
    assert answer.json()["replayed"] is True
    assert Order.objects.count() == 1
    assert Offer.objects.get(pk=offer.pk).stock == stock - 1


@pytest.mark.django_db
def test_the_first_request_is_not_a_replay_and_the_retries_are():
    _, offer = _shop(stock=5)
    token = _cart(offer)
    answers = [_place(token, "retry-1").json() for _ in range(3)]
    assert [a["replayed"] for a in answers] == [False, True, True]
    assert len({a["public_id"] for a in answers}) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("stock", [1, 10])
def test_ten_simultaneous_requests_with_one_key_make_one_order_and_one_creator(stock):
    """With stock 1, a loser may see the unit the winner just took: still a replay, not a 409."""
    _, offer = _shop(stock=stock)
    token = _cart(offer)
    barrier = threading.Barrier(10)
    answers = [None] * 10

    def place(i):
        try:
            barrier.wait()
            response = _place(token, "same-key")
            answers[i] = (response.status_code, response.json())
        except Exception as exc:  # noqa: BLE001 - every outcome is inspected below
            answers[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert all(isinstance(a, tuple) and a[0] == 201 for a in answers), answers
    assert sorted(body["replayed"] for _, body in answers) == [False] + [True] * 9, answers
    assert len({body["public_id"] for _, body in answers}) == 1
    assert Order.objects.count() == 1
    assert Offer.objects.get(pk=offer.pk).stock == stock - 1
