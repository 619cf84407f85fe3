from django.urls import path

from galerie.subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("", views.subscription_list_view, name="list"),
    path("resilier/", views.terminate_choose_view, name="terminate_choose"),
    path("<uuid:public_id>/", views.subscription_detail_view, name="detail"),
    path("<uuid:public_id>/reconduction/", views.subscription_auto_renew_view, name="auto_renew"),
    path("<uuid:public_id>/resilier/", views.terminate_confirm_view, name="terminate"),
    path("<uuid:public_id>/retractation/", views.withdraw_view, name="withdraw"),
    path(
        "<uuid:public_id>/resiliation-confirmee/", views.terminate_done_view, name="terminate_done"
    ),
]
