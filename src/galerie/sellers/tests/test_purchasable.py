"""One definition of a purchasable offer (sellers.models): every reader and writer excludes the
same offers — an inactive offer, one out of stock, one of a suspended seller, one whose price or
delivery price lies beyond its bounds (legacy data) — and the queryset and in-memory forms of the
rule give the same answers."""

from decimal import Decimal

import pytest

from galerie.cart.errors import OfferNotPurchasable
from galerie.cart.services import cart_add, cart_create
from galerie.catalog.models import Product
from galerie.catalog.summary import SUMMARY_FIELDS
from galerie.imports.mappings import DEFAULT_MAPPINGS, category_mappings_load
from galerie.imports.services import feed_import
from galerie.imports.tests.test_import import tsv_line, write
from galerie.orders.selectors import order_quote
from galerie.sellers.models import (
    OFFER_PURCHASABLE,
    OFFER_VISIBLE,
    Offer,
    SellerStatus,
    offer_purchasable,
    offer_visible,
)
from galerie.sellers.selectors import offers_for_product
from galerie.sellers.services import product_offer_summary_refresh
from galerie.storefronts.listing import product_listing
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)
from galerie.testing.legacy import legacy_update

pytestmark = pytest.mark.django_db

CASES = {
    "purchasable": {},
    "inactive": {"is_active": False},
    "out_of_stock": {"stock": 0},
    "seller_suspended": {"seller_status": SellerStatus.SUSPENDED},
    "seller_applied": {"seller_status": SellerStatus.APPLIED},
    # Written before the CHECK constraints (within what both databases can load back).
    "price_beyond_bounds": {"price": Decimal("1000000.01")},
    "delivery_beyond_bounds": {"delivery_price": Decimal("1000.01")},
}


def _offer(case: str) -> Offer:
    spec = {"is_active": True, "stock": 3, "seller_status": SellerStatus.VERIFIED} | CASES[case]
    category = make_category()
    product = make_product(category=category)
    seller = make_seller(status=spec["seller_status"])
    offer = make_offer(
        product, seller=seller, price="12.00", stock=spec["stock"], is_active=spec["is_active"]
    )
    legacy = {name: spec[name] for name in ("price", "delivery_price") if name in spec}
    if legacy:
        legacy_update(Offer, offer.pk, **legacy)
        product_offer_summary_refresh(product_ids=[product.pk])
        offer.refresh_from_db()
    return offer


@pytest.mark.parametrize("case", CASES)
def test_queryset_and_predicate_forms_agree(case):
    offer = _offer(case)
    values = {
        "is_active": offer.is_active,
        "seller_status": offer.seller.status,
        "price": offer.price,
        "delivery_price": offer.delivery_price,
    }

    in_queryset = Offer.objects.filter(OFFER_PURCHASABLE, pk=offer.pk).exists()
    assert in_queryset == offer_purchasable(stock=offer.stock, **values) == (case == "purchasable")
    visible = Offer.objects.filter(OFFER_VISIBLE, pk=offer.pk).exists()
    assert visible == offer_visible(**values)


@pytest.mark.parametrize("case", CASES)
def test_listing_buy_box_cart_and_order_agree(case):
    offer = _offer(case)
    shop = make_storefront(categories=[offer.product.category])
    expected = case == "purchasable"

    listed = product_listing(storefront=shop, category=offer.product.category)
    buy_box = offers_for_product(offer.product_id)
    try:
        cart_add(cart=cart_create(storefront=shop), offer_id=offer.pk)
        in_cart = True
    except OfferNotPurchasable:
        in_cart = False
    quote = order_quote(storefront=shop, lines=[(offer.pk, 1)])
    orderable = not any(p.code == "offer_unavailable" for p in quote.problems)

    assert (listed.total == 1) == expected
    assert (buy_box == [offer]) == expected
    assert in_cart == expected
    assert orderable == expected
    assert Product.objects.get(pk=offer.product_id).in_stock == expected


@pytest.mark.parametrize(
    ("status", "qty", "in_stock"),
    [
        (SellerStatus.VERIFIED, "4", True),
        (SellerStatus.VERIFIED, "0", False),
        (SellerStatus.SUSPENDED, "4", False),
    ],
)
def test_import_summary_is_the_summary_refresh(tmp_path, status, qty, in_stock):
    """A product created by the import carries the summary the offer services would compute."""
    category_mappings_load(path=DEFAULT_MAPPINGS, create=True)
    seller = make_seller(status=status)
    feed = write(
        tmp_path / "f.tsv",
        [tsv_line("S-1", "Le Phare", "20.00 EUR", "9782000000013", qty=qty, cond="used")],
    )

    feed_import(seller=seller, path=str(feed))

    product = Product.objects.get(gtin="9782000000013")
    imported = Product.objects.values_list(*SUMMARY_FIELDS).get(pk=product.pk)
    Product.objects.filter(pk=product.pk).update(in_stock=not in_stock, best_price=None)
    product_offer_summary_refresh(product_ids=[product.pk])
    assert Product.objects.values_list(*SUMMARY_FIELDS).get(pk=product.pk) == imported
    assert product.in_stock == in_stock
    assert (product.best_price == Decimal("20.00")) == in_stock
