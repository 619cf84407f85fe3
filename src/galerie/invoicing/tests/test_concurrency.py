"""Numbers under concurrency, on PostgreSQL with real threads: orders of one seller paid at the
same moment get invoice numbers 1…N, no gap and no number twice (the counter row lock)."""

import pytest

from galerie.invoicing.models import Invoice
from galerie.orders.services import order_place
from galerie.testing.concurrency import race
from galerie.testing.factories import make_offer, make_seller, make_storefront, pay_by_transfer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADDRESS = {"name": "A. Client", "line1": "1 rue de la Paix", "postcode": "75002", "city": "Paris"}
N = 8


@pytest.fixture(autouse=True)
def _tax_rates():
    from galerie.pricing.services import tax_rates_ensure

    tax_rates_ensure()


def test_orders_paid_together_get_consecutive_numbers_without_gap_or_repeat():
    # Given N unpaid orders of one seller
    storefront = make_storefront()
    seller = make_seller()
    offer = make_offer(seller=seller, stock=N)
    orders = [
        order_place(
            storefront=storefront,
            email=f"buyer{i}@example.fr",
            lines=[(offer.pk, 1)],
            delivery_choices={},
            shipping_address=ADDRESS,
            billing_address=ADDRESS,
            idempotency_key=f"order-{i}",
        )
        for i in range(N)
    ]
    # When they are all paid at once
    results = race(N, lambda i: pay_by_transfer(orders[i]))
    # Then every order has its invoice and the numbers run 1..N
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = list(Invoice.objects.filter(issuer=seller).values_list("sequence", "number"))
    assert sorted(seq for seq, _number in numbers) == list(range(1, N + 1))
    assert len({number for _seq, number in numbers}) == N
