"""Back office for promotions (catalogue role). Saving goes through promotions.services, which
applies the promotions at once; the offers' price history is read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from galerie.core.admin import GalerieModelAdmin
from galerie.promotions.errors import PromotionError
from galerie.promotions.models import Promotion
from galerie.promotions.services import promotion_book_warning, promotion_check, promotion_save


class PromotionForm(forms.ModelForm):
    class Meta:
        model = Promotion
        fields = [
            "name",
            "kind",
            "value",
            "starts_at",
            "ends_at",
            "storefront",
            "category",
            "seller",
            "offer",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        candidate = Promotion(**{name: data.get(name) for name in self.Meta.fields})
        try:
            promotion_check(promotion=candidate)
        except PromotionError as exc:
            raise ValidationError({exc.field: exc.message} if exc.field else exc.message) from None
        return data


@admin.register(Promotion)
class PromotionAdmin(GalerieModelAdmin):
    form = PromotionForm
    list_display = ["name", "kind", "value", "starts_at", "ends_at", "is_active"]
    list_filter = ["is_active", "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["storefront", "category", "seller", "offer"]
    date_hierarchy = "starts_at"

    def has_delete_permission(self, request, obj=None):
        # Ending a promotion restores prices: untick « active » (saved through the service).
        return False

    def save_model(self, request, obj, form, change):
        promotion_save(promotion=obj)
        warning = promotion_book_warning(obj)
        if warning:
            self.message_user(request, warning, messages.WARNING)
