"""CV documents with their extraction status; the file is downloadable by staff only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from recruiting.errors import RecruitingError
from recruiting.models import Document
from recruiting.services.cvs import CV_EXTENSIONS, candidate_cv_upload, cv_limits

STATUS_COLOURS = {"pending": "info", "extracted": "success", "no_text": "warning", "failed": "danger"}


class UploadForm(forms.ModelForm):
    """Add a CV by hand: the candidate and the file (PDF or Word)."""

    cv_file = forms.FileField(
        label=_("CV file"), help_text=_("PDF or Word (.docx); it replaces the candidate's current CV")
    )

    class Meta:
        model = Document
        fields = ["candidate"]

    def clean_cv_file(self) -> Any:
        upload = self.cleaned_data["cv_file"]
        if Path(upload.name).suffix.lower() not in CV_EXTENSIONS:
            raise forms.ValidationError(
                _("A CV is a PDF or a Word (.docx) file; %(name)s is neither.") % {"name": upload.name}
            )
        limit = cv_limits().max_bytes
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // 1_000_000})
        return upload


@admin.register(Document)
class DocumentAdmin(ModelAdmin):
    list_display = ["file_name", "candidate", "status_label", "pages", "size", "extraction_seconds", "created_at"]
    list_filter = ["extraction_status"]
    list_select_related = ["candidate"]
    search_fields = ["file_name", "candidate__first_name", "candidate__last_name", "candidate__zoho_contact_id"]
    readonly_fields = [field.name for field in Document._meta.fields]
    autocomplete_fields = ["candidate"]
    list_per_page = 50

    def get_form(self, request: HttpRequest, obj: Document | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = UploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Document | None = None) -> Any:
        return ["candidate", "cv_file"] if obj is None else super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Document | None = None) -> Any:
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Document, form: forms.ModelForm, change: bool) -> None:
        upload = form.cleaned_data["cv_file"]
        try:
            stored = candidate_cv_upload(
                candidate=form.cleaned_data["candidate"], file_name=upload.name, content=upload.read(),
                content_type=upload.content_type or "",
            )  # fmt: skip
        except RecruitingError as exc:  # the form checked the file; this is a rule that changed meanwhile
            self.message_user(request, str(exc), messages.ERROR)
            return
        obj.pk, obj._state.adding = stored.pk, False
        if stored.extraction_status != "extracted":
            text = _("The CV is stored but its text could not be read: %(why)s") % {"why": stored.extraction_error}
            self.message_user(request, text, messages.WARNING)

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
