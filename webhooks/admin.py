"""Inbound events: read-only, with the payload as it arrived, and a "process again" action."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from webhooks.models import EventState, InboundEvent
from webhooks.tasks import inbound_event_process_task

STATE_COLOURS = {"pending": "info", "done": "success", "failed": "danger", "ignored": "warning"}


@admin.register(InboundEvent)
class InboundEventAdmin(ModelAdmin):  # type: ignore[misc]  # unfold ships no types
    list_display = ["received_at", "provider", "event_type", "external_id", "state_label", "attempts", "processed_at"]
    list_filter = ["provider", "state", "event_type"]
    search_fields = ["external_id", "event_type", "error"]
    readonly_fields = [field.name for field in InboundEvent._meta.fields]
    date_hierarchy = "received_at"
    actions = ["process_again"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @display(description=_("State"), label=STATE_COLOURS)  # type: ignore[untyped-decorator]
    def state_label(self, obj: InboundEvent) -> str:
        return obj.state

    @action(description=_("Process again"))  # type: ignore[untyped-decorator]
    def process_again(self, request: HttpRequest, queryset: QuerySet[InboundEvent]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(state=EventState.PENDING, next_attempt_at=timezone.now(), locked_until=None)
        for event_id in ids:
            inbound_event_process_task.delay(event_id)
        self.message_user(request, _("%(n)s events queued.") % {"n": len(ids)}, messages.SUCCESS)
