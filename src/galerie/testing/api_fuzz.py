"""Fuzz the JSON API with schemathesis (issue 13): every operation of /api/openapi.json, in four
contexts (anonymous, a shopper with a cart, the operator's staff, a seller with a bearer token),
on a fresh demo database, in-process against the WSGI application (no server, no sockets).

`.ci/fuzz-api [--examples N] [--seed S]` runs it; with DATABASE_URL=postgres://…/galerie_fuzz… it
runs on PostgreSQL (that database is dropped and recreated: its name must contain "fuzz"). Exits 1
with one paragraph per finding: the context, the operation, what was wrong and a curl to replay it.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_EXAMPLES = 10
DEFAULT_SEED = 13
DEMO_PRODUCTS = 120
STOREFRONT = "galerie"
STOREFRONT_HOST = "galerie.localhost"
SCHEMA_PATH = "/api/openapi.json"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
CSRF_TOKEN = "fuzzcsrf" * 4  # noqa: S105 — any 32 letters, sent as the cookie and the header
EMAIL = "camille@example.com"
ADDRESS = {
    "name": "Camille Martin",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country": "FR",
    "phone": "0601020304",
}
# Values that SQLite takes and PostgreSQL refuses (or that overflow a column anywhere): NUL in
# text, text longer than a varchar, integers past 32, 64 bits, numbers past a decimal's digits.
EDGE_VALUES = {
    "string": ["a\x00b", "é" * 301, "x" * 5000],
    "integer": [2**15, 2**31, 2**63, -(2**63) - 1],
    "number": [1e20, 1e30, 12345678901.995],
}
MESSAGE_LINES = 14  # of a finding's message: the schema excerpts schemathesis prints are long


@dataclass
class Context:
    """Who sends the requests: the headers (cookies included) of every generated case."""

    name: str
    headers: dict[str, str] = field(default_factory=dict)
    idempotency: bool = False  # a fresh Idempotency-Key on every request


@dataclass
class Finding:
    context: str
    operation: str
    title: str
    message: str
    curl: str
    error: str = ""  # the server's exception, for a 500


# --- The database -------------------------------------------------------------------------------


def _environment(var_dir: Path, database_url: str | None) -> str:
    """Settings of an in-process demo, set before Django reads them."""
    from galerie.demo import DEMO_ENVIRONMENT

    os.environ.update(DEMO_ENVIRONMENT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "galerie.settings"
    os.environ["GALERIE_VAR_DIR"] = str(var_dir)
    os.environ["ALLOWED_HOSTS"] = "localhost,.localhost"  # the storefronts are <slug>.localhost
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.pop("REDIS_URL", None)  # no queue: tasks wait in the database, never run
    url = database_url or f"sqlite:///{var_dir / 'fuzz.sqlite3'}"
    os.environ["DATABASE_URL"] = _postgres_fast(url) if url.startswith("postgres") else url
    return url


def _postgres_fast(url: str) -> str:
    """A throwaway database need not wait for the disk at each commit (thousands of them)."""
    return url + ("&" if "?" in url else "?") + "options=-c%20synchronous_commit%3Doff"


def _postgres_drop(url: str, *, recreate: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "fuzz" not in name:
        raise SystemExit(
            f"fuzz-api drops and recreates its database: its name must contain 'fuzz' ({name!r})."
        )
    admin_url = parts._replace(path="/postgres", query="").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if recreate:
            admin.execute(f'CREATE DATABASE "{name}"')


def _demo_database() -> None:
    from django.core.management import call_command

    from galerie.demo.services import demo_load

    call_command("migrate", interactive=False, verbosity=0)
    demo_load(products=DEMO_PRODUCTS)


# --- The demo world the contexts act in ---------------------------------------------------------


@dataclass
class World:
    """Real ids and credentials of the demo database, made through the API where it can."""

    storefronts: list[str]
    categories: list[str]
    sellers: list[str]
    products: list[str]  # slugs, in stock on the storefront
    product_ids: list[int]
    gtins: list[str]
    offers: list[int]  # purchasable on the storefront
    cart_token: str
    cart_content: list[tuple[int, int]]  # (offer id, quantity): refilled after each order
    cart_lines: list[int]
    shopper_cookie: str
    pending_order: str  # public ids of the shopper's orders…
    paid_orders: list[str]
    staff_cookie: str
    seller_token: str
    seller_offers: list[int]
    seller_offer_price: str  # of the first one
    seller_skus: list[str]
    seller_orders: list[int]
    accepted_order: int  # …and of the seller's orders, for the explicit examples
    new_product: int  # a product the seller does not sell yet
    months: list[str]


def _session_cookie(client) -> str:
    from django.conf import settings

    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"


def _cart_fill(client, content: list[tuple[int, int]]) -> str:
    """A guest's cart through the API; returns its X-Cart-Token."""
    token = ""
    for offer_id, quantity in content:
        response = client.post(
            "/api/cart/lines",
            {"offer_id": offer_id, "quantity": quantity},
            content_type="application/json",
            headers={"X-Cart-Token": token} if token else {},
        )
        assert response.status_code == 201, response.content
        token = response.json()["token"]
    return token


def _order_place(client, offer_ids: list[int], key: str, *, pay: bool) -> str:
    """A guest's purchase through the API, paid by the simulated card if asked."""
    from galerie.payments.gateways import CARD_SUCCESS
    from galerie.payments.models import Payment
    from galerie.payments.simulator import charge_submit

    token = _cart_fill(client, [(offer_id, 1) for offer_id in offer_ids])
    response = client.post(
        "/api/checkout/orders",
        {"email": EMAIL, "shipping_address": ADDRESS},
        content_type="application/json",
        headers={"X-Cart-Token": token, "Idempotency-Key": key},
    )
    assert response.status_code == 201, response.content
    public_id = response.json()["public_id"]
    if pay:
        payment = Payment.objects.get(order__public_id=public_id)
        charge_submit(token=payment.provider_ref, card_number=CARD_SUCCESS, webhooks="inline")
    return public_id


def _world() -> World:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from galerie.catalog.models import Product
    from galerie.core import clock
    from galerie.orders.models import SellerOrder
    from galerie.orders.services import seller_order_accept
    from galerie.portal.auth import api_token_create
    from galerie.sellers.models import Offer, Seller, SellerMember, SellerRole
    from galerie.storefronts.models import Storefront

    shop = Client(HTTP_HOST=STOREFRONT_HOST)
    listing = shop.get(f"/api/storefronts/{STOREFRONT}/products", {"per_page": 48}).json()
    products = [item["slug"] for item in listing["items"] if item["in_stock"]]
    offers: dict[int, str] = {}  # offer id → seller slug
    for slug in products[:24]:
        for offer in shop.get(f"/api/storefronts/{STOREFRONT}/products/{slug}").json()["offers"]:
            if offer["stock"] > 2:
                offers[offer["id"]] = offer["seller"]["slug"]
    # Goods only: a trip is booked with its travellers and a subscription one at a time, which
    # the setup's plain orders and quantities would not honour.
    goods = set(
        Offer.objects.filter(
            pk__in=offers, departure__isnull=True, subscription_plan__isnull=True
        ).values_list("pk", flat=True)
    )
    offers = {pk: seller for pk, seller in offers.items() if pk in goods}
    sellers = list(offers.values())
    # The seller with the most offers on sale here is the one whose token is fuzzed.
    seller = Seller.objects.get(slug=max(sorted(set(sellers)), key=sellers.count))
    theirs = [o for o, s in offers.items() if s == seller.slug]
    others = [o for o, s in offers.items() if s != seller.slug]

    # Orders: one waiting for payment, three paid (to accept, ship, cancel and refund).
    pending = _order_place(shop, [theirs[0], others[0]], "fuzz-setup-0", pay=False)
    paid = [_order_place(shop, [theirs[n]], f"fuzz-setup-{n}", pay=True) for n in (1, 2, 3)]
    seller_orders = list(
        SellerOrder.objects.filter(seller=seller).order_by("pk").values_list("pk", flat=True)
    )
    accepted = SellerOrder.objects.get(order__public_id=paid[0], seller=seller)
    seller_order_accept(seller_order=accepted, actor=None)
    # The shopper's cart: a token of its own, beside the session that remembers the orders.
    cart_content = [(theirs[4], 1), (others[1], 2)]
    cart_token = _cart_fill(shop, cart_content)
    cart = shop.get("/api/cart", headers={"X-Cart-Token": cart_token}).json()

    users = get_user_model().objects
    staff = users.create_user("fuzz-staff", "staff@example.com", is_staff=True)
    staff.groups.add(Group.objects.get(name="Service client"))  # refunds, not the whole admin
    back_office = Client(HTTP_HOST="localhost")
    back_office.force_login(staff)
    owner = users.create_user("fuzz-seller", "seller@example.com")
    member = SellerMember.objects.create(seller=seller, user=owner, role=SellerRole.OWNER)

    product_ids = list(
        Product.objects.filter(slug__in=products).order_by("pk").values_list("pk", flat=True)
    )
    seller_products = set(Offer.objects.filter(seller=seller).values_list("product_id", flat=True))
    seller_offers = Offer.objects.filter(seller=seller).order_by("pk")
    return World(
        storefronts=list(Storefront.objects.order_by("pk").values_list("slug", flat=True)),
        categories=sorted({item["category"] for item in listing["items"]}),
        sellers=list(Seller.objects.order_by("pk").values_list("slug", flat=True)),
        products=products[:12],
        product_ids=product_ids[:12],
        gtins=list(
            Product.objects.filter(pk__in=product_ids[:12], gtin__isnull=False)
            .order_by("pk")
            .values_list("gtin", flat=True)
        ),
        offers=list(offers)[:12],
        cart_token=cart_token,
        cart_content=cart_content,
        cart_lines=[line["id"] for group in cart["groups"] for line in group["lines"]],
        shopper_cookie=_session_cookie(shop),
        pending_order=pending,
        paid_orders=paid,
        staff_cookie=_session_cookie(back_office),
        seller_token=api_token_create(member=member, name="fuzz").secret,
        seller_offers=list(seller_offers.values_list("pk", flat=True)[:12]),
        seller_offer_price=str(seller_offers[0].price),
        seller_skus=list(seller_offers.exclude(sku="").values_list("sku", flat=True)[:12]),
        seller_orders=seller_orders,
        accepted_order=accepted.pk,
        new_product=next(p for p in product_ids if p not in seller_products),
        months=[clock.localdate().strftime("%Y-%m")],
    )


def _contexts(world: World) -> list[Context]:
    # The API answers per storefront, found from the Host header as for the pages (the WSGI
    # transport takes the host from the header, not from the base URL).
    host = {"Host": STOREFRONT_HOST}
    csrf = {"X-CSRFToken": CSRF_TOKEN}
    return [
        Context("anonymous", host),
        Context(
            "shopper",
            {**host, "X-Cart-Token": world.cart_token, "Cookie": world.shopper_cookie, **csrf},
            idempotency=True,
        ),
        Context("staff", {**host, "Cookie": world.staff_cookie, **csrf}, idempotency=True),
        Context("seller", {**host, "Authorization": f"Bearer {world.seller_token}"}),
    ]


# --- Schemathesis -------------------------------------------------------------------------------


def _examples(world: World) -> dict[tuple[str, str], dict]:
    """One valid request per state-changing operation, so that every run also goes all the way
    through the services (an order placed, paid, refunded, shipped…), not only the validators."""
    return {
        ("post", "/api/cart/lines"): {"body": {"offer_id": world.offers[0], "quantity": 1}},
        ("patch", "/api/cart/lines/{line_id}"): {
            "body": {"quantity": 2},
            "line_id": world.cart_lines[0],
        },
        ("delete", "/api/cart/lines/{line_id}"): {"line_id": world.cart_lines[-1]},
        ("post", "/api/checkout/quote"): {"body": {"delivery_choices": {}}},
        ("post", "/api/checkout/orders"): {
            "body": {"email": EMAIL, "shipping_address": ADDRESS, "payment_method": "card"}
        },
        ("post", "/api/payments/orders/{public_id}/pay"): {
            "body": {"method": "transfer"},
            "public_id": world.pending_order,
        },
        ("post", "/api/payments/orders/{public_id}/refunds"): {
            "body": {"reason": "Geste commercial"},
            "public_id": world.paid_orders[2],
        },
        ("post", "/api/seller/offers"): {
            "body": {
                "product_id": world.new_product,
                "price": "12.50",
                "stock": 3,
                "condition": "used",
            }
        },
        ("patch", "/api/seller/offers/{offer_id}"): {
            # Its own price again: a new book's price is bound by the book-price law.
            "body": {"price": world.seller_offer_price, "stock": 5},
            "offer_id": world.seller_offers[0],
        },
        ("post", "/api/seller/offers/bulk"): {
            "body": {"items": [{"sku": sku, "stock": 4} for sku in world.seller_skus[:2]]}
        },
        ("post", "/api/seller/orders/{seller_order_id}/accept"): {
            "seller_order_id": world.seller_orders[1]
        },
        ("post", "/api/seller/orders/{seller_order_id}/ship"): {
            "body": {"carrier": "Colissimo", "tracking_number": "6A12345678901"},
            "seller_order_id": world.accepted_order,
        },
        ("post", "/api/seller/orders/{seller_order_id}/cancel"): {
            "body": {"reason": "Rupture de stock"},
            "seller_order_id": world.seller_orders[-1],
        },
    }


def _document(world: World) -> dict:
    """The published OpenAPI document, with the examples above added to it."""
    import json

    from django.test import Client

    document = json.loads(Client(HTTP_HOST="localhost").get(SCHEMA_PATH).content)
    for (method, path), example in _examples(world).items():
        operation = document["paths"].get(path, {}).get(method)
        if operation is None:
            raise SystemExit(f"fuzz-api: {method.upper()} {path} is gone: update _examples().")
        if "body" in example:
            operation["requestBody"]["content"]["application/json"]["example"] = example["body"]
        for parameter in operation.get("parameters", []):
            if parameter["name"] in example:
                parameter["example"] = example[parameter["name"]]
    return document


def _body_leaves(document: dict) -> dict[str, str]:
    """Every string, integer and number field of every request body, as schemathesis binding keys
    (`body.shipping_address.city`, `body.items[*].sku`) → JSON type."""
    schemas = document.get("components", {}).get("schemas", {})
    leaves: dict[str, str] = {}

    def walk(node: dict, path: str, depth: int) -> None:
        if depth > 5:
            return
        if "$ref" in node:
            node = schemas.get(node["$ref"].rsplit("/", 1)[-1], {})
        for branch in node.get("anyOf", []) + node.get("allOf", []):
            walk(branch, path, depth + 1)
        kind = node.get("type")
        if kind == "object":
            for name, child in node.get("properties", {}).items():
                walk(child, f"{path}.{name}", depth + 1)
        elif kind == "array":
            walk(node.get("items", {}), f"{path}[*]", depth + 1)
        elif kind in EDGE_VALUES and path != "body":
            leaves[path] = kind

    for operations in document["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                walk(media.get("schema", {}), "body", 0)
    return leaves


def _config(context: Context, world: World, document: dict, *, examples: int, seed: int):
    import schemathesis

    from galerie.orders.models import SellerOrderStatus
    from galerie.sellers.models import Condition
    from galerie.storefronts.listing import SORTS

    def values(items) -> dict:
        return {"values": list(items)}

    # Real values half of the time; the other half, the generator's own probe the edges.
    def real(dictionary: str) -> dict:
        return {"dictionary": dictionary, "probability": 0.5}

    orders = [world.pending_order, *world.paid_orders]
    parameters = {
        "path.slug": real("storefronts"),
        "path.product_slug": real("products"),
        "path.line_id": real("lines"),
        "path.public_id": real("orders"),
        "path.offer_id": real("seller_offers"),
        "path.seller_order_id": real("seller_orders"),
        "path.month": real("months"),
        "query.category": real("categories"),
        "query.vendeur": real("sellers"),
        "query.tri": real("sorts"),
        "query.etat": real("conditions"),
        "query.condition": real("conditions"),
        "query.state": real("offer_states"),
        "query.status": real("order_statuses"),
        "body.offer_id": real("offers"),
        "body.product_id": real("product_ids"),
        "body.gtin": real("gtins"),
        "body.condition": real("conditions"),
        "body.mode": real("bulk_modes"),
        "body.items[*].sku": real("seller_skus"),
        "body.items[*].gtin": real("gtins"),
        "body.method": real("payment_methods"),
        "body.payment_method": real("payment_methods"),
        "body.email": real("emails"),
        **{
            f"body.{address}.{key}": real(f"address_{key}")
            for address in ("shipping_address", "billing_address")
            for key in ADDRESS
        },
    }
    # Now and then a value a database column may not hold, in every other body field of its type.
    for key, kind in _body_leaves(document).items():
        parameters.setdefault(key, {"dictionary": f"edge_{kind}", "probability": 0.1})
    return schemathesis.Config.from_dict(
        {
            "seed": seed,
            "suppress-health-check": ["all"],
            # Throwaway credentials of a throwaway database: the replay needs them as they were.
            "output": {"sanitization": {"enabled": False}},
            "base-url": f"http://{STOREFRONT_HOST}",
            "workers": 1,
            # Every example runs even after a finding: one 422 must not hide the 500 behind it.
            "continue-on-failure": True,
            "headers": context.headers,
            "generation": {
                "mode": "all",
                "max-examples": examples,
                "database": "none",
                # Now and then a value a database column may not hold, in any parameter (path,
                # query, header) of the type; body fields are bound one by one below.
                "dictionaries": {
                    kind: {"dictionary": f"edge_{kind}", "probability": 0.1} for kind in EDGE_VALUES
                },
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {
                "stateful": {"enabled": False},
                # TRACE, PUT… on every path: the same 405 whoever asks, so once is enough.
                "coverage": {} if context.name == "anonymous" else {"unexpected-methods": []},
            },
            "dictionaries": {
                **{f"edge_{kind}": values(edge) for kind, edge in EDGE_VALUES.items()},
                "storefronts": values(world.storefronts),
                "categories": values(world.categories),
                "sellers": values(world.sellers),
                "sorts": values(SORTS),
                "conditions": values(Condition.values),
                "offer_states": values(["active", "inactive", "out_of_stock"]),
                "order_statuses": values(SellerOrderStatus.values),
                "products": values(world.products),
                "product_ids": values(world.product_ids),
                "gtins": values(world.gtins),
                "offers": values(world.offers),
                "lines": values(world.cart_lines),
                "orders": values(orders),
                "seller_offers": values(world.seller_offers),
                "seller_skus": values(world.seller_skus),
                "seller_orders": values(world.seller_orders),
                "months": values(world.months),
                "payment_methods": values(["card", "transfer"]),
                "bulk_modes": values(["all_or_nothing", "valid_rows"]),
                "emails": values([EMAIL]),
                **{f"address_{key}": values([value]) for key, value in ADDRESS.items()},
            },
            "parameters": parameters,
        }
    )


# What the hooks and the WSGI wrapper need to know about the run in progress.
_run: dict = {"statuses": {}, "errors": {}, "phases": {}}


class _ServerErrors(logging.Handler):
    """Keeps the last exception Django logged, so that a 500's finding can name it."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            _run["last_error"] = f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"


def _hooks_install() -> None:
    """before_call and after_call are global hooks in schemathesis: they read `_run`."""
    import schemathesis

    from galerie.core.models import ThrottleCounter

    @schemathesis.hook("before_call")
    def before_call(ctx, case, kwargs):
        # Throttles count per token and address, and the fuzzer is one client sending thousands.
        ThrottleCounter.objects.all().delete()
        context = _run["context"]
        if context.idempotency and "Idempotency-Key" not in case.operation.headers:
            # A fresh key per request where the document does not declare the header (and the
            # generator would not send it), so that each placed order or refund is a new one.
            key = f"fuzz-{context.name}-{_run['seed']}-{next(_run['counter'])}"
            case.headers = {"Idempotency-Key": key, **(case.headers or {})}
        if context.name == "shopper":
            _cart_refill(_run["world"])
        _run.pop("last_error", None)

    @schemathesis.hook("after_call")
    def after_call(ctx, case, response):
        statuses = _run["statuses"].setdefault((_run["context"].name, case.operation.label), {})
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            _run["errors"][case.id] = _run.pop("last_error", "")


def _cart_refill(world: World) -> None:
    """A placed order empties the shopper's cart: its lines are put back for the next request,
    restocked first when the orders before have sold the units out."""
    from galerie.cart.models import Cart
    from galerie.cart.services import cart_add
    from galerie.inventory.services import stock_adjust
    from galerie.sellers.models import Offer

    cart = Cart.objects.filter(token=world.cart_token).first()
    if cart is None or cart.lines.exists():
        return
    for offer_id, quantity in world.cart_content:
        offer = Offer.objects.get(pk=offer_id)
        if offer.stock < quantity:
            stock_adjust(offer=offer, delta=10, reason="fuzz-api: réassort")
        cart_add(cart=cart, offer_id=offer_id, quantity=quantity)


def _with_cookie(application):
    """Werkzeug's test client replaces the Cookie header with its own jar's cookies (none here,
    and only ever for `localhost`): the context's cookies are put back before Django reads them."""

    def app(environ, start_response):
        cookie = _run["context"].headers.get("Cookie")
        if cookie and "HTTP_COOKIE" not in environ:
            environ["HTTP_COOKIE"] = cookie
        return application(environ, start_response)

    return app


def _run_context(
    application, document: dict, context: Context, world: World, *, examples: int, seed: int
) -> tuple[list[Finding], int]:
    import schemathesis
    from schemathesis.engine import Status, events, from_schema

    _run.update(context=context, world=world, seed=seed, counter=iter(range(10**9)))
    config = _config(context, world, document, examples=examples, seed=seed)
    schema = schemathesis.openapi.from_dict(document, config=config)
    schema.app = _with_cookie(application)
    schema.location = SCHEMA_PATH

    findings: list[Finding] = []
    requests = 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            requests += len(event.recorder.interactions)
            _run["phases"][event.phase.value] = _run["phases"].get(event.phase.value, 0) + len(
                event.recorder.interactions
            )
            for case_id, nodes in event.recorder.checks.items():
                for node in nodes:
                    if node.status != Status.FAILURE or node.failure_info is None:
                        continue
                    failure = node.failure_info.failure
                    findings.append(
                        Finding(
                            context=context.name,
                            operation=event.recorder.label,
                            title=failure.title,
                            message=failure.message,
                            curl=node.failure_info.code_sample,
                            error=_run["errors"].get(failure.case_id or case_id, ""),
                        )
                    )
        elif isinstance(event, events.NonFatalError):
            findings.append(Finding(context.name, event.label, "Error", str(event.value), ""))
        elif isinstance(event, events.FatalError):
            raise event.exception
    return findings, requests


def _summary(findings: list[Finding]) -> str:
    """One paragraph per (context, operation, kind of failure), with its first example."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.context, finding.operation, finding.title), []).append(finding)
    paragraphs = []
    for (context, operation, title), group in groups.items():
        first = group[0]
        lines = [f"[{context}] {operation} — {title} ({len(group)}×)"]
        if first.error:
            lines.append(f"    server: {first.error}")
        message = first.message.strip().splitlines()
        if len(message) > MESSAGE_LINES:
            message = [*message[:MESSAGE_LINES], "…"]
        lines += [f"    {line}" for line in message]
        if first.curl:
            lines.append(f"    {first.curl.strip()}")
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fuzz-api", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--examples",
        type=int,
        default=DEFAULT_EXAMPLES,
        help=f"generated requests per operation in the fuzzing phase (default {DEFAULT_EXAMPLES};"
        " nightly size: 200)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--context",
        action="append",
        choices=["anonymous", "shopper", "staff", "seller"],
        help="run only this context (repeatable; default: all four)",
    )
    parser.add_argument(
        "--stats", action="store_true", help="print the statuses answered, per operation"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    var_dir = Path(tempfile.mkdtemp(prefix="galerie-fuzz-"))
    url = _environment(var_dir, os.environ.get("DATABASE_URL"))
    try:
        if url.startswith("postgres"):
            _postgres_drop(url, recreate=True)
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()  # sets Django up
        # Django logs every 4xx and 5xx: the findings say what matters, with the request.
        request_log = logging.getLogger("django.request")
        request_log.handlers, request_log.propagate = [_ServerErrors(logging.ERROR)], False
        _demo_database()
        world = _world()
        document = _document(world)
        _hooks_install()
        print(
            f"fuzz-api: demo database ready in {time.perf_counter() - started:.0f} s "
            f"({url.split('@')[-1]}); seed {args.seed}, {args.examples} examples",
            flush=True,
        )
        findings: list[Finding] = []
        for context in _contexts(world):
            if args.context and context.name not in args.context:
                continue
            t0 = time.perf_counter()
            found, requests = _run_context(
                application, document, context, world, examples=args.examples, seed=args.seed
            )
            findings += found
            print(
                f"fuzz-api: {context.name}: {requests} requests, {len(found)} findings "
                f"in {time.perf_counter() - t0:.0f} s",
                flush=True,
            )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if url.startswith("postgres"):
            from django.db import connections

            connections.close_all()
            _postgres_drop(url, recreate=False)
    if args.stats:
        print(f"  requests per phase: {_run['phases']}")
        for (context, operation), statuses in sorted(_run["statuses"].items()):
            counts = " ".join(f"{code}×{n}" for code, n in sorted(statuses.items()))
            print(f"  {context:9} {operation:55} {counts}")
    total = time.perf_counter() - started
    if findings:
        print("\n" + _summary(findings))
        print(f"\nfuzz-api: {len(findings)} findings in {total:.0f} s (seed {args.seed}).")
        return 1
    print(f"fuzz-api: no findings in {total:.0f} s (seed {args.seed}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
