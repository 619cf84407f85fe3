from decimal import Decimal

import pytest

from galerie.sellers.models import Offer, SellerStatus
from galerie.sellers.selectors import offers_for_product, offers_purchasable
from galerie.sellers.services import OfferError, offer_publish, offer_update
from galerie.testing.factories import make_offer, make_product, make_seller

pytestmark = pytest.mark.django_db


def test_summary_counts_only_purchasable_offers():
    product = make_product()
    make_offer(product, price="12.00", stock=3)
    make_offer(product, price="9.00", stock=0)  # sold out
    make_offer(product, price="5.00", stock=4, seller=make_seller(status=SellerStatus.APPLIED))
    make_offer(product, price="7.00", stock=4, is_active=False)
    product.refresh_from_db()
    assert (product.best_price, product.offer_count, product.in_stock) == (
        Decimal("12.00"),
        1,
        True,
    )


def test_summary_of_a_sold_out_product_keeps_its_visible_offers():
    product = make_product()
    offer = make_offer(product, price="12.00", stock=1)
    offer_update(offer=offer, stock=0)
    product.refresh_from_db()
    assert (product.best_price, product.offer_count, product.in_stock) == (None, 1, False)


def test_unverified_sellers_offers_are_never_purchasable():
    product = make_product()
    hidden = make_offer(product, seller=make_seller(status=SellerStatus.SUSPENDED))
    assert hidden not in offers_purchasable()
    assert offers_for_product(product.pk) == []


def test_offers_are_ranked_by_price_plus_delivery_then_lead_time():
    product = make_product()
    cheap_but_costly_delivery = make_offer(product, price="10.00", delivery_price="6.00")
    best = make_offer(product, price="12.00", delivery_price="0.00", lead_time_days=3)
    same_total_faster = make_offer(product, price="11.00", delivery_price="1.00", lead_time_days=1)
    assert offers_for_product(product.pk) == [same_total_faster, best, cheap_but_costly_delivery]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": Decimal("0")}, "price"),
        ({"price": Decimal("-1")}, "price"),
        ({"stock": -1}, "stock"),
        ({"condition": "used", "condition_note": ""}, "condition_note"),
        ({"condition": "cassé"}, "condition"),
        ({"delivery_price": Decimal("-0.01")}, "delivery_price"),
    ],
)
def test_bad_offer_changes_are_refused_and_change_nothing(changes, field):
    offer = make_offer(price="10.00", stock=2)
    with pytest.raises(OfferError) as exc:
        offer_update(offer=offer, **changes)
    assert exc.value.field == field
    stored = Offer.objects.get(pk=offer.pk)
    assert (stored.price, stored.stock, stored.condition) == (Decimal("10.00"), 2, "new")


def test_publish_rounds_to_the_cent_and_refreshes_the_product():
    product = make_product()
    offer = offer_publish(seller=make_seller(), product=product, price=Decimal("9.999"), stock=1)
    product.refresh_from_db()
    assert offer.price == Decimal("10.00") and product.best_price == Decimal("10.00")


def test_floats_are_refused_as_money():
    with pytest.raises(TypeError):
        offer_publish(seller=make_seller(), product=make_product(), price=9.99, stock=1)


def test_operator_sells_under_the_storefront_name():
    from galerie.testing.factories import make_storefront

    operator = make_seller("Galerie SA", is_operator=True)
    storefront = make_storefront("culture", name="Galerie Culture")
    assert operator.display_name(storefront) == "Galerie Culture"
    assert make_seller("Librairie Dupont").display_name(storefront) == "Librairie Dupont"


def test_new_book_offers_must_respect_the_book_price_law():
    from galerie.pricing.errors import BookPriceError
    from galerie.testing.factories import make_book_type

    book = make_product(product_type=make_book_type(), publisher_price=Decimal("20.00"))
    seller = make_seller()
    with pytest.raises(BookPriceError, match="loi Lang"):
        offer_publish(seller=seller, product=book, price=Decimal("18.99"), stock=1)
    offer = offer_publish(seller=seller, product=book, price=Decimal("19.00"), stock=1)
    with pytest.raises(BookPriceError, match="19,00|19.00"):
        offer_update(offer=offer, price=Decimal("20.01"))
    assert Offer.objects.get(pk=offer.pk).price == Decimal("19.00")
    used = offer_publish(
        seller=seller,
        product=book,
        price=Decimal("4.00"),
        stock=1,
        condition="used",
        condition_note="Coins cornés",
    )
    assert used.price == Decimal("4.00")  # second-hand books are free of the law


def test_update_writes_only_its_fields_over_the_current_row():
    offer = make_offer(price="10.00", stock=5)
    stale = Offer.objects.get(pk=offer.pk)
    Offer.objects.filter(pk=offer.pk).update(stock=3)  # a reservation committed meanwhile
    updated = offer_update(offer=stale, price=Decimal("11.00"))
    stored = Offer.objects.get(pk=offer.pk)
    assert (stored.price, stored.stock) == (Decimal("11.00"), 3)
    assert updated.stock == 3
