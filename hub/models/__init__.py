"""The hub's models, one module per concept, re-exported here: the events outbox and outgoing
webhooks (webhooks), integrations with their log (integrations), custom read-only endpoints
(endpoints), and leads from the brands' websites (leads)."""

from hub.models.endpoints import APIEndpoint, EndpointModel
from hub.models.integrations import IntegrationKind, IntegrationLog, ThirdPartyIntegration
from hub.models.leads import ChatLead, ContactInquiry
from hub.models.webhooks import (
    EVENT_TYPES,
    Event,
    MessageState,
    Webhook,
    WebhookDelivery,
    WebhookFormat,
    WebhookMessage,
)

__all__ = [
    "EVENT_TYPES",
    "APIEndpoint",
    "ChatLead",
    "ContactInquiry",
    "EndpointModel",
    "Event",
    "IntegrationKind",
    "IntegrationLog",
    "MessageState",
    "ThirdPartyIntegration",
    "Webhook",
    "WebhookDelivery",
    "WebhookFormat",
    "WebhookMessage",
]
