"""Promotions hold offers at their reduced price through the offer services: Omnibus reference,
best promotion wins, loi Lang cap, end restores, a seller's price change during a promotion."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from galerie.core.clock import simulated_clock
from galerie.promotions.errors import PromotionError
from galerie.promotions.models import Promotion, ReductionKind
from galerie.promotions.services import promotion_save, promotions_apply, reference_price
from galerie.sellers.models import Offer, OfferPriceChange
from galerie.sellers.services import offer_update
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def promotion(*, starts_at, days=7, kind=ReductionKind.PERCENT, value="20", **scope):
    return promotion_save(
        promotion=Promotion(
            name="Soldes",
            kind=kind,
            value=Decimal(value),
            starts_at=starts_at,
            ends_at=starts_at + days * DAY,
            **scope,
        ),
        now=starts_at,
    )


def fresh(offer) -> Offer:
    return Offer.objects.get(pk=offer.pk)


def test_price_raised_just_before_a_promotion_does_not_raise_its_reference():
    with simulated_clock(T0) as clock:
        # Given an offer at 10 € for a month, raised to 15 € two days before a −20 % promotion
        offer = make_offer(price="10.00")
        clock.set(T0 + 33 * DAY)
        offer_update(offer=offer, price=Decimal("15.00"))
        start = T0 + 35 * DAY
        clock.set(start)
        # When the promotion starts
        promotion(starts_at=start, offer=offer)
    # Then the price is 12 € but the reference is 10 €: no reduction is announced
    offer = fresh(offer)
    assert (offer.price, offer.regular_price) == (Decimal("12.00"), Decimal("15.00"))
    assert offer.reference_price == Decimal("10.00")
    assert offer.reduction_percent is None


def test_a_promotion_on_a_steady_price_announces_its_reduction_from_the_reference():
    with simulated_clock(T0) as clock:
        offer = make_offer(price="10.00")
        clock.set(T0 + 40 * DAY)
        promotion(starts_at=T0 + 40 * DAY, offer=offer)
    offer = fresh(offer)
    assert (offer.price, offer.reference_price) == (Decimal("8.00"), Decimal("10.00"))
    assert offer.reduction_percent == 20
    assert reference_price(offer=offer, at=T0 + 40 * DAY) == Decimal("10.00")


def test_every_price_written_by_a_promotion_is_in_the_history_and_the_end_restores_it():
    with simulated_clock(T0) as clock:
        offer = make_offer(price="10.00")
        start = T0 + 40 * DAY
        clock.set(start)
        promotion(starts_at=start, days=2, offer=offer)
        clock.set(start + 3 * DAY)
        counts = promotions_apply(now=start + 3 * DAY)
    assert counts == {"held": 0, "restored": 1}
    offer = fresh(offer)
    assert (offer.price, offer.regular_price, offer.reference_price) == (
        Decimal("10.00"),
        None,
        None,
    )
    history = list(OfferPriceChange.objects.filter(offer=offer).values_list("price", flat=True))
    assert history == [Decimal("10.00"), Decimal("8.00"), Decimal("10.00")]


def test_overlapping_promotions_do_not_stack_the_best_for_the_shopper_wins():
    with simulated_clock(T0) as clock:
        seller = make_seller()
        offer = make_offer(price="50.00", seller=seller)
        start = T0 + 40 * DAY
        clock.set(start)
        promotion(starts_at=start, seller=seller, value="10")
        promotion(starts_at=start, offer=offer, kind=ReductionKind.AMOUNT, value="8.00")
        # Run again: idempotent, nothing more is taken off.
        assert promotions_apply(now=start) == {"held": 0, "restored": 0}
    offer = fresh(offer)
    assert (offer.price, offer.regular_price) == (Decimal("42.00"), Decimal("50.00"))


def test_storefront_and_category_scopes_cover_subcategories_only_of_their_assortment():
    books = make_category("Livres")
    novels = make_category("Romans", parent=books)
    tech = make_category("Tech")
    make_storefront("culture", categories=[books])
    from galerie.storefronts.models import Storefront

    culture = Storefront.objects.get(slug="culture")
    with simulated_clock(T0) as clock:
        novel = make_offer(make_product(category=novels), price="10.00")
        laptop = make_offer(make_product(category=tech), price="100.00")
        clock.set(T0 + 40 * DAY)
        promotion(starts_at=T0 + 40 * DAY, storefront=culture)
    assert fresh(novel).price == Decimal("8.00")
    assert fresh(laptop).price == Decimal("100.00")


def test_a_new_book_is_never_reduced_below_95_percent_of_its_publishers_price():
    book = make_product(product_type=make_book_type(), publisher_price=Decimal("20.00"))
    with simulated_clock(T0) as clock:
        offer = make_offer(book, price="20.00")
        used = make_offer(book, price="12.00", condition="used")
        clock.set(T0 + 40 * DAY)
        promotion(starts_at=T0 + 40 * DAY, category=book.category, value="30")
    assert fresh(offer).price == Decimal("19.00")  # capped at 95 %
    assert fresh(offer).reduction_percent == 5
    assert fresh(used).price == Decimal("8.40")  # a used book is not under the law


def test_a_new_book_already_at_its_floor_is_left_alone():
    book = make_product(product_type=make_book_type(), publisher_price=Decimal("20.00"))
    with simulated_clock(T0) as clock:
        offer = make_offer(book, price="19.00")
        clock.set(T0 + 40 * DAY)
        promotion(starts_at=T0 + 40 * DAY, offer=offer, value="50")
    offer = fresh(offer)
    assert (offer.price, offer.regular_price) == (Decimal("19.00"), None)


def test_a_seller_repricing_during_a_promotion_sets_its_regular_price_and_stays_promoted():
    with simulated_clock(T0) as clock:
        offer = make_offer(price="10.00")
        start = T0 + 40 * DAY
        clock.set(start)
        promotion(starts_at=start, offer=offer)
        clock.set(start + DAY)
        # The seller re-sends its regular price: the promotion holds.
        offer_update(offer=offer, price=Decimal("10.00"))
        assert fresh(offer).price == Decimal("8.00")
        # The seller raises its price: the hold ends, the new price is the regular one…
        offer_update(offer=offer, price=Decimal("14.00"))
        assert (fresh(offer).price, fresh(offer).regular_price) == (Decimal("14.00"), None)
        # …and the next run holds it again from there, the reference still from before the start.
        promotions_apply(now=start + DAY)
    offer = fresh(offer)
    assert (offer.price, offer.regular_price) == (Decimal("11.20"), Decimal("14.00"))
    assert offer.reference_price == Decimal("10.00")
    assert offer.reduction_percent is None  # 11.20 is above the 10.00 reference


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({}, "storefront"),
        ({"value": Decimal("0")}, "value"),
        ({"value": Decimal("100")}, "value"),
        ({"ends_at": T0}, "ends_at"),
    ],
)
def test_an_invalid_promotion_is_refused_and_nothing_changes(changes, field):
    offer = make_offer(price="10.00")
    values = {
        "name": "x",
        "kind": ReductionKind.PERCENT,
        "value": Decimal("20"),
        "starts_at": T0,
        "ends_at": T0 + DAY,
        "offer": offer,
    }
    if field == "storefront":
        values.pop("offer")
    values.update(changes)
    with pytest.raises(PromotionError) as error:
        promotion_save(promotion=Promotion(**values), now=T0)
    assert error.value.field == field and error.value.message
    assert not Promotion.objects.exists()
    assert fresh(offer).price == Decimal("10.00")


def test_the_command_applies_the_promotions(capsys):
    offer = make_offer(price="10.00")
    Promotion.objects.create(
        name="x",
        kind=ReductionKind.PERCENT,
        value=Decimal("50"),
        starts_at=T0,
        ends_at=T0 + 3650 * DAY,
        offer=offer,
    )
    call_command("promotions_apply")
    assert fresh(offer).price == Decimal("5.00")
    assert ": 1 ;" in capsys.readouterr().out
