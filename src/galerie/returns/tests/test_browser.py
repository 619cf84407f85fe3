"""A customer withdraws from one line of a delivered order in a real browser (Playwright driving
Debian's Chromium), at a phone's width (390 px) and a desktop's (1280 px): from the order page to
the returns page, the form, and the confirmation. No page is wider than the screen."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest

from galerie.core import clock
from galerie.orders.selectors import order_access_token
from galerie.pricing.services import tax_rates_ensure
from galerie.returns.models import ReturnKind, ReturnRequest, ReturnStatus
from galerie.testing.browser import chromium
from galerie.testing.factories import (
    make_delivered_order,
    make_offer,
    make_product,
    make_storefront,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as instance:
        yield instance


def _fits(page, width: int, name: str) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: {scroll}px wide at {width}px"


@pytest.mark.parametrize("width", [390, 1280])
def test_customer_files_a_withdrawal_in_the_browser(browser, live_server, width):
    tax_rates_ensure()  # a transactional test starts from a flushed database
    shop = make_storefront("culture")
    offer = make_offer(make_product("Abbey Road"), price="20.00", stock=10)
    order = make_delivered_order(
        [(offer, 2)], storefront=shop, delivered_at=clock.now() - dt.timedelta(days=3)
    )
    base = f"http://culture.localhost:{urlparse(live_server.url).port}"
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)

    # The guest's e-mail link opens the order, and this browser keeps it.
    page.goto(f"{base}{order.get_absolute_url()}?t={order_access_token(order)}")
    page.get_by_role("link", name="Retourner un article : rétractation ou garantie").click()
    page.wait_for_url(re.compile(r".*/retours/$"))
    _fits(page, width, "returns")
    page.get_by_role("link", name="Me rétracter").click()

    # The form: the deadline, the quantity (at most what is left), the button in reach.
    assert "Vous pouvez vous rétracter jusqu'au" in page.inner_text("main")
    quantity = page.get_by_label("Quantité")
    assert quantity.get_attribute("max") == "2"
    quantity.fill("1")
    page.get_by_label("Motif (facultatif)").fill("Offert en double")
    button = page.get_by_role("button", name="Envoyer ma demande de rétractation")
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    _fits(page, width, "form")
    button.click()

    page.wait_for_url(re.compile(r".*/retours/$"))
    assert "Votre demande est enregistrée" in page.inner_text("body")
    requests = page.locator(".return-requests")
    assert "Rétractation" in requests.inner_text() and "Abbey Road" in requests.inner_text()
    _fits(page, width, "confirmation")
    context.close()

    request = ReturnRequest.objects.get()
    assert (request.kind, request.quantity, request.status) == (
        ReturnKind.WITHDRAWAL,
        1,
        ReturnStatus.REQUESTED,
    )
    assert request.reason == "Offert en double"
