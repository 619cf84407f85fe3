"""Back office for sellers and offers. Status changes go through the onboarding services."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.core.versions import global_bump
from galerie.inventory.services import stock_set
from galerie.sellers import onboarding
from galerie.sellers.models import (
    CommissionRule,
    Offer,
    OfferPriceChange,
    Seller,
    SellerMember,
    SellerStatusEvent,
)
from galerie.sellers.services import (
    offer_check,
    offer_publish,
    offer_sponsor_set,
    offer_update,
)

# What offer_update may change; the stock goes through the inventory (one movement per change).
OFFER_UPDATE_FIELDS = (
    "price",
    "condition",
    "condition_note",
    "delivery_price",
    "lead_time_days",
    "is_active",
    "sku",
    "purchase_cost",
)


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


class SellerAdminForm(forms.ModelForm):
    """The back office checks a seller's identifiers with the onboarding's own validators: the
    payout run pays to `iban`, the DSA identity shows `siren` and `vat_number`."""

    class Meta:
        model = Seller
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin's fieldsets choose the fields

    def clean(self):
        data = super().clean()
        names = ("siren", "vat_number", "iban", "bic")
        if not all(name in data for name in names):
            return data  # a field already refused by its own shape check
        try:
            cleaned = onboarding.seller_identifiers_clean(
                is_trader=data.get("is_trader", True),
                required=False,
                **{name: data[name] for name in names},
            )
        except onboarding.SellerApplicationError as exc:
            for name, message in exc.errors.items():
                self.add_error(name, message)
            return data
        data.update(cleaned)
        return data


@admin.register(Seller)
class SellerAdmin(GalerieModelAdmin):
    form = SellerAdminForm
    # The operator is one seller among them: a filter, not a column (the list fits at 1,280 px).
    list_display = ["name", "slug", "status", "is_trader", "siren", "created_at"]
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


class OfferAdminForm(forms.ModelForm):
    """An offer edited in the back office (its own page, or a row of a product's offers): the
    offer service's checks, loi Lang included, shown as form errors before anything is saved."""

    class Meta:
        model = Offer
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin or the inline chooses the fields

    def clean(self):
        data = super().clean()
        offer = self.instance
        if offer.pk and "seller" in self.changed_data:
            self.add_error("seller", _("Le vendeur d'une offre existante ne se change pas."))
        needed = ("price", "condition", "condition_note", "stock", "delivery_price")
        if self.errors or not all(data.get(name) is not None for name in needed):
            return data  # refused by a field's own check already
        # In a product's inline, `product` is the product being saved, with its new values.
        product = data.get("product") or getattr(offer, "product", None)
        if product is None or product.product_type_id is None:
            return data  # the product's own form reports what it lacks
        try:
            offer_check(
                product=product,
                book_law=not offer.pk or bool({"price", "condition"} & set(self.changed_data)),
                **{name: data[name] for name in needed},
            )
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


def offer_form_save(form: OfferAdminForm, *, actor) -> Offer:
    """Write a valid offer form through the services: a new offer through offer_publish, a
    change through offer_update, and the stock through inventory.stock_set (its movement row).
    Product summaries and cache versions move with them. `form.instance` becomes the saved offer."""
    data, offer = form.cleaned_data, form.instance
    if offer.pk is None:
        saved = offer_publish(
            seller=data["seller"],
            product=data["product"],
            price=data["price"],
            stock=data["stock"],
            condition=data["condition"],
            condition_note=data.get("condition_note") or "",
            delivery_price=data["delivery_price"],
            lead_time_days=data.get("lead_time_days", 2),
            sku=data.get("sku") or "",
            purchase_cost=data.get("purchase_cost"),
        )
        if not data.get("is_active", True):
            saved = offer_update(offer=saved, is_active=False)
        if data.get("is_sponsored"):
            saved = offer_sponsor_set(offer=saved, is_sponsored=True)
    else:
        changed = set(form.changed_data)
        if "stock" in changed:
            stock_set(
                offer=offer,
                stock=data["stock"],
                reason=str(_("Stock modifié dans l'administration")),
                reference="admin",
                actor=actor,
            )
        changes = {name: data[name] for name in OFFER_UPDATE_FIELDS if name in changed}
        saved = offer_update(offer=offer, **changes) if changes else offer
        if "is_sponsored" in changed:
            saved = offer_sponsor_set(offer=saved, is_sponsored=data["is_sponsored"])
    form.instance = saved
    return saved


def offer_formset_save(formset, *, actor) -> None:
    """`save_formset` for a formset of offers: each row through `offer_form_save`, deletions as
    Django does them; the lists the admin's change message reads are filled as `save()` would."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.initial_forms:
        if formset.can_delete and formset._should_delete_form(form):
            formset.deleted_objects.append(form.instance)
            formset.delete_existing(form.instance)
        elif form.has_changed():
            formset.changed_objects.append((offer_form_save(form, actor=actor), form.changed_data))
    for form in formset.extra_forms:
        if form.has_changed() and not (formset.can_delete and formset._should_delete_form(form)):
            formset.new_objects.append(offer_form_save(form, actor=actor))


@admin.register(Offer)
class OfferAdmin(GalerieModelAdmin):
    form = OfferAdminForm
    list_display = [
        "product",
        "seller",
        "price",
        "delivery_price",
        "condition",
        "stock",
        "is_active",
        "is_sponsored",
        "updated_at",
    ]
    list_filter = ["condition", "is_active", "is_sponsored", "seller"]
    search_fields = ["product__title", "product__gtin", "sku", "seller__name"]
    autocomplete_fields = ["product", "seller"]
    list_select_related = ["product", "seller"]
    date_hierarchy = "updated_at"

    def get_readonly_fields(self, request, obj=None):
        # An offer stays one seller's offer on one product (offer_update changes neither); a
        # promotion's hold is the promotions' to set (galerie.promotions).
        held = ["regular_price", "reference_price"]
        return ["product", "seller", *held] if obj is not None else held

    def save_model(self, request, obj, form, change):
        saved = offer_form_save(form, actor=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(OfferPriceChange)
class OfferPriceChangeAdmin(GalerieModelAdmin):
    """The offers' price history (Omnibus reference prices): append-only, read here only."""

    list_display = ["at", "offer", "price"]
    list_select_related = ["offer__product", "offer__seller"]
    search_fields = ["offer__product__title", "offer__sku"]
    raw_id_fields = ["offer"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommissionRule)
class CommissionRuleAdmin(GalerieModelAdmin):
    list_display = ["__str__", "storefront", "category", "rate", "fixed_fee"]
    list_filter = ["storefront"]
    autocomplete_fields = ["category"]
    list_select_related = ["storefront", "category"]
