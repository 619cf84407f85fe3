from django.urls import path

from galerie.checkout import views

app_name = "checkout"
urlpatterns = [
    path("", views.address_view, name="address"),
    path("voyageurs/", views.travellers_view, name="travellers"),
    path("livraison/", views.delivery_view, name="delivery"),
    path("recapitulatif/", views.recap_view, name="recap"),
    path("valider/", views.place_view, name="place"),
]
