"""Back office for feed imports: category mappings, and uploading a seller's feed as a background
job whose page shows its progress, its counters and its error report."""

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.core.middleware import UPLOAD_ENVELOPE_BYTES, request_size_limit
from galerie.core.outbox import task_enqueue_on_commit
from galerie.imports.models import CategoryMapping, ImportJob, ImportStatus
from galerie.imports.services import errors_csv_write, import_job_resume
from galerie.imports.tasks import feed_import_task


@admin.register(CategoryMapping)
class CategoryMappingAdmin(GalerieModelAdmin):
    list_display = ["source", "category", "product_type"]
    list_select_related = ["category", "product_type"]
    search_fields = ["source", "category__name"]
    list_filter = ["product_type"]


def _enqueue(job: ImportJob) -> None:
    task_enqueue_on_commit(feed_import_task, job.pk)


COUNTERS = [
    "last_row",
    "rows_ok",
    "rows_rejected",
    "products_matched",
    "products_created",
    "offers_created",
    "offers_updated",
    "offers_unchanged",
    "offers_deactivated",
]


@admin.register(ImportJob)
class ImportJobAdmin(GalerieModelAdmin):
    list_display = ["__str__", "status", "progress", "rows_ok", "rows_rejected", "created_at"]
    list_filter = ["status"]
    list_select_related = ["seller"]
    actions = ["resume_jobs"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["seller", "storefront", "upload", "full"]
        return [
            "seller",
            "storefront",
            "upload",
            "full",
            "status",
            "progress",
            *COUNTERS,
            "message",
            "error_report",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.get_fields(request, obj)]

    def has_delete_permission(self, request, obj=None):
        # A running job is never deleted under its worker; otherwise the user's own right decides.
        if obj is not None and obj.status == ImportStatus.RUNNING:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("avancement"))
    def progress(self, obj):
        return format_html(
            '<progress max="100" value="{}"></progress> {} %',
            obj.progress_percent,
            obj.progress_percent,
        )

    @admin.display(description=_("rapport d'erreurs"))
    def error_report(self, obj):
        errors = list(obj.errors.order_by("row", "id")[:50])
        if not errors:
            return _("Aucune anomalie.")
        url = reverse("admin:imports_importjob_errors", args=[obj.pk])
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    e.row,
                    e.column,
                    e.message,
                    e.value,
                    _("avertissement") if e.is_warning else _("rejet"),
                )
                for e in errors
            ),
        )
        return format_html(
            '<p><a href="{}">{}</a></p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
            "<th></th></tr>{}</table>",
            url,
            _("Télécharger le rapport complet (CSV)"),
            _("ligne"),
            _("colonne"),
            _("motif"),
            _("valeur"),
            rows,
        )

    @request_size_limit(settings.GALERIE_FEED_MAX_BYTES + UPLOAD_ENVELOPE_BYTES)
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            return
        obj.path = ""
        super().save_model(request, obj, form, change)
        _enqueue(obj)
        messages.info(request, _("Import lancé en arrière-plan : suivez son avancement ici."))

    # Resuming runs the import again: the right to launch one.
    @admin.action(
        description=_("Reprendre les imports sélectionnés (échoués)"), permissions=["add"]
    )
    def resume_jobs(self, request, queryset):
        count = 0
        for job in queryset.filter(status=ImportStatus.FAILED):
            if import_job_resume(job=job):
                _enqueue(job)
                count += 1
        self.message_user(request, _("%d import(s) relancé(s).") % count)

    def get_urls(self):
        return [
            path(
                "<int:pk>/errors.csv",
                self.admin_site.admin_view(self.errors_csv),
                name="imports_importjob_errors",
            ),
            *super().get_urls(),
        ]

    def errors_csv(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        if not self.has_view_permission(request, job):
            return HttpResponse(status=403)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-erreurs.csv"'
        errors_csv_write(job=job, path=None, out=response)
        return response
