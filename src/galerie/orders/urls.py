from django.urls import path

from galerie.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_history, name="history"),
    path("<uuid:public_id>/", views.order_detail, name="detail"),
    path("<uuid:public_id>/payer/", views.order_pay, name="pay"),
    path("<uuid:public_id>/annuler/", views.order_cancel_view, name="cancel"),
    path(
        "<uuid:public_id>/voyages/<int:booking_id>/annuler/",
        views.order_trip_cancel,
        name="trip_cancel",
    ),
]
