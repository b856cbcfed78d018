"""WhatsApp conversations (one per phone): labels, attributes, the linked candidate, Chatwoot ids."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from crm_site.claims_admin import CLAIM_FIELDS
from messaging.models import SyncState, WhatsAppContact, WhatsAppMessage


class MessageInline(TabularInline):
    model = WhatsAppMessage
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["sent_at", "text", "message_type", "intents", "status", "sync_state", "sync_error"]
    readonly_fields = fields
    ordering = ["-sent_at"]
    tab = True


@admin.register(WhatsAppContact)
class WhatsAppContactAdmin(ModelAdmin):
    list_display = ["__str__", "candidate", "labels_text", "language", "message_count", "unsynced",
                    "chatwoot_conversation_id", "updated_at"]  # fmt: skip
    list_filter = ["language", "tag_source"]
    list_select_related = ["candidate"]
    search_fields = ["phone", "profile_name", "candidate__first_name", "candidate__last_name"]
    readonly_fields = ["phone", "profile_name", "candidate", "labels", "attributes", "language", "tag_source",
                       "chatwoot_contact_id", "chatwoot_conversation_id", "created_at", "updated_at"]  # fmt: skip
    exclude = CLAIM_FIELDS
    inlines = [MessageInline]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WhatsAppContact]:
        not_synced = ~Q(messages__sync_state=SyncState.SYNCED)
        return (
            super()
            .get_queryset(request)
            .annotate(n_messages=Count("messages"), n_unsynced=Count("messages", filter=not_synced))
        )

    @display(description=_("Labels"))
    def labels_text(self, obj: WhatsAppContact) -> str:
        return ", ".join(obj.labels)

    @display(description=_("WhatsApp messages"), ordering="n_messages")
    def message_count(self, obj: WhatsAppContact) -> int:
        return int(getattr(obj, "n_messages", 0))

    @display(description=_("Not yet in Chatwoot"), ordering="n_unsynced")
    def unsynced(self, obj: WhatsAppContact) -> int:
        return int(getattr(obj, "n_unsynced", 0))
