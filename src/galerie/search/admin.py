"""Back office: the search synonyms. Every change bumps the catalogue generation so that searches
and cached pages use it at once, in every process."""

from django.contrib import admin
from django.db import transaction

from galerie.core.admin import GalerieModelAdmin
from galerie.search.models import SearchSynonym
from galerie.search.services import search_synonyms_changed


@admin.register(SearchSynonym)
class SearchSynonymAdmin(GalerieModelAdmin):
    list_display = ["terms", "updated_at"]
    search_fields = ["terms"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            search_synonyms_changed()

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            search_synonyms_changed()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            search_synonyms_changed()
