"""Serializers of /api/integrations/: each problem named by its field."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crm.api.serializers import VisibleBrandField
from hub.errors import HubError
from hub.models import (
    EVENT_TYPES,
    APIEndpoint,
    IntegrationKind,
    ThirdPartyIntegration,
    Webhook,
    WebhookDelivery,
    WebhookFormat,
    WebhookMessage,
)
from hub.services.endpoints import endpoint_check
from hub.services.webhooks import format_for, webhook_url_problem
from recruiting.services.candidates import phone_e164


class WebhookSerializer(serializers.ModelSerializer[Webhook]):
    """`events`: any of lead.created, lead.updated, lead.deleted, contact.created, contact.updated,
    opportunity.created, opportunity.updated, opportunity.won, opportunity.lost, task.created,
    task.completed, campaign.completed, document.uploaded, email.replied, candidate.ready_to_pitch,
    whatsapp.message. The answer to a create holds the `secret` (whsec_...), this once. `format`:
    standard (signed JSON, the default), slack or teams (a chat message; a hooks.slack.com address
    is taken as slack when no format is given)."""

    brand = VisibleBrandField(required=False, allow_null=True)
    url = serializers.URLField(max_length=1000)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES), min_length=1)

    class Meta:
        model = Webhook
        fields = [
            "id", "name", "url", "events", "brand", "format", "integration", "is_active", "disabled_reason",
            "failing_since", "created_at",
        ]  # fmt: skip
        read_only_fields = ["integration", "disabled_reason", "failing_since", "created_at"]
        extra_kwargs = {"format": {"required": False}}

    def to_representation(self, instance: Webhook) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.format != WebhookFormat.STANDARD:
            data["url"] = instance.url_shown  # a Slack or Teams channel's address is its credential
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "format" not in attrs and self.instance is None:
            attrs["format"] = format_for(attrs.get("url", ""))
        return attrs

    def validate_url(self, url: str) -> str:
        problem = webhook_url_problem(url)
        if problem:
            raise serializers.ValidationError(problem)
        return url


class DeliverySerializer(serializers.ModelSerializer[WebhookDelivery]):
    event_type = serializers.CharField(source="message.event.type", read_only=True)
    event_id = serializers.UUIDField(source="message.event_id", read_only=True)
    message_state = serializers.CharField(source="message.state", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_type", "event_id", "message_state", "attempt", "status_code", "succeeded", "duration_ms",
            "response_body", "error", "at",
        ]  # fmt: skip


class MessageSerializer(serializers.ModelSerializer[WebhookMessage]):
    event_type = serializers.CharField(source="event.type", read_only=True)
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = WebhookMessage
        fields = ["id", "event_type", "event_id", "state", "attempts", "retry_at", "delivered_at", "deliveries"]


class IntegrationSerializer(serializers.ModelSerializer[ThirdPartyIntegration]):
    """`kind`: slack or teams (`target_url`: the channel's incoming webhook address, `events`: what
    to post), zapier (subscriptions come from Zaps, see /api/integrations/zapier/hooks/), calendar
    (the create answer holds `feed_url`, this once). `target_url` is never shown again."""

    brand = VisibleBrandField(required=False, allow_null=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES), required=False)
    target_url = serializers.URLField(max_length=1000, required=False, allow_blank=True, write_only=True)
    target = serializers.SerializerMethodField(help_text="The address's host only (its path may hold a token)")
    subscriptions = serializers.SerializerMethodField()

    class Meta:
        model = ThirdPartyIntegration
        fields = [
            "id", "name", "kind", "brand", "events", "target_url", "target", "user", "is_active", "subscriptions",
            "last_tested_at", "last_test_ok", "last_synced_at", "last_error", "created_at",
        ]  # fmt: skip
        read_only_fields = ["user", "last_tested_at", "last_test_ok", "last_synced_at", "last_error", "created_at"]

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["kind"].read_only = True
        return fields

    def get_target(self, integration: ThirdPartyIntegration) -> str:
        hook = Webhook(url=integration.target_url)
        return hook.url_shown

    def get_subscriptions(self, integration: ThirdPartyIntegration) -> int:
        return integration.webhooks.filter(is_active=True).count() if integration.kind == IntegrationKind.ZAPIER else 0


class OutcomeSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class ZapierHookSerializer(serializers.Serializer[Any]):
    """A Zap's subscription: Zapier posts its `target_url` (or `hookUrl`) and the `event`."""

    target_url = serializers.URLField(max_length=1000, required=False)
    hookUrl = serializers.URLField(max_length=1000, required=False)  # noqa: N815 - Zapier's own name
    event = serializers.ChoiceField(choices=EVENT_TYPES)
    brand = VisibleBrandField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        target = attrs.get("target_url") or attrs.get("hookUrl")
        if not target:
            raise serializers.ValidationError({"target_url": "The Zap's hook address (target_url or hookUrl)."})
        attrs["target_url"] = target
        return attrs


class APIEndpointSerializer(serializers.ModelSerializer[APIEndpoint]):
    """`model`: contacts, deals or tasks; `filters`: the campaign segments' filter language (see
    /api/campaigns/segments/); `fields`: which of the model's API fields each row carries."""

    brand = VisibleBrandField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = APIEndpoint
        fields = [
            "id",
            "slug",
            "name",
            "brand",
            "model",
            "filters",
            "fields",
            "is_active",
            "url",
            "created_at",
            "updated_at",
        ]

    def get_url(self, endpoint: APIEndpoint) -> str:
        return f"/api/integrations/custom/{endpoint.slug}/"

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        def pick(name: str, default: Any) -> Any:
            return attrs.get(name, getattr(self.instance, name, default) if self.instance else default)

        try:
            endpoint_check(
                model=pick("model", ""),
                filters=pick("filters", {}),
                fields=pick("fields", []),
                brand=pick("brand", None),
            )
        except HubError as exc:
            raise serializers.ValidationError({exc.field: str(exc)}) from exc
        return attrs


class LeadSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    website_url = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="",
        help_text="Leave empty: a hidden field people do not see and bots fill (then nothing is kept)",
    )  # fmt: skip


class ChatLeadSerializer(LeadSerializer):
    transcript = serializers.CharField(max_length=50_000, required=False, allow_blank=True, default="")


class InquirySerializer(LeadSerializer):
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    service = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")

    def validate_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        phone = phone_e164(value)
        if not phone:
            raise serializers.ValidationError("A phone number, such as +61 412 345 678.")
        return phone
