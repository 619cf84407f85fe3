from django.urls import path

from galerie.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.data_home_view, name="home"),
    path("telecharger/", views.data_export_view, name="export"),
    path("supprimer/", views.account_erase_view, name="erase"),
]
