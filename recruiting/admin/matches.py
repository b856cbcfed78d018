"""Job matches, filterable by score, role and candidate; read-only (matching writes them)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RangeNumericFilter, RelatedDropdownFilter
from unfold.decorators import display

from recruiting.models import JobMatch


@admin.register(JobMatch)
class JobMatchAdmin(ModelAdmin):
    list_display = [
        "candidate",
        "role",
        "score",
        "industry_score",
        "location_score",
        "policy_score",
        "skills_score",
        "summary",
        "computed_at",
    ]
    list_select_related = ["candidate", "role"]
    list_filter = [("score", RangeNumericFilter), ("role", RelatedDropdownFilter), ("candidate", RelatedDropdownFilter)]
    list_filter_submit = True
    search_fields = ["candidate__first_name", "candidate__last_name", "role__title", "role__company"]
    readonly_fields = [field.name for field in JobMatch._meta.fields]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @display(description=_("Why"))
    def summary(self, obj: JobMatch) -> str:
        return str(obj.explanation.get("summary", ""))
