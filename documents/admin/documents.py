"""Documents: upload (a new file on an existing document is a new version), the first-page
thumbnail, versions, extracted text, share links (created and shown once, revoked), comments and
approval requests. Who sees what is documents.selectors' rule; files come through checked views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from crm.admin.base import visible_brands
from crm.models import Contact, Deal
from crm_site.users import signed_in
from crm_site.widgets import ListFieldsMixin
from documents.api.pagination import CappedPaginator
from documents.downloads import client_ip, file_response
from documents.errors import DocumentError, UploadRefused
from documents.models import Document, DocumentAccess, DocumentComment, DocumentShare, DocumentVersion
from documents.selectors import document_manageable_by, documents_search, documents_visible_to
from documents.services.documents import (
    document_access_record,
    document_create,
    document_delete,
    document_update,
    document_version_create,
)
from documents.services.files import CheckedFile, file_check
from documents.services.reviews import approval_request, comment_add
from documents.services.sharing import share_create, share_revoke

User = get_user_model()
STATE_COLOURS = {"pending": "warning", "done": "success", "no_text": "info", "failed": "danger"}


def download_url(version: DocumentVersion) -> str:
    return reverse("admin:documents_document_download", args=[version.document_id, version.number])


def thumbnail_html(version: DocumentVersion | None, size: int = 48) -> str:
    if version is None or not version.thumbnail:
        return "-"
    url = reverse("admin:documents_document_thumbnail", args=[version.document_id, version.number])
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px;border:1px solid #ddd">', url, size, size
    )


class DocumentForm(forms.ModelForm):
    file = forms.FileField(
        required=False, help_text=_("PDF, DOC/DOCX, XLS/XLSX, PNG, JPEG or TIFF. On a saved document: a new version.")
    )
    version_note = forms.CharField(required=False, max_length=500, label=_("What changed"))

    class Meta:
        model = Document
        fields = ["name", "category", "tags", "access_level", "allowed_users", "brand", "contact", "deal", "candidate"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.checked: CheckedFile | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None and self.instance.pk is None:
            self.add_error("file", _("Choose the file to upload."))
        elif upload is not None:
            try:
                self.checked = file_check(upload.chunks(), upload.name or "document")
            except UploadRefused as exc:
                self.add_error("file", str(exc))
        return cleaned


class VersionInline(TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ["number", "download", "size", "author", "note", "created_at", "state"]
    readonly_fields = fields
    ordering = ["-number"]
    verbose_name_plural = _("Versions")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @display(description=_("File"))
    def download(self, version: DocumentVersion) -> str:
        return format_html('<a href="{}">{}</a>', download_url(version), version.file_name)

    @display(description=_("Text"))
    def state(self, version: DocumentVersion) -> str:
        reason = f": {version.extraction_error}" if version.extraction_error else ""
        pages = f" ({version.pages} pages, {version.ocr_pages} by OCR)" if version.ocr_pages else ""
        return f"{version.get_extraction_state_display()}{pages}{reason}"


class ShareInline(TabularInline):
    model = DocumentShare
    extra = 0
    can_delete = False
    fields = [
        "token_hint",
        "expires_at",
        "has_password",
        "max_downloads",
        "download_count",
        "last_accessed_at",
        "state",
    ]
    readonly_fields = fields
    verbose_name_plural = _("Share links")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @display(description=_("State"))
    def state(self, share: DocumentShare) -> str:
        return str(share_state(share))


class CommentInline(TabularInline):
    model = DocumentComment
    extra = 1
    can_delete = False
    fields = ["body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name_plural = _("Comments")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None


def share_state(share: DocumentShare) -> str:
    if share.revoked_at:
        return str(_("revoked"))
    if share.expires_at <= timezone.now():
        return str(_("expired"))
    if share.max_downloads is not None and share.download_count >= share.max_downloads:
        return str(_("used up"))
    return str(_("active"))


class ShareForm(forms.Form):
    expires_in_hours = forms.FloatField(min_value=0.01, initial=72, widget=UnfoldAdminTextInputWidget)
    password = forms.CharField(required=False, widget=UnfoldAdminTextInputWidget)
    max_downloads = forms.IntegerField(required=False, min_value=1, widget=UnfoldAdminTextInputWidget)


class ApprovalForm(forms.Form):
    approver = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, is_staff=True), widget=UnfoldAdminSelectWidget
    )
    note = forms.CharField(required=False, widget=UnfoldAdminTextInputWidget)


@admin.register(Document)
class DocumentAdmin(ListFieldsMixin, ModelAdmin):
    list_fields = ("tags",)
    form = DocumentForm
    list_display = [
        "preview",
        "name",
        "category",
        "access_level",
        "brand",
        "linked_to",
        "version",
        "text_state",
        "updated_at",
    ]
    list_display_links = ["preview", "name"]
    list_filter = ["category", "access_level", "brand", "current_version__extraction_state"]
    list_select_related = ["brand", "current_version", "contact", "deal__contact", "candidate"]
    search_fields = ["name"]
    search_help_text = _("Words in the name or in the text of the document")
    show_full_result_count = False  # the total of visible documents would be one more count per search
    list_per_page = 50
    filter_horizontal = ["allowed_users"]
    inlines = [VersionInline, ShareInline, CommentInline]
    readonly_fields = ["owner", "large_preview", "extracted_text", "approvals_list"]
    autocomplete_fields = ["contact", "deal", "candidate"]
    change_form_outer_after_template = "admin/documents/document_actions.html"
    fieldsets = [
        (None, {"fields": ["name", "file", "version_note", "category", "tags"]}),
        (_("Who sees it"), {"fields": ["access_level", "allowed_users", "brand", "owner"]}),
        (_("Linked to"), {"fields": ["contact", "deal", "candidate"]}),
        (_("Content"), {"fields": ["large_preview", "extracted_text", "approvals_list"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        return documents_visible_to(request.user, super().get_queryset(request))

    def get_paginator(
        self, request: HttpRequest, queryset: QuerySet[Any], per_page: int, *args: Any, **kwargs: Any
    ) -> Any:
        if request.GET.get("q", "").strip():  # a search: counted up to a cap, read by id (documents.api.pagination)
            return CappedPaginator(queryset, per_page, *args, **kwargs)
        return super().get_paginator(request, queryset, per_page, *args, **kwargs)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> tuple[Any, bool]:
        return documents_search(queryset, search_term), False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            if db_field.name == "brand":
                field.queryset = visible_brands(request)
            elif db_field.name == "contact":
                field.queryset = Contact.objects.visible_to(request.user)
            elif db_field.name == "deal":
                field.queryset = Deal.objects.visible_to(request.user)
        return field

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or document_manageable_by(request.user, obj))

    def save_model(self, request: HttpRequest, obj: Document, form: DocumentForm, change: bool) -> None:
        data: dict[str, Any] = {
            field: form.cleaned_data.get(field)
            for field in ["name", "category", "access_level", "brand", "contact", "deal", "candidate"]
        }
        data["tags"] = form.cleaned_data.get("tags") or []
        allowed = form.cleaned_data.get("allowed_users") or []
        try:
            if not change and form.checked is not None:
                saved = document_create(
                    checked=form.checked,
                    owner=signed_in(request),
                    allowed_users=allowed,
                    note=form.cleaned_data.get("version_note", ""),
                    **data,
                )
                obj.pk = saved.pk
                return
            if document_manageable_by(request.user, obj):
                document_update(document=obj, allowed_users=allowed, **data)
            elif set(form.changed_data) - {"file", "version_note"}:
                messages.warning(
                    request,
                    _(
                        "Only the owner or a manager of the brand changes who sees a document and what it is "
                        "linked to; those changes were not saved."
                    ),
                )
            if form.checked is not None:
                document_version_create(
                    document=obj,
                    checked=form.checked,
                    author=signed_in(request),
                    note=form.cleaned_data.get("version_note", ""),
                )
        except DocumentError as exc:
            messages.error(request, str(exc))

    def delete_model(self, request: HttpRequest, obj: Document) -> None:
        document_delete(document=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        for document in queryset:
            if document_manageable_by(request.user, document):
                document_delete(document=document)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Only new comments are saved, through the service; the other inlines are read-only."""
        for formset in formsets:
            new = formset.save(commit=False)  # also what the admin's history message reads
            if formset.model is DocumentComment:
                for comment in new:
                    comment_add(document=form.instance, author=signed_in(request), body=comment.body)

    @display(description="", header=False)
    def preview(self, document: Document) -> str:
        return thumbnail_html(document.current_version)

    @display(description=_("First page"))
    def large_preview(self, document: Document) -> str:
        return thumbnail_html(document.current_version, size=320)

    @display(description=_("Linked to"))
    def linked_to(self, document: Document) -> str:
        parts = [str(document.deal) if document.deal_id else "", str(document.contact) if document.contact_id else ""]
        parts.append(str(document.candidate) if document.candidate_id else "")
        return " · ".join(part for part in parts if part) or "-"

    @display(description=_("Version"))
    def version(self, document: Document) -> str:
        return f"v{document.current_version.number}" if document.current_version else "-"

    @display(description=_("Text"), label=STATE_COLOURS)
    def text_state(self, document: Document) -> tuple[str, str] | str:
        version = document.current_version
        return (version.extraction_state, version.get_extraction_state_display()) if version else "-"

    @display(description=_("Extracted text"))
    def extracted_text(self, document: Document) -> str:
        version = document.current_version
        if version is None:
            return "-"
        if version.extraction_state != "done":
            return f"{version.get_extraction_state_display()}. {version.extraction_error}".strip()
        more = "\n..." if len(version.text) > 20_000 else ""
        return format_html(
            '<pre style="white-space:pre-wrap;max-height:24rem;overflow:auto">{}{}</pre>', version.text[:20_000], more
        )

    @display(description=_("Approvals"))
    def approvals_list(self, document: Document) -> str:
        rows = [
            format_html(
                "<li>{} asked {}: <b>{}</b>{}</li>",
                a.requested_by,
                a.approver,
                a.get_status_display(),
                f" ({a.comment})" if a.comment else "",
            )
            for a in document.approvals.select_related("requested_by", "approver")
        ]
        return format_html("<ul>{}</ul>", format_html("".join(rows))) if rows else "-"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/download/<int:number>/", view(self.download_view), name="documents_document_download"),
            path("<int:pk>/thumbnail/<int:number>/", view(self.thumbnail_view), name="documents_document_thumbnail"),
            path("<int:pk>/share/", view(self.share_view), name="documents_document_share"),
            path("<int:pk>/share/<int:share>/revoke/", view(self.revoke_view), name="documents_document_share_revoke"),
            path("<int:pk>/request-approval/", view(self.approval_view), name="documents_document_request_approval"),
            *super().get_urls(),
        ]

    def _visible(self, request: HttpRequest, pk: int) -> Document:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _version(self, request: HttpRequest, pk: int, number: int) -> DocumentVersion:
        return get_object_or_404(DocumentVersion, document=self._visible(request, pk), number=number)

    def download_view(self, request: HttpRequest, pk: int, number: int) -> FileResponse:
        version = self._version(request, pk, number)
        document_access_record(
            version=version,
            channel=DocumentAccess.Channel.ADMIN,
            user=signed_in(request),
            ip_address=client_ip(request),
        )
        return file_response(version)

    def thumbnail_view(self, request: HttpRequest, pk: int, number: int) -> FileResponse:
        version = self._version(request, pk, number)
        if not version.thumbnail:
            raise Http404
        response = FileResponse(version.thumbnail.open("rb"), content_type="image/png")
        response["Cache-Control"] = "private, max-age=3600"
        return response

    def _back(self, pk: int) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:documents_document_change", args=[pk]))

    def share_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._visible(request, pk)
        form = ShareForm(request.POST or None)
        if request.method != "POST" or not form.is_valid():
            messages.error(
                request, _("Give the hours the link should work (and optionally a password and a download limit).")
            )
            return self._back(pk)
        try:
            new = share_create(document=document, user=signed_in(request), **form.cleaned_data)
        except DocumentError as exc:
            messages.error(request, str(exc))
            return self._back(pk)
        url = request.build_absolute_uri(f"/api/documents/shares/access/?token={new.token}")
        messages.success(
            request,
            format_html(
                '{} <input readonly value="{}" onclick="this.select()" data-share-url style="width:100%" '
                'class="border rounded px-2 py-1 mt-1">',
                _("Share link made; copy it now, it is not shown again:"), url,
            ),
        )  # fmt: skip
        return self._back(pk)

    def revoke_view(self, request: HttpRequest, pk: int, share: int) -> HttpResponse:
        document = self._visible(request, pk)
        if request.method == "POST":
            try:
                share_revoke(share=get_object_or_404(document.shares, pk=share), user=signed_in(request))
                messages.success(request, _("The link no longer works."))
            except DocumentError as exc:
                messages.error(request, str(exc))
        return self._back(pk)

    def approval_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._visible(request, pk)
        form = ApprovalForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                approval_request(document=document, requested_by=signed_in(request), **form.cleaned_data)
                messages.success(
                    request, _("Approval requested from %(who)s.") % {"who": form.cleaned_data["approver"]}
                )
            except DocumentError as exc:
                messages.error(request, str(exc))
        return self._back(pk)

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        document = context.get("original")
        shares = document.shares.filter(revoked_at__isnull=True) if document else []
        context.update(
            share_form=ShareForm(), approval_form=ApprovalForm(), active_shares=[(x, share_state(x)) for x in shares]
        )
        return super().render_change_form(request, context, *args, **kwargs)
