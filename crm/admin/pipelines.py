"""Pipelines with their stages inline (in order), and stages on their own."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import display

from crm.admin.base import BrandFilter, BrandScopedAdmin, PipelineFilter
from crm.models import OPEN_STATUSES, Pipeline, PipelineStage


class StageInline(TabularInline):
    model = PipelineStage
    fields = ["order", "name", "auto_actions", "days_until_followup", "is_terminal", "outcome"]
    ordering = ["order", "id"]
    extra = 0


@admin.register(Pipeline)
class PipelineAdmin(BrandScopedAdmin):
    list_display = ["name", "brand", "pipeline_type", "stage_count", "open_deals", "is_active", "created_at"]
    list_select_related = ["brand"]
    list_filter = [BrandFilter, "pipeline_type", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [StageInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Pipeline]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _stages=Count("stages", distinct=True),
                _open=Count("deals", filter=Q(deals__status__in=OPEN_STATUSES), distinct=True),
            )
        )

    @display(description=_("Stages"), ordering="_stages")
    def stage_count(self, pipeline: Pipeline) -> int:
        return pipeline._stages  # type: ignore[attr-defined]

    @display(description=_("Open deals"), ordering="_open")
    def open_deals(self, pipeline: Pipeline) -> int:
        return pipeline._open  # type: ignore[attr-defined]


@admin.register(PipelineStage)
class PipelineStageAdmin(BrandScopedAdmin):
    brand_path = "pipeline__brand"
    list_display = [
        "name",
        "pipeline",
        "order",
        "auto_action_list",
        "days_until_followup",
        "is_terminal",
        "outcome",
    ]
    list_select_related = ["pipeline__brand"]
    list_filter = [PipelineFilter, "is_terminal"]
    search_fields = ["name", "pipeline__name"]
    ordering = ["pipeline__brand__name", "pipeline__name", "order"]

    @display(description=_("Auto actions"))
    def auto_action_list(self, stage: PipelineStage) -> str:
        return ", ".join(stage.auto_actions or []) or "—"
