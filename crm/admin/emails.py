"""Email log: read-only, with status, opens, replies and the provider's ids."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.decorators import action, display

from crm.admin.base import DealBrandFilter, ReadOnlyAdmin
from crm.models import EmailLog
from crm.services.sending import email_reconcile_by_hand

STATUS_COLOURS = {
    "pending": "info",
    "sending": "warning",
    "sent": "success",
    "failed": "danger",
    "needs_reconcile": "danger",
    "cancelled": "warning",
}


class EmailBrandFilter(DealBrandFilter):
    brand_path = "brand"


@admin.register(EmailLog)
class EmailLogAdmin(ReadOnlyAdmin):
    brand_path = "brand"
    list_display = [
        "subject",
        "to_email",
        "status_label",
        "sent_at",
        "opened",
        "open_count",
        "replied",
        "kind",
        "provider",
    ]
    list_select_related = ["deal"]
    list_filter = [
        EmailBrandFilter,
        "status",
        "kind",
        "opened",
        "replied",
        "ai_generated",
        ("sent_at", RangeDateFilter),
    ]
    search_fields = ["to_email", "subject", "provider_message_id", "send_key"]
    date_hierarchy = "created_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "brand",
                    "contact",
                    "deal",
                    "sequence_step",
                    "to_email",
                    "subject",
                    "body",
                    "status",
                    "error",
                ]
            },
        ),
        (
            _("Delivery"),
            {
                "fields": [
                    "provider",
                    "provider_message_id",
                    "provider_thread_id",
                    "send_key",
                    "scheduled_for",
                    "attempts",
                    "claimed_at",
                    "sent_at",
                ]
            },
        ),
        (
            _("Engagement"),
            {
                "fields": [
                    "opened",
                    "opened_at",
                    "open_count",
                    "likely_machine_open",
                    "clicked",
                    "clicked_at",
                    "replied",
                    "replied_at",
                    "reply_content",
                ]
            },
        ),
        (_("Record"), {"fields": ["ai_generated", "created_at", "updated_at"]}),
    ]

    actions = ["reconciled_as_sent", "reconciled_send_again", "reconciled_as_failed"]

    @display(description=_("Status"), label=STATUS_COLOURS, ordering="status")
    def status_label(self, email: EmailLog) -> str:
        return email.status

    # A person settles what reconciliation could not: the send's outcome was unknown.

    @action(description=_("Needs reconcile: it went out (mark sent)"), permissions=["view"])
    def reconciled_as_sent(self, request: HttpRequest, queryset: QuerySet[EmailLog]) -> None:
        count = sum(email_reconcile_by_hand(email=e, outcome="sent") for e in queryset)
        self.message_user(request, _("%(n)d email(s) marked sent.") % {"n": count})

    @action(description=_("Needs reconcile: it did not go out (send again)"), permissions=["view"])
    def reconciled_send_again(self, request: HttpRequest, queryset: QuerySet[EmailLog]) -> None:
        count = sum(email_reconcile_by_hand(email=e, outcome="pending") for e in queryset)
        self.message_user(request, _("%(n)d email(s) queued again.") % {"n": count})

    @action(description=_("Needs reconcile: give up (mark failed)"), permissions=["view"])
    def reconciled_as_failed(self, request: HttpRequest, queryset: QuerySet[EmailLog]) -> None:
        count = sum(email_reconcile_by_hand(email=e, outcome="failed") for e in queryset)
        self.message_user(request, _("%(n)d email(s) marked failed.") % {"n": count})
