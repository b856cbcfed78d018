"""Query filters of the list endpoints (django-filter); bad values give a 400 naming the parameter."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from crm.models import (
    BacklinkOpportunity,
    BacklinkStatus,
    Contact,
    ContactType,
    Deal,
    DealStatus,
    EmailSequence,
    LinkState,
    Task,
    TaskOrigin,
)

MAX_ID = 2**63 - 1


def id_filter(field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field_name, min_value=1, max_value=MAX_ID, decimal_places=0)


class DealFilter(django_filters.FilterSet):
    brand = django_filters.CharFilter(field_name="pipeline__brand__slug", label="Brand slug")
    pipeline = id_filter("pipeline_id")
    stage = id_filter("current_stage_id")
    status = django_filters.MultipleChoiceFilter(choices=DealStatus.choices)
    next_action_date = django_filters.IsoDateTimeFromToRangeFilter(
        label="next_action_date_after / next_action_date_before (ISO 8601)"
    )

    class Meta:
        model = Deal
        fields = ["brand", "pipeline", "stage", "status", "next_action_date"]


class ContactFilter(django_filters.FilterSet):
    brand = django_filters.CharFilter(field_name="brand__slug", label="Brand slug")
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
    brand = django_filters.CharFilter(field_name="brand__slug", label="Brand slug")
    status = django_filters.MultipleChoiceFilter(choices=BacklinkStatus.choices)
    link_state = django_filters.MultipleChoiceFilter(choices=LinkState.choices)
    deal = django_filters.UUIDFilter(field_name="deal_id")

    class Meta:
        model = BacklinkOpportunity
        fields = ["brand", "status", "link_state", "deal"]


class TaskFilter(django_filters.FilterSet):
    brand = django_filters.CharFilter(field_name="brand__slug", label="Brand slug")
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
