"""Back office for finance: the invoices and credit notes, read-only. Documents are issued by
galerie.invoicing.services only (payment, refund, payout run) and never changed; the files are
built by galerie.invoicing.documents."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.invoicing.documents import invoice_file
from galerie.invoicing.models import Invoice, InvoiceLine


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = (
        "position",
        "designation",
        "quantity",
        "unit_price_ht",
        "vat_rate",
        "vat_exemption",
        "total_ht",
        "vat_amount",
        "total_ttc",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(GalerieModelAdmin):
    list_display = (
        "number",
        "kind",
        "issued_at",
        "issuer_name",
        "buyer_display",
        "total_ttc",
        "files",
    )
    list_filter = ("kind", "year")
    search_fields = ("number", "order_number", "issuer_name", "buyer_name", "buyer_company")
    list_select_related = ("issuer",)
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline]
    actions = None
    exclude = ()

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Invoice._meta.fields] + ["files"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("client"))
    def buyer_display(self, obj):
        return obj.buyer_company or obj.buyer_name

    @admin.display(description=_("fichiers"))
    def files(self, obj):
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}">XML</a>',
            reverse("admin:invoicing_invoice_file", args=[obj.pk, "pdf"]),
            reverse("admin:invoicing_invoice_file", args=[obj.pk, "xml"]),
        )

    def get_urls(self):
        return [
            path(
                "<int:invoice_id>/fichier/<str:fmt>/",
                self.admin_site.admin_view(self.file_view),
                name="invoicing_invoice_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, invoice_id: int, fmt: str):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if fmt not in ("pdf", "xml"):
            raise Http404
        invoice = get_object_or_404(Invoice, pk=invoice_id)
        body, content_type, filename = invoice_file(invoice=invoice, fmt=fmt)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
