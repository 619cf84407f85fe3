"""Two buyers, one use left: one discount (real threads on PostgreSQL)."""

import pytest

from galerie.orders.models import Order
from galerie.promotions.errors import VoucherError
from galerie.promotions.models import Voucher, VoucherRedemption
from galerie.promotions.tests.conftest import ADDRESS, make_voucher
from galerie.testing.concurrency import race
from galerie.testing.factories import make_offer, make_seller, make_storefront

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _tax_rates():
    from galerie.pricing.services import tax_rates_ensure

    tax_rates_ensure()


def test_last_use_of_a_voucher_with_several_buyers_gives_one_discount():
    from galerie.orders.services import order_place

    storefront = make_storefront()
    offer = make_offer(seller=make_seller(is_operator=True), stock=20)
    voucher = make_voucher("DERNIER", max_uses=3, uses=2)

    def buy(i):
        return order_place(
            storefront=storefront,
            email=f"buyer{i}@example.fr",
            lines=[(offer.pk, 1)],
            delivery_choices={},
            shipping_address=ADDRESS,
            billing_address=ADDRESS,
            idempotency_key=f"buyer-{i}",
            voucher_code="DERNIER",
        )

    results = race(6, buy)
    orders = [r for r in results if isinstance(r, Order)]
    errors = [r for r in results if isinstance(r, VoucherError)]
    assert len(orders) == 1, results
    assert len(errors) == 5 and {e.code for e in errors} == {"voucher_exhausted"}
    assert Voucher.objects.get(pk=voucher.pk).uses == 3
    assert VoucherRedemption.objects.get().order == orders[0]
    assert Order.objects.count() == 1
