"""Back office for sellers and offers. Status changes go through the onboarding services."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from galerie.core.errors import DomainError
from galerie.core.versions import global_bump
from galerie.sellers import onboarding
from galerie.sellers.models import (
    CommissionRule,
    Offer,
    Seller,
    SellerMember,
    SellerStatusEvent,
)
from galerie.sellers.services import product_offer_summary_refresh


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}))


class SellerStatusEventInline(admin.TabularInline):
    model = SellerStatusEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "from_status", "to_status", "reason", "actor"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class SellerMemberInline(admin.TabularInline):
    model = SellerMember
    extra = 0
    autocomplete_fields = ["user"]


def _status_action(service, label: str, *, needs_reason: bool):
    def action(modeladmin, request, queryset):
        reason = ""
        if needs_reason:
            form = ReasonForm(request.POST if "apply" in request.POST else None)
            if not form.is_valid():
                return render(
                    request,
                    "admin/sellers/reason.html",
                    {
                        **modeladmin.admin_site.each_context(request),
                        "title": label,
                        "form": form,
                        "queryset": queryset,
                        "action": request.POST["action"],
                        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    },
                )
            reason = form.cleaned_data["reason"]
        done = 0
        for seller in queryset:
            try:
                service(seller=seller, actor=request.user, reason=reason)
                done += 1
            except DomainError as exc:
                modeladmin.message_user(
                    request,
                    _("%(seller)s : %(error)s") % {"seller": seller, "error": exc.message},
                    messages.ERROR,
                )
        if done:
            modeladmin.message_user(
                request,
                ngettext("%(action)s : %(n)d vendeur.", "%(action)s : %(n)d vendeurs.", done)
                % {"action": label, "n": done},
                messages.SUCCESS,
            )
        return None

    action.__name__ = service.__name__
    return admin.action(description=label, permissions=["verify"])(action)


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status", "is_operator", "is_trader", "siren", "created_at"]
    list_filter = ["status", "is_operator", "is_trader", "legal_form"]
    search_fields = ["name", "legal_name", "slug", "siren", "vat_number", "email"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "status_reason",
        "compliance_certified_at",
        "relationship_ended_at",
        "anonymized_at",
        "created_at",
        "updated_at",
    ]
    inlines = [SellerMemberInline, SellerStatusEventInline]
    actions = [
        _status_action(
            onboarding.seller_verify, _("Vérifier (autoriser à vendre)"), needs_reason=False
        ),
        _status_action(onboarding.seller_suspend, _("Suspendre"), needs_reason=True),
        _status_action(onboarding.seller_reject, _("Refuser la candidature"), needs_reason=True),
        _status_action(onboarding.seller_close, _("Mettre fin à la relation"), needs_reason=True),
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_operator", "status", "status_reason"]}),
        (
            _("Identité (DSA, art. 30)"),
            {
                "fields": [
                    "legal_name",
                    "legal_form",
                    "is_trader",
                    "siren",
                    "vat_number",
                    "address",
                    "email",
                    "phone",
                    "identity_document_ref",
                    "compliance_certified_at",
                ]
            },
        ),
        (_("Versements"), {"fields": ["iban", "bic"]}),
        (
            _("Conservation des données"),
            {"fields": ["relationship_ended_at", "anonymized_at", "created_at", "updated_at"]},
        ),
    ]

    def has_verify_permission(self, request):
        return request.user.has_perm("sellers.verify")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A seller's name and identity show on product pages and in the seller filter.
        global_bump()


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


@admin.register(CommissionRule)
class CommissionRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "storefront", "category", "rate", "fixed_fee"]
    list_filter = ["storefront"]
    autocomplete_fields = ["category"]
    list_select_related = ["storefront", "category"]
