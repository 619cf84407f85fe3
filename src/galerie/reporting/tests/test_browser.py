"""The back office in Chromium at a laptop's 1,280 px and a phone's 390 px: the home and the widest
lists never make the page scroll sideways, and at 1,280 px the lists fit beside the menu and the
filters (their last columns were cut off)."""

from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.core import clock
from galerie.imports.models import ImportJob, ImportStatus
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.payouts.models import Payout, PayoutRun
from galerie.sellers.models import SellerStatus
from galerie.testing.browser import chromium
from galerie.testing.factories import make_offer, make_product, make_seller

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOME = "/admin/"
LISTS = [
    "/admin/orders/order/",
    "/admin/orders/sellerorder/",
    "/admin/sellers/offer/",
    "/admin/sellers/seller/",
    "/admin/catalog/product/",
    "/admin/payments/payment/",
    "/admin/payouts/payout/",
    "/admin/payouts/payoutrun/",
    "/admin/ledger/journalentry/",
    "/admin/ledger/journalline/",
    "/admin/ledger/ledgertotal/",
]
WIDTHS = (1280, 390)


@pytest.fixture
def busy_mall(place):
    """Lists with the long names a real mall has: titles, sellers, customers' addresses."""
    seller = make_seller(
        "Librairie Générale des Quatre Saisons et du Vieux Port",
        legal_name="Société Anonyme des Librairies Générales des Quatre Saisons",
        siren="732829320",
    )
    for n in range(3):
        product = make_product(
            f"Une histoire de la marche à pied : réflexions sur le présent, tome {n + 1}"
        )
        offer = make_offer(product, seller=seller, price="21.90", stock=10)
        order = place(
            [(offer.pk, 1)], email=f"marie-christine.dupont-de-la-tour.{n}@exemple-de-domaine.fr"
        )
        payment = payment_start(order=order, method="transfer", return_url="/").payment
        payment_transfer_mark_received(payment=payment)
    run = PayoutRun.objects.create(
        as_of=clock.localdate(), holdback_percent=Decimal("10"), notes="Vendeur : aucun IBAN"
    )
    Payout.objects.create(
        run=run,
        seller=seller,
        seller_name=seller.legal_name,
        iban="FR1420041010050500013M02606",
        bic="PSSTFRPPXXX",
        amount=Decimal("1234.56"),
    )
    make_seller("Candidat au long nom de vendeur professionnel", status=SellerStatus.APPLIED)
    ImportJob.objects.create(seller=seller, path="/flux.tsv", status=ImportStatus.FAILED)


def _page(browser, live_server, width):
    user = get_user_model().objects.create_superuser(
        f"root{width}", f"root{width}@example.fr", "pw-123456789"
    )
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def _widths(page) -> dict:
    return page.evaluate(
        """() => {
            const list = document.querySelector('#changelist-form .results');
            const table = document.querySelector('#result_list');
            return {
                page: document.documentElement.scrollWidth,
                window: window.innerWidth,
                list: list ? list.clientWidth : null,
                table: table ? table.scrollWidth : null,
            };
        }"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_home_and_lists_never_scroll_the_page_sideways(monkeypatch, live_server, busy_mall, width):
    base = f"http://localhost:{urlparse(live_server.url).port}"
    with chromium(monkeypatch) as browser:
        page = _page(browser, live_server, width)
        page.goto(base + HOME)
        assert page.locator(".tile-orders-today .tile-count").inner_text() == "3"
        assert page.locator(".tile-sellers-applied .tile-count").inner_text() == "1"
        assert page.get_by_role("link", name="Pilotage économique").first.is_visible()
        home = _widths(page)
        assert home["page"] <= home["window"], home

        too_wide, cut_off = {}, {}
        for url in LISTS:
            response = page.goto(base + url)
            assert response.status == 200, url
            widths = _widths(page)
            assert widths["table"], url  # the list has rows
            if widths["page"] > widths["window"]:
                too_wide[url] = widths
            # At 1,280 px every column shows beside the menu and the filters; a phone scrolls
            # inside the list.
            if width == 1280 and widths["table"] > widths["list"]:
                cut_off[url] = widths
        assert too_wide == {} and cut_off == {}
