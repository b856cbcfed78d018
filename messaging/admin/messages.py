"""WhatsApp messages: search by phone and text, delivery and Chatwoot sync state, "retry sync"."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from messaging.models import WhatsAppMessage
from messaging.services.chatwoot_sync import message_sync_retry
from messaging.tasks import chatwoot_sync_message_task


def _enqueue(message_ids: list[int]) -> None:
    for message_id in message_ids:
        chatwoot_sync_message_task.delay(message_id)


SYNC_COLOURS = {"waiting": "info", "pending": "info", "posting": "warning", "synced": "success", "failed": "danger"}


@admin.register(WhatsAppMessage)
class WhatsAppMessageAdmin(ModelAdmin):
    list_display = ["sent_at", "sender_phone", "profile_name", "short_text", "message_type", "intents_text",
                    "status", "sync_label", "sync_attempts"]  # fmt: skip
    list_filter = ["sync_state", "message_type", "status", "direction"]
    list_select_related = ["contact"]
    search_fields = ["sender_phone", "text", "profile_name", "wa_message_id"]
    date_hierarchy = "sent_at"
    readonly_fields = [field.name for field in WhatsAppMessage._meta.fields]
    actions = ["retry_sync"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @display(description=_("Text"))
    def short_text(self, obj: WhatsAppMessage) -> str:
        return obj.text[:80]

    @display(description=_("Intents"))
    def intents_text(self, obj: WhatsAppMessage) -> str:
        return ", ".join(obj.intents)

    @display(description=_("Chatwoot"), label=SYNC_COLOURS)
    def sync_label(self, obj: WhatsAppMessage) -> str:
        return obj.sync_state

    @action(description=_("Retry the Chatwoot sync"))
    def retry_sync(self, request: HttpRequest, queryset: QuerySet[WhatsAppMessage]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        retried = message_sync_retry(message_ids=ids)
        transaction.on_commit(lambda: _enqueue(ids))
        self.message_user(request, _("%(n)s failed messages queued again.") % {"n": retried}, messages.SUCCESS)
