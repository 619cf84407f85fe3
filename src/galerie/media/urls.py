from django.urls import re_path

from galerie.media import views

app_name = "media"
urlpatterns = [
    re_path(
        r"^(?P<digest>[0-9a-f]{64})-(?P<width>[0-9]{2,4})\.webp$",
        views.thumbnail,
        name="thumbnail",
    ),
]
