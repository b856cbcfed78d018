"""Query filters of the list endpoints (django-filter); bad values give a 400 naming the parameter."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from crm.models import (
    BacklinkOpportunity,
    BacklinkStatus,
    Brand,
    Contact,
    ContactType,
    Deal,
    DealStatus,
    EmailSequence,
    LinkState,
    Pipeline,
    PipelineStage,
    Task,
    TaskOrigin,
)
from lib.ids import MAX_ID, as_id


def id_filter(field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field_name, min_value=1, max_value=MAX_ID, decimal_places=0)


class NamedFilter(django_filters.CharFilter):
    """A text filter that knows the query parameter it is under, to name it in a 400."""

    @property
    def param(self) -> str:
        return next(name for name, f in self.parent.filters.items() if f is self)

    def user(self) -> Any:
        return self.parent.request.user if self.parent.request is not None else AnonymousUser()


class VisibleFilter(NamedFilter):
    """An id or a slug, as people type them ("3" or "codeteki"), of an object the user sees; an
    unknown one is a 400 naming the parameter, not an empty list."""

    def __init__(self, *, field_name: str, model: type[Brand] | type[Pipeline], label: str) -> None:
        super().__init__(field_name=field_name, label=label)
        self.target = model  # not `model`: the FilterSet sets that to its own

    def filter(self, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        value = value.strip()
        visible = self.target.objects.visible_to(self.user())
        number = as_id(value)
        chosen = visible.filter(pk=number) if number is not None else visible.filter(slug=value)
        if not chosen.exists():
            raise ValidationError({self.param: f"No {self.target._meta.verbose_name} {value!r} that you can see."})
        return queryset.filter(**{f"{self.field_name}__in": chosen})


class StageFilter(NamedFilter):
    """A stage by id or by name ("Contacted", any case), among the stages of the pipelines the user
    sees; a name several pipelines use matches each of them, narrowed by `pipeline` if given."""

    def filter(self, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        value = value.strip()
        visible = PipelineStage.objects.filter(pipeline__in=Pipeline.objects.visible_to(self.user()))
        number = as_id(value)
        chosen = visible.filter(pk=number) if number is not None else visible.filter(name__iexact=value)
        if not chosen.exists():
            raise ValidationError({self.param: f"No stage {value!r} that you can see."})
        return queryset.filter(**{f"{self.field_name}__in": chosen})


class DealFilter(django_filters.FilterSet):
    brand = VisibleFilter(field_name="pipeline__brand", model=Brand, label="Brand id or slug")
    pipeline = VisibleFilter(field_name="pipeline", model=Pipeline, label="Pipeline id or slug")
    stage = StageFilter(field_name="current_stage", label="Stage id or name")
    status = django_filters.MultipleChoiceFilter(choices=DealStatus.choices)
    owner = id_filter("owner_id")
    needs_review = django_filters.BooleanFilter()
    expected_close_date = django_filters.DateFromToRangeFilter(
        label="expected_close_date_after / expected_close_date_before (YYYY-MM-DD)"
    )
    next_action_date = django_filters.IsoDateTimeFromToRangeFilter(
        label="next_action_date_after / next_action_date_before (ISO 8601)"
    )

    class Meta:
        model = Deal
        fields = [
            "brand",
            "pipeline",
            "stage",
            "status",
            "owner",
            "needs_review",
            "expected_close_date",
            "next_action_date",
        ]


class ContactFilter(django_filters.FilterSet):
    brand = VisibleFilter(field_name="brand", model=Brand, label="Brand id or slug")
    contact_type = django_filters.ChoiceFilter(choices=ContactType.choices)
    tag = django_filters.CharFilter(method="filter_tag", label="Contacts carrying this tag")

    class Meta:
        model = Contact
        fields = ["brand", "contact_type", "tag"]

    def filter_tag(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        return queryset.filter(tags__has_tag=value)


class EmailSequenceFilter(django_filters.FilterSet):
    pipeline = id_filter("pipeline_id")

    class Meta:
        model = EmailSequence
        fields = ["pipeline", "is_active"]


class BacklinkOpportunityFilter(django_filters.FilterSet):
    brand = VisibleFilter(field_name="brand", model=Brand, label="Brand id or slug")
    status = django_filters.MultipleChoiceFilter(choices=BacklinkStatus.choices)
    link_state = django_filters.MultipleChoiceFilter(choices=LinkState.choices)
    deal = django_filters.UUIDFilter(field_name="deal_id")

    class Meta:
        model = BacklinkOpportunity
        fields = ["brand", "status", "link_state", "deal"]


class TaskFilter(django_filters.FilterSet):
    brand = VisibleFilter(field_name="brand", model=Brand, label="Brand id or slug")
    assignee = id_filter("assignee_id")
    contact = django_filters.UUIDFilter(field_name="contact_id")
    deal = django_filters.UUIDFilter(field_name="deal_id")
    origin = django_filters.ChoiceFilter(choices=TaskOrigin.choices)
    done = django_filters.BooleanFilter(
        field_name="done_at", lookup_expr="isnull", exclude=True, label="done (true / false)"
    )
    due_at = django_filters.IsoDateTimeFromToRangeFilter(label="due_at_after / due_at_before (ISO 8601)")

    class Meta:
        model = Task
        fields = ["brand", "assignee", "contact", "deal", "origin", "done", "due_at"]
