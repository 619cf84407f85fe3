"""Vouchers at order placement: the discount comes off the covered lines' unit prices, each
refusal has its code and message and changes nothing, the loi Lang floor holds, refunds give
back what was paid."""

import datetime as dt
from decimal import Decimal

import pytest

from galerie.core import clock
from galerie.ledger.checks import ledger_check_run
from galerie.orders.models import Order, OrderLine
from galerie.orders.selectors import order_quote
from galerie.payments.refunds import order_refund
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.promotions.errors import VoucherError
from galerie.promotions.models import ReductionKind, Voucher, VoucherRedemption
from galerie.promotions.tests.conftest import make_voucher
from galerie.sellers.models import Offer
from galerie.testing.factories import (
    make_book_type,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db


def _nothing_placed(voucher: Voucher, uses: int = 0):
    assert not Order.objects.exists()
    assert not VoucherRedemption.objects.exists()
    assert Voucher.objects.get(pk=voucher.pk).uses == uses


def test_a_sellers_voucher_discounts_only_its_lines_and_counts_one_use(place):
    seller = make_seller()
    own = make_offer(seller=seller, price="20.00", stock=5)
    other = make_offer(price="30.00", stock=5)
    voucher = make_voucher("vingt", value="20", seller=seller, max_uses=10)
    # Entered in lower case: codes are case-insensitive.
    order = place([(own.pk, 2), (other.pk, 1)], voucher_code="VinGT")
    own_line = OrderLine.objects.get(order=order, offer=own)
    other_line = OrderLine.objects.get(order=order, offer=other)
    assert (own_line.unit_price, own_line.line_total) == (Decimal("16.00"), Decimal("32.00"))
    assert (other_line.unit_price, other_line.line_total) == (Decimal("30.00"), Decimal("30.00"))
    assert order.items_total == Decimal("62.00")
    redemption = VoucherRedemption.objects.get()
    assert (redemption.order, redemption.amount, redemption.email) == (
        order,
        Decimal("8.00"),
        "client@example.fr",
    )
    assert Voucher.objects.get(pk=voucher.pk).uses == 1
    assert Offer.objects.get(pk=own.pk).price == Decimal("20.00")  # the offer is unchanged


def test_an_amount_voucher_is_shared_over_lines_and_never_exceeds_its_value(place):
    operator = make_seller(is_operator=True)
    a = make_offer(seller=operator, price="10.00", stock=5)
    b = make_offer(seller=operator, price="20.00", stock=5)
    make_voucher("CINQ", kind=ReductionKind.AMOUNT, value="5.00")
    order = place([(a.pk, 3), (b.pk, 1)], voucher_code="cinq")
    lines = {line.offer_id: line for line in order.lines.all()}
    discount = Decimal("50.00") - order.items_total
    assert Decimal("4.95") <= discount <= Decimal("5.00")
    for line in lines.values():
        assert line.unit_price * line.quantity == line.line_total
    assert VoucherRedemption.objects.get().amount == discount


def test_a_voucher_never_takes_a_new_book_below_95_percent_of_its_publishers_price(place):
    operator = make_seller(is_operator=True)
    book = make_product(product_type=make_book_type(), publisher_price=Decimal("20.00"))
    offer = make_offer(book, seller=operator, price="20.00", stock=3)
    make_voucher("LIVRES", value="30")
    order = place([(offer.pk, 1)], voucher_code="LIVRES")
    assert order.lines.get().unit_price == Decimal("19.00")


def test_a_voucher_on_a_book_already_at_its_floor_is_refused(place):
    operator = make_seller(is_operator=True)
    book = make_product(product_type=make_book_type(), publisher_price=Decimal("20.00"))
    offer = make_offer(book, seller=operator, price="19.00", stock=3)
    voucher = make_voucher("LIVRES", value="30")
    with pytest.raises(VoucherError) as error:
        place([(offer.pk, 1)], voucher_code="LIVRES")
    assert error.value.code == "voucher_not_applicable" and "95 %" in error.value.message
    _nothing_placed(voucher)


def test_unknown_code_is_refused_and_nothing_changes(place):
    offer = make_offer(stock=2)
    with pytest.raises(VoucherError) as error:
        place([(offer.pk, 1)], voucher_code="NOPE")
    assert error.value.code == "voucher_unknown"
    assert error.value.message == "Le code « NOPE » n'existe pas."
    assert not Order.objects.exists()
    assert Offer.objects.get(pk=offer.pk).stock == 2


def test_expired_voucher_is_refused_and_nothing_changes(place):
    offer = make_offer(seller=make_seller(is_operator=True), stock=2)
    now = clock.now()
    voucher = make_voucher(
        "ETE", starts_at=now - dt.timedelta(days=60), ends_at=now - dt.timedelta(days=1)
    )
    with pytest.raises(VoucherError) as error:
        place([(offer.pk, 1)], voucher_code="ete")
    assert error.value.code == "voucher_expired"
    assert error.value.message == "Le bon « ETE » n'est pas valable aujourd'hui."
    _nothing_placed(voucher)
    assert Offer.objects.get(pk=offer.pk).stock == 2


def test_a_customer_over_its_limit_is_refused_and_nothing_changes(place):
    offer = make_offer(seller=make_seller(is_operator=True), stock=5)
    voucher = make_voucher("UNEFOIS", max_uses_per_customer=1)
    place([(offer.pk, 1)], voucher_code="UNEFOIS")
    with pytest.raises(VoucherError) as error:
        place([(offer.pk, 1)], voucher_code="unefois", email="CLIENT@example.fr")
    assert error.value.code == "voucher_customer_limit"
    assert "autant de fois que permis" in error.value.message
    assert Order.objects.count() == 1
    assert Voucher.objects.get(pk=voucher.pk).uses == 1
    # Another customer may still use it.
    place([(offer.pk, 1)], voucher_code="UNEFOIS", email="autre@example.fr")
    assert Voucher.objects.get(pk=voucher.pk).uses == 2


def test_a_used_up_voucher_is_refused(place):
    offer = make_offer(seller=make_seller(is_operator=True), stock=5)
    voucher = make_voucher("RARE", max_uses=1, uses=1)
    with pytest.raises(VoucherError) as error:
        place([(offer.pk, 1)], voucher_code="RARE")
    assert error.value.code == "voucher_exhausted"
    _nothing_placed(voucher, uses=1)


def test_a_foreign_sellers_voucher_is_not_applicable_and_nothing_changes(place):
    offer = make_offer(stock=2)  # sold by another seller
    voucher = make_voucher("MAISON", seller=make_seller())
    with pytest.raises(VoucherError) as error:
        place([(offer.pk, 1)], voucher_code="MAISON")
    assert error.value.code == "voucher_not_applicable"
    assert error.value.message == "Le bon « MAISON » ne concerne aucun article de votre panier."
    _nothing_placed(voucher)


def test_a_voucher_of_another_storefront_or_under_its_minimum_is_not_applicable(storefront):
    operator = make_seller(is_operator=True)
    offer = make_offer(seller=operator, price="10.00", stock=5)
    make_voucher("AILLEURS", storefront=make_storefront("autre"))
    make_voucher("GROS", min_basket=Decimal("50.00"))
    for code, words in (("AILLEURS", "cette boutique"), ("GROS", "50.00 €")):
        quote = order_quote(storefront=storefront, lines=[(offer.pk, 1)], voucher_code=code)
        assert quote.voucher is None and quote.discount == 0
        assert [p.code for p in quote.problems] == ["voucher_not_applicable"]
        assert words in quote.problems[0].message
        assert not quote.can_order


def test_a_partial_refund_of_a_discounted_order_gives_back_what_was_paid(place):
    seller = make_seller()
    offer = make_offer(seller=seller, price="10.00", stock=5)
    make_voucher("DIX", value="10", seller=seller)
    order = place([(offer.pk, 3)], voucher_code="DIX")
    start = payment_start(order=order, method="transfer", return_url="/")
    payment_transfer_mark_received(payment=start.payment)
    order.refresh_from_db()
    line = order.lines.get()
    refund = order_refund(order=order, lines={line.pk: 1}, idempotency_key="r1")
    assert refund.amount == Decimal("9.00")
    order.refresh_from_db()
    assert order.refunded_total == Decimal("9.00")
    order_refund(order=order, idempotency_key="r2")
    order.refresh_from_db()
    assert order.refunded_total == order.total
    # The ledger agrees with the orders (balanced entries, sales and refunds as paid).
    assert [r.problems for r in ledger_check_run() if r.problems] == []
