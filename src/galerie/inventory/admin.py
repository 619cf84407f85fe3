from django.contrib import admin

from galerie.core.admin import GalerieModelAdmin
from galerie.inventory.models import StockMovement


@admin.register(StockMovement)
class StockMovementAdmin(GalerieModelAdmin):
    list_display = ("created_at", "offer", "kind", "delta", "stock_after", "reason", "reference")
    list_filter = ("kind",)
    search_fields = ("reference", "reason")
    list_select_related = ("offer__product", "offer__seller")
    raw_id_fields = ("offer", "actor")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
