"""Back office for promotions (catalogue role). Saving goes through promotions.services, which
applies the promotions at once; the offers' price history is read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from galerie.core.admin import GalerieModelAdmin
from galerie.promotions.errors import PromotionError
from galerie.promotions.models import Promotion, Voucher, VoucherRedemption
from galerie.promotions.services import promotion_book_warning, promotion_check, promotion_save
from galerie.promotions.vouchers import voucher_normalize, voucher_save


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


class VoucherForm(forms.ModelForm):
    class Meta:
        model = Voucher
        fields = [
            "code",
            "kind",
            "value",
            "min_basket",
            "starts_at",
            "ends_at",
            "seller",
            "storefront",
            "max_uses",
            "max_uses_per_customer",
            "is_active",
        ]

    def clean_code(self):
        # Checked in capitals, as saved: « bienvenue » and « BIENVENUE » are the same code.
        return voucher_normalize(self.cleaned_data["code"])


@admin.register(Voucher)
class VoucherAdmin(GalerieModelAdmin):
    form = VoucherForm
    list_display = ["code", "kind", "value", "seller", "starts_at", "ends_at", "uses", "is_active"]
    list_filter = ["is_active", "kind"]
    search_fields = ["code"]
    autocomplete_fields = ["seller", "storefront"]
    readonly_fields = ["uses"]

    def has_delete_permission(self, request, obj=None):
        return False  # its redemptions point at it; switch it off instead

    def save_model(self, request, obj, form, change):
        voucher_save(voucher=obj)


@admin.register(VoucherRedemption)
class VoucherRedemptionAdmin(GalerieModelAdmin):
    """Who used which voucher on which order: written with the order, read here only."""

    list_display = ["created_at", "voucher", "order", "email", "amount"]
    list_select_related = ["voucher", "order"]
    search_fields = ["voucher__code", "email"]
    raw_id_fields = ["voucher", "order"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
