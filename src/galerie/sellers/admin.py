from django.contrib import admin
from django.db import transaction

from galerie.sellers.models import Offer, Seller
from galerie.sellers.services import product_offer_summary_refresh


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status", "is_operator", "is_trader", "email"]
    list_filter = ["status", "is_operator", "is_trader"]
    search_fields = ["name", "legal_name", "slug", "siren", "email"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = [
        "product",
        "seller",
        "price",
        "delivery_price",
        "condition",
        "stock",
        "is_active",
        "updated_at",
    ]
    list_filter = ["condition", "is_active", "seller"]
    search_fields = ["product__title", "product__gtin", "sku", "seller__name"]
    autocomplete_fields = ["product", "seller"]
    list_select_related = ["product", "seller"]
    date_hierarchy = "updated_at"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        product_id = obj.product_id
        transaction.on_commit(lambda: product_offer_summary_refresh(product_ids=[product_id]))
