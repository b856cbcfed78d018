"""The outbox of events, outgoing webhooks, one message per webhook and event, one delivery row
per attempt."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models import Brand
from crm_site.fields import EncryptedTextField
from crm_site.models import Claimable

EVENT_TYPES = (
    "lead.created", "lead.updated", "lead.deleted", "contact.created", "contact.updated",
    "opportunity.created", "opportunity.updated", "opportunity.won", "opportunity.lost",
    "task.created", "task.completed", "campaign.completed", "document.uploaded",
    "email.replied", "candidate.ready_to_pitch", "whatsapp.message",
)  # fmt: skip


class Event(models.Model):
    """Something that happened, written in the transaction of the change (a rolled-back change
    leaves none; a committed one is never lost), then fanned out to the webhooks that want it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    type = models.CharField(max_length=40, db_index=True)
    data = models.JSONField(help_text=_("The object as the REST API serialises it"))
    occurred_at = models.DateTimeField()
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["occurred_at"], name="event_waiting", condition=Q(fanned_out_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.type} at {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class WebhookFormat(models.TextChoices):
    STANDARD = "standard", _("Standard Webhooks (signed JSON)")
    SLACK = "slack", _("Slack message (Block Kit)")
    TEAMS = "teams", _("Microsoft Teams message (Adaptive Card)")


class Webhook(models.Model):
    """An endpoint that receives the events it names, signed with its own `whsec_` secret. A Slack
    or Teams integration, and each Zapier subscription, delivers through one of these too."""

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, null=True, blank=True, related_name="webhooks",
        help_text=_("Only this brand's events; empty: every brand's"),
    )  # fmt: skip
    name = models.CharField(max_length=120)
    url = EncryptedTextField(
        help_text=_("Kept encrypted: receivers' addresses often carry a token"), verbose_name=_("URL")
    )
    events = models.JSONField(default=list, help_text=_("Event types, such as opportunity.won"))
    secret = EncryptedTextField(editable=False)
    format = models.CharField(max_length=10, choices=WebhookFormat.choices, default=WebhookFormat.STANDARD)
    integration = models.ForeignKey(
        "hub.ThirdPartyIntegration", on_delete=models.CASCADE, null=True, blank=True, related_name="webhooks",
        editable=False, help_text=_("The integration this delivers for (Slack, Teams, a Zapier subscription)"),
    )  # fmt: skip
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=500, blank=True, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def url_shown(self) -> str:
        """The address without its path and query, which may hold a token."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else ""


class MessageState(models.TextChoices):
    PENDING = "pending", _("Waiting to be delivered")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed after every retry")
    CANCELLED = "cancelled", _("Cancelled (endpoint disabled)")


class WebhookMessage(Claimable):
    """One event for one webhook: the same `webhook-id` on every attempt, retried from the
    database on the Standard Webhooks schedule (hub.services.webhooks.RETRY_SCHEDULE)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="messages")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    state = models.CharField(max_length=10, choices=MessageState.choices, default=MessageState.PENDING)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["webhook", "event"], name="webhook_message_once")]
        indexes = [models.Index(fields=["retry_at"], name="webhook_message_due", condition=Q(state="pending"))]

    def __str__(self) -> str:
        return f"{self.event.type} to {self.webhook}"


class WebhookDelivery(models.Model):
    """One attempt: what was answered (the first 2 KB), how long it took, or the error."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    duration_ms = models.PositiveIntegerField(default=0)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.message} #{self.attempt}"
