from django.urls import path

from galerie.reviews import views

app_name = "reviews"
urlpatterns = [
    path("politique/", views.policy, name="policy"),
    path("<slug:slug>/", views.review_write, name="write"),
]
