"""Back office of trips: bookings, and their cancellation under the package's fee schedule."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.payments.cancellations import travel_booking_cancel
from galerie.travel.models import Booking


@admin.register(Booking)
class BookingAdmin(GalerieModelAdmin):
    list_display = ["pk", "departure", "adults", "children", "status", "cancelled_at", "fee"]
    list_filter = ["status"]
    list_select_related = ("departure__offer__product", "order_line")
    readonly_fields = [f.name for f in Booking._meta.fields]
    actions = ["cancel_under_schedule"]
    search_fields = ["order_line__order__email", "departure__offer__product__title"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("frais d'annulation"), ordering="cancellation_fee")
    def fee(self, obj):
        return obj.cancellation_fee

    # Cancelling refunds money: the right to refund orders (orders.refund, core/roles.py).
    def has_refund_permission(self, request):
        return request.user.has_perm("orders.refund")

    @admin.action(
        description=gettext_lazy("Annuler selon le barème (frais retenus, reste remboursé)"),
        permissions=["refund"],
    )
    def cancel_under_schedule(self, request, queryset):
        done = 0
        for booking in queryset.order_by("pk"):
            try:
                travel_booking_cancel(
                    booking=booking,
                    actor=request.user,
                    idempotency_key=f"admin-trip-cancel-{booking.pk}",
                )
            except DomainError as exc:
                self.message_user(request, f"{booking} : {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(n)d voyage(s) annulé(s) selon le barème.") % {"n": done}
            )
