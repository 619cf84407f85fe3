"""A client generated from /api/openapi.json works (issue 13): openapi-python-client generates it
into a temporary directory, and a guest's whole purchase and a seller's offer update run through
its functions and models only, over HTTP into the Django application (httpx's WSGI transport).

Whatever the document leaves out (a header, a status, a schema) shows up here as a call the
generated code cannot make or an answer it cannot parse.
"""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.core.wsgi import get_wsgi_application
from django.test import Client as DjangoClient

from galerie.orders.models import Order, OrderStatus
from galerie.payments.simulator import charge_submit
from galerie.portal.auth import api_token_create
from galerie.pricing.services import tax_rates_ensure
from galerie.sellers.models import Offer, SellerMember, SellerRole
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

# Transactional: the requests go through Django's real WSGI handler, which closes the database
# connection after each request, and the simulated provider's webhook runs on commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PACKAGE = "galerie_generated_client"
# No post-hooks (ruff): formatting the generated code is not what is tested, and costs seconds.
CONFIG = f"project_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\npost_hooks: []\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """The client package generated from the live document, imported."""
    work = tmp_path_factory.mktemp("openapi-client")
    with django_db_blocker.unblock():
        response = DjangoClient(HTTP_HOST="localhost").get("/api/openapi.json")
    assert response.status_code == 200
    (work / "openapi.json").write_text(json.dumps(response.json()))
    (work / "config.yaml").write_text(CONFIG)
    generator = Path(sys.executable).with_name("openapi-python-client")
    run = subprocess.run(  # noqa: S603 (our own dev tool, on our own document)
        [generator, "generate", "--path", "openapi.json", "--output-path", PACKAGE]
        + ["--config", "config.yaml", "--meta", "none"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # Warnings are parts of the document the generator had to skip: none is acceptable.
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(work))
    try:
        importlib.import_module(f"{PACKAGE}.models")
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _transport() -> httpx.WSGITransport:
    return httpx.WSGITransport(app=get_wsgi_application())


@pytest.fixture
def shop():
    tax_rates_ensure()  # the seeded VAT rates, which a transactional test's flush drops
    books = make_category("Livres", slug="livres")
    make_storefront("galerie", name="Galerie Culture", categories=[books])
    seller = make_seller("Librairie du Marché", slug="librairie-du-marche")
    return make_offer(
        make_product("Germinal", slug="germinal", category=books),
        seller=seller,
        price="9.20",
        stock=5,
        sku="GERM-1",
    )


def _operation(tag: str, operation_id: str):
    """The generated module of one operation (the generator names it after the operationId)."""
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation_id}")


def test_a_guest_buys_with_the_generated_client(generated, shop):
    models = generated.models
    products = _operation("catalogue", "catalog_products")
    product = _operation("catalogue", "catalog_product")
    cart_line_add = _operation("panier", "cart_line_add")
    quote = _operation("commande", "checkout_quote")
    order_place = _operation("commande", "checkout_order_place")
    order_pay = _operation("paiements", "payments_order_pay")
    order_get = _operation("commandes", "orders_order_get")
    # A guest's client keeps its cookies, as httpx does: the session that lets it read its order.
    # Its CSRF token is its own (Django checks the header against the cookie, see docs/api.md).
    csrf = "c" * 32
    client = generated.Client(
        base_url="http://galerie.localhost",
        cookies={"csrftoken": csrf},
        httpx_args={"transport": _transport()},
        raise_on_unexpected_status=True,
    )

    # Browse: the storefront's first product and its featured offer.
    page = products.sync(client=client, slug="galerie", per_page=1)
    detail = product.sync(client=client, slug="galerie", product_slug=page.items[0].slug)
    assert detail.buy_box.id == shop.pk and detail.buy_box.price == "9.20"

    # Cart: the first add creates it and answers its token.
    added = cart_line_add.sync_detailed(
        client=client, body=models.LineIn(offer_id=detail.buy_box.id, quantity=2)
    )
    assert added.status_code == 201
    token = added.headers["X-Cart-Token"]
    assert added.parsed.token == token and added.parsed.groups[0].lines[0].quantity == 2

    quoted = quote.sync(client=client, body=models.QuoteIn(), x_cart_token=token)
    assert quoted.can_order and quoted.total == "18.40"

    # Checkout: placed once, replayed with the same key, refused with the same key and another body.
    body = models.PlaceIn(
        email="marie@example.fr",
        shipping_address=models.AddressIn(
            name="Marie Curie",
            line1="11 rue Pierre et Marie Curie",
            postcode="75005",
            city="Paris",
            country="FR",
        ),
        payment_method="card",
    )
    placed = order_place.sync(client=client, body=body, idempotency_key="k-1", x_cart_token=token)
    assert placed.status == "pending_payment" and placed.replayed is False
    again = order_place.sync(client=client, body=body, idempotency_key="k-1", x_cart_token=token)
    assert (again.public_id, again.replayed) == (placed.public_id, True)
    other = models.PlaceIn.from_dict({**body.to_dict(), "email": "pierre@example.fr"})
    conflict = order_place.sync_detailed(
        client=client, body=other, idempotency_key="k-1", x_cart_token=token
    )
    assert conflict.status_code == 409 and conflict.parsed.code == "idempotency_conflict"

    # Payment: the API hands out the provider's page (the same open payment as the checkout's);
    # the buyer types the test card there, on the simulated provider's side, not through the API.
    pay = order_pay.sync(
        client=client,
        public_id=placed.public_id,
        body=models.PayIn(method="card"),
        x_csrf_token=csrf,
    )
    assert pay.redirect_url == placed.payment.redirect_url and pay.amount == "18.40"
    charge = pay.redirect_url.rstrip("/").rsplit("/", 1)[-1]
    assert charge_submit(token=charge, card_number="4242 4242 4242 4242") == "succeeded"

    order = order_get.sync(client=client, public_id=placed.public_id)
    assert (order.number, order.status, order.total) == (placed.number, "paid", "18.40")
    assert [line.quantity for line in order.seller_orders[0].lines] == [2]
    assert Order.objects.get().status == OrderStatus.PAID


def test_a_seller_updates_an_offer_with_the_generated_client(generated, shop):
    models = generated.models
    offer_list = _operation("vendeur", "seller_offer_list")
    offer_patch = _operation("vendeur", "seller_offer_patch")
    owner = get_user_model().objects.create_user("libraire", "libraire@example.fr")
    member = SellerMember.objects.create(seller=shop.seller, user=owner, role=SellerRole.OWNER)
    client = generated.AuthenticatedClient(
        base_url="http://localhost",
        token=api_token_create(member=member, name="client").secret,
        httpx_args={"transport": _transport()},
        raise_on_unexpected_status=True,
    )

    page = offer_list.sync(client=client, limit=1)
    assert (page.total, page.limit, [o.sku for o in page.items]) == (1, 1, ["GERM-1"])
    updated = offer_patch.sync(
        client=client,
        offer_id=page.items[0].id,
        body=models.OfferPatchIn(stock=12, lead_time_days=3),
    )
    assert (updated.stock, updated.lead_time_days, updated.price) == (12, 3, "9.20")

    refused = offer_patch.sync_detailed(
        client=client, offer_id=page.items[0].id, body=models.OfferPatchIn(price="1000000.01")
    )
    assert refused.status_code == 422 and refused.parsed.code == "invalid_params"
    assert "price" in refused.parsed.message
    assert Offer.objects.get(pk=shop.pk).price == shop.price
