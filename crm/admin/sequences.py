"""Email sequences with their steps inline."""

from __future__ import annotations

from django.contrib import admin
from unfold.admin import StackedInline

from crm.admin.base import BrandScopedAdmin, PipelineFilter
from crm.models import EmailSequence, SequenceStep


class StepInline(StackedInline):
    model = SequenceStep
    fields = [("order", "delay_days", "ai_personalize"), "subject_template", "body_template"]
    ordering = ["order", "id"]
    extra = 0


@admin.register(EmailSequence)
class EmailSequenceAdmin(BrandScopedAdmin):
    brand_path = "pipeline__brand"
    list_display = ["name", "pipeline", "is_active", "created_at"]
    list_select_related = ["pipeline__brand"]
    list_filter = [PipelineFilter, "is_active"]
    search_fields = ["name"]
    inlines = [StepInline]
