"""Back office for payments: the operator marks bank transfers received here."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.payments.models import Payment, Refund, WebhookEvent
from galerie.payments.services import payment_transfer_mark_received


@admin.register(Payment)
class PaymentAdmin(GalerieModelAdmin):
    list_display = (
        "created_at",
        "order",
        "method",
        "status",
        "amount",
        "refunded_amount",
        "bank_reference",
    )
    list_filter = ("method", "status")
    search_fields = ("bank_reference", "provider_ref", "order__email")
    list_select_related = ("order",)
    readonly_fields = [f.name for f in Payment._meta.fields]
    actions = ["transfer_received"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_confirm_transfer_permission(self, request):
        return request.user.has_perm("payments.confirm_transfer")

    @admin.action(
        description=_("Virement reçu : marquer la commande payée"),
        permissions=["confirm_transfer"],
    )
    def transfer_received(self, request, queryset):
        done = 0
        for payment in queryset:
            try:
                payment_transfer_mark_received(payment=payment, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(
                    request, f"{payment.bank_reference or payment}: {exc.message}", messages.ERROR
                )
        if done:
            self.message_user(
                request, _("%(n)d virement(s) encaissé(s).") % {"n": done}, messages.SUCCESS
            )


@admin.register(Refund)
class RefundAdmin(GalerieModelAdmin):
    list_display = ("created_at", "order", "amount", "status", "reason")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Refund._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(GalerieModelAdmin):
    list_display = ("received_at", "event_id", "type")
    search_fields = ("event_id",)
    readonly_fields = ("event_id", "type", "payload", "received_at")

    def has_add_permission(self, request):
        return False
