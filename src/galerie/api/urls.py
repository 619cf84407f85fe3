"""The JSON API: one NinjaAPI, one router per domain module."""

from galerie.api.openapi import GalerieAPI

DESCRIPTION = """API JSON de Galerie : catalogue, panier, commande, paiement, et l'API vendeur.

**Erreurs.** Toute erreur répond en JSON `{"code", "message"}` avec le bon statut : `code` est
stable (pour les programmes), `message` est pour les personnes ; `field` nomme le champ en cause
quand il y en a un. Un paramètre ou un corps qui ne respecte pas le schéma répond 422
`invalid_params` avec `errors` (une entrée par valeur : `loc`, `msg`, `type`) ; un corps qui
n'est pas du JSON répond 400 `invalid_body`. Les corps sont des objets JSON.

**En-têtes.** `X-Cart-Token` désigne le panier d'un client sans cookie (renvoyé par le premier
ajout) ; `Idempotency-Key` est obligatoire pour passer commande et rembourser (la même clé
rejoue la même réponse, avec `replayed: true`) ; l'API vendeur prend
`Authorization: Bearer <jeton>`.
"""

api = GalerieAPI(title="Galerie API", version="1", description=DESCRIPTION, urls_namespace="api")

from galerie.api.catalog import router as catalog_router  # noqa: E402
from galerie.api.errors import install_error_handlers  # noqa: E402

install_error_handlers(api)
api.add_router("/storefronts", catalog_router)
api.add_router("/storefronts", "galerie.api.reviews.router")
api.add_router("/orders", "galerie.api.orders.router")
api.add_router("/payments", "galerie.api.payments.router")
api.add_router("/cart", "galerie.api.cart.router")
api.add_router("/checkout", "galerie.api.checkout.router")
api.add_router("/seller", "galerie.api.seller.router")
api.add_router("/seller/fulfilments", "galerie.api.subscriptions.seller_router")
api.add_router("/seller/returns", "galerie.api.returns.seller_router")
api.add_router("/subscriptions", "galerie.api.subscriptions.router")
