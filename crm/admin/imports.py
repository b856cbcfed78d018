"""Contact imports: upload a CSV, look at its preview (columns, a mapping to correct them, sample
rows, what would be created, updated or skipped and why), start it; a Celery task imports it; its
page shows the progress, refreshing itself, and the errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from crm.admin.base import BrandFilter, BrandScopedAdmin
from crm.errors import ImportFileError
from crm.importing.report import error_report_lines
from crm.models import ContactImport, ImportStatus
from crm.services.import_preview import (
    COLUMN_LABELS,
    PREVIEW_ROWS,
    columns_from,
    contact_import_preview,
    contact_import_start,
)

STATUS_COLOURS = {
    "preview": "info", "pending": "info", "processing": "warning", "completed": "success", "failed": "danger",
}  # fmt: skip
REFRESH_SECONDS = 3
# One reload per page, however many running imports it lists.
REFRESH = mark_safe(  # noqa: S308 - a constant
    "<script>window.importRefresh = window.importRefresh || "
    f"setTimeout(function () {{ location.reload(); }}, {REFRESH_SECONDS * 1000});</script>"
)
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ContactImportForm(forms.ModelForm):
    class Meta:
        model = ContactImport
        fields = ["brand", "file", "contact_type", "source", "create_deals", "pipeline"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Files up to 200 MB; split larger ones or use manage.py import_contacts."))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        brand, pipeline = cleaned.get("brand"), cleaned.get("pipeline")
        if cleaned.get("create_deals") and not pipeline:
            self.add_error("pipeline", _("Choose the pipeline the deals go into."))
        if brand and pipeline and pipeline.brand_id != brand.pk:
            self.add_error("pipeline", _("This pipeline belongs to another brand."))
        return cleaned


@admin.register(ContactImport)
class ContactImportAdmin(BrandScopedAdmin):
    form = ContactImportForm
    list_display = [
        "__str__",
        "brand",
        "status_label",
        "progress",
        "created_count",
        "updated_count",
        "failed_count",
        "created_by",
        "created_at",
    ]
    list_select_related = ["brand", "created_by"]
    list_filter = [BrandFilter, "status"]
    search_fields = ["original_filename", "source"]
    readonly_fields = [
        "status_label", "progress", "total_rows", "processed_rows", "created_count", "updated_count",
        "skipped_count", "failed_count", "deals_created", "error_message", "error_table", "created_by",
        "created_at", "started_at", "finished_at",
    ]  # fmt: skip

    def get_fieldsets(self, request: HttpRequest, obj: ContactImport | None = None) -> Any:
        upload = (None, {"fields": ["brand", "file", "contact_type", "source", "create_deals", "pipeline"]})
        if obj is None:
            return [upload]
        counts = [
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
            "skipped_count",
            "failed_count",
            "deals_created",
        ]
        return [
            (_("Progress"), {"fields": ["status_label", "progress", "error_message", *counts]}),
            (_("Rows that could not be imported"), {"fields": ["error_table"]}),
            upload,
            (_("Record"), {"fields": ["created_by", "created_at", "started_at", "finished_at"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: ContactImport | None = None) -> Any:
        if obj is None:
            return []
        return [*self.readonly_fields, "brand", "file", "contact_type", "source", "create_deals", "pipeline"]

    def save_model(self, request: HttpRequest, obj: ContactImport, form: Any, change: bool) -> None:
        """An upload waits for its preview to be confirmed (preview/), which queues it."""
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
            obj.original_filename = getattr(request.FILES.get("file"), "name", "")[:255]
            obj.status = ImportStatus.PREVIEW
        super().save_model(request, obj, form, change)

    def response_add(self, request: HttpRequest, obj: ContactImport, post_url_continue: str | None = None) -> Any:
        return redirect("admin:crm_contactimport_preview", obj.pk)

    def preview(self, request: HttpRequest, pk: str) -> HttpResponse:
        """What the file holds and what importing it would do; POST starts it with the mapping."""
        contact_import = get_object_or_404(self.get_queryset(request).select_related("brand", "pipeline"), pk=pk)
        if contact_import.status != ImportStatus.PREVIEW:
            return redirect("admin:crm_contactimport_change", contact_import.pk)
        chosen, error = None, ""
        if "col_0" in request.GET or request.method == "POST":
            data = request.POST if request.method == "POST" else request.GET
            try:
                chosen = columns_from(data, width=int(data.get("width", "0") or 0))
                if request.method == "POST":
                    contact_import_start(contact_import=contact_import, columns=chosen)
                    self.message_user(request, _("The import has started; this page follows its progress."))
                    return redirect("admin:crm_contactimport_change", contact_import.pk)
            except (ImportFileError, ValueError) as exc:
                error = str(exc)
        return self._preview_page(request, contact_import, chosen, error)

    def _preview_page(
        self, request: HttpRequest, contact_import: ContactImport, chosen: dict[str, int] | None, error: str
    ) -> TemplateResponse:
        preview = contact_import_preview(contact_import=contact_import, columns=chosen or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview of %(file)s") % {"file": contact_import},
            "opts": self.model._meta,
            "contact_import": contact_import,
            "preview": preview,
            "error": error or preview.error,
            "header": [(i, cell, preview.examples[i], preview.column_of(i)) for i, cell in enumerate(preview.header)],
            "labels": COLUMN_LABELS,
            "preview_rows": PREVIEW_ROWS,
        }
        return TemplateResponse(request, "admin/crm/import_preview.html", context)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def get_urls(self) -> list[URLPattern]:
        download = self.admin_site.admin_view(self.errors_csv)
        preview = self.admin_site.admin_view(self.preview)
        return [
            path("<uuid:pk>/errors.csv", download, name="crm_contactimport_errors"),
            path("<uuid:pk>/preview/", preview, name="crm_contactimport_preview"),
            *super().get_urls(),
        ]

    def errors_csv(self, request: HttpRequest, pk: str) -> StreamingHttpResponse:
        contact_import = get_object_or_404(self.get_queryset(request), pk=pk)
        response = StreamingHttpResponse(error_report_lines(contact_import.errors), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="import-{contact_import.pk}-errors.csv"'
        return response

    @display(description=_("Status"), label=STATUS_COLOURS)
    def status_label(self, obj: ContactImport) -> str:
        return obj.status

    @display(description=_("Progress"))
    def progress(self, obj: ContactImport) -> str:
        if obj.status == ImportStatus.PREVIEW:
            link = reverse("admin:crm_contactimport_preview", args=[obj.pk])
            return format_html('<a class="text-primary-600 underline" href="{}">{}</a>', link, _("Review and start"))
        # While it runs, the page reloads itself every few seconds (the list and the import's page).
        running = obj.status in (ImportStatus.PENDING, ImportStatus.PROCESSING)
        return format_html(
            '<div class="w-40 h-2 bg-base-200 rounded-full overflow-hidden"><div class="h-2 bg-primary-600" '
            'style="width: {}%"></div></div>'
            '<span class="text-xs" data-import-progress="{}">{}% · {} of ~{} rows</span>{}',
            obj.progress_percent, obj.status, obj.progress_percent, obj.processed_rows, obj.total_rows,
            REFRESH if running else "",
        )  # fmt: skip

    @display(description=_("Errors"))
    def error_table(self, obj: ContactImport) -> str:
        if not obj.failed_count:
            return "—"
        link = reverse("admin:crm_contactimport_errors", args=[obj.pk])
        rows = format_html_join_rows(obj.errors[:50])
        more = obj.failed_count - min(len(obj.errors), 50)
        return format_html(
            '<p><a class="text-primary-600 underline" href="{}">Download the error report (CSV)</a></p>'
            '<table class="mt-2 text-sm"><tr><th class="pr-4 text-left">Line</th><th class="pr-4 text-left">Email</th>'
            '<th class="text-left">Reason</th></tr>{}</table>{}',
            link, rows, format_html("<p>… and {} more</p>", more) if more > 0 else "",
        )  # fmt: skip

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"status": ImportStatus.PENDING}


def format_html_join_rows(errors: list[dict[str, Any]]) -> str:
    from django.utils.html import format_html_join

    return format_html_join(
        "", '<tr><td class="pr-4">{}</td><td class="pr-4">{}</td><td>{}</td></tr>',
        ((e.get("line", ""), e.get("email", ""), e.get("reason", "")) for e in errors),
    )  # fmt: skip
