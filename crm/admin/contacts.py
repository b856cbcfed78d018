"""Contacts: search by name, email or company; filter by brand, type, source and dates."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.decorators import display

from crm.admin.base import BrandFilter, BrandScopedAdmin
from crm.models import Contact, Deal
from crm_site.widgets import ListFieldsMixin


class DealInline(TabularInline):
    model = Deal
    fields = ["pipeline", "current_stage", "status", "value", "next_action_date", "emails_sent"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Contact)
class ContactAdmin(ListFieldsMixin, BrandScopedAdmin):
    list_fields = lowercase_list_fields = ("tags",)
    list_display = [
        "contact_header",
        "company",
        "brand",
        "contact_type",
        "domain_authority",
        "ai_score",
        "reachability",
        "created_at",
    ]
    list_select_related = ["brand"]
    search_fields = ["name", "email", "company"]
    list_filter = [BrandFilter, "contact_type", ("created_at", RangeDateFilter), "source"]
    readonly_fields = ["ai_score", "unsubscribed_at", "bounced_at", "created_at", "updated_at"]
    inlines = [DealInline]
    fieldsets = [
        (
            None,
            {"fields": ["brand", "email", "name", "first_name", "company", "website", "domain_authority"]},
        ),
        (
            _("Classification"),
            {"fields": ["contact_type", "source", "tags", "ai_score", "timezone", "notes"]},
        ),
        (_("Suppression"), {"fields": ["unsubscribed_at", "bounced_at"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    @display(description=_("Contact"), header=True, ordering="email")
    def contact_header(self, contact: Contact) -> list[str]:
        return [contact.name or contact.email, contact.email if contact.name else ""]

    @display(description=_("Reachable"), label={"yes": "success", "unsubscribed": "danger", "bounced": "warning"})
    def reachability(self, contact: Contact) -> str:
        if contact.unsubscribed_at:
            return "unsubscribed"
        if contact.bounced_at:
            return "bounced"
        return "yes"
