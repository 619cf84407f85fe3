"""The published OpenAPI document tells the truth: the headers each operation reads, the statuses
and bodies it answers, unique schema names and operationIds, strict bodies."""

import inspect
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
    assert readers == 8


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
    assert len(carts) == 6 and all(_header(op, CART_TOKEN)["required"] is False for op in carts)
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
    bodies = {"/api/cart/lines": {"offer_id": 1}, "/api/checkout/quote": {}}
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
        url = re.sub(r"\{line_id\}", "1", path).replace(
            "{public_id}", "00000000-0000-0000-0000-000000000000"
        )
        body = {"offer_id": 1, "quantity": 1, "shipping_address": {}}
        response = getattr(client, method)(
            url, body, content_type="application/json", headers={IDEMPOTENCY_KEY: "k2"}
        )
        assert response.status_code == 403, (method, path, response.content)
        assert response.json()["code"] == "csrf_failed"
        checked += 1
    assert checked == 5


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
        url = path.replace("{public_id}", "00000000-0000-0000-0000-000000000000")
        body = {"shipping_address": {}}
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 400, (method, path, response.content)
        assert response.json()["code"] == "idempotency_key_required"
        assert "Idempotency-Key" in response.json()["message"]
        checked += 1
    assert checked == 2
