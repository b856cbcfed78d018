"""Query filters of the list endpoints (django-filter); bad values give a 400 naming the parameter."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from crm.models import Contact, ContactType, Deal, DealStatus


class DealFilter(django_filters.FilterSet):
    brand = django_filters.CharFilter(field_name="pipeline__brand__slug", label="Brand slug")
    pipeline = django_filters.NumberFilter(field_name="pipeline_id")
    stage = django_filters.NumberFilter(field_name="current_stage_id")
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
