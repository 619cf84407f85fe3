from django.contrib import admin
from django.urls import include, path

from galerie.accounts.views import admin_login_view
from galerie.api.urls import api
from galerie.privacy.views import cookie_preferences_view

urlpatterns = [
    path("admin/login/", admin_login_view),  # admin.site.login, answering 429 when throttled
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("compte/abonnements/", include("galerie.subscriptions.urls")),
    path("compte/donnees/", include("galerie.privacy.urls")),
    path("cookies/", cookie_preferences_view, name="cookie_preferences"),
    path("compte/", include("galerie.accounts.urls")),
    path("panier/", include("galerie.cart.urls")),
    path("commande/", include("galerie.checkout.urls")),
    path("commandes/<uuid:public_id>/retours/", include("galerie.returns.urls")),
    path("commandes/", include("galerie.orders.urls")),
    path("commandes/", include("galerie.invoicing.urls")),
    path("paiement/", include("galerie.payments.urls")),
    path("signalement/", include("galerie.moderation.urls")),
    path("vendeur/", include("galerie.portal.urls")),
    path("media/", include("galerie.media.urls")),
    path("avis/", include("galerie.reviews.urls")),
    path("", include("galerie.web.urls")),
]

handler404 = "galerie.web.views.page_not_found"
handler500 = "galerie.web.views.server_error"
