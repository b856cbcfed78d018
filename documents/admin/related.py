"""A contact's, a deal's and a candidate's documents on their admin pages (crm_site.admin_inlines),
as the access levels allow (upload one from Documents, or `add/?contact=<id>` prefilled)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import display

from crm.models import Contact, Deal
from crm_site.admin_inlines import inline_add
from documents.admin.documents import thumbnail_html
from documents.models import Document
from documents.selectors import documents_visible_to
from recruiting.models import Candidate


class RelatedDocumentsInline(TabularInline):
    model = Document
    extra = 0
    can_delete = False
    fields = ["preview", "document", "category", "access_level", "version", "updated_at"]
    readonly_fields = fields
    verbose_name = _("document")
    verbose_name_plural = _("Documents")
    link_field = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        return documents_visible_to(request.user, super().get_queryset(request)).select_related("current_version")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @display(description="")
    def preview(self, document: Document) -> str:
        return thumbnail_html(document.current_version, size=40)

    @display(description=_("Document"))
    def document(self, document: Document) -> str:
        url = reverse("admin:documents_document_change", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, document.name)

    @display(description=_("Version"))
    def version(self, document: Document) -> str:
        return f"v{document.current_version.number}" if document.current_version else "-"


class ContactDocumentsInline(RelatedDocumentsInline):
    fk_name = "contact"


class DealDocumentsInline(RelatedDocumentsInline):
    fk_name = "deal"


class CandidateDocumentsInline(RelatedDocumentsInline):
    fk_name = "candidate"


inline_add(Contact, ContactDocumentsInline)
inline_add(Deal, DealDocumentsInline)
inline_add(Candidate, CandidateDocumentsInline)
