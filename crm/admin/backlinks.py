"""Backlink opportunities."""

from __future__ import annotations

from django.contrib import admin
from unfold.decorators import display

from crm.admin.base import BrandFilter, BrandScopedAdmin
from crm.models import BacklinkOpportunity

STATUS_COLOURS = {
    "new": "info",
    "researching": "warning",
    "outreaching": "primary",
    "placed": "success",
    "rejected": "danger",
}


@admin.register(BacklinkOpportunity)
class BacklinkOpportunityAdmin(BrandScopedAdmin):
    list_display = [
        "target_url",
        "brand",
        "domain_authority",
        "relevance_score",
        "status_label",
        "contact",
        "created_at",
    ]
    list_select_related = ["brand", "contact"]
    list_filter = [BrandFilter, "status"]
    search_fields = ["target_url", "target_domain", "anchor_text_suggestion"]
    autocomplete_fields = ["contact"]

    @display(description="Status", label=STATUS_COLOURS, ordering="status")
    def status_label(self, opportunity: BacklinkOpportunity) -> str:
        return opportunity.status
