from django.urls import path

from galerie.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.return_index, name="index"),
    path("<int:line_id>/retractation/", views.withdrawal_view, name="withdraw"),
    path("<int:line_id>/garantie/", views.conformity_view, name="claim"),
]
