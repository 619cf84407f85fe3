"""The JSON API: one NinjaAPI, one router per domain module."""

from ninja import NinjaAPI

api = NinjaAPI(title="Galerie API", version="1", urls_namespace="api")

from galerie.api.catalog import router as catalog_router  # noqa: E402
from galerie.api.errors import install_error_handlers  # noqa: E402

install_error_handlers(api)
api.add_router("/storefronts", catalog_router)
api.add_router("/orders", "galerie.api.orders.router")
api.add_router("/payments", "galerie.api.payments.router")
api.add_router("/cart", "galerie.api.cart.router")
api.add_router("/checkout", "galerie.api.checkout.router")
api.add_router("/seller", "galerie.api.seller.router")
