"""A private seller's sale carries no VAT, the same on every interface: cart API, checkout recap,
order page, invoice, confirmation e-mail, order API and ledger; the operator's
commission on it keeps its VAT. The rule lives in pricing.sale_vat."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Sum
from django.test import Client

from galerie.checkout.tests.helpers import CARD_OK, add_to_cart, checkout, pay_by_card
from galerie.ledger import chart
from galerie.ledger.models import JournalLine
from galerie.ledger.postings import capture_splits
from galerie.orders.models import Order, OrderStatus
from galerie.pricing.services import sale_vat, vat_amount
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = pytest.mark.django_db
HOST = "culture.localhost"
NO_VAT = "TVA non applicable (vente entre particuliers)"


def test_sale_vat_is_decided_by_the_sellers_trader_status():
    assert sale_vat(rate=Decimal("20"), seller_is_trader=True).rate == Decimal("20")
    assert sale_vat(rate=Decimal("20"), seller_is_trader=True).exemption == ""
    private = sale_vat(rate=Decimal("20"), seller_is_trader=False)
    assert (private.rate, private.exemption) == (Decimal("0"), "private_sale")
    assert private.exemption_label == NO_VAT


@pytest.fixture
def client():
    return Client(HTTP_HOST=HOST)


@pytest.fixture
def offers():
    category = make_category("Livres")
    make_storefront("culture", name="Culture & Cie", categories=[category])
    sophie = make_seller("Sophie L.", legal_name="Sophie Leroy", is_trader=False)
    alice = make_seller("Librairie Alice", legal_name="Alice SARL")
    used = make_offer(
        make_product("Le Petit Prince", category=category),
        seller=sophie,
        price="9.90",
        stock=2,
        condition="used",
        delivery_price="3.00",
    )
    pro = make_offer(
        make_product("Carnet", category=category),
        seller=alice,
        price="12.00",
        stock=2,
        delivery_price="2.40",
    )
    return used, pro  # fmt: skip


def test_private_sellers_line_has_no_vat_on_every_interface(
    client, offers, django_capture_on_commit_callbacks
):
    used, pro = offers
    add_to_cart(client, used, pro)

    # Cart API: the line and the breakdown say why there is no VAT.
    cart = client.get("/api/cart").json()
    lines = {line["offer_id"]: line for group in cart["groups"] for line in group["lines"]}
    assert Decimal(lines[used.pk]["vat_rate"]) == 0
    assert lines[used.pk]["vat_exemption"] == "private_sale"
    assert lines[used.pk]["vat_exemption_label"] == NO_VAT
    assert Decimal(lines[pro.pk]["vat_rate"]) == 20 and lines[pro.pk]["vat_exemption"] is None
    exempt_rows = [row for row in cart["vat_breakdown"] if row["exemption"]]
    assert [(Decimal(r["ttc"]), Decimal(r["vat"])) for r in exempt_rows] == [
        (Decimal("12.90"), Decimal("0.00"))  # 9.90 + 3.00 delivery, no VAT on either
    ]
    # Only the professional's goods and delivery carry VAT: 2.00 + 0.40.
    assert Decimal(cart["vat_total"]) == Decimal("2.40")

    # Checkout recap.
    with django_capture_on_commit_callbacks(execute=True):
        response, html = checkout(client)
    assert NO_VAT in html and "1,65" not in html
    order = Order.objects.get()
    assert order.vat_total == Decimal("2.40")
    line = order.lines.get(offer=used)
    assert (line.vat_rate, line.vat_amount, line.vat_exemption) == (0, 0, "private_sale")
    sophie_part = order.seller_orders.get(seller=used.seller)
    assert all(p["vat"] == "0.00" and p["exemption"] for p in sophie_part.delivery_vat)

    # Confirmation e-mail.
    body = mail.outbox[-1].body
    assert NO_VAT in body and "1,65" not in body

    # Order page.
    page = client.get(order.get_absolute_url()).content.decode()
    assert NO_VAT in page and "1,65" not in page

    # Order API.
    api = client.get(f"/api/orders/{order.public_id}").json()
    api_lines = [ln for so in api["seller_orders"] for ln in so["lines"]]
    api_line = next(ln for ln in api_lines if ln["title"] == "Le Petit Prince")
    assert Decimal(api_line["vat_rate"]) == 0 and Decimal(api_line["vat_amount"]) == 0
    assert api_line["vat_exemption"] == "private_sale"
    assert api_line["vat_exemption_label"] == NO_VAT
    assert [r["exemption_label"] for r in api["vat_breakdown"] if r["exemption"]] == [NO_VAT]

    # Ledger: no VAT on the private sale, VAT on the operator's commission on it.
    pay_by_card(client, response["Location"], CARD_OK, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    # The private seller's invoice (shown once paid).
    invoice = client.get(f"{order.get_absolute_url()}facture/{sophie_part.pk}/")
    assert invoice.status_code == 200
    assert NO_VAT in invoice.content.decode() and "1,65" not in invoice.content.decode()
    line.refresh_from_db()
    assert line.commission_amount == Decimal("1.49")  # default 15 % of 9.90
    split = next(s for s in capture_splits(order=order) if s.seller_id == used.seller_id)
    assert split.vat == 0
    assert split.commission_vat == vat_amount(ttc=Decimal("1.49"), rate=Decimal("20")) > 0
    commissions = [ln.commission_amount for ln in order.lines.all()]
    collected = JournalLine.objects.filter(account__code=chart.VAT_COLLECTED).aggregate(
        c=Sum("credit"), d=Sum("debit")
    )
    assert collected["c"] - collected["d"] == sum(
        vat_amount(ttc=c, rate=Decimal("20")) for c in commissions
    )
