"""Back office for press subscriptions: plans edited with the model's own checks, subscriptions
read-only with their terms and issues; « Résilier » and « Rétractation » run the customer's own
services (payments.refunds: subscription_terminate_or_refund, subscription_withdraw)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.payments.refunds import subscription_terminate_or_refund, subscription_withdraw
from galerie.subscriptions.models import (
    IssueFulfilment,
    RenewalAttempt,
    Subscription,
    SubscriptionPlan,
    SubscriptionTerm,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TermInline(ReadOnlyInline):
    model = SubscriptionTerm
    fields = ("number", "starts_on", "ends_on", "status", "order_line")
    readonly_fields = fields


class FulfilmentInline(ReadOnlyInline):
    model = IssueFulfilment
    fields = ("issue_date", "term_number", "status", "shipped_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("term")

    @admin.display(description=_("période n°"))
    def term_number(self, obj):
        return obj.term.number


class AttemptInline(ReadOnlyInline):
    model = RenewalAttempt
    fields = ("number", "outcome", "code", "created_at")
    readonly_fields = fields


@admin.register(SubscriptionPlan)
class SubscriptionPlanAdmin(GalerieModelAdmin):
    # A ModelForm validates the model's CheckConstraints (issues per year, 3/6/12 months).
    list_display = ("publication", "offer", "issues_per_year", "term_months", "medium")
    list_filter = ("term_months", "medium")
    search_fields = ("publication", "offer__product__title", "offer__seller__name")
    autocomplete_fields = ("offer",)
    list_select_related = ("offer__product", "offer__seller")


@admin.register(Subscription)
class SubscriptionAdmin(GalerieModelAdmin):
    list_display = ("public_id", "plan", "seller", "email", "status", "ends_on", "auto_renew")
    list_filter = ("status", "seller", "plan", "auto_renew")
    search_fields = ("email", "public_id", "plan__publication")
    list_select_related = ("plan", "seller")
    readonly_fields = [f.name for f in Subscription._meta.fields]
    inlines = [TermInline, FulfilmentInline]
    actions = ["terminate", "withdraw"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_terminate_permission(self, request):
        return request.user.has_perm("subscriptions.terminate")

    @admin.action(
        description=_("Résilier (fin de la période payée, confirmation par e-mail)"),
        permissions=["terminate"],
    )
    def terminate(self, request, queryset):
        done = 0
        for subscription in queryset:
            try:
                subscription_terminate_or_refund(subscription=subscription, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(
                    request,
                    _("%(obj)s : %(error)s") % {"obj": subscription, "error": exc.message},
                    messages.ERROR,
                )
        if done:
            self.message_user(
                request, _("%(n)d abonnement(s) résilié(s).") % {"n": done}, messages.SUCCESS
            )

    def has_refund_permission(self, request):
        # A withdrawal refunds: the same right as the orders' refunds (core/roles.py).
        return request.user.has_perm("orders.refund")

    @admin.action(
        description=_("Rétractation (14 jours)"),
        permissions=["refund"],
    )
    def withdraw(self, request, queryset):
        done = 0
        for subscription in queryset:
            try:
                subscription_withdraw(
                    subscription=subscription,
                    actor=request.user,
                    idempotency_key=f"withdrawal-{subscription.pk}",
                )
                done += 1
            except DomainError as exc:
                self.message_user(
                    request,
                    _("%(obj)s : %(error)s") % {"obj": subscription, "error": exc.message},
                    messages.ERROR,
                )
        if done:
            self.message_user(
                request,
                _("%(n)d rétractation(s) enregistrée(s) et remboursée(s).") % {"n": done},
                messages.SUCCESS,
            )


@admin.register(SubscriptionTerm)
class SubscriptionTermAdmin(GalerieModelAdmin):
    list_display = ("subscription", "number", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("subscription__email", "subscription__public_id")
    list_select_related = ("subscription__plan",)
    readonly_fields = [f.name for f in SubscriptionTerm._meta.fields]
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
