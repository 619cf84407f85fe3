"""Back office of the ledger: everything is read-only — entries are posted by the services only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.core.money import format_money
from galerie.ledger.models import Account, Journal, JournalEntry, JournalLine, LedgerTotal


class ReadOnlyAdmin(GalerieModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Journal)
class JournalAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "last_number"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "seller",
        "debit_shown",
        "credit_shown",
        "balance_shown",
    ]
    list_filter = ["kind", "number"]
    search_fields = ["code", "name", "aux_number", "seller__name"]
    list_select_related = ["seller"]

    @admin.display(description=_("débit"), ordering="debit_total")
    def debit_shown(self, obj):
        return format_money(obj.debit_total)

    @admin.display(description=_("crédit"), ordering="credit_total")
    def credit_shown(self, obj):
        return format_money(obj.credit_total)

    @admin.display(description=_("solde (débit − crédit)"))
    def balance_shown(self, obj):
        return format_money(obj.balance)


class JournalLineInline(admin.TabularInline):
    model = JournalLine
    fields = ["account", "label", "debit", "credit", "seller", "category", "storefront"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("account", "seller", "category", "storefront")
        )


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    # Storefront: a filter; payment reference and reversed entry: on the entry's page (the list
    # fits at 1,280 px).
    list_display = ["piece_number", "date", "journal", "kind", "label", "order_ref"]
    list_filter = ["journal", "kind", "storefront"]
    search_fields = ["label", "reference", "order_ref", "idempotency_key", "=order_id"]
    date_hierarchy = "date"
    list_select_related = ["journal", "storefront", "reverses__journal"]
    inlines = [JournalLineInline]
    readonly_fields = [
        "journal",
        "number",
        "date",
        "label",
        "reference",
        "kind",
        "storefront",
        "order_id",
        "order_ref",
        "idempotency_key",
        "reverses",
        "created_at",
    ]

    @admin.display(description=_("n° de pièce"), ordering="number")
    def piece_number(self, obj):
        return obj.piece_number


@admin.register(JournalLine)
class JournalLineAdmin(ReadOnlyAdmin):
    # The storefront is a filter (the list fits at 1,280 px).
    list_display = ["entry", "date", "account", "label", "debit", "credit", "seller"]
    list_filter = ["account__kind", "entry__journal", "storefront"]
    search_fields = ["label", "account__code", "account__name", "seller__name"]
    date_hierarchy = "date"
    list_select_related = ["entry__journal", "account", "seller", "storefront"]
    raw_id_fields = ["entry", "account", "seller", "category", "storefront"]


@admin.register(LedgerTotal)
class LedgerTotalAdmin(ReadOnlyAdmin):
    list_display = ["month", "account", "storefront", "seller", "category", "debit", "credit"]
    list_filter = ["account__kind", "storefront", "account"]
    search_fields = ["account__code", "account__name", "seller__name", "category__name"]
    date_hierarchy = "month"
    list_select_related = ["account", "storefront", "seller", "category"]
