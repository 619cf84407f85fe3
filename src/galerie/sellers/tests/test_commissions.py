from decimal import Decimal

import pytest
from django.db import IntegrityError
from hypothesis import given
from hypothesis import strategies as st

from galerie.sellers.commissions import (
    DEFAULT_RATE,
    commission_compute,
    commission_refund_share,
    commission_rule_for,
)
from galerie.sellers.models import CommissionRule
from galerie.testing.factories import make_category, make_storefront

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    books = make_category("Livres")
    novels = make_category("Romans", parent=books)
    crime = make_category("Policiers", parent=novels)
    return books, novels, crime


def test_most_specific_rule_wins(tree):
    books, novels, crime = tree
    culture, tech = make_storefront("culture"), make_storefront("tech")
    everywhere = CommissionRule.objects.create(rate=Decimal("15"))
    culture_all = CommissionRule.objects.create(storefront=culture, rate=Decimal("14"))
    books_all = CommissionRule.objects.create(category=books, rate=Decimal("12"))
    culture_books = CommissionRule.objects.create(
        storefront=culture, category=books, rate=Decimal("11")
    )
    novels_all = CommissionRule.objects.create(category=novels, rate=Decimal("10"))

    assert commission_rule_for(storefront_id=tech.pk, category=make_category()) == everywhere
    assert commission_rule_for(storefront_id=culture.pk, category=make_category()) == culture_all
    assert commission_rule_for(storefront_id=tech.pk, category=books) == books_all
    assert commission_rule_for(storefront_id=culture.pk, category=books) == culture_books
    # A deeper category beats the storefront-specific rule on an ancestor.
    assert commission_rule_for(storefront_id=culture.pk, category=crime) == novels_all


def test_no_rule_falls_back_to_the_default_rate(tree):
    assert commission_rule_for(storefront_id=None, category=tree[0]) is None
    assert commission_compute(line_total=Decimal("100.00"), rule=None).amount == DEFAULT_RATE


def test_percentage_plus_fixed_fee_rounded_half_up():
    rule = CommissionRule.objects.create(rate=Decimal("12.50"), fixed_fee=Decimal("0.30"))
    # 19.99 × 12.5 % = 2.49875 → +0.30 = 2.79875 → 2.80
    assert commission_compute(line_total=Decimal("19.99"), rule=rule).amount == Decimal("2.80")


def test_duplicate_rules_are_refused_even_for_all_storefronts(tree):
    CommissionRule.objects.create(category=tree[0], rate=Decimal("10"))
    with pytest.raises(IntegrityError):
        CommissionRule.objects.create(category=tree[0], rate=Decimal("11"))


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@given(
    total=money,
    rate=st.decimals(min_value=0, max_value=100, places=2),
    fee=st.decimals(min_value=0, max_value=50, places=2),
)
def test_commission_is_never_negative_nor_above_the_line(total, rate, fee):
    rule = CommissionRule(rate=rate, fixed_fee=fee)
    amount = commission_compute(line_total=total, rule=rule).amount
    assert Decimal("0") <= amount <= total and amount == amount.quantize(Decimal("0.01"))


@given(total=money, data=st.data())
def test_refunds_give_back_at_most_the_commission_pro_rata(total, data):
    commission = data.draw(st.decimals(min_value=0, max_value=total, places=2))
    first = data.draw(st.decimals(min_value=0, max_value=total, places=2))
    given_back = commission_refund_share(commission=commission, line_total=total, refunded=first)
    assert Decimal("0") <= given_back <= commission
    full = commission_refund_share(commission=commission, line_total=total, refunded=total)
    assert full == commission
