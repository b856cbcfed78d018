"""Serializers of /api/integrations/: each problem named by its field."""

from __future__ import annotations

from rest_framework import serializers

from crm.api.serializers import VisibleBrandField
from hub.models import EVENT_TYPES, Webhook, WebhookDelivery, WebhookMessage
from hub.services.webhooks import webhook_url_problem


class WebhookSerializer(serializers.ModelSerializer[Webhook]):
    """`events`: any of lead.created, lead.updated, lead.deleted, contact.created, contact.updated,
    opportunity.created, opportunity.updated, opportunity.won, opportunity.lost, task.created,
    task.completed, campaign.completed, document.uploaded, email.replied, candidate.ready_to_pitch,
    whatsapp.message. The answer to a create holds the `secret` (whsec_...), this once."""

    brand = VisibleBrandField(required=False, allow_null=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES), min_length=1)

    class Meta:
        model = Webhook
        fields = ["id", "name", "url", "events", "brand", "is_active", "disabled_reason", "failing_since", "created_at"]
        read_only_fields = ["disabled_reason", "failing_since", "created_at"]

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
