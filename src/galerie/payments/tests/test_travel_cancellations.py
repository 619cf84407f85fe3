"""Cancelling a paid trip (payments.cancellations.travel_booking_cancel): the fee is kept, the rest
refunded through the ordinary refund path, the ledger balanced with the fee as revenue, the
seats back on sale, the same key refunding once, and every wrong state refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from galerie.core import clock
from galerie.ledger import chart
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.models import JournalLine
from galerie.orders.errors import IdempotencyConflict
from galerie.orders.models import OrderStatus, SellerOrderStatus
from galerie.payments.cancellations import travel_booking_cancel
from galerie.payments.models import Refund
from galerie.reporting.selectors import economics
from galerie.sellers.models import CommissionRule, Offer
from galerie.testing.factories import make_category, make_seller
from galerie.travel.errors import BookingAlreadyCancelled, BookingNotPaid, DeparturePassed
from galerie.travel.models import Booking, BookingStatus
from galerie.travel.tests.trips import make_departure, place_trip

pytestmark = pytest.mark.django_db


def _net(order, account, **filters) -> Decimal:
    """Credit − debit of `account` over the order's entries."""
    sums = JournalLine.objects.filter(
        entry__order_id=order.pk, account__number=account, **filters
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (Decimal(sums["c"] or 0) - Decimal(sums["d"] or 0)).quantize(Decimal("0.01"))


def _ledger_clean():
    problems = [p for result in ledger_check_run() for p in result.problems]
    assert problems == []


@pytest.fixture
def operator_trip(storefront):
    departure = make_departure(price="1000.00", seats=10, days_ahead=45, purchase_cost="600.00")
    order, booking = place_trip(storefront=storefront, departure=departure, adults=2)
    return order, booking, departure


def test_cancelling_early_keeps_30_percent_and_refunds_the_rest(operator_trip):
    order, booking, departure = operator_trip
    assert Offer.objects.get(pk=departure.offer_id).stock == 8

    result = travel_booking_cancel(booking=booking, actor=None, idempotency_key="cancel-1")

    assert (result.percent, result.fee, result.refunded) == (
        30,
        Decimal("600.00"),
        Decimal("1400.00"),
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_at
    assert booking.cancellation_fee == Decimal("600.00")
    refund = Refund.objects.get(order=order)
    assert refund.amount == Decimal("1400.00") and refund.idempotency_key == "cancel-1"
    assert Offer.objects.get(pk=departure.offer_id).stock == 10
    order.refresh_from_db()
    assert order.refunded_total == Decimal("1400.00")
    assert order.status == OrderStatus.CANCELLED
    assert order.seller_orders.get().status == SellerOrderStatus.CANCELLED


def test_ledger_balances_and_keeps_the_fee_as_the_operators_revenue(operator_trip):
    order, booking, _departure = operator_trip
    line = booking.order_line
    travel_booking_cancel(booking=booking, actor=None, idempotency_key="cancel-ledger")

    # Cash: 2 000 € in, 1 400 € out; the 600 € fee stays, with 30 % of the sale's VAT.
    assert _net(order, chart.BANK) == Decimal("-600.00")
    vat_kept = _net(order, chart.VAT_COLLECTED)
    assert vat_kept == (line.vat_amount * Decimal("0.3")).quantize(Decimal("0.01"))
    revenue = _net(order, chart.OWN_SALES) + _net(order, chart.OWN_SALES_REBATES)
    assert revenue + vat_kept == Decimal("600.00")
    # 30 % of the purchase cost (2 × 600 €) stays a cost of the fee.
    assert -_net(order, chart.PURCHASES) == Decimal("360.00")
    _ledger_clean()
    today = clock.localdate()
    rows = economics(start=today, end=today, group_by=("category",))
    row = next(r for r in rows if r.category_id == line.category_id)
    assert row.own_sales == revenue
    assert row.refunds == Decimal("1400.00")


def test_same_key_twice_refunds_once(operator_trip):
    order, booking, _departure = operator_trip
    first = travel_booking_cancel(booking=booking, actor=None, idempotency_key="k-twice")
    again = travel_booking_cancel(booking=booking, actor=None, idempotency_key="k-twice")
    assert again.replayed and not first.replayed
    assert again.refund.pk == first.refund.pk and again.fee == first.fee
    assert again.percent == 30
    assert Refund.objects.filter(order=order).count() == 1
    order.refresh_from_db()
    assert order.refunded_total == Decimal("1400.00")


def test_another_key_on_a_cancelled_booking_is_refused(operator_trip):
    _order, booking, _departure = operator_trip
    travel_booking_cancel(booking=booking, actor=None, idempotency_key="k-a")
    with pytest.raises(BookingAlreadyCancelled) as caught:
        travel_booking_cancel(booking=booking, actor=None, idempotency_key="k-b")
    assert caught.value.code == "booking_already_cancelled"
    assert Refund.objects.count() == 1


def test_a_key_used_by_another_refund_is_a_conflict(operator_trip, storefront):
    _order, booking, _departure = operator_trip
    other_departure = make_departure(days_ahead=80)
    _other_order, other = place_trip(storefront=storefront, departure=other_departure)
    travel_booking_cancel(booking=other, actor=None, idempotency_key="shared")
    with pytest.raises(IdempotencyConflict):
        travel_booking_cancel(booking=booking, actor=None, idempotency_key="shared")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("days_before", "percent"), [(30, 30), (29, 50), (8, 50), (7, 90), (1, 90)]
)
def test_fee_follows_the_schedule_on_each_boundary_date(operator_trip, days_before, percent):
    _order, booking, departure = operator_trip
    on = departure.starts_on - dt.timedelta(days=days_before)
    result = travel_booking_cancel(booking=booking, actor=None, idempotency_key="b", on=on)
    assert result.percent == percent
    assert result.fee == Decimal("2000.00") * percent / 100
    assert result.refunded == Decimal("2000.00") - result.fee
    _ledger_clean()


def test_departure_day_is_too_late_and_nothing_changes(operator_trip):
    order, booking, departure = operator_trip
    with pytest.raises(DeparturePassed) as caught:
        travel_booking_cancel(
            booking=booking, actor=None, idempotency_key="late", on=departure.starts_on
        )
    assert caught.value.code == "departure_passed"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Offer.objects.get(pk=departure.offer_id).stock == 8
    assert not Refund.objects.exists()


def test_unpaid_booking_is_refused(storefront):
    departure = make_departure()
    _order, booking = place_trip(storefront=storefront, departure=departure, pay=False)
    with pytest.raises(BookingNotPaid) as caught:
        travel_booking_cancel(booking=booking, actor=None, idempotency_key="unpaid")
    assert caught.value.code == "booking_not_paid"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.PENDING


def test_missing_key_is_refused(operator_trip):
    _order, booking, _departure = operator_trip
    with pytest.raises(Exception) as caught:
        travel_booking_cancel(booking=booking, actor=None, idempotency_key="  ")
    assert caught.value.code == "idempotency_key_required"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_third_party_seller_keeps_the_fee_minus_the_operators_commission(storefront):
    travel = make_category("Voyages tiers")
    CommissionRule.objects.create(category=travel, rate=Decimal("10.00"), fixed_fee=Decimal("0"))
    agency = make_seller("Agence Sirocco", iban="FR1420041010050500013M02606", bic="PSSTFRPPXXX")
    departure = make_departure(seller=agency, price="500.00", category=travel, days_ahead=20)
    order, booking = place_trip(storefront=storefront, departure=departure, adults=2)
    result = travel_booking_cancel(booking=booking, actor=None, idempotency_key="tp")
    assert (result.percent, result.fee, result.refunded) == (
        50,
        Decimal("500.00"),
        Decimal("500.00"),
    )
    # The seller is owed the fee minus the operator's commission on it (10 % of 500 €).
    payable = _net(order, chart.SELLER_PAYABLES)
    commission = _net(order, chart.COMMISSION_REVENUE) + _net(order, chart.COMMISSION_REBATES)
    commission_vat = _net(order, chart.VAT_COLLECTED)
    assert commission + commission_vat == Decimal("50.00")
    assert payable == Decimal("450.00")
    _ledger_clean()


def test_the_fee_a_third_party_seller_keeps_is_paid_out_once_the_period_is_over(storefront):
    import datetime as dt

    from galerie.core import clock
    from galerie.payouts.models import Payout
    from galerie.payouts.services import payout_run

    # Given an agency's trip cancelled by its customer at 50 % (500 € kept, 10 % commission)
    travel = make_category("Voyages tiers")
    CommissionRule.objects.create(category=travel, rate=Decimal("10.00"), fixed_fee=Decimal("0"))
    agency = make_seller("Agence Sirocco", iban="FR1420041010050500013M02606", bic="PSSTFRPPXXX")
    departure = make_departure(seller=agency, price="500.00", category=travel, days_ahead=20)
    _order, booking = place_trip(storefront=storefront, departure=departure, adults=2)
    travel_booking_cancel(booking=booking, actor=None, idempotency_key="tp-payout")

    # When payouts run today, then once the withdrawal period's delay has passed
    assert payout_run(as_of=clock.localdate(), holdback_percent="0") == []
    later = payout_run(as_of=clock.localdate() + dt.timedelta(days=20), holdback_percent="0")

    # Then the agency is paid the fee less the commission, once
    (payout,) = later
    assert (payout.seller_id, payout.amount) == (agency.pk, Decimal("450.00"))
    payout_run(as_of=clock.localdate() + dt.timedelta(days=27), holdback_percent="0")
    assert Payout.objects.filter(seller=agency).count() == 1
    _ledger_clean()


def test_cancellation_refund_is_credited_on_a_credit_note_keeping_the_fee_invoiced(operator_trip):
    from galerie.invoicing.models import Invoice, InvoiceKind

    order, booking, _departure = operator_trip
    invoice = Invoice.objects.get(seller_order__order=order, kind=InvoiceKind.INVOICE)

    travel_booking_cancel(booking=booking, actor=None, idempotency_key="cancel-credit")

    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.credited_invoice == invoice
    assert note.total_ttc == Decimal("-1400.00")
    assert invoice.total_ttc + note.total_ttc == Decimal("600.00")  # the fee kept
    assert note.vat_mentions == invoice.vat_mentions == ["Régime particulier – Agences de voyages"]
    assert note.total_vat == 0
