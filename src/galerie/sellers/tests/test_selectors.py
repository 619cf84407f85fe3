"""The buy-box ranking (OFFER_RANKING): condition, then price + delivery, then lead time, then
seller standing; and the per-condition « dès » totals that must never undercut the buy box."""

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galerie.sellers.models import Condition, Offer, Seller
from galerie.sellers.selectors import (
    CONDITION_ORDER,
    OFFER_RANKING,
    offers_for_product,
    offers_lowest_totals,
    offers_ranked,
)
from galerie.testing.factories import make_offer, make_product, make_seller


def ranked_sellers(product) -> list[str]:
    return [o.seller.slug for o in offers_for_product(product.pk)]


# --- the rule, case by case (database) ------------------------------------------------------


@pytest.mark.django_db
def test_new_offer_wins_over_a_cheaper_used_one():
    product = make_product()
    make_offer(product, seller=make_seller(slug="used"), price="3.00", condition="used")
    make_offer(product, seller=make_seller(slug="new"), price="15.00", delivery_price="4.00")

    assert ranked_sellers(product) == ["new", "used"]


@pytest.mark.django_db
def test_private_sellers_used_blu_ray_at_5_70_is_not_featured_over_new_copies():
    product = make_product("La Grande Évasion (Blu-ray)")
    private = make_seller("Sophie L.", slug="sophie", is_trader=False)
    make_offer(product, seller=private, price="5.70", delivery_price="4.20", condition="used")
    operator = make_seller("Galerie", slug="galerie", is_operator=True)
    make_offer(product, seller=operator, price="13.99", delivery_price="2.99")
    make_offer(product, seller=make_seller(slug="librairie"), price="13.99", delivery_price="3.49")

    assert ranked_sellers(product) == ["galerie", "librairie", "sophie"]


@pytest.mark.django_db
def test_sold_out_new_offer_leaves_the_box_to_the_best_purchasable_other_condition():
    product = make_product()
    make_offer(product, seller=make_seller(slug="new"), price="10.00", stock=0)
    make_offer(product, seller=make_seller(slug="used"), price="4.00", condition="used")
    make_offer(product, seller=make_seller(slug="refurb"), price="7.00", condition="refurbished")

    assert ranked_sellers(product) == ["refurb", "used"]

    Offer.objects.filter(condition="refurbished").update(stock=0)
    assert ranked_sellers(product) == ["used"]


@pytest.mark.django_db
def test_price_plus_delivery_decides_within_a_condition():
    product = make_product()
    make_offer(product, seller=make_seller(slug="cheap-price"), price="10.00", delivery_price="5")
    make_offer(product, seller=make_seller(slug="free-delivery"), price="12.00")

    assert ranked_sellers(product) == ["free-delivery", "cheap-price"]


@pytest.mark.django_db
def test_lead_time_breaks_a_tie_on_total_even_against_the_operator():
    product = make_product()
    operator = make_seller(slug="galerie", is_operator=True)
    make_offer(product, seller=operator, price="10.00", delivery_price="2.00", lead_time_days=3)
    make_offer(product, seller=make_seller(slug="fast"), price="11.00", delivery_price="1.00",
               lead_time_days=1)  # fmt: skip

    assert ranked_sellers(product) == ["fast", "galerie"]


@pytest.mark.django_db
def test_operator_wins_a_tie_on_total_and_lead_time_against_a_third_party():
    product = make_product()
    # The third party registered first: without the standing rule the oldest seller would win.
    third_party = make_seller(slug="third-party")
    operator = make_seller(slug="galerie", is_operator=True)
    make_offer(product, seller=third_party, price="11.00", delivery_price="1.00")
    make_offer(product, seller=operator, price="10.00", delivery_price="2.00")

    assert ranked_sellers(product) == ["galerie", "third-party"]


@pytest.mark.django_db
def test_professional_wins_a_tie_against_a_private_individual():
    product = make_product()
    private = make_seller(slug="private", is_trader=False)  # registered first
    trader = make_seller(slug="trader")
    make_offer(product, seller=private, price="5.00", condition="used")
    make_offer(product, seller=trader, price="5.00", condition="used")

    assert ranked_sellers(product) == ["trader", "private"]


@pytest.mark.django_db
def test_the_longest_registered_seller_wins_the_last_tie():
    product = make_product()
    first = make_seller(slug="first")
    second = make_seller(slug="second")
    make_offer(product, seller=first, price="8.00")
    make_offer(product, seller=second, price="8.00")
    assert ranked_sellers(product) == ["first", "second"]

    Seller.objects.filter(pk=second.pk).update(created_at=first.created_at - timedelta(days=1))
    assert ranked_sellers(product) == ["second", "first"]


@pytest.mark.django_db
def test_ranking_loads_sellers_in_the_same_query(django_assert_num_queries):
    product = make_product()
    for n in range(4):
        make_offer(product, price=f"{10 + n}.00", condition=CONDITION_ORDER[n % 3])

    with django_assert_num_queries(1):
        offers = offers_for_product(product.pk)
        assert [o.seller.is_trader for o in offers] == [True] * 4


def test_the_documented_criteria_are_the_ones_sorted_on_in_this_order():
    assert [c.code for c in OFFER_RANKING] == [
        "condition",
        "total_price",
        "lead_time",
        "seller_standing",
    ]
    assert CONDITION_ORDER == (Condition.NEW, Condition.REFURBISHED, Condition.USED)
    for criterion in OFFER_RANKING:
        assert str(criterion.label) and len(str(criterion.explanation)) > 40


# --- the rule as a property (in memory) -------------------------------------------------------

_money = st.integers(min_value=1, max_value=3000).map(lambda c: Decimal(c) / 100)
_offer = st.tuples(
    st.sampled_from(CONDITION_ORDER),
    _money,  # price
    st.sampled_from([Decimal("0"), Decimal("2.99"), Decimal("3.50"), Decimal("4.20")]),
    st.integers(min_value=0, max_value=5),  # lead time
    st.integers(min_value=0, max_value=3),  # seller
)
# Seller 0 is the operator, seller 3 a private individual.
_SELLERS = [
    Seller(pk=1, slug="galerie", is_operator=True, is_trader=True),
    Seller(pk=2, slug="a", is_trader=True),
    Seller(pk=3, slug="b", is_trader=True),
    Seller(pk=4, slug="particulier", is_trader=False),
]


def _offers(specs) -> list[Offer]:
    return [
        Offer(
            pk=n + 1,
            seller=_SELLERS[seller],
            condition=condition,
            price=price,
            delivery_price=delivery,
            lead_time_days=lead,
        )
        for n, (condition, price, delivery, lead, seller) in enumerate(specs)
    ]


@given(st.lists(_offer, min_size=1, max_size=8))
def test_the_box_has_the_best_condition_and_the_lowest_total_within_it(specs):
    offers = _offers(specs)

    box, *others = offers_ranked(offers)

    best = min(CONDITION_ORDER.index(o.condition) for o in offers)
    assert CONDITION_ORDER.index(box.condition) == best
    assert all(box.total_price <= o.total_price for o in others if o.condition == box.condition)


@given(st.lists(_offer, min_size=2, max_size=8))
def test_other_offers_are_never_announced_cheaper_than_the_box_in_its_condition(specs):
    box, *others = offers_ranked(_offers(specs))

    lowest = offers_lowest_totals(others)

    for entry in lowest:
        same = [o.total_price for o in others if o.condition == entry.condition]
        assert entry.total == min(same)  # a true « dès », delivery included
        if entry.condition == box.condition:
            assert entry.total >= box.total_price
    assert [e.condition for e in lowest] == [c for c in CONDITION_ORDER if c in
                                             {o.condition for o in others}]  # fmt: skip
