"""The request headers the API reads itself, declared once for the OpenAPI document.

Handlers read these headers by hand (`request.headers`), so that a missing Idempotency-Key keeps
its own clear error (400 idempotency_key_required) instead of a generic validation 422; the
document still says which operation reads which header and whether it is required. Use
`openapi_extra=headers_read(...)` on the operation that reads them.
"""

from django.utils.translation import gettext as _

from galerie.core.errors import DomainError
from galerie.orders.models import Order
from galerie.storefronts.listing import strip_control

IDEMPOTENCY_KEY = "Idempotency-Key"
CART_TOKEN = "X-Cart-Token"  # noqa: S105 (a header name)
CSRF_TOKEN = "X-CSRFToken"  # noqa: S105 (a header name)

# The key's limits are the column's (orders and refunds hold it in a 128-character unique
# column); the services strip it, so it must hold at least one non-space character.
IDEMPOTENCY_KEY_MAX = Order._meta.get_field("idempotency_key").max_length

_PARAMETERS = {
    IDEMPOTENCY_KEY: {
        "required": True,
        "description": (
            "Clé choisie par le client (1 à 128 caractères) : la même clé et le même corps "
            "rejouent la première réponse (replayed: true) ; la même clé avec un autre corps "
            "répond 409 idempotency_conflict. Absente : 400 idempotency_key_required."
        ),
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": IDEMPOTENCY_KEY_MAX,
            "pattern": r"\S",
        },
    },
    CART_TOKEN: {
        "required": False,
        "description": (
            "Le panier d'un client sans cookie de session, renvoyé par le premier ajout "
            "(POST /api/cart/lines). Inconnu ou d'une autre boutique : 404 cart_not_found. "
            "Absent : le panier de la session (cookie), avec la vérification CSRF."
        ),
        "schema": {"type": "string"},
    },
    CSRF_TOKEN: {
        "required": False,
        "description": (
            "Jeton CSRF (cookie csrftoken), exigé lorsqu'un changement n'est authentifié que "
            "par le cookie de session : sans lui, 403 csrf_failed."
        ),
        "schema": {"type": "string"},
    },
}


def idempotency_key(request) -> str:
    """The request's Idempotency-Key, stripped ("" when absent: the operation says it is needed).
    A control character is refused: PostgreSQL cannot store NUL (it was a 500 there)."""
    key = request.headers.get(IDEMPOTENCY_KEY, "").strip()
    if strip_control(key) != key:
        raise DomainError(
            _("L'en-tête Idempotency-Key ne peut pas contenir de caractère de contrôle."),
            code="invalid_idempotency_key",
        )
    return key


def headers_read(*names: str) -> dict:
    """`openapi_extra` declaring the request headers `names` that one operation reads."""
    return {"parameters": [{"in": "header", "name": n, **_PARAMETERS[n]} for n in names]}
