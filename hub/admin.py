"""The hub in the admin: webhooks (the secret shown once, when made), every message and attempt,
redeliver, and the events outbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from crm.admin.base import BrandScopedAdmin
from hub.models import EVENT_TYPES, Event, MessageState, Webhook, WebhookDelivery, WebhookMessage
from hub.services.webhooks import body_of, secret_new, webhook_ping, webhook_redeliver, webhook_url_problem

STATE_COLOURS = {"pending": "warning", "delivered": "success", "failed": "danger", "cancelled": "info"}


class DeliveryInline(TabularInline):
    model = WebhookDelivery
    extra = 0
    can_delete = False
    fields = ["attempt", "at", "status_code", "succeeded", "duration_ms", "error", "response_body"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WebhookForm(forms.ModelForm):
    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        problem = webhook_url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean_events(self) -> list[str]:
        events = self.cleaned_data["events"]
        unknown = [event for event in events or [] if event not in EVENT_TYPES] if isinstance(events, list) else events
        if not isinstance(events, list) or not events or unknown:
            raise forms.ValidationError(f"A list of event types: {', '.join(EVENT_TYPES)}")
        return events


@admin.register(Webhook)
class WebhookAdmin(BrandScopedAdmin):
    form = WebhookForm
    list_display = ["name", "url", "brand", "subscribed", "active", "failing_since"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["disabled_reason", "failing_since", "created_by", "created_at"]
    actions = ["send_ping"]

    def save_model(self, request: HttpRequest, obj: Webhook, form: Any, change: bool) -> None:
        if not change:
            obj.secret, obj.created_by = secret_new(), request.user  # type: ignore[assignment]
            shown_once = _("The signing secret, shown this once; give it to the receiver:")
            messages.warning(request, format_html("{} <code data-secret>{}</code>", shown_once, obj.secret))
        super().save_model(request, obj, form, change)

    @display(description=_("Events"))
    def subscribed(self, webhook: Webhook) -> str:
        return ", ".join(webhook.events)

    @display(description=_("Active"), label={"yes": "success", "no": "danger"})
    def active(self, webhook: Webhook) -> tuple[str, str]:
        return ("yes", str(_("Active"))) if webhook.is_active else ("no", f"{_('Disabled')}: {webhook.disabled_reason}")

    @action(description=_("Send a ping"))
    def send_ping(self, request: HttpRequest, queryset: QuerySet[Webhook]) -> None:
        for webhook in queryset:
            message = webhook_ping(webhook=webhook)
            last = message.deliveries.first()
            outcome = f"{last.status_code or last.error}" if last else "not sent"
            messages.info(request, f"{webhook.name}: {message.get_state_display()} ({outcome})")


@admin.register(WebhookMessage)
class WebhookMessageAdmin(ModelAdmin):
    list_display = ["event", "webhook", "state_label", "attempts", "retry_at", "delivered_at"]
    list_filter = ["state", "webhook"]
    list_select_related = ["event", "webhook"]
    readonly_fields = ["webhook", "event", "state", "attempts", "retry_at", "delivered_at", "last_error", "payload"]
    fields = readonly_fields
    inlines = [DeliveryInline]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @display(description=_("State"), label=STATE_COLOURS)
    def state_label(self, message: WebhookMessage) -> tuple[str, str]:
        return message.state, message.get_state_display()

    @display(description=_("Payload"))
    def payload(self, message: WebhookMessage) -> str:
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", body_of(message.event).decode())

    @action(description=_("Deliver again now"))
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookMessage]) -> None:
        for message in queryset.exclude(state=MessageState.PENDING):
            webhook_redeliver(message=message)
        messages.info(request, _("Sent again; each attempt is listed on the message."))


@admin.register(Event)
class EventAdmin(ModelAdmin):
    list_display = ["type", "brand", "occurred_at", "fanned_out_at"]
    list_filter = ["type"]
    readonly_fields = ["type", "brand", "data", "occurred_at", "fanned_out_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
