from django.contrib import admin

from galerie.storefronts.models import Storefront, StorefrontHost


class StorefrontHostInline(admin.TabularInline):
    model = StorefrontHost
    extra = 1


@admin.register(Storefront)
class StorefrontAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "is_active", "show_out_of_stock"]
    list_filter = ["is_active", "language"]
    search_fields = ["name", "slug", "hosts__hostname"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["categories"]
    inlines = [StorefrontHostInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "language", "is_active"]}),
        ("Image de marque", {"fields": ["logo_text", "primary_color", "accent_color"]}),
        ("Assortiment", {"fields": ["categories", "show_out_of_stock"]}),
    ]
