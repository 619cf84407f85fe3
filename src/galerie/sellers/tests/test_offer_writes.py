"""Every interface that writes offers goes through the offer and inventory services: the admin's
offer page, the offers inline of a product's page, the feed import and the portal's bulk update
refuse the same new book priced under the loi Lang floor with the same message, changing nothing,
and record one stock movement with the right delta for a stock change."""

from decimal import Decimal

import pytest

from galerie.catalog.models import Product
from galerie.imports.models import ImportRowError
from galerie.imports.services import feed_import
from galerie.imports.tests.test_import import tsv_line, write
from galerie.inventory.models import MovementKind, StockMovement
from galerie.portal.services import portal_offers_bulk_update
from galerie.pricing.services import book_price_error
from galerie.sellers.models import Offer
from galerie.testing.admin import admin_form_data
from galerie.testing.factories import make_book_type, make_offer, make_product, make_seller

pytestmark = pytest.mark.django_db

GTIN = "9782000000013"


@pytest.fixture
def offer():
    book = make_product(
        "Le Phare",
        product_type=make_book_type(),
        gtin=GTIN,
        publisher_price=Decimal("20.00"),
    )
    seller = make_seller("Librairie du Port", slug="librairie-du-port")
    return make_offer(book, seller=seller, price="20.00", stock=5, sku="B-1")


def _floor_message(price: str) -> str:
    """The pricing service's own message for this book at `price`."""
    return book_price_error(
        is_book=True,
        publisher_price=Decimal("20.00"),
        title="Le Phare",
        price=Decimal(price),
        condition="new",
    ).message


def _state(offer: Offer) -> tuple:
    row = Offer.objects.values_list("price", "stock", "is_active", "updated_at").get(pk=offer.pk)
    summary = Product.objects.values_list("best_price", "in_stock").get(pk=offer.product_id)
    return row, summary, StockMovement.objects.count()


# --- the admin's offer page ---------------------------------------------------------------------


def _offer_page(admin_client, offer, **changes):
    url = f"/admin/sellers/offer/{offer.pk}/change/"
    data = admin_form_data(admin_client.get(url)) | changes
    return admin_client.post(url, data)


def test_offer_page_refuses_a_book_under_the_floor_and_changes_nothing(admin_client, offer):
    before = _state(offer)

    response = _offer_page(admin_client, offer, price="15.00", stock="8")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["price"] == [_floor_message("15.00")]
    assert _state(offer) == before


def test_offer_page_stock_change_writes_one_movement(admin_client, offer, admin_user):
    response = _offer_page(admin_client, offer, stock="8")

    assert response.status_code == 302
    movement = StockMovement.objects.get(offer=offer)
    assert (movement.kind, movement.delta, movement.stock_after) == (MovementKind.ADJUST, 3, 8)
    assert movement.actor == admin_user
    assert Offer.objects.get(pk=offer.pk).stock == 8


def test_offer_page_price_change_refreshes_the_summary(admin_client, offer):
    response = _offer_page(admin_client, offer, price="19.50")

    assert response.status_code == 302
    assert Product.objects.get(pk=offer.product_id).best_price == Decimal("19.50")
    assert not StockMovement.objects.exists()


def test_offer_page_creates_through_the_service(admin_client, offer):
    data = {
        "product": offer.product_id,
        "seller": make_seller().pk,
        "price": "15.00",
        "delivery_price": "0",
        "condition": "new",
        "stock": "3",
        "lead_time_days": "2",
        "is_active": "on",
    }

    refused = admin_client.post("/admin/sellers/offer/add/", data)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["price"] == [_floor_message("15.00")]
    assert Offer.objects.count() == 1

    accepted = admin_client.post("/admin/sellers/offer/add/", data | {"price": "19.00"})
    assert accepted.status_code == 302
    assert Offer.objects.count() == 2
    assert Product.objects.get(pk=offer.product_id).best_price == Decimal("19.00")


# --- the offers inline of a product's page --------------------------------------------------------


def _product_page(admin_client, offer, **changes):
    url = f"/admin/catalog/product/{offer.product_id}/change/"
    data = admin_form_data(admin_client.get(url))
    return admin_client.post(url, data | {f"offers-0-{k}": v for k, v in changes.items()})


def _inline_errors(response) -> dict:
    formset = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is Offer
    )
    return formset.forms[0].errors


def test_inline_refuses_a_book_under_the_floor_and_changes_nothing(admin_client, offer):
    before = _state(offer)

    response = _product_page(admin_client, offer, price="15.00", stock="8")

    assert response.status_code == 200
    assert _inline_errors(response)["price"] == [_floor_message("15.00")]
    assert _state(offer) == before


def test_inline_stock_change_writes_one_movement(admin_client, offer):
    response = _product_page(admin_client, offer, stock="2")

    assert response.status_code == 302
    movement = StockMovement.objects.get(offer=offer)
    assert (movement.delta, movement.stock_after) == (-3, 2)
    assert Offer.objects.get(pk=offer.pk).stock == 2


# --- the feed import --------------------------------------------------------------------------


def _import(tmp_path, offer, *, price="20.00 EUR", qty="5"):
    feed = write(tmp_path / "f.tsv", [tsv_line("B-1", "Le Phare", price, GTIN, qty=qty)])
    return feed_import(seller=offer.seller, path=str(feed))


def test_import_refuses_a_book_under_the_floor_and_changes_nothing(tmp_path, offer):
    before = _state(offer)

    report = _import(tmp_path, offer, price="15.00 EUR", qty="8")

    error = ImportRowError.objects.get(job=report.job)
    assert (error.code, error.message) == ("book_price_law", _floor_message("15.00"))
    assert _state(offer) == before


def test_import_stock_change_writes_one_movement_in_its_batch(tmp_path, offer):
    report = _import(tmp_path, offer, qty="8")

    movement = StockMovement.objects.get(offer=offer)
    assert (movement.kind, movement.delta, movement.stock_after) == (MovementKind.ADJUST, 3, 8)
    assert movement.reference == f"import-{report.job.pk}"
    assert Offer.objects.get(pk=offer.pk).stock == 8

    _import(tmp_path, offer, qty="8")  # unchanged: no second movement
    assert StockMovement.objects.filter(offer=offer).count() == 1


# --- the portal's bulk update -------------------------------------------------------------------


def test_portal_bulk_refuses_a_book_under_the_floor_and_changes_nothing(offer):
    before = _state(offer)

    result = portal_offers_bulk_update(
        seller=offer.seller, rows=[(2, {"sku": "B-1", "price": "15,00", "stock": "8"})]
    )

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "price", _floor_message("15.00"))
    ]
    assert _state(offer) == before


def test_portal_bulk_stock_change_writes_one_movement(offer):
    result = portal_offers_bulk_update(
        seller=offer.seller, rows=[(2, {"sku": "B-1", "stock": "1"})]
    )

    assert result.ok and result.applied == 1
    movement = StockMovement.objects.get(offer=offer)
    assert (movement.kind, movement.delta, movement.stock_after) == (MovementKind.ADJUST, -4, 1)
