"""Back office for orders: read-mostly; every state change goes through the services."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.orders.models import Order, OrderEvent, OrderLine, SellerOrder
from galerie.orders.services import seller_order_accept, seller_order_deliver
from galerie.payments.refunds import order_cancel, order_refund, orders_release_expired


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = (
        "title",
        "gtin",
        "seller_name",
        "unit_price",
        "quantity",
        "vat_rate",
        "vat_amount",
        "line_total",
        "refunded_quantity",
        "category",
        "commission_rate",
        "commission_fixed_fee",
        "commission_amount",
        "purchase_cost",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class SellerOrderInline(admin.TabularInline):
    model = SellerOrder
    extra = 0
    can_delete = False
    fields = (
        "seller_name",
        "status",
        "delivery_label",
        "delivery_fee",
        "delivery_refunded",
        "total",
        "carrier",
        "tracking_number",
    )
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor_label", "seller_order", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, func, done):
    ok = 0
    for obj in queryset:
        try:
            func(obj)
            ok += 1
        except DomainError as exc:
            modeladmin.message_user(
                request,
                _("%(obj)s : %(error)s") % {"obj": obj, "error": exc.message},
                messages.ERROR,
            )
    if ok:
        modeladmin.message_user(request, done % {"n": ok}, messages.SUCCESS)


@admin.register(Order)
class OrderAdmin(GalerieModelAdmin):
    list_display = (
        "number",
        "created_at",
        "storefront",
        "email_shown",
        "status",
        "total",
    )  # what was refunded: on the order's page (the list fits at 1,280 px)
    list_filter = ("status", "storefront")
    search_fields = ("email", "public_id", "idempotency_key", "source_number")
    list_select_related = ("storefront",)
    readonly_fields = [f.name for f in Order._meta.fields]
    inlines = [SellerOrderInline, OrderLineInline, OrderEventInline]
    actions = ["cancel_orders", "refund_in_full", "release_expired"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("numéro"), ordering="pk")
    def number(self, obj):
        return obj.number

    @admin.display(description=_("e-mail"), ordering="email")
    def email_shown(self, obj):
        # A long address may wrap after its "@", never in the middle of a name.
        local, at, domain = obj.email.rpartition("@")
        return format_html("{}{}<wbr>{}", local, at, domain) if at else obj.email

    # The custom permissions of Order.Meta, named by the actions' `permissions=`.
    def has_cancel_permission(self, request):
        return request.user.has_perm("orders.cancel")

    def has_refund_permission(self, request):
        return request.user.has_perm("orders.refund")

    @admin.action(
        description=_("Annuler (avant expédition, remboursement si payée)"), permissions=["cancel"]
    )
    def cancel_orders(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda o: order_cancel(order=o, actor=request.user, reason="Annulée par l'opérateur"),
            _("%(n)d commande(s) annulée(s)."),
        )

    @admin.action(
        description=_("Rembourser intégralement (commandes payées)"), permissions=["refund"]
    )
    def refund_in_full(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda o: order_refund(
                order=o,
                idempotency_key=f"admin-full-{o.pk}",
                actor=request.user,
                reason="Remboursement par l'opérateur",
            ),
            _("%(n)d commande(s) remboursée(s)."),
        )

    # Expiring an unpaid order cancels it: the same right as cancelling one.
    @admin.action(
        description=_("Libérer le stock des commandes non payées expirées"), permissions=["cancel"]
    )
    def release_expired(self, request, queryset):
        count = orders_release_expired()
        self.message_user(
            request, _("%(n)d commande(s) expirée(s).") % {"n": count}, messages.SUCCESS
        )


@admin.register(SellerOrder)
class SellerOrderAdmin(GalerieModelAdmin):
    list_display = ("__str__", "seller", "status", "total", "carrier", "tracking_number")
    list_filter = ("status",)
    search_fields = ("order__email", "tracking_number", "seller__name")
    list_select_related = ("order", "seller")
    readonly_fields = [f.name for f in SellerOrder._meta.fields]
    inlines = [OrderLineInline]
    actions = ["accept", "deliver"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Accepter"), permissions=["change"])
    def accept(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda so: seller_order_accept(seller_order=so, actor=request.user),
            _("%(n)d sous-commande(s) acceptée(s)."),
        )

    @admin.action(description=_("Marquer livrée"), permissions=["change"])
    def deliver(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda so: seller_order_deliver(seller_order=so, actor=request.user),
            _("%(n)d sous-commande(s) livrée(s)."),
        )
