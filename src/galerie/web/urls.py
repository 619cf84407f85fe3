from django.urls import path

from galerie.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("p/<slug:slug>/", views.product, name="product"),
    path("recherche/", views.search, name="search"),
    path("classement/", views.ranking, name="ranking"),
    path("pages/<slug:kind>/", views.legal_page, name="legal-page"),
]
