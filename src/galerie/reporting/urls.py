"""URLs of the finance dashboard, mounted under /admin/pilotage/ by galerie.reporting.admin."""

from django.contrib import admin
from django.urls import path

from galerie.reporting import views

app_name = "pilotage"

urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="dashboard"),
]
