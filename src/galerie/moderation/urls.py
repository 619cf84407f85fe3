from django.urls import path

from galerie.moderation import views

app_name = "moderation"
urlpatterns = [
    path("produit/<int:product_id>/", views.notice_view, name="notice_product"),
    path("produit/<int:product_id>/offre/<int:offer_id>/", views.notice_view, name="notice_offer"),
]
