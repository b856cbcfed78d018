"""Campaign email templates, checked when saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from campaigns.models import EmailTemplate
from campaigns.templating import template_problems
from crm.admin.base import BrandFilter, BrandScopedAdmin


class EmailTemplateForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field in ("subject", "content_html", "content_text"):
            for problem in template_problems(cleaned.get(field) or ""):
                self.add_error(field, problem)
        return cleaned


@admin.register(EmailTemplate)
class EmailTemplateAdmin(BrandScopedAdmin):
    form = EmailTemplateForm
    list_display = ["name", "brand", "subject", "updated_at"]
    list_select_related = ["brand"]
    list_filter = [BrandFilter]
    search_fields = ["name", "subject"]
