"""Document templates, checked when saved, and turned into a PDF for a deal or a contact."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from crm.admin.base import BrandFilter, BrandScopedAdmin
from crm.models import Contact, Deal
from crm_site.users import signed_in
from documents.errors import DocumentError
from documents.models import DocumentTemplate
from documents.services.generation import RULES, document_generate


class TemplateForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field in ("title", "body"):
            for problem in RULES.problems(cleaned.get(field) or ""):
                self.add_error(field, problem)
        return cleaned


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(BrandScopedAdmin):
    form = TemplateForm
    list_display = ["name", "brand", "category", "access_level", "updated_at"]
    list_filter = [BrandFilter, "category"]
    list_select_related = ["brand"]
    search_fields = ["name", "title"]
    change_form_outer_after_template = "admin/documents/template_generate.html"

    def get_urls(self) -> list[URLPattern]:
        generate = self.admin_site.admin_view(self.generate_view)
        return [path("<int:pk>/generate/", generate, name="documents_documenttemplate_generate"), *super().get_urls()]

    def generate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(self.get_queryset(request), pk=pk)
        back = HttpResponseRedirect(reverse("admin:documents_documenttemplate_change", args=[pk]))
        if request.method != "POST":
            return back
        target = (request.POST.get("target") or "").strip()
        deal = Deal.objects.visible_to(request.user).filter(pk=target).first() if _uuid(target) else None
        contact = (
            None
            if deal
            else Contact.objects.visible_to(request.user).filter(pk=target).first()
            if _uuid(target)
            else None
        )
        try:
            document = document_generate(template=template, user=signed_in(request), deal=deal, contact=contact)
        except DocumentError as exc:
            messages.error(request, f"{exc} (paste the id of one of your deals or contacts)")
            return back
        messages.success(request, _("Generated %(name)s.") % {"name": document.name})
        return HttpResponseRedirect(reverse("admin:documents_document_change", args=[document.pk]))


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
