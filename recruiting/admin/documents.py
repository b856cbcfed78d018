"""CV documents with their extraction status; the file is downloadable by staff only."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from recruiting.models import Document

STATUS_COLOURS = {"pending": "info", "extracted": "success", "no_text": "warning", "failed": "danger"}


@admin.register(Document)
class DocumentAdmin(ModelAdmin):
    list_display = ["file_name", "candidate", "status_label", "pages", "size", "extraction_seconds", "created_at"]
    list_filter = ["extraction_status"]
    list_select_related = ["candidate"]
    search_fields = ["file_name", "candidate__first_name", "candidate__last_name", "candidate__zoho_contact_id"]
    readonly_fields = [field.name for field in Document._meta.fields]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @display(description=_("Extraction"), label=STATUS_COLOURS)
    def status_label(self, obj: Document) -> str:
        return obj.extraction_status

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<int:pk>/download/", self.admin_site.admin_view(self.download), name="recruiting_document_download"
        )
        return [download, *super().get_urls()]

    def download(self, request: HttpRequest, pk: int) -> FileResponse:
        if not self.has_view_permission(request):
            raise Http404
        document = get_object_or_404(Document, pk=pk)
        file = Path(settings.CV_DOWNLOAD_DIR) / document.path
        if not document.path or not file.is_file():
            raise Http404("The CV file is gone")
        return FileResponse(file.open("rb"), as_attachment=True, filename=document.file_name)
