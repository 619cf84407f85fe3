"""Property: for any sequence of orders (card or transfer), refunds (per line or whole),
cancellations, deliveries, commission rule changes and payout runs through the real services,
every journal entry balances and each seller's payable equals what its orders say it is owed
(captured net of commission − refunded net − paid out): `ledger-check` passes."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from galerie.core.errors import DomainError
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.errors import LedgerError
from galerie.ledger.selectors import seller_payable_balance
from galerie.orders.models import OrderStatus, SellerOrder, SellerOrderStatus
from galerie.orders.services import (
    order_place,
    seller_order_accept,
    seller_order_deliver,
    seller_order_ship,
)
from galerie.payments.gateways import CARD_SUCCESS
from galerie.payments.models import Refund
from galerie.payments.refunds import order_cancel, order_refund, seller_order_cancel
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.payments.simulator import charge_submit
from galerie.payouts.models import Payout
from galerie.payouts.selectors import seller_owed_by_orders
from galerie.payouts.tests.conftest import IBAN_A, IBAN_B
from galerie.sellers.models import CommissionRule
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

ADDRESS = {
    "name": "Camille",
    "line1": "1 rue A",
    "postcode": "75001",
    "city": "Paris",
    "country": "FR",
}

order_st = st.tuples(
    st.just("order"),
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3)), min_size=1, max_size=3),
    st.sampled_from(["card", "transfer"]),
    st.booleans(),  # delivered at once, 20 days ago (payable)
)

op_st = st.one_of(
    order_st,
    st.tuples(st.just("refund_line"), st.integers(0, 9), st.integers(0, 3), st.integers(1, 3)),
    st.tuples(st.just("refund_line"), st.integers(0, 9), st.integers(0, 3), st.integers(1, 3)),
    st.tuples(st.just("cancel"), st.integers(0, 9)),
    st.tuples(st.just("seller_cancel"), st.integers(0, 9), st.integers(0, 2)),
    st.tuples(st.just("deliver"), st.integers(0, 9)),
    st.tuples(st.just("rule"), st.integers(0, 40)),
    st.tuples(st.just("payout"), st.integers(0, 30)),
    st.tuples(st.just("payout"), st.integers(0, 30)),
)


class MoneyPropertyTest(TestCase):
    def setUp(self):
        self.storefront = make_storefront("culture")
        operator = make_seller("Galerie", is_operator=True)
        self.sellers = [
            operator,
            make_seller("Alpha", iban=IBAN_A, bic="PSSTFRPPXXX"),
            make_seller("Beta", iban=IBAN_B),
        ]
        category = make_category("Livres")
        self.category = category
        self.offers = [
            make_offer(
                make_product(category=category),
                seller=operator,
                price="30.00",
                stock=10_000,
                purchase_cost=Decimal("17.31"),
            ),
            make_offer(
                make_product(category=category), seller=self.sellers[1], price="19.99", stock=10_000
            ),
            make_offer(
                make_product(category=category), seller=self.sellers[1], price="7.35", stock=10_000
            ),
            make_offer(
                make_product(category=make_category("Musique")),
                seller=self.sellers[2],
                price="12.99",
                stock=10_000,
            ),
        ]
        self.orders = []
        self.keys = iter(range(1_000_000))

    def _pay(self, order, method):
        start = payment_start(order=order, method=method, return_url="/")
        if method == "transfer":
            payment_transfer_mark_received(payment=start.payment)
        else:
            with self.captureOnCommitCallbacks(execute=True):
                charge_submit(token=start.payment.provider_ref, card_number=CARD_SUCCESS)

    def apply(self, op):
        kind = op[0]
        if kind == "order":
            order = order_place(
                storefront=self.storefront,
                email="client@example.fr",
                lines=[(self.offers[i].pk, q) for i, q in op[1]],
                delivery_choices={},
                shipping_address=ADDRESS,
                billing_address=ADDRESS,
                idempotency_key=f"o{next(self.keys)}",
            )
            self._pay(order, op[2])
            self.orders.append(order)
            if op[3]:
                self._deliver(order)
            return
        if kind == "rule":
            CommissionRule.objects.update_or_create(
                category=self.category, storefront=None, defaults={"rate": Decimal(op[1])}
            )
            return
        if kind == "payout":
            from galerie.payouts.services import payout_run

            payout_run(as_of=timezone.localdate() + dt.timedelta(days=op[1]), holdback_percent="10")
            return
        if not self.orders:
            return
        order = self.orders[op[1] % len(self.orders)]
        order.refresh_from_db()
        if kind == "refund_line":
            lines = list(order.lines.order_by("pk"))
            line = lines[op[2] % len(lines)]
            order_refund(order=order, lines={line.pk: op[3]}, idempotency_key=f"r{next(self.keys)}")
        elif kind == "cancel":
            order_cancel(order=order, reason="test")
        elif kind == "seller_cancel":
            parts = list(order.seller_orders.order_by("pk"))
            seller_order_cancel(seller_order=parts[op[2] % len(parts)], reason="test")
        elif kind == "deliver":
            self._deliver(order)

    def _deliver(self, order):
        for part in order.seller_orders.filter(status=SellerOrderStatus.PAID):
            seller_order_accept(seller_order=part)
            seller_order_ship(seller_order=part, carrier="La Poste", tracking_number="1A")
            seller_order_deliver(seller_order=part)
        SellerOrder.objects.filter(order=order, status=SellerOrderStatus.DELIVERED).update(
            delivered_at=timezone.now() - dt.timedelta(days=20)
        )

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(order_st, min_size=1, max_size=3), st.lists(op_st, min_size=1, max_size=10))
    def test_every_entry_balances_and_payables_match_orders(self, first_orders, ops):
        ops = first_orders + ops
        self.refused = 0
        self.orders = []  # each example runs in its own rolled-back transaction
        for op in ops:
            # A refused step (already refunded, already shipped …) must leave nothing half-done.
            try:
                self.apply(op)
            except LedgerError:
                raise  # the ledger refusing a flow is a bug, never an expected refusal
            except DomainError as exc:
                self.refused += 1
                event(f"refused {op[0]}: {exc.code}")
        # A last run pays whatever became payable, so most examples end with payouts.
        self.apply(("payout", 40))
        event(f"payouts: {min(Payout.objects.count(), 3)}")
        event(f"refunds: {min(Refund.objects.count(), 3)}")
        event(f"refused steps: {min(self.refused, 3)}")
        failures = {r.name: r.problems for r in ledger_check_run() if not r.ok}
        assert failures == {}, (ops, failures)
        for seller in self.sellers[1:]:
            assert seller_payable_balance(seller_id=seller.pk) == seller_owed_by_orders(
                seller_id=seller.pk
            )
        assert all(o.status in OrderStatus.values for o in self.orders)
