"""The hub in the admin: webhooks (the secret shown once, when made), every message and attempt,
redeliver, and the events outbox; integrations (test, sync, their log), custom endpoints, and the
leads the brands' websites sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminCheckboxSelectMultipleWidget, UnfoldAdminPasswordWidget

from crm.admin.base import BrandScopedAdmin, visible_brands
from hub.errors import HubError
from hub.models import (
    EVENT_TYPES,
    APIEndpoint,
    ChatLead,
    ContactInquiry,
    Event,
    IntegrationKind,
    IntegrationLog,
    MessageState,
    ThirdPartyIntegration,
    Webhook,
    WebhookDelivery,
    WebhookMessage,
)
from hub.services.endpoints import endpoint_check
from hub.services.integrations import integration_create, integration_sync, integration_test, integration_update
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
    url = forms.URLField(max_length=1000, assume_scheme="https")

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
    list_display = ["name", "address", "brand", "format", "subscribed", "active", "failing_since"]
    list_filter = ["is_active", "format"]
    search_fields = ["name"]
    readonly_fields = ["format", "integration", "disabled_reason", "failing_since", "created_by", "created_at"]
    actions = ["send_ping"]

    def has_change_permission(self, request: HttpRequest, obj: Webhook | None = None) -> bool:
        if obj is not None and obj.integration_id:  # Slack, Teams, a Zap: changed on the integration
            return False
        return super().has_change_permission(request, obj)

    @display(description=_("Address"))
    def address(self, webhook: Webhook) -> str:
        return webhook.url_shown if webhook.integration_id else webhook.url

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
        body = body_of(message.event, message.webhook.format).decode()
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", body)

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


# --- integrations -----------------------------------------------------------------------------


class LogInline(TabularInline):
    model = IntegrationLog
    extra = 0
    can_delete = False
    max_num = 0
    fields = ["at", "action", "event_type", "ok", "status_code", "duration_ms", "detail"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[IntegrationLog]:
        return super().get_queryset(request).order_by("-at", "-pk")


class IntegrationForm(forms.ModelForm):
    target_url = forms.URLField(
        required=False, max_length=1000, assume_scheme="https", widget=UnfoldAdminPasswordWidget(),
        help_text=_("Slack or Teams: the channel's webhook address. Kept encrypted, never shown again; "
                    "leave empty to keep the current one."),
    )  # fmt: skip
    events = forms.MultipleChoiceField(
        choices=[(event, event) for event in EVENT_TYPES], required=False,
        widget=UnfoldAdminCheckboxSelectMultipleWidget, help_text=_("Slack and Teams: the events posted"),
    )  # fmt: skip

    class Meta:
        model = ThirdPartyIntegration
        fields = ["name", "kind", "brand", "events", "target_url", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["target_url"] = ""
        if self.instance.pk:
            self.fields["kind"].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("target_url") and self.instance.pk:
            cleaned["target_url"] = self.instance.target_url
        kind = cleaned.get("kind") or self.instance.kind
        if kind in (IntegrationKind.SLACK, IntegrationKind.TEAMS):
            if not cleaned.get("target_url"):
                self.add_error("target_url", _("The channel's incoming webhook address."))
            elif problem := webhook_url_problem(cleaned["target_url"]):
                self.add_error("target_url", problem)
            if not cleaned.get("events"):
                self.add_error("events", _("At least one event to post."))
        return cleaned


@admin.register(ThirdPartyIntegration)
class IntegrationAdmin(BrandScopedAdmin):
    form = IntegrationForm
    list_display = ["name", "kind", "brand", "target_host", "active", "tested", "last_synced_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["target_host", "user", "last_tested_at", "last_test_ok", "last_synced_at", "last_error"]
    inlines = [LogInline]
    actions = ["test_connection", "run_sync"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["name", "kind", "brand", "events", "target_url", "is_active"]
        return fields + (list(self.readonly_fields) if obj is not None else [])

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        mine = Q(brand__isnull=True, created_by=request.user)  # a brand-less integration: its maker's
        return queryset.filter(Q(brand__in=visible_brands(request)) | mine)

    def save_model(self, request: HttpRequest, obj: ThirdPartyIntegration, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            integration_update(
                integration=obj, name=data["name"], brand=data.get("brand"), events=data.get("events", []),
                target_url=data.get("target_url", ""), is_active=data.get("is_active", True),
            )  # fmt: skip
            return
        created = integration_create(
            name=data["name"], kind=data["kind"], brand=data.get("brand"), user=request.user,  # type: ignore[arg-type]
            events=data.get("events", []), target_url=data.get("target_url", ""),
        )  # fmt: skip
        obj.pk = created.integration.pk
        if created.feed_token:
            url = request.build_absolute_uri(f"/api/integrations/calendar/{created.feed_token}.ics")
            shown_once = _("The calendar feed's secret address, shown this once; add it to your calendar app:")
            messages.warning(request, format_html("{} <code data-feed-url>{}</code>", shown_once, url))

    @display(description=_("Channel"))
    def target_host(self, integration: ThirdPartyIntegration) -> str:
        return Webhook(url=integration.target_url).url_shown or "-"

    @display(description=_("Active"), label={"yes": "success", "no": "danger"})
    def active(self, integration: ThirdPartyIntegration) -> tuple[str, str]:
        return ("yes", str(_("Active"))) if integration.is_active else ("no", str(_("Off")))

    @display(description=_("Last test"), label={"ok": "success", "failed": "danger", "never": "info"})
    def tested(self, integration: ThirdPartyIntegration) -> tuple[str, str]:
        if integration.last_test_ok is None:
            return "never", str(_("Never tested"))
        return ("ok", str(_("OK"))) if integration.last_test_ok else ("failed", integration.last_error or "failed")

    @action(description=_("Test the connection"))
    def test_connection(self, request: HttpRequest, queryset: QuerySet[ThirdPartyIntegration]) -> None:
        for integration in queryset:
            outcome = integration_test(integration=integration)
            level = messages.SUCCESS if outcome.ok else messages.ERROR
            self.message_user(request, f"{integration.name}: {outcome.detail}", level)

    @action(description=_("Sync now"))
    def run_sync(self, request: HttpRequest, queryset: QuerySet[ThirdPartyIntegration]) -> None:
        for integration in queryset:
            try:
                outcome = integration_sync(integration=integration)
            except HubError as exc:
                self.message_user(request, f"{integration.name}: {exc}", messages.WARNING)
                continue
            level = messages.SUCCESS if outcome.ok else messages.ERROR
            self.message_user(request, f"{integration.name}: {outcome.detail}", level)


@admin.register(IntegrationLog)
class IntegrationLogAdmin(BrandScopedAdmin):
    brand_path = "integration__brand"
    list_display = ["at", "integration", "action", "event_type", "ok", "status_code", "duration_ms"]
    list_filter = ["action", "ok", "integration__kind"]
    list_select_related = ["integration"]
    readonly_fields = ["integration", "action", "event_type", "ok", "status_code", "duration_ms", "detail", "at"]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- custom endpoints ----------------------------------------------------------------------------


class EndpointForm(forms.ModelForm):
    class Meta:
        model = APIEndpoint
        fields = ["slug", "name", "brand", "model", "filters", "fields", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("brand") and cleaned.get("model"):
            try:
                endpoint_check(
                    model=cleaned["model"], filters=cleaned.get("filters") or {}, fields=cleaned.get("fields"),
                    brand=cleaned["brand"],
                )  # fmt: skip
            except HubError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, str(exc))
        return cleaned


@admin.register(APIEndpoint)
class APIEndpointAdmin(BrandScopedAdmin):
    form = EndpointForm
    list_display = ["slug", "name", "brand", "model", "is_active", "address"]
    list_filter = ["model", "is_active"]
    search_fields = ["slug", "name"]

    def save_model(self, request: HttpRequest, obj: APIEndpoint, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @display(description=_("Address"))
    def address(self, endpoint: APIEndpoint) -> str:
        return str(endpoint)


# --- website leads -------------------------------------------------------------------------------


class WebsiteLeadAdmin(BrandScopedAdmin):
    list_select_related = ["brand", "contact"]
    search_fields = ["email", "name", "company"]
    list_filter = ["brand"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChatLead)
class ChatLeadAdmin(WebsiteLeadAdmin):
    list_display = ["received_at", "name", "email", "company", "brand", "contact"]
    fields = ["brand", "name", "email", "company", "contact", "transcript", "origin", "ip_address", "received_at"]
    readonly_fields = fields


@admin.register(ContactInquiry)
class ContactInquiryAdmin(WebsiteLeadAdmin):
    list_select_related = ["brand", "contact", "deal__current_stage"]
    list_display = ["received_at", "name", "email", "service", "brand", "contact", "deal"]
    fields = [
        "brand", "name", "email", "phone", "company", "service", "message", "contact", "deal", "origin", "ip_address",
        "received_at",
    ]  # fmt: skip
    readonly_fields = fields
