"""Property: for any sequence of captures, refunds and payouts, every entry balances, the ledger
checks pass, and each seller's payable equals captured net − refunded net − paid out."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from galerie.core.money import CENT
from galerie.ledger.checks import ledger_check_run
from galerie.ledger.models import JournalLine
from galerie.ledger.selectors import seller_payable_balance, trial_balance
from galerie.ledger.services import (
    SaleSplit,
    ledger_post_capture,
    ledger_post_payout,
    ledger_post_refund,
)
from galerie.pricing.services import vat_amount
from galerie.testing.factories import make_category, make_seller, make_storefront

DAY = datetime.date(2026, 1, 5)
SELLERS = 3  # index 0 is the operator


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


split_st = st.tuples(
    st.integers(0, SELLERS - 1),  # seller index
    st.integers(1, 50_000),  # amount in cents
    st.integers(0, 30),  # commission rate, percent of the amount incl. VAT
    st.booleans(),  # delivery fee rather than goods
)
op_st = st.one_of(
    st.tuples(st.just("capture"), st.lists(split_st, min_size=1, max_size=4)),
    st.tuples(st.just("refund"), st.integers(0, 20), st.integers(1, 100)),  # capture #, percent
    st.tuples(st.just("payout"), st.integers(1, SELLERS - 1), st.integers(1, 100)),
)


@dataclass
class Slice:
    seller: int
    category_id: int | None
    amount: Decimal  # still refundable
    commission: Decimal  # incl. VAT, still refundable
    delivery: bool


@dataclass
class Model:
    owed: dict[int, Decimal] = field(default_factory=dict)
    captures: list[list[Slice]] = field(default_factory=list)


class LedgerPropertyTest(TestCase):
    def setUp(self):
        self.storefront = make_storefront()
        self.category = make_category()
        self.sellers = [make_seller(is_operator=True)] + [make_seller() for _ in range(SELLERS - 1)]

    def split(self, s: Slice, amount: Decimal, commission_incl: Decimal) -> SaleSplit:
        seller = self.sellers[s.seller]
        if seller.is_operator:
            return SaleSplit(
                seller_id=seller.pk,
                category_id=s.category_id,
                amount=amount,
                vat=vat_amount(ttc=amount, rate=Decimal("20")),
                is_delivery=s.delivery,
            )
        commission_vat = vat_amount(ttc=commission_incl, rate=Decimal("20"))
        return SaleSplit(
            seller_id=seller.pk,
            category_id=s.category_id,
            amount=amount,
            commission=commission_incl - commission_vat,
            commission_vat=commission_vat,
            is_delivery=s.delivery,
        )

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(op_st, min_size=1, max_size=12))
    def test_payables_and_balance(self, ops):
        model = Model(owed={s.pk: Decimal("0.00") for s in self.sellers[1:]})
        for op in ops:
            if op[0] == "capture":
                self.capture(model, op[1])
            elif op[0] == "refund":
                self.refund(model, op[1], op[2])
            else:
                self.payout(model, op[1], op[2])

        unbalanced = (
            JournalLine.objects.values("entry_id")
            .annotate(d=Sum("debit"), c=Sum("credit"))
            .values_list("entry_id", "d", "c")
        )
        for entry_id, debit, credit in unbalanced:
            assert money(Decimal(debit)) == money(Decimal(credit)), entry_id
        for seller_pk, owed in model.owed.items():
            assert seller_payable_balance(seller_id=seller_pk) == owed
        rows = trial_balance()
        assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
        assert [r.problems for r in ledger_check_run() if not r.ok] == []

    def capture(self, model: Model, raw_splits):
        slices, splits = [], []
        for index, cents, rate, delivery in raw_splits:
            amount = Decimal(cents) / 100
            commission = money(amount * rate / 100)
            s = Slice(index, None if delivery else self.category.pk, amount, commission, delivery)
            slices.append(s)
            splits.append(self.split(s, amount, commission))
            if index:
                model.owed[self.sellers[index].pk] += amount - commission
        ledger_post_capture(date=DAY, storefront_id=self.storefront.pk, splits=splits)
        model.captures.append(slices)

    def refund(self, model: Model, capture_no: int, percent: int):
        if not model.captures:
            return
        slices = model.captures[capture_no % len(model.captures)]
        splits = []
        for s in slices:
            amount = money(s.amount * percent / 100)
            if not amount:
                continue
            # the commission is given back pro rata of the amount still refundable
            commission = money(s.commission * amount / s.amount)
            splits.append(self.split(s, amount, commission))
            if s.seller:
                model.owed[self.sellers[s.seller].pk] -= amount - commission
            s.amount -= amount
            s.commission -= commission
        if splits:
            ledger_post_refund(date=DAY, storefront_id=self.storefront.pk, splits=splits)

    def payout(self, model: Model, index: int, percent: int):
        seller = self.sellers[index]
        amount = money(model.owed[seller.pk] * percent / 100)
        if amount <= 0:
            return
        ledger_post_payout(date=DAY, seller_id=seller.pk, amount=amount)
        model.owed[seller.pk] -= amount
