"""The admin's view of rows background jobs claim (crm_site.claims): a filter for the rows held,
waiting for a retry or failing, and the claim fields to show read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CLAIM_FIELDS = ["claim_owner", "claim_until", "attempts", "retry_at", "last_error"]


class ClaimStateFilter(admin.SimpleListFilter):
    title = _("background work")
    parameter_name = "claim"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("held", _("Being worked on now")),
            ("retry", _("Failed; waiting to be tried again")),
            ("failed", _("Failed at least once")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        if self.value() == "held":
            return queryset.filter(claim_until__gte=now)
        if self.value() == "retry":
            return queryset.filter(Q(retry_at__gt=now), attempts__gt=0)
        if self.value() == "failed":
            return queryset.filter(attempts__gt=0)
        return queryset
