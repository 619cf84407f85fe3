from django.urls import path

from galerie.payments import views

app_name = "payments"
urlpatterns = [
    path("passerelle/<str:token>/", views.hosted_page, name="hosted"),
    path("passerelle/<str:token>/3ds/", views.hosted_challenge, name="challenge"),
    path("webhook/", views.webhook, name="webhook"),
]
