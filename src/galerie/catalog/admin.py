"""Back office for the catalogue. Saving a product re-indexes it for search."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from galerie.catalog.facets import category_facet_counts_repair
from galerie.catalog.models import Attribute, AttributeValue, Category, Product, ProductType
from galerie.core.admin import GalerieModelAdmin
from galerie.core.versions import global_bump
from galerie.media.admin import ProductImageInline, product_image_formset_save
from galerie.media.models import ProductImage
from galerie.sellers.admin import OfferAdminForm, offer_formset_save
from galerie.sellers.models import Offer


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 1
    prepopulated_fields = {"code": ["name"]}


@admin.register(ProductType)
class ProductTypeAdmin(GalerieModelAdmin):
    list_display = ["name", "slug", "tax_class", "gtin_required", "is_book"]
    list_filter = ["tax_class", "gtin_required", "is_book"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AttributeInline]


@admin.register(Category)
class CategoryAdmin(GalerieModelAdmin):
    list_display = ["indented_name", "slug", "parent", "position"]
    list_filter = ["depth"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Cached category maps and pages must see the new tree.
        transaction.on_commit(global_bump)

    @admin.display(description=_("nom"), ordering="path")
    def indented_name(self, obj):
        return ("— " * obj.depth) + obj.name


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 1
    fields = ["attribute", "value_text", "value_int", "value_decimal", "value_bool", "value_date"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "attribute":
            kwargs["queryset"] = Attribute.objects.select_related("product_type")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OfferInline(admin.TabularInline):
    model = Offer
    form = OfferAdminForm
    extra = 0
    fields = [
        "seller",
        "sku",
        "price",
        "delivery_price",
        "condition",
        "condition_note",
        "stock",
        "lead_time_days",
        "is_active",
    ]
    autocomplete_fields = ["seller"]


@admin.register(Product)
class ProductAdmin(GalerieModelAdmin):
    list_display = [  # the product type is a filter (the list fits at 1,280 px)
        "title",
        "gtin",
        "category",
        "best_price",
        "offer_count",
        "in_stock",
        "is_active",
    ]
    list_filter = ["product_type", "in_stock", "is_active", "category"]
    search_fields = ["title", "gtin", "slug"]
    search_help_text = _("Titre, GTIN (EAN/ISBN) ou identifiant.")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category"]
    readonly_fields = ["best_price", "offer_count", "in_stock", "created_at", "updated_at"]
    list_select_related = ["product_type", "category"]
    date_hierarchy = "created_at"
    inlines = [AttributeValueInline, OfferInline, ProductImageInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is Offer:
            offer_formset_save(formset, actor=request.user)  # through the offer services
        elif formset.model is ProductImage:
            product_image_formset_save(formset, product=form.instance)  # the media services
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        product_id = form.instance.pk
        transaction.on_commit(lambda: _refresh_product(product_id))


def _refresh_product(product_id: int) -> None:
    from galerie.search.services import search_index_refresh
    from galerie.sellers.services import product_offer_summary_refresh

    with transaction.atomic():  # run after the admin's commit: its own, for the row locks
        product_offer_summary_refresh(product_ids=[product_id])
        # Its category, active flag or attribute values may have changed, which the summary
        # refresh does not see: recount its category and any whose totals disagree (a move).
        category_id = Product.objects.filter(pk=product_id).values_list("category_id", flat=True)
        category_facet_counts_repair(category_ids=list(category_id))
    search_index_refresh(product_ids=[product_id])
    # Titles, images and categories show on every listing, not only in the summary.
    global_bump()
