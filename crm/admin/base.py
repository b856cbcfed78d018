"""Shared admin behaviour: brand scoping and read-only logs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.db.models import ForeignKey, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import DropdownFilter

from crm.models import Brand, Contact, Deal, Pipeline, PipelineStage
from crm_site.admin_inlines import ExtraInlines

# Related models whose choices are limited to the user's brands, with the path to their brand.
_BRAND_PATHS: dict[type[Model], str] = {
    Brand: "pk",
    Contact: "brand",
    Pipeline: "brand",
    PipelineStage: "pipeline__brand",
    Deal: "pipeline__brand",
}


def visible_brands(request: HttpRequest) -> QuerySet[Brand]:
    return Brand.objects.visible_to(request.user)


class BrandScopedAdmin(ExtraInlines, ModelAdmin):
    """Staff see and pick only objects of the brands they are members of; superusers see all.

    `brand_path` is the lookup from this model to its brand ("brand", "pipeline__brand", ...).
    """

    brand_path = "brand"
    list_filter_submit = True
    list_per_page = 50
    # "acme.com" typed into a URL field means https://acme.com (Django 6's default, taken now).
    formfield_overrides = {
        **ModelAdmin.formfield_overrides,
        models.URLField: {**ModelAdmin.formfield_overrides.get(models.URLField, {}), "assume_scheme": "https"},
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else self.scope(queryset, visible_brands(request))

    def scope(self, queryset: QuerySet[Any], brands: QuerySet[Brand]) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.brand_path}__in": brands})

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        related = db_field.related_model
        path = _BRAND_PATHS.get(related) if isinstance(related, type) else None
        if field is not None and path and not request.user.is_superuser:
            field.queryset = field.queryset.filter(**{f"{path}__in": visible_brands(request)})
        return field


class ReadOnlyAdmin(BrandScopedAdmin):
    """Logs written by the system: viewable, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageFilter(DropdownFilter):
    """Stages named with their brand and pipeline, so "New Lead" of two brands can be told apart."""

    title = "stage"
    parameter_name = "stage"
    stage_path = "current_stage"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        stages = PipelineStage.objects.filter(pipeline__brand__in=visible_brands(request)).select_related(
            "pipeline__brand"
        )
        return [(s.pk, f"{s.pipeline.brand.name} · {s.pipeline.name} · {s.name}") for s in stages]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(**{f"{self.stage_path}_id": self.value()})
        return queryset


class PipelineFilter(DropdownFilter):
    title = "pipeline"
    parameter_name = "pipeline"
    pipeline_path = "pipeline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        pipelines = Pipeline.objects.filter(brand__in=visible_brands(request)).select_related("brand")
        return [(p.pk, str(p)) for p in pipelines]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(**{f"{self.pipeline_path}_id": self.value()})
        return queryset


class BrandFilter(DropdownFilter):
    title = "brand"
    parameter_name = "brand"
    brand_path = "brand"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        return [(b.pk, b.name) for b in visible_brands(request)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(**{f"{self.brand_path}_id": self.value()})
        return queryset


class DealBrandFilter(BrandFilter):
    brand_path = "pipeline__brand"


class OwnerFilter(DropdownFilter):
    """Deals by owner: "mine", nobody's, or one of the staff."""

    title = "owner"
    parameter_name = "owner"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        staff = User.objects.filter(is_active=True, is_staff=True).order_by("username")
        return [("me", "Mine"), ("none", "Nobody"), *((str(u.pk), u.get_full_name() or u.username) for u in staff)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.owned_by(self.value() or "", request.user)  # type: ignore[attr-defined]
