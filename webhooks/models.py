"""InboundEvent: every webhook delivery we accepted, stored before it is processed.

The unique (provider, external_id) absorbs redeliveries; processed_at says the work was done;
a delivery whose processing failed, or whose task never reached the broker, is picked up
again by the `inbound_events_retry` beat job (next_attempt_at, with back-off).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    ZOHO_CRM = "zoho_crm", _("Zoho CRM")
    WHATSAPP = "whatsapp", _("WhatsApp Cloud API")
    WAHA = "waha", _("WhatsApp gateway (WAHA)")


class EventState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Processed")
    FAILED = "failed", _("Failed")
    IGNORED = "ignored", _("Ignored")


class InboundEvent(models.Model):
    provider = models.CharField(max_length=20, choices=Provider.choices)
    event_type = models.CharField(max_length=60)
    external_id = models.CharField(max_length=200, help_text=_("The delivery's own id: redeliveries share it"))
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=EventState.choices, default=EventState.PENDING)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text=_("When the retry job may take it"))
    locked_until = models.DateTimeField(null=True, blank=True, help_text=_("A worker holds it until then"))
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "external_id"], name="inbound_event_once"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="inbound_event_due")]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.event_type} {self.external_id}"
