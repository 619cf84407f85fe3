"""Back office for returns (Service client): every withdrawal and conformity claim, the refunds
falling due, and the operator stepping in as mediator. Actions call returns.services, the same
functions as the seller's portal and API, with `mediated=True`."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.returns.models import ReturnRequest
from galerie.returns.selectors import REFUND_DUE_WARNING, returns_refund_due
from galerie.returns.services import return_receive, return_resolve


class RefundDueFilter(admin.SimpleListFilter):
    """« Remboursement dû sous 3 jours ou en retard »: what `galerie returns-overdue` mails."""

    title = _("remboursement")
    parameter_name = "remboursement"

    def lookups(self, request, model_admin):
        return [
            ("bientot", _("dû sous 3 jours ou en retard")),
            ("retard", _("en retard")),
        ]

    def queryset(self, request, queryset):
        now = clock.now()
        if self.value() == "bientot":
            return queryset.filter(pk__in=returns_refund_due(now=now).values("pk"))
        if self.value() == "retard":
            due = returns_refund_due(now=now - REFUND_DUE_WARNING)
            return queryset.filter(pk__in=due.values("pk"))
        return queryset


@admin.register(ReturnRequest)
class ReturnRequestAdmin(GalerieModelAdmin):
    list_display = (
        "order",
        "kind",
        "line",
        "quantity",
        "status",
        "requested_at",
        "refund_due_at",
        "presumption_applies",
        "mediated",
    )
    list_filter = (RefundDueFilter, "kind", "status", "mediated")
    search_fields = ("order__email", "line__title", "=order__public_id")
    list_select_related = ("order", "line")
    readonly_fields = [f.name for f in ReturnRequest._meta.fields]
    date_hierarchy = "requested_at"
    actions = ["mediate_receive", "mediate_refund", "mediate_repair", "mediate_replace"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_mediate_permission(self, request):
        return request.user.has_perm("returns.mediate")

    def _run(self, request, queryset, step, done_message):
        done = 0
        for return_request in queryset:
            try:
                step(return_request)
                done += 1
            except DomainError as exc:
                self.message_user(
                    request,
                    _("%(obj)s : %(error)s") % {"obj": return_request, "error": exc.message},
                    messages.ERROR,
                )
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)

    @admin.action(
        description=_("Confirmer la réception (une rétractation est remboursée)"),
        permissions=["mediate"],
    )
    def mediate_receive(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda r: return_receive(request=r, actor=request.user, mediated=True),
            _("%(n)d retour(s) reçu(s)."),
        )

    def _resolve(self, request, queryset, outcome, done_message):
        self._run(
            request,
            queryset,
            lambda r: return_resolve(request=r, outcome=outcome, actor=request.user, mediated=True),
            done_message,
        )

    @admin.action(description=_("Médiation : rembourser"), permissions=["mediate"])
    def mediate_refund(self, request, queryset):
        self._resolve(request, queryset, "refund", _("%(n)d retour(s) remboursé(s)."))

    @admin.action(description=_("Médiation : réparation"), permissions=["mediate"])
    def mediate_repair(self, request, queryset):
        self._resolve(request, queryset, "repair", _("%(n)d retour(s) réparé(s)."))

    @admin.action(description=_("Médiation : remplacement"), permissions=["mediate"])
    def mediate_replace(self, request, queryset):
        self._resolve(request, queryset, "replace", _("%(n)d retour(s) remplacé(s)."))
