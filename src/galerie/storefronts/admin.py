from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.storefronts.models import Storefront, StorefrontHost, StorefrontPage
from galerie.storefronts.selectors import storefront_cache_clear


class StorefrontHostInline(admin.TabularInline):
    model = StorefrontHost
    extra = 1


class StorefrontPageInline(admin.StackedInline):
    """Legal pages (mentions légales, CGV…): saved with the storefront, whose cache is then
    dropped so that the footer and the pages show the change."""

    model = StorefrontPage
    extra = 0
    fields = ["kind", "title", "body"]


@admin.register(Storefront)
class StorefrontAdmin(GalerieModelAdmin):
    list_display = ["name", "slug", "language", "is_active", "show_out_of_stock"]
    list_filter = ["is_active", "language"]
    search_fields = ["name", "slug", "hosts__hostname"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["categories"]
    inlines = [StorefrontHostInline, StorefrontPageInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Hosts, legal pages and assortment are cached: drop the storefront's cache and pages.
        storefront_id = form.instance.pk
        transaction.on_commit(lambda: storefront_cache_clear(storefront_id=storefront_id))

    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "language", "is_active"]}),
        (_("Image de marque"), {"fields": ["logo_text", "primary_color", "accent_color"]}),
        (_("Assortiment"), {"fields": ["categories", "show_out_of_stock"]}),
    ]
