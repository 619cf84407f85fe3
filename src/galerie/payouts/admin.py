"""Back office for finance: payout runs, payouts and their statements. Read-only: a run is
started through `payout_run` (the same service as the CLI and the task), documents are built by
galerie.payouts.documents."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from galerie.core import clock
from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.core.money import format_money
from galerie.payouts.documents import (
    payout_run_sepa_xml,
    payout_statement_csv,
    payout_statement_pdf,
)
from galerie.payouts.models import RUN_BOUNDS, Payout, PayoutRun, StatementLine
from galerie.payouts.selectors import payout_runs_failed
from galerie.payouts.services import default_holdback_percent, payout_run


class ReadOnly(GalerieModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PayoutRunForm(forms.Form):
    as_of = forms.DateField(label=_("Date du versement"), initial=clock.localdate)
    holdback_percent = forms.DecimalField(
        label=_("Retenue de garantie (%)"),
        min_value=RUN_BOUNDS["holdback_percent"][0],
        max_value=RUN_BOUNDS["holdback_percent"][1],
        max_digits=5,
        decimal_places=2,
    )


class PayoutInline(admin.TabularInline):
    model = Payout
    extra = 0
    can_delete = False
    fields = ("seller_name", "iban", "bic", "amount", "documents")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("relevé"))
    def documents(self, obj):
        return _statement_links(obj)


def _statement_links(payout: Payout):
    return format_html(
        '<a href="{}">CSV</a> · <a href="{}">PDF</a>',
        reverse("admin:payouts_payout_statement", args=[payout.pk, "csv"]),
        reverse("admin:payouts_payout_statement", args=[payout.pk, "pdf"]),
    )


class PayoutRunStateFilter(admin.SimpleListFilter):
    """« En échec »: the runs of `payout_runs_failed` (the back office's home links here)."""

    title = pgettext_lazy("payout run", "état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("echec", _("en échec (vendeurs non payés)"))]

    def queryset(self, request, queryset):
        if self.value() == "echec":
            return queryset.filter(pk__in=payout_runs_failed().values("pk"))
        return queryset


@admin.register(PayoutRun)
class PayoutRunAdmin(ReadOnly):
    list_display = ("as_of", "holdback_percent", "payout_count", "completed_at", "sepa")
    list_filter = (PayoutRunStateFilter,)
    date_hierarchy = "as_of"
    readonly_fields = ("as_of", "holdback_percent", "completed_at", "notes")
    inlines = [PayoutInline]
    actions = ["download_sepa"]
    change_list_template = "admin/payouts/payoutrun/change_list.html"

    @admin.display(description=_("versements"))
    def payout_count(self, obj):
        return obj.payouts.count()

    @admin.display(description=_("fichier SEPA"))
    def sepa(self, obj):
        return format_html(
            '<a href="{}">pain.001</a>', reverse("admin:payouts_payoutrun_sepa", args=[obj.pk])
        )

    def get_urls(self):
        return [
            path(
                "lancer/", self.admin_site.admin_view(self.run_view), name="payouts_payoutrun_run"
            ),
            path(
                "<int:pk>/sepa/",
                self.admin_site.admin_view(self.sepa_view),
                name="payouts_payoutrun_sepa",
            ),
            *super().get_urls(),
        ]

    def _may_run(self, request) -> bool:
        return request.user.has_perm("payouts.add_payoutrun")

    def run_view(self, request):
        if not self._may_run(request):
            raise PermissionDenied
        form = PayoutRunForm(
            request.POST or None, initial={"holdback_percent": default_holdback_percent()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                payouts = payout_run(
                    as_of=form.cleaned_data["as_of"],
                    holdback_percent=form.cleaned_data["holdback_percent"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                total = sum((p.amount for p in payouts), 0)
                self.message_user(
                    request,
                    _("%(n)d versement(s), %(t)s au total.")
                    % {"n": len(payouts), "t": format_money(total)},
                    messages.SUCCESS,
                )
                run = PayoutRun.objects.get(as_of=form.cleaned_data["as_of"])
                return redirect("admin:payouts_payoutrun_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lancer une campagne de versements"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/payouts/payoutrun/run.html", context)

    def sepa_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(PayoutRun, pk=pk)
        try:
            xml = payout_run_sepa_xml(run=run)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return redirect("admin:payouts_payoutrun_changelist")
        response = HttpResponse(xml, content_type="application/xml")
        response["Content-Disposition"] = (
            f'attachment; filename="virements-{run.as_of:%Y-%m-%d}.xml"'
        )
        return response

    @admin.action(description=_("Télécharger le fichier de virements SEPA"), permissions=["view"])
    def download_sepa(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choisissez une seule campagne."), messages.ERROR)
            return None
        return self.sepa_view(request, queryset.get().pk)


class StatementLineInline(admin.TabularInline):
    model = StatementLine
    extra = 0
    can_delete = False
    fields = ("kind", "label", "seller_order", "sales", "commission", "refunded", "amount")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The lines are part of the payout's statement: whoever may see the payout sees them.
        return request.user.has_perm("payouts.view_payout")


@admin.register(Payout)
class PayoutAdmin(ReadOnly):
    list_display = ("reference", "run", "seller_name", "iban", "amount", "documents")
    list_filter = ("run",)
    search_fields = ("seller_name", "seller__name", "iban")
    list_select_related = ("run", "seller")
    readonly_fields = ("run", "seller", "seller_name", "iban", "bic", "amount")
    inlines = [StatementLineInline]

    @admin.display(description=_("référence"), ordering="pk")
    def reference(self, obj):
        return obj.reference

    @admin.display(description=_("relevé"))
    def documents(self, obj):
        return _statement_links(obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/releve.<str:fmt>",
                self.admin_site.admin_view(self.statement_view),
                name="payouts_payout_statement",
            ),
            *super().get_urls(),
        ]

    def statement_view(self, request, pk, fmt):
        if not self.has_view_permission(request):
            raise PermissionDenied
        payout = get_object_or_404(Payout.objects.select_related("run"), pk=pk)
        name = f"releve-{payout.reference}-{payout.run.as_of:%Y-%m-%d}"
        if fmt == "csv":
            response = HttpResponse(
                payout_statement_csv(payout=payout), content_type="text/csv; charset=utf-8"
            )
        elif fmt == "pdf":
            response = HttpResponse(
                payout_statement_pdf(payout=payout), content_type="application/pdf"
            )
        else:
            raise PermissionDenied
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
