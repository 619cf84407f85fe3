from django.urls import path

from galerie.cart import views

app_name = "cart"
urlpatterns = [
    path("", views.cart_view, name="detail"),
    path("ajouter/", views.cart_add_view, name="add"),
    path("lignes/<int:line_id>/", views.cart_line_update_view, name="line_update"),
    path(
        "lignes/<int:line_id>/reconduction/",
        views.cart_line_details_view,
        name="line_details",
    ),
    path("lignes/<int:line_id>/supprimer/", views.cart_line_remove_view, name="line_remove"),
    path("bon/", views.cart_voucher_view, name="voucher"),
    path("bon/retirer/", views.cart_voucher_remove_view, name="voucher_remove"),
]
