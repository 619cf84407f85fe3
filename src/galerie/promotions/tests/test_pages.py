"""The product page announces a promotion as "−N %" with the crossed-out Omnibus reference, only
when the price is below it, without a query more; the back office saves promotions through the
service (applied at once) and shows its refusals on the form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from galerie.core import clock
from galerie.core.clock import simulated_clock
from galerie.promotions.models import Promotion, Voucher
from galerie.sellers.models import Offer
from galerie.sellers.services import offer_update
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db

NBSP = "\xa0"
T0 = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def product():
    category = make_category("Livres", slug="livres")
    make_storefront("culture", categories=[category])
    return make_product("Germinal", slug="germinal", category=category)


def _promote(offer, *, start):
    from galerie.promotions.services import promotion_save

    promotion_save(
        promotion=Promotion(
            name="Soldes",
            kind="percent",
            value=Decimal("25"),
            starts_at=start,
            ends_at=start + 3650 * DAY,
            offer=offer,
        ),
        now=start,
    )


def _page(client, django_assert_max_num_queries):
    client.get("/p/germinal/", HTTP_HOST="culture.localhost")  # warm the storefront caches
    with django_assert_max_num_queries(8):  # the pin of web/tests/test_pages.py
        response = client.get("/p/germinal/", HTTP_HOST="culture.localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_a_promoted_offer_shows_its_reduction_and_the_crossed_out_reference(
    client, product, django_assert_max_num_queries
):
    start = clock.now() - DAY
    with simulated_clock(start - 40 * DAY) as sim:
        offer = make_offer(product, price="20.00")
        sim.set(start)
        _promote(offer, start=start)
    html = _page(client, django_assert_max_num_queries)
    assert f"15,00{NBSP}€" in html
    assert '<span class="badge promo">−25 %</span>' in html
    assert "<s title=" in html and f"20,00{NBSP}€</s>" in html


def test_no_reduction_is_announced_when_the_price_was_raised_just_before(
    client, product, django_assert_max_num_queries
):
    start = clock.now() - DAY
    with simulated_clock(start - 40 * DAY) as sim:
        offer = make_offer(product, price="10.00")
        sim.set(start - 2 * DAY)
        offer_update(offer=offer, price=Decimal("15.00"))
        sim.set(start)
        _promote(offer, start=start)
    assert Offer.objects.get(pk=offer.pk).price == Decimal("11.25")
    html = _page(client, django_assert_max_num_queries)
    assert f"11,25{NBSP}€" in html
    assert "badge promo" not in html and "<s " not in html


def test_the_back_office_applies_a_promotion_on_save_and_refuses_one_without_scope(
    admin_client, product
):
    offer = make_offer(product, price="20.00")
    now = timezone.localtime(clock.now())  # the form takes Paris dates and times
    form = {
        "name": "Rentrée",
        "kind": "percent",
        "value": "10",
        "starts_at_0": (now - DAY).strftime("%d/%m/%Y"),
        "starts_at_1": "00:00:00",
        "ends_at_0": (now + DAY).strftime("%d/%m/%Y"),
        "ends_at_1": "00:00:00",
        "is_active": "on",
    }
    refused = admin_client.post("/admin/promotions/promotion/add/", form)
    assert refused.status_code == 200
    assert "Choisissez au moins une portée" in refused.content.decode()
    assert not Promotion.objects.exists()

    saved = admin_client.post("/admin/promotions/promotion/add/", {**form, "offer": offer.pk})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Offer.objects.get(pk=offer.pk).price == Decimal("18.00")


def test_the_back_office_saves_voucher_codes_in_capitals_and_refuses_a_duplicate(admin_client):
    now = timezone.localtime(clock.now())  # the form takes Paris dates and times
    form = {
        "code": "rentree",
        "kind": "amount",
        "value": "5",
        "starts_at_0": now.strftime("%d/%m/%Y"),
        "starts_at_1": "00:00:00",
        "ends_at_0": (now + DAY).strftime("%d/%m/%Y"),
        "ends_at_1": "00:00:00",
        "is_active": "on",
    }
    assert admin_client.post("/admin/promotions/voucher/add/", form).status_code == 302
    assert Voucher.objects.get().code == "RENTREE"
    again = admin_client.post("/admin/promotions/voucher/add/", {**form, "code": "Rentree"})
    assert again.status_code == 200 and Voucher.objects.count() == 1
