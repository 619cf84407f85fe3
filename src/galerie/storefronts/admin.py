from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.storefronts.models import (
    Storefront,
    StorefrontHost,
    StorefrontPage,
    StorefrontPageKind,
)
from galerie.storefronts.selectors import storefront_cache_clear
from galerie.storefronts.services import storefront_pages_create_defaults


class StorefrontHostInline(admin.TabularInline):
    model = StorefrontHost
    extra = 1


class StorefrontPageInline(admin.StackedInline):
    """Trust pages (mentions légales, CGV, contact…) in Markdown: saved with the storefront, whose
    cache is then dropped so that the pages show the change. Saving the storefront gives it every
    page it lacks, with its default text: deleting a page here starts it again from the default."""

    model = StorefrontPage
    extra = 0
    max_num = len(StorefrontPageKind.values)
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
        # Every page exists to be edited: a new storefront's, one added since (an older
        # storefront's contact page), one deleted here to start again from the default text.
        if not change or request.user.has_perm("storefronts.add_storefrontpage"):
            storefront_pages_create_defaults(storefront=form.instance)
        # Hosts, legal pages and assortment are cached: drop the storefront's cache and pages.
        storefront_id = form.instance.pk
        transaction.on_commit(lambda: storefront_cache_clear(storefront_id=storefront_id))

    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "language", "is_active"]}),
        (_("Image de marque"), {"fields": ["logo_text", "primary_color", "accent_color"]}),
        (_("Assortiment"), {"fields": ["categories", "show_out_of_stock"]}),
    ]
    detached_fieldset = (
        _("Cession"),
        {"fields": ["detached_at", "successor_name", "successor_url", "cutoff_date"]},
    )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.is_detached:
            return [*self.fieldsets, self.detached_fieldset]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_detached:
            # A sold storefront stays closed (`galerie detach-storefront`; a database check too).
            readonly += ["is_active", *self.detached_fieldset[1]["fields"]]
        return readonly
