from django.urls import path

from galerie.portal import moderation_views, views

app_name = "portal"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("candidature/", views.application_view, name="apply"),
    path("compte-actif/", views.switch_view, name="switch"),
    path("offres/", views.offer_list_view, name="offers"),
    path("offres/nouvelle/", views.offer_new_view, name="offer_new"),
    path("offres/nouvelle/<int:product_id>/", views.offer_create_view, name="offer_create"),
    path("offres/import/", views.offer_bulk_view, name="offer_bulk"),
    path("offres/<int:offer_id>/", views.offer_edit_view, name="offer_edit"),
    path("offres/<int:offer_id>/desactiver/", views.offer_deactivate_view, name="offer_deactivate"),
    path("catalogue/flux/", views.feed_list_view, name="feeds"),
    path("catalogue/flux/<int:job_id>/", views.feed_detail_view, name="feed"),
    path("catalogue/flux/<int:job_id>/erreurs.csv", views.feed_errors_view, name="feed_errors"),
    path("catalogue/flux/<int:job_id>/reprendre/", views.feed_resume_view, name="feed_resume"),
    path("produits/nouveau/", views.product_create_view, name="product_create"),
    path("produits/<int:product_id>/photos/", views.product_image_view, name="product_image"),
    path("commandes/", views.order_list_view, name="orders"),
    path("commandes/<int:seller_order_id>/", views.order_detail_view, name="order"),
    path("commandes/<int:seller_order_id>/accepter/", views.order_accept_view, name="order_accept"),
    path("commandes/<int:seller_order_id>/expedier/", views.order_ship_view, name="order_ship"),
    path("commandes/<int:seller_order_id>/annuler/", views.order_cancel_view, name="order_cancel"),
    path("abonnements/numeros/", views.fulfilment_list_view, name="fulfilments"),
    path("abonnements/numeros/expedier/", views.fulfilment_ship_view, name="fulfilments_ship"),
    path("abonnements/numeros.csv", views.fulfilment_csv_view, name="fulfilments_csv"),
    path("argent/", views.money_view, name="money"),
    path("argent/releves/<str:month>/", views.statement_view, name="statement"),
    path("livraison/", views.delivery_list_view, name="delivery"),
    path("livraison/nouveau/", views.delivery_create_view, name="delivery_create"),
    path("livraison/<int:method_id>/", views.delivery_edit_view, name="delivery_edit"),
    path(
        "livraison/<int:method_id>/supprimer/",
        views.delivery_delete_view,
        name="delivery_delete",
    ),
    path("moderation/", moderation_views.decision_list_view, name="decisions"),
    path("moderation/<int:decision_id>/", moderation_views.decision_detail_view, name="decision"),
    path("jetons/", views.token_list_view, name="tokens"),
    path("jetons/<int:token_id>/revoquer/", views.token_revoke_view, name="token_revoke"),
]
