"""Backlink opportunities: the pitch, the deal that pursues each, and whether a placed link is
still on its page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from crm.admin.base import BrandFilter, BrandScopedAdmin
from crm.models import LINKED_STATUSES, BacklinkOpportunity
from crm.services.backlinks import backlink_saved, target_domain
from crm.tasks import verify_backlink, write_backlink_pitch
from crm_site.claims_admin import CLAIM_FIELDS, ClaimStateFilter

STATUS_COLOURS = {
    "new": "info",
    "researching": "warning",
    "outreaching": "primary",
    "placed": "primary",
    "verified": "success",
    "lost": "danger",
    "rejected": "danger",
}
LINK_COLOURS = {"unchecked": "info", "present": "success", "missing": "danger", "unreachable": "warning"}


@admin.register(BacklinkOpportunity)
class BacklinkOpportunityAdmin(BrandScopedAdmin):
    list_display = [
        "target_url",
        "brand",
        "domain_authority",
        "relevance_score",
        "status_label",
        "link_label",
        "link_rel",
        "link_checked_at",
        "deal",
    ]
    list_select_related = ["brand", "contact", "deal__contact"]
    list_filter = [BrandFilter, "status", "link_state", ClaimStateFilter]
    search_fields = ["target_url", "target_domain", "anchor_text_suggestion", "link_anchor_text"]
    autocomplete_fields = ["contact", "deal"]
    readonly_fields = [
        "target_domain", "link_state", "link_rel", "link_anchor_text", "link_checked_at", "link_first_seen_at",
        "link_check_error", "link_check_due_at",
    ]  # fmt: skip
    exclude = ["link_check_failures", *CLAIM_FIELDS]
    actions = ["verify_now", "write_pitch"]

    def save_model(self, request: HttpRequest, obj: BacklinkOpportunity, form: Any, change: bool) -> None:
        previous = form.initial.get("status", "") if change else ""
        obj.target_domain = target_domain(obj.target_url)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            backlink_saved(opportunity=obj, created=not change, previous_status=previous)

    @display(description=_("Status"), label=STATUS_COLOURS, ordering="status")
    def status_label(self, opportunity: BacklinkOpportunity) -> str:
        return opportunity.status

    @display(description=_("Link"), label=LINK_COLOURS, ordering="link_state")
    def link_label(self, opportunity: BacklinkOpportunity) -> str:
        return opportunity.link_state

    @action(description=_("Check the link now"), permissions=["change"])
    def verify_now(self, request: HttpRequest, queryset: QuerySet[BacklinkOpportunity]) -> None:
        linked = queryset.filter(status__in=LINKED_STATUSES).exclude(our_content_url="")
        for pk in linked.values_list("pk", flat=True):
            verify_backlink.delay(pk)
        skipped = queryset.count() - linked.count()
        message = _("%(n)d link check(s) queued; results appear here in a moment.") % {"n": linked.count()}
        if skipped:
            message += " " + _("%(n)d skipped: not placed, or no page of ours to look for.") % {"n": skipped}
        self.message_user(request, message)

    @action(description=_("Write the pitch angle"), permissions=["change"])
    def write_pitch(self, request: HttpRequest, queryset: QuerySet[BacklinkOpportunity]) -> None:
        for pk in queryset.values_list("pk", flat=True):
            write_backlink_pitch.delay(pk)
        self.message_user(request, _("%(n)d pitch angle(s) being written.") % {"n": queryset.count()})
