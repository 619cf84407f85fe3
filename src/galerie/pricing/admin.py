from django.contrib import admin

from galerie.core.admin import GalerieModelAdmin
from galerie.pricing.models import DeliveryMethod, TaxRate


@admin.register(TaxRate)
class TaxRateAdmin(GalerieModelAdmin):
    list_display = ("tax_class", "rate", "valid_from")
    list_filter = ("tax_class",)


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(GalerieModelAdmin):
    list_display = ("seller", "name", "kind", "fee", "fee_per_kg", "free_above", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("seller",)
    autocomplete_fields = ()
    raw_id_fields = ("seller",)
