"""Money flows through the real order and payment services, checked in the ledger."""

from decimal import Decimal

import pytest

from galerie.ledger import chart
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.models import EntryKind, JournalEntry, JournalLine
from galerie.ledger.selectors import account_balance, seller_payable_balance
from galerie.ledger.services import account_get
from galerie.orders.models import OrderLine
from galerie.payments.refunds import order_cancel, order_refund, seller_order_cancel
from galerie.payouts.selectors import seller_owed_by_orders
from galerie.sellers.models import CommissionRule

D = Decimal


def _balance(code):
    return account_balance(account=account_get(code=code))


def _ledger_clean():
    failures = {r.name: r.problems for r in ledger_check_run() if not r.ok}
    assert failures == {}


def test_commission_frozen_at_payment_and_unaffected_by_later_rule_change(mall, place, pay):
    order = place([(mall["offer_a"].pk, 2), (mall["offer_b"].pk, 1), (mall["own"].pk, 1)])
    assert set(
        OrderLine.objects.filter(order=order).values_list("commission_amount", flat=True)
    ) == {None}
    pay(order)
    lines = {line.offer_id: line for line in OrderLine.objects.filter(order=order)}
    a, b, own = lines[mall["offer_a"].pk], lines[mall["offer_b"].pk], lines[mall["own"].pk]
    # Seller A, books rule 10 % + 0.50 € fixed: 40.00 × 10 % + 0.50 = 4.50
    assert (a.commission_rate, a.commission_fixed_fee, a.commission_amount) == (
        D("10.00"),
        D("0.50"),
        D("4.50"),
    )
    assert a.category_id == mall["books"].pk
    # Seller B, no rule: default 15 % of 12.99 = 1.9485 → 1.95
    assert b.commission_amount == D("1.95") and b.category_id == mall["music"].pk
    # Operator: no commission, the purchase cost frozen
    assert own.commission_amount is None and own.purchase_cost == D("18.00")

    CommissionRule.objects.update(rate=D("50.00"))
    mall["own"].purchase_cost = D("1.00")
    mall["own"].save()
    order.lines.first()  # nothing recomputes
    a.refresh_from_db()
    own.refresh_from_db()
    assert a.commission_amount == D("4.50") and own.purchase_cost == D("18.00")

    # Ledger: seller A owed 40 − 4.50, B 12.99 − 1.95 (delivery fees included when any)
    fee_a = a.seller_order.delivery_fee
    assert seller_payable_balance(seller_id=mall["a"].pk) == D("35.50") + fee_a
    assert (
        seller_payable_balance(seller_id=mall["b"].pk) == D("11.04") + b.seller_order.delivery_fee
    )
    _ledger_clean()


def test_capture_entry_carries_storefront_seller_category_and_balances(mall, place, pay):
    order = place([(mall["offer_a"].pk, 1), (mall["own"].pk, 2)])
    payment = pay(order)
    capture = JournalEntry.objects.get(idempotency_key=f"capture:{payment.pk}")
    assert capture.kind == EntryKind.CAPTURE and capture.order_id == order.pk
    lines = list(capture.lines.select_related("account"))
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) == order.total
    assert all(x.storefront_id == order.storefront_id for x in lines)
    own_sales = [x for x in lines if x.account.number == chart.OWN_SALES]
    assert [(x.seller_id, x.category_id) for x in own_sales] == [
        (mall["operator"].pk, mall["books"].pk)
    ]
    own_line = order.lines.get(offer=mall["own"])
    assert own_sales[0].credit == own_line.line_total - own_line.vat_amount
    commission = [x for x in lines if x.account.number == chart.COMMISSION_REVENUE]
    # 20.00 × 10 % + 0.50 = 2.50 incl. VAT → 2.08 + 0.42 VAT
    assert [(x.seller_id, x.credit) for x in commission] == [(mall["a"].pk, D("2.08"))]
    # Provider fee: 1.4 % + 0.25 € of the total, withheld from the provider clearing
    fee = (order.total * D("0.014") + D("0.25")).quantize(D("0.01"))
    assert _balance(chart.PAYMENT_FEES) == fee
    assert _balance(chart.PROVIDER_CLEARING) == order.total - fee
    # COGS of the operator's own goods: 2 × 18.00
    assert _balance(chart.PURCHASES) == D("36.00")
    cogs = JournalLine.objects.filter(account__number=chart.PURCHASES).get()
    assert (cogs.seller_id, cogs.category_id, cogs.storefront_id) == (
        mall["operator"].pk,
        mall["books"].pk,
        order.storefront_id,
    )
    _ledger_clean()


def test_transfer_received_posts_the_capture_to_the_bank_without_fee(mall, place, pay):
    order = place([(mall["offer_b"].pk, 1)])
    pay(order, method="transfer")
    assert _balance(chart.BANK) == order.total
    assert _balance(chart.PAYMENT_FEES) == 0
    _ledger_clean()


def test_refund_gives_back_commission_pro_rata_and_the_rest_at_the_end(mall, place, pay):
    order = place([(mall["offer_a"].pk, 3)])  # 60.00, commission 6.00 + 0.50 = 6.50
    pay(order)
    line = order.lines.get()
    assert line.commission_amount == D("6.50")
    before = seller_payable_balance(seller_id=mall["a"].pk)
    order_refund(order=order, lines={line.pk: 1}, idempotency_key="r1")
    # 6.50 × 20/60 = 2.1666… → 2.17 given back: the seller bears 20.00 − 2.17
    assert seller_payable_balance(seller_id=mall["a"].pk) == before - D("17.83")
    assert _balance(chart.COMMISSION_REBATES) == D("1.81")  # 2.17 incl. VAT = 1.81 + 0.36
    order_refund(order=order, lines={line.pk: 1}, idempotency_key="r2")
    order_refund(order=order, lines={line.pk: 1}, idempotency_key="r3")
    # Whole line refunded: the whole frozen commission given back, to the cent
    rebates = JournalLine.objects.filter(entry__kind=EntryKind.REFUND).exclude(
        account__number__in=[chart.PROVIDER_CLEARING, chart.SELLER_PAYABLES]
    )
    assert sum(x.debit for x in rebates) == D("6.50")
    fee = order.seller_orders.get().delivery_fee
    assert seller_payable_balance(seller_id=mall["a"].pk) == fee
    _ledger_clean()


def test_full_refund_on_cancellation_mirrors_the_capture_and_returns_goods(mall, place, pay):
    order = place([(mall["offer_a"].pk, 1), (mall["own"].pk, 1), (mall["offer_b"].pk, 2)])
    pay(order)
    order_cancel(order=order, reason="Changement d'avis")
    for seller in ("a", "b"):
        assert seller_payable_balance(seller_id=mall[seller].pk) == 0
    assert _balance(chart.VAT_COLLECTED) == 0
    assert _balance(chart.PURCHASES) == 0  # goods back in stock
    fee = _balance(chart.PAYMENT_FEES)
    assert fee > 0 and _balance(chart.PROVIDER_CLEARING) == -fee  # the provider keeps its fee
    _ledger_clean()


def test_seller_cancels_its_part_refunds_its_lines_and_delivery(mall, place, pay):
    order = place([(mall["offer_a"].pk, 1), (mall["offer_b"].pk, 1)])
    pay(order)
    part_b = order.seller_orders.get(seller=mall["b"])
    seller_order_cancel(seller_order=part_b, reason="Rupture")
    assert seller_payable_balance(seller_id=mall["b"].pk) == 0
    assert seller_payable_balance(seller_id=mall["a"].pk) > 0
    part_b.refresh_from_db()
    assert part_b.delivery_refunded == part_b.delivery_fee
    _ledger_clean()


def test_operator_parcel_costs_the_carrier_rate(mall, place, pay, deliver):
    order = place([(mall["own"].pk, 1), (mall["offer_a"].pk, 1)])
    pay(order)
    for seller_order in order.seller_orders.all():
        deliver(seller_order)
    line = JournalLine.objects.get(account__number=chart.DELIVERY_COSTS)
    assert (line.debit, line.seller_id) == (D("4.90"), mall["operator"].pk)
    _ledger_clean()


def test_ledger_check_finds_a_payable_that_disagrees_with_orders(mall, place, pay):
    order = place([(mall["offer_a"].pk, 1)])
    pay(order)
    OrderLine.objects.filter(order=order).update(commission_amount=D("1.00"))
    failures = {r.name: r.problems for r in ledger_check_run() if not r.ok}
    [problem] = failures["le compte de chaque vendeur égale ce que ses commandes lui doivent"]
    assert f"Vendeur {mall['a'].pk}" in problem
    assert seller_owed_by_orders(seller_id=mall["a"].pk) != seller_payable_balance(
        seller_id=mall["a"].pk
    )


def test_ledger_check_finds_a_captured_payment_without_entry(mall, place, pay):
    from galerie.payments.models import Payment

    order = place([(mall["offer_b"].pk, 1)])
    pay(order)
    other = place([(mall["offer_b"].pk, 1)])
    Payment.objects.create(
        order=other, method="card", status="captured", amount=other.total, provider_ref="cs_x"
    )
    failures = {r.name: r.problems for r in ledger_check_run() if not r.ok}
    assert (
        "encaissé sans écriture"
        in failures["chaque paiement encaissé a son écriture, au même montant"][0]
    )


@pytest.mark.postgres
def test_flows_balance_on_postgres(mall, place, pay):
    order = place([(mall["offer_a"].pk, 2), (mall["own"].pk, 1)])
    pay(order)
    order_refund(order=order, lines={order.lines.first().pk: 1}, idempotency_key="pg1")
    _ledger_clean()


def test_seller_is_told_the_commission_of_each_line(mall, place, pay, mailoutbox):
    mall["a"].email = "alpha@example.fr"
    mall["a"].save()
    order = place([(mall["offer_a"].pk, 2)])
    pay(order)
    [mail] = [m for m in mailoutbox if "alpha@example.fr" in m.to]
    assert "(commission 4,50\xa0€)" in mail.body
    assert "Commission de la galerie : 4,50\xa0€" in mail.body


def test_allocate_adds_up_to_the_cent():
    from galerie.ledger.postings import allocate

    assert allocate(D("1.00"), [D("1"), D("1"), D("1")]) == [D("0.34"), D("0.33"), D("0.33")]
    assert allocate(D("0.71"), [D("60.00"), D("12.99")]) == [D("0.58"), D("0.13")]
    assert allocate(D("5.00"), [D("0"), D("0")]) == [D("5.00"), D("0")]


def test_payment_fee_is_charged_to_each_seller_and_category(mall, place, pay):
    order = place([(mall["offer_a"].pk, 3), (mall["offer_b"].pk, 1)])
    payment = pay(order)
    entry = JournalEntry.objects.get(idempotency_key=f"fee:{payment.pk}")
    assert entry.kind == EntryKind.PAYMENT_FEE
    fee_lines = {
        (x.seller_id, x.category_id): x.debit
        for x in entry.lines.filter(account__number=chart.PAYMENT_FEES)
    }
    fee = (order.total * D("0.014") + D("0.25")).quantize(D("0.01"))
    assert sum(fee_lines.values()) == fee
    assert fee_lines[(mall["a"].pk, mall["books"].pk)] > fee_lines[(mall["b"].pk, mall["music"].pk)]
    _ledger_clean()


def test_refund_beyond_what_the_ledger_holds_is_refused_and_changes_nothing(mall, place, pay):
    from galerie.orders.errors import RefundError
    from galerie.payments.models import Refund

    order = place([(mall["offer_b"].pk, 1)])
    pay(order)
    part = order.seller_orders.get()
    order_refund(
        order=order, lines={order.lines.get().pk: 1}, delivery_for=[part.pk], idempotency_key="r1"
    )
    # The line says one unit is refundable again (a desynchronised row), the ledger says no
    OrderLine.objects.filter(order=order).update(refunded_quantity=0)
    entries = JournalEntry.objects.count()
    with pytest.raises(RefundError):
        order_refund(order=order, lines={order.lines.get().pk: 1}, idempotency_key="r3")
    assert JournalEntry.objects.count() == entries
    assert not Refund.objects.filter(idempotency_key="r3").exists()
