"""Back office of the reporting app: fixed costs (entered by finance, posted, never edited) and
the simulation runs. The finance dashboard (/admin/pilotage/) is mounted by the site itself
(galerie.reporting.backoffice)."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from galerie.core.admin import GalerieModelAdmin
from galerie.core.money import format_money
from galerie.reporting.models import FixedCost, FixedCostError, SimulationRun
from galerie.reporting.services import (
    fixed_cost_record,
    fixed_cost_reverse,
    fixed_cost_validate,
)


class FixedCostForm(forms.ModelForm):
    class Meta:
        model = FixedCost
        fields = ["storefront", "month", "kind", "amount", "vat", "label"]
        help_texts = {
            "month": _("Une date du mois concerné (le 1er du mois est retenu)."),
            "vat": _("TVA récupérable sur la facture (0 pour les salaires)."),
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            month, amount, vat, label = fixed_cost_validate(
                storefront=data.get("storefront"),
                month=data.get("month"),
                kind=data.get("kind"),
                amount=data.get("amount"),
                vat=data.get("vat"),
                label=data.get("label"),
            )
        except FixedCostError as exc:
            fields = {"storefront", "month", "kind", "amount", "vat", "label"}
            raise forms.ValidationError(
                {exc.field if exc.field in fields else None: exc.message}
            ) from exc
        data.update(month=month, amount=amount, vat=vat, label=label)
        return data


@admin.register(FixedCost)
class FixedCostAdmin(GalerieModelAdmin):
    form = FixedCostForm
    list_display = [
        "month_shown",
        "storefront",
        "kind",
        "label",
        "amount_shown",
        "vat_shown",
        "entry_link",
        "state",
    ]
    list_filter = ["storefront", "kind", "month"]
    search_fields = ["label"]
    date_hierarchy = "month"
    list_select_related = ["storefront", "entry__journal", "reverses"]
    readonly_fields = ["entry", "reverses", "created_by", "created_at"]
    actions = ["reverse_costs"]

    def has_change_permission(self, request, obj=None):
        # A posted cost is never edited: open it read-only, correct it with a reversal.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("mois"), ordering="month")
    def month_shown(self, obj):
        return obj.month.strftime("%m/%Y")

    @admin.display(description=_("montant HT"), ordering="amount")
    def amount_shown(self, obj):
        return format_money(obj.amount)

    @admin.display(description=_("TVA"))
    def vat_shown(self, obj):
        return format_money(obj.vat)

    @admin.display(description=_("écriture"))
    def entry_link(self, obj):
        url = reverse("admin:ledger_journalentry_change", args=[obj.entry_id])
        return format_html('<a href="{}">{}</a>', url, obj.entry.piece_number)

    @admin.display(description=pgettext_lazy("fixed cost", "état"))
    def state(self, obj):
        if obj.reverses_id:
            return _("annulation")
        return pgettext_lazy("fixed cost", "annulé") if obj.is_reversed else _("comptabilisé")

    def save_model(self, request, obj, form, change):
        cost = fixed_cost_record(
            storefront=form.cleaned_data["storefront"],
            month=form.cleaned_data["month"],
            kind=form.cleaned_data["kind"],
            amount=form.cleaned_data["amount"],
            vat=form.cleaned_data["vat"],
            label=form.cleaned_data["label"],
            actor=request.user,
        )
        # The admin logs and redirects with `obj`: point it at the row the service wrote.
        obj.pk, obj.public_id, obj.entry = cost.pk, cost.public_id, cost.entry
        obj._state.adding = False

    # Reversing posts a new (contra) entry: the right to record a cost, not to edit one.
    @admin.action(
        description=_("Annuler les coûts sélectionnés (contre-passation)"), permissions=["add"]
    )
    def reverse_costs(self, request, queryset):
        done = 0
        for cost in queryset.order_by("pk"):
            try:
                fixed_cost_reverse(
                    cost=cost, reason=_("annulé depuis le back office"), actor=request.user
                )
                done += 1
            except FixedCostError as exc:
                self.message_user(request, f"{cost} : {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, _("%d coût(s) annulé(s) par contre-passation.") % done)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "pilotage_url": reverse("admin:pilotage:dashboard"),
        }
        return super().changelist_view(request, extra_context)


@admin.register(SimulationRun)
class SimulationRunAdmin(GalerieModelAdmin):
    """Progress of `galerie simulate` (the demo runs it in the background): read-only."""

    list_display = [
        "started_at",
        "months",
        "seed",
        "orders_placed",
        "simulated_until",
        "finished_at",
        "error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
