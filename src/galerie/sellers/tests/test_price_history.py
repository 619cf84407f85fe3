"""Every writer of an offer's price appends to its history (OfferPriceChange, for the Omnibus
reference price): the offer services, the portal's bulk update and the feed import."""

from decimal import Decimal

import pytest

from galerie.portal.services import ALL_OR_NOTHING, portal_offers_bulk_update
from galerie.sellers.models import OfferPriceChange
from galerie.sellers.services import offer_publish, offer_update
from galerie.testing.factories import make_offer, make_product, make_seller

pytestmark = pytest.mark.django_db


def history(offer) -> list[Decimal]:
    return list(OfferPriceChange.objects.filter(offer=offer).values_list("price", flat=True))


def test_publishing_and_repricing_an_offer_record_each_price_once():
    offer = offer_publish(
        seller=make_seller(), product=make_product(), price=Decimal("10.00"), stock=1
    )
    offer_update(offer=offer, stock=3)  # no price change, no row
    offer_update(offer=offer, price=Decimal("12.50"))
    offer_update(offer=offer, price=Decimal("12.50"))
    assert history(offer) == [Decimal("10.00"), Decimal("12.50")]


def test_a_refused_price_leaves_no_history():
    offer = make_offer(price="10.00")
    with pytest.raises(Exception):  # noqa: B017 - OfferError, rolled back with the write
        offer_update(offer=offer, price=Decimal("-1"))
    assert history(offer) == [Decimal("10.00")]


def test_the_portals_bulk_update_records_the_prices_it_changes():
    seller = make_seller()
    repriced = make_offer(seller=seller, price="10.00", sku="A")
    restocked = make_offer(seller=seller, price="20.00", sku="B")
    result = portal_offers_bulk_update(
        seller=seller,
        rows=[(2, {"sku": "A", "price": "11.00"}), (3, {"sku": "B", "stock": "9"})],
        mode=ALL_OR_NOTHING,
    )
    assert not result.errors
    assert history(repriced) == [Decimal("10.00"), Decimal("11.00")]
    assert history(restocked) == [Decimal("20.00")]


def test_history_rows_cannot_be_changed_or_deleted_in_the_back_office(admin_client):
    offer = make_offer(price="10.00")
    row = OfferPriceChange.objects.get(offer=offer)
    url = f"/admin/sellers/offerpricechange/{row.pk}/"
    assert admin_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    admin_client.post(url + "change/", {"price": "1.00", "offer": offer.pk})
    row.refresh_from_db()
    assert row.price == Decimal("10.00")
