from django.urls import path

from galerie.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
