"""Email log: read-only, with status, opens, replies and the provider's ids."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.decorators import action, display

from crm.admin.base import DealBrandFilter, ReadOnlyAdmin
from crm.errors import EmailError
from crm.models import EmailLog, EmailStatus
from crm.services.sending import email_reconcile_by_hand, email_send_now, next_window_start, recipient_zone

STATUS_COLOURS = {
    "pending": "info",
    "sending": "warning",
    "sent": "success",
    "failed": "danger",
    "needs_reconcile": "danger",
    "cancelled": "warning",
}


SEND_NOW_LIMIT = 20  # each is a send to the mailbox, in the request


class EmailBrandFilter(DealBrandFilter):
    brand_path = "brand"


@admin.register(EmailLog)
class EmailLogAdmin(ReadOnlyAdmin):
    brand_path = "brand"
    list_display = [
        "subject",
        "to_email",
        "status_label",
        "scheduled",
        "sent_at",
        "opened",
        "open_count",
        "replied",
        "kind",
        "provider",
    ]
    list_select_related = ["deal", "brand", "contact"]
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
                    "scheduled",
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

    readonly_fields = ["scheduled"]
    actions = ["send_now", "reconciled_as_sent", "reconciled_send_again", "reconciled_as_failed"]

    @display(description=_("Status"), label=STATUS_COLOURS, ordering="status")
    def status_label(self, email: EmailLog) -> str:
        return email.status

    @display(description=_("Scheduled for"), ordering="scheduled_for")
    def scheduled(self, email: EmailLog) -> str:
        """When a queued email goes, in the brand's time zone (the window is the recipient's)."""
        if email.status != EmailStatus.PENDING:
            return "–"
        brand, now = email.brand, timezone.now()
        zone = recipient_zone(email, brand)
        when = email.scheduled_for if email.scheduled_for and email.scheduled_for > now else now
        if not brand.in_send_window(when, zone):
            when = next_window_start(brand, zone, when)
        if when <= now:
            return str(_("the next send run (within 15 minutes)"))
        local = when.astimezone(brand.zone)
        return f"{local:%d %b %Y, %H:%M} {brand.timezone}"

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("crm.change_deal")

    @action(description=_("Send now (even outside the sending window)"), permissions=["send"])
    def send_now(self, request: HttpRequest, queryset: QuerySet[EmailLog]) -> None:
        """Each queued email at once; the caps, unsubscribes and the deal's state still apply."""
        sent = 0
        for email in queryset.filter(status=EmailStatus.PENDING).select_related("brand")[:SEND_NOW_LIMIT]:
            try:
                email_send_now(email=email)
                sent += 1
            except EmailError as exc:
                self.message_user(request, f"{email.to_email}: {exc}", messages.ERROR)
        self.message_user(request, _("%(n)d email(s) sent.") % {"n": sent})

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
