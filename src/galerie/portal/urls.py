from django.urls import path

from galerie.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("candidature/", views.application_view, name="apply"),
]
