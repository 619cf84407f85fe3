"""Carts in the back office: read-only, for customer service ("what is in my cart?")."""

from django.contrib import admin

from galerie.cart.models import Cart, CartLine
from galerie.core.admin import GalerieModelAdmin


class CartLineInline(admin.TabularInline):
    model = CartLine
    fields = ("offer", "quantity", "unit_price_at_add", "updated_at")
    readonly_fields = fields
    raw_id_fields = ("offer",)
    extra = 0
    can_delete = False


@admin.register(Cart)
class CartAdmin(GalerieModelAdmin):
    list_display = ("pk", "storefront", "user", "updated_at")
    list_filter = ("storefront",)
    search_fields = ("user__email",)
    list_select_related = ("storefront", "user")
    fields = ("storefront", "user", "created_at", "updated_at")
    readonly_fields = fields
    inlines = [CartLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
