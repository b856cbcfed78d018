"""Campaign email templates, checked when saved, previewed as they are typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.urls import URLPattern, path

from campaigns.admin.preview import preview
from campaigns.models import EmailTemplate
from campaigns.templating import template_problems
from crm.admin.base import BrandFilter, BrandScopedAdmin


class TemplateFieldsForm(forms.ModelForm):
    """Each of subject, content_html and content_text checked; a problem names the variable,
    filter or tag."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field in ("subject", "content_html", "content_text"):
            for problem in template_problems(cleaned.get(field) or ""):
                self.add_error(field, problem)
        return cleaned


@admin.register(EmailTemplate)
class EmailTemplateAdmin(BrandScopedAdmin):
    form = TemplateFieldsForm
    list_display = ["name", "brand", "subject", "updated_at"]
    list_select_related = ["brand"]
    list_filter = [BrandFilter]
    search_fields = ["name", "subject"]
    change_form_outer_after_template = "admin/campaigns/live_preview.html"

    def get_urls(self) -> list[URLPattern]:
        return [path("preview/", self.admin_site.admin_view(preview), name="campaigns_preview"), *super().get_urls()]
