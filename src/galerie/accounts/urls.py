from django.urls import path

from galerie.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("connexion/", views.login_view, name="login"),
    path("inscription/", views.register_view, name="register"),
    path("activer/<uidb64>/<token>/", views.activate_view, name="activate"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("adresses/", views.address_list_view, name="addresses"),
    path("adresses/nouvelle/", views.address_edit_view, name="address_add"),
    path("adresses/<int:pk>/", views.address_edit_view, name="address_edit"),
    path("adresses/<int:pk>/supprimer/", views.address_delete_view, name="address_delete"),
    path("cartes/", views.card_list_view, name="cards"),
    path("cartes/<int:pk>/supprimer/", views.card_delete_view, name="card_delete"),
    path("mot-de-passe/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
