"""The published OpenAPI document tells the truth: the headers each operation reads, the statuses
and bodies it answers, unique schema names and operationIds, strict bodies."""

import inspect
import json
import re

import pytest
from django.test import Client

from galerie.api.headers import CART_TOKEN, CSRF_TOKEN, IDEMPOTENCY_KEY
from galerie.api.urls import api

pytestmark = pytest.mark.django_db


def _document() -> dict:
    return Client().get("/api/openapi.json").json()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _view_funcs() -> dict[str, object]:
    """operationId → the handler, from the routers the document is built from."""
    funcs = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                funcs[api.get_openapi_operation_id(operation)] = operation.view_func
    return funcs


def _header(operation, name):
    parameters = operation.get("parameters", [])
    found = [p for p in parameters if p["in"] == "header" and p["name"] == name]
    assert len(found) <= 1
    return found[0] if found else None


# ------------------------------------------------------------------------------------ headers


def _source(func) -> str:
    """The handler's source and that of the module's private helpers it calls."""
    source = inspect.getsource(func)
    module = inspect.getmodule(func)
    for name in set(re.findall(r"\b(_\w+)\(", source)):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper):
            source += inspect.getsource(helper)
    return source


def test_every_header_a_handler_reads_is_declared():
    """A handler reading the Idempotency-Key, the cart (`cart_of` reads X-Cart-Token) or
    changing it (then the session cookie needs the CSRF token) declares those headers, and
    declares nothing it does not read."""
    funcs = _view_funcs()
    readers = 0
    for path, method, operation in _operations(_document()):
        source = _source(funcs[operation["operationId"]])
        reads = set()
        if "IDEMPOTENCY_KEY" in source:
            reads.add(IDEMPOTENCY_KEY)
        if "cart_of(" in source:
            reads.add(CART_TOKEN)
        if "change=True" in source or "csrf_check(" in source:
            reads.add(CSRF_TOKEN)
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert declared == reads, (method, path)
        readers += bool(reads)
    assert readers == 17  # + the review of a product (CSRF), + the cart's voucher (PUT, DELETE)


def test_the_api_reads_no_undeclared_header():
    from pathlib import Path

    import galerie.api.headers as headers

    declared = set(headers._PARAMETERS)
    for module in Path(headers.__file__).parent.glob("*.py"):
        for name in re.findall(r"request\.headers(?:\.get)?[\[(]\s*(\w+)", module.read_text()):
            assert getattr(headers, name, None) in declared, (module.name, name)


def test_idempotency_key_is_required_and_cart_token_optional():
    document = _document()
    place = document["paths"]["/api/checkout/orders"]["post"]
    refund = document["paths"]["/api/payments/orders/{public_id}/refunds"]["post"]
    for operation in (place, refund):
        key = _header(operation, IDEMPOTENCY_KEY)
        assert key["required"] is True
        assert key["schema"]["maxLength"] == 128 and key["schema"]["minLength"] == 1
    carts = [op for _, _, op in _operations(document) if _header(op, CART_TOKEN)]
    assert len(carts) == 10 and all(_header(op, CART_TOKEN)["required"] is False for op in carts)
    add = document["paths"]["/api/cart/lines"]["post"]
    assert CART_TOKEN in add["responses"]["201"]["headers"]


def test_seller_operations_declare_the_bearer_scheme():
    document = _document()
    scheme = document["components"]["securitySchemes"]["SellerBearer"]
    assert scheme == {"type": "http", "scheme": "bearer"}
    for path, _, operation in _operations(document):
        assert (operation.get("security") == [{"SellerBearer": []}]) == path.startswith(
            "/api/seller/"
        ), path


def test_a_declared_cart_token_is_read(mall):
    """Each operation declaring X-Cart-Token reads it: a made-up token is a 404 cart_not_found."""
    client = Client(HTTP_HOST="culture.localhost")
    bodies = {
        "/api/cart/lines": {"offer_id": 1},
        "/api/checkout/quote": {},
        "/api/cart/lines/{line_id}/travellers": {
            "travellers": [{"first_name": "A", "last_name": "B", "birth_date": "1980-01-01"}]
        },
        "/api/cart/lines/{line_id}/details": {"auto_renew": True},
        "/api/cart/voucher": {"code": "BIENVENUE"},
    }
    document = _document()
    for path, method, operation in _operations(document):
        if not _header(operation, CART_TOKEN):
            continue
        url = path.replace("{line_id}", "1")
        body = bodies.get(path, {"quantity": 1})
        if path == "/api/checkout/orders":
            body = {"email": "a@example.fr", "shipping_address": {"name": "A"}}
        response = getattr(client, method)(
            url,
            body,
            content_type="application/json",
            headers={CART_TOKEN: "made-up", IDEMPOTENCY_KEY: "k1"},
        )
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "cart_not_found"


def test_a_declared_csrf_token_is_checked(mall):
    """With the session cookie alone, each operation declaring X-CSRFToken refuses the change."""
    from django.conf import settings

    client = Client(HTTP_HOST="culture.localhost", enforce_csrf_checks=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session"
    document = _document()
    checked = 0
    for path, method, operation in _operations(document):
        if not _header(operation, CSRF_TOKEN):
            continue
        url = (
            re.sub(r"\{line_id\}", "1", path)
            .replace("{booking_id}", "1")
            .replace("{public_id}", "00000000-0000-0000-0000-000000000000")
        )
        body = {"offer_id": 1, "quantity": 1, "shipping_address": {}}
        if path.endswith("/travellers"):
            body = {
                "travellers": [{"first_name": "A", "last_name": "B", "birth_date": "1980-01-01"}]
            }
        if path.endswith(("/details", "/auto-renew")):
            body = {"auto_renew": True}  # strict schemas: nothing else
        if path.endswith("/reviews"):
            url = url.replace("{slug}", "culture").replace("{product_slug}", "x")
            body = {"rating": 5, "title": "Bien", "body": "Un très bon livre."}
        if path.endswith("/voucher"):
            body = {"code": "BIENVENUE"}
        response = getattr(client, method)(
            url, body, content_type="application/json", headers={IDEMPOTENCY_KEY: "k2"}
        )
        assert response.status_code == 403, (method, path, response.content)
        assert response.json()["code"] == "csrf_failed"
        checked += 1
    assert checked == 14


def test_a_required_idempotency_key_missing_is_a_clear_400(mall):
    from django.contrib.auth import get_user_model

    operator = get_user_model().objects.create_superuser("op", "op@example.fr", "pw-12345678")
    client = Client(HTTP_HOST="culture.localhost")
    client.force_login(operator)
    document = _document()
    checked = 0
    for path, method, operation in _operations(document):
        key = _header(operation, IDEMPOTENCY_KEY)
        if not key:
            continue
        assert key["required"]
        url = path.replace("{public_id}", "00000000-0000-0000-0000-000000000000").replace(
            "{booking_id}", "1"
        )
        body = {"shipping_address": {}}
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 400, (method, path, response.content)
        assert response.json()["code"] == "idempotency_key_required"
        assert "Idempotency-Key" in response.json()["message"]
        checked += 1
    assert checked == 4


# ------------------------------------------------------------------------------ schema names


def _reachable_models() -> set[type]:
    """Every pydantic model a request or a response of the API can hold (ninja's own wrappers
    around parameters and responses excepted)."""
    from typing import get_args

    from ninja.params.models import ParamModel
    from pydantic import BaseModel

    found: set[type] = set()

    def visit(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in found:
                return
            if not issubclass(annotation, ParamModel) and annotation.__name__ != (
                "NinjaResponseSchema"
            ):
                found.add(annotation)
            for field in annotation.model_fields.values():
                visit(field.annotation)
        for arg in get_args(annotation):
            visit(arg)

    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    visit(model)
                for model in operation.response_models.values():
                    visit(model)
    return found


def test_every_schema_has_its_own_name():
    """Two classes of one name would share one component: the document would describe one
    of them wrongly (the shop's offers were published with the seller API's fields)."""
    import importlib
    import pkgutil

    from ninja import Schema

    import galerie.api as package
    from galerie.api.errors import ErrorOut, ValidationErrorOut

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"galerie.api.{module.name}")
    defined: dict[str, list[str]] = {}
    stack = [Schema]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("galerie."):
            defined.setdefault(cls.__name__, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in defined.items() if len(where) > 1} == {}

    reachable = _reachable_models() | {ErrorOut, ValidationErrorOut}
    names = {cls.__name__ for cls in reachable}
    assert len(names) == len(reachable)
    components = set(_document()["components"]["schemas"])
    assert names <= components, names - components
    assert "ProductOfferOut" in names and "SellerOfferOut" in names


# ---------------------------------------------------------------------------- operationIds

OPERATION_IDS = {
    "catalog_storefronts", "catalog_categories", "catalog_products", "catalog_product",
    "catalog_search", "orders_order_list", "orders_order_get", "orders_order_status",
    "payments_order_pay", "payments_order_refund_create", "payments_order_trip_cancel",
    "cart_get", "cart_line_add", "cart_line_update", "cart_line_remove", "cart_line_travellers",
    "cart_voucher_set", "cart_voucher_remove", "checkout_quote", "checkout_order_place",
    "seller_offer_list", "seller_offer_create", "seller_offer_bulk", "seller_offer_get",
    "seller_offer_patch", "seller_order_list", "seller_order_get", "seller_order_accept",
    "seller_order_ship", "seller_order_cancel", "seller_statement_list", "seller_statement_get",
    "cart_line_details", "subscriptions_subscription_list", "subscriptions_subscription_get",
    "subscriptions_subscription_terminate", "subscriptions_subscription_auto_renew",
    "subscriptions_fulfilment_list", "subscriptions_fulfilment_ship",
    "subscriptions_subscription_withdraw", "reviews_review_list", "reviews_review_create",
    "returns_return_list", "returns_return_get", "returns_return_receive_confirm",
    "returns_return_decide",
    "seller_decision_list", "seller_decision_get", "seller_decision_complaint",
}  # fmt: skip


def test_operation_ids_are_unique_readable_and_stable():
    """A generated client names its methods after them: renaming one breaks its users, so the
    list is pinned here (change it knowingly)."""
    ids = [operation["operationId"] for _, _, operation in _operations(_document())]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", i) for i in ids), ids
    assert set(ids) == OPERATION_IDS


# ----------------------------------------------------------------------- documented answers


def _refs(schema) -> set[str]:
    if "$ref" in schema:
        return {schema["$ref"].rsplit("/", 1)[-1]}
    return set().union(*(_refs(s) for s in schema.get("anyOf", [])))


def _schema_of(operation, status):
    answer = operation["responses"].get(str(status))
    assert answer is not None, (operation["operationId"], status)
    assert answer["description"]
    return answer["content"]["application/json"]["schema"]


READ_BY_HAND = {CART_TOKEN, CSRF_TOKEN, IDEMPOTENCY_KEY}


def test_every_operation_documents_the_errors_it_can_answer():
    for path, _, operation in _operations(_document()):
        # The headers read by hand answer their own errors; every other input is validated.
        validated = [p for p in operation.get("parameters", []) if p["name"] not in READ_BY_HAND]
        if validated or "requestBody" in operation:
            assert "ValidationErrorOut" in _refs(_schema_of(operation, 422)), path
        if "requestBody" in operation:
            assert operation["requestBody"]["required"] is True
            for status in (400, 413):
                assert _refs(_schema_of(operation, status)) == {"ErrorOut"}, (path, status)
        if operation.get("security"):
            assert _refs(_schema_of(operation, 401)) == {"ErrorOut"}, path
        if _header(operation, CSRF_TOKEN):
            assert _refs(_schema_of(operation, 403)) == {"ErrorOut"}, path
        if "{" in path:
            assert _refs(_schema_of(operation, 404)) == {"ErrorOut"}, path
        if _header(operation, IDEMPOTENCY_KEY):
            assert {"400", "409"} <= set(operation["responses"]), path
        for status, answer in operation["responses"].items():
            if int(status) >= 400:
                refs = _refs(answer["content"]["application/json"]["schema"])
                assert refs & {"ErrorOut", "ValidationErrorOut"}, (path, status)


# ------------------------------------------------------- real answers match the document

ADDRESS = {"name": "Marie Curie", "line1": "1 rue Cuvier", "postcode": "75005", "city": "Paris"}


class Conforming:
    """A test client whose every answer must be documented, with a body that validates against
    the operation's published schema (JSON Schema 2020-12, as OpenAPI 3.1 says)."""

    def __init__(self, client: Client, **headers):
        self.client = client
        self.headers = headers
        self.document = _document()
        self.answered: set[tuple[str, str, int]] = set()

    def _operation(self, method: str, url: str) -> tuple[str, dict]:
        for path, methods in self.document["paths"].items():
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
            if re.fullmatch(pattern, url.split("?")[0]) and method in methods:
                return path, methods[method]
        raise AssertionError(f"{method} {url} is not in the document")

    def __call__(self, method: str, url: str, body=None, *, headers=None, raw=None):
        from jsonschema import Draft202012Validator, FormatChecker

        path, operation = self._operation(method, url)
        kwargs = {"headers": {**self.headers, **(headers or {})}}
        if raw is not None or body is not None:
            kwargs |= {"data": raw if raw is not None else body, "content_type": "application/json"}
        response = getattr(self.client, method)(url, **kwargs)
        status = str(response.status_code)
        assert status in operation["responses"], (method, path, status, response.content)
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        Draft202012Validator.check_schema(schema)
        Draft202012Validator(
            {**schema, "components": self.document["components"]}, format_checker=FormatChecker()
        ).validate(response.json())
        self.answered.add((method, path, response.status_code))
        return response


def test_a_guest_purchase_answers_what_the_document_says(mall):
    api = Conforming(Client(HTTP_HOST="culture.localhost"))
    product = api("get", "/api/storefronts/culture/products/les-miserables").json()
    assert len(product["offers"]) == 3 and product["buy_box"]["seller"]["name"]
    api("get", "/api/storefronts/culture/products?tri=prix-croissant")
    api("get", "/api/storefronts/culture/search?q=hugo")
    api("get", "/api/storefronts")
    api("get", "/api/storefronts/culture/categories")

    added = api("post", "/api/cart/lines", {"offer_id": product["offers"][0]["id"]})
    token = added.json()["token"]
    assert added.status_code == 201 and added["X-Cart-Token"] == token
    api.headers[CART_TOKEN] = token
    # A private seller's line (its VAT exemption fields) and a trader's.
    private = next(o for o in product["offers"] if not o["seller"]["is_trader"])
    api("post", "/api/cart/lines", {"offer_id": private["id"], "quantity": 2})
    cart = api("get", "/api/cart").json()
    line_id = cart["groups"][0]["lines"][0]["id"]
    api("patch", f"/api/cart/lines/{line_id}", {"quantity": 1})
    quote = api("post", "/api/checkout/quote", {"delivery_choices": {}}).json()
    assert quote["can_order"] and any(r["exemption"] for r in quote["vat_breakdown"])

    body = {"email": "marie@example.fr", "shipping_address": ADDRESS}
    placed = api("post", "/api/checkout/orders", body, headers={IDEMPOTENCY_KEY: "contract-1"})
    assert placed.status_code == 201 and placed.json()["replayed"] is False
    again = api("post", "/api/checkout/orders", body, headers={IDEMPOTENCY_KEY: "contract-1"})
    assert again.json()["replayed"] is True
    public_id = placed.json()["public_id"]
    order = api("get", f"/api/orders/{public_id}").json()
    assert len(order["seller_orders"]) == 2 and order["vat_breakdown"]
    api("get", f"/api/orders/{public_id}/status")
    api("get", "/api/orders/")
    api("post", f"/api/payments/orders/{public_id}/pay", {"method": "transfer"})

    # The errors too: each is documented for its operation, in its published shape.
    assert api("get", "/api/orders/not-a-uuid").status_code == 422
    assert api("post", "/api/checkout/quote", raw="{oops").json()["code"] == "invalid_body"
    assert api("post", "/api/checkout/quote", raw="[null, null]").status_code == 422
    assert api("get", "/api/storefronts/culture/products/nope").status_code == 404
    assert api("delete", "/api/cart/lines/999999").status_code == 404
    conflict = api("post", "/api/checkout/orders", {**body, "email": "autre@example.fr"},
                   headers={IDEMPOTENCY_KEY: "contract-1"})  # fmt: skip
    assert conflict.status_code == 409
    missing = api("post", "/api/checkout/orders", body)
    assert missing.json()["code"] == "idempotency_key_required"
    api.headers[CART_TOKEN] = "made-up"
    assert api("get", "/api/cart").json()["code"] == "cart_not_found"


@pytest.fixture
def seller_api(mall):
    from django.contrib.auth import get_user_model

    from galerie.portal.auth import api_token_create
    from galerie.sellers.models import SellerMember, SellerRole

    user = get_user_model().objects.create_user("bouquiniste", "b@example.fr")
    member = SellerMember.objects.create(seller=mall.bouquiniste, user=user, role=SellerRole.OWNER)
    secret = api_token_create(member=member, name="contract").secret
    return Conforming(Client(HTTP_HOST="localhost"), Authorization=f"Bearer {secret}")


def test_the_seller_api_answers_what_the_document_says(mall, seller_api):
    api = seller_api
    offers = api("get", "/api/seller/offers").json()["items"]
    offer_id = offers[0]["id"]
    api("get", f"/api/seller/offers/{offer_id}")
    api("patch", f"/api/seller/offers/{offer_id}", {"stock": 7})
    assert api("patch", f"/api/seller/offers/{offer_id}", {"price": 1e30}).status_code == 422
    api("post", "/api/seller/offers", {"product_id": mall.zola.pk, "price": "24.00", "stock": 1})
    # The bulk endpoint's two 422s: its report of refused items, and a body off the schema.
    refused = api("post", "/api/seller/offers/bulk", {"items": [{"sku": "nope", "stock": 1}]})
    assert refused.status_code == 422 and refused.json()["code"] == "bulk_rows_invalid"
    off_schema = api("post", "/api/seller/offers/bulk", {"items": "x"})
    assert off_schema.status_code == 422 and off_schema.json()["code"] == "invalid_params"
    api("get", "/api/seller/orders")
    api("get", "/api/seller/statements")
    assert api("get", "/api/seller/orders/999999").status_code == 404
    api.headers["Authorization"] = "Bearer wrong"
    assert api("get", "/api/seller/offers").status_code == 401


# ------------------------------------------------------------------------------ strict bodies


def _state():
    from galerie.cart.models import CartLine
    from galerie.orders.models import Order
    from galerie.payments.models import Payment, Refund
    from galerie.sellers.models import Offer

    models = (CartLine, Order, Payment, Refund, Offer)
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("raw", ["[null, null]", '"card"', "null", "3", "true", "[]"])
def test_a_body_that_is_not_an_object_is_refused_everywhere(mall, seller_api, raw):
    """Every operation taking a body wants a JSON object; anything else is a 422 naming the body,
    before the handler runs (nothing changes)."""
    api = Conforming(
        Client(HTTP_HOST="culture.localhost"),
        **seller_api.headers,
        **{IDEMPOTENCY_KEY: "strict-1", CART_TOKEN: ""},
    )
    before = _state()
    checked = 0
    for path, method, operation in _operations(api.document):
        if "requestBody" not in operation:
            continue
        url = path.replace("{public_id}", "00000000-0000-0000-0000-000000000000")
        url = re.sub(r"\{\w+\}", "1", url)
        response = api(method, url, raw=raw)
        assert response.status_code == 422, (method, path, response.content)
        assert response.json()["errors"][0]["loc"] == ["body", "payload"]
        checked += 1
    assert checked == 19  # + a review, a return's resolution, a decision's complaint, a voucher
    assert _state() == before


def test_an_object_inside_a_body_is_an_object_too(mall, seller_api):
    api = Conforming(Client(HTTP_HOST="culture.localhost"), **{IDEMPOTENCY_KEY: "strict-2"})
    before = _state()
    body = {"email": "a@example.fr", "shipping_address": "1 rue Cuvier"}
    refused = api("post", "/api/checkout/orders", body).json()
    assert refused["errors"][0]["loc"] == ["body", "payload", "shipping_address"]
    refused = seller_api("post", "/api/seller/offers/bulk", {"items": ["A-1"]}).json()
    assert refused["code"] == "invalid_params"
    assert refused["errors"][0]["loc"] == ["body", "payload", "items", 0]
    assert _state() == before


def test_a_legitimate_empty_object_still_works(mall):
    """An operation whose body fields all have defaults takes `{}` (its body stays required)."""
    api = Conforming(Client(HTTP_HOST="culture.localhost"))
    assert api("post", "/api/checkout/quote", {}).status_code == 200
    assert api("post", "/api/checkout/quote", raw="").json()["code"] == "invalid_params"


def test_every_parameter_schema_is_written_inline():
    """A parameter whose schema is a `$ref` (a model's choices as a component) is one a client
    generator binds badly and that stops the fuzzer (schemathesis): enums are written inline."""
    schema = api.get_openapi_schema()
    refs = [
        (method, path, parameter["name"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if "$ref" in json.dumps(parameter.get("schema", {}))
    ]
    assert refs == []
