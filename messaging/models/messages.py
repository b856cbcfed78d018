"""WhatsAppMessage: one message of a conversation, with its delivery statuses and its Chatwoot sync."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from messaging.models.contacts import WhatsAppContact


class Direction(models.TextChoices):
    IN = "in", _("From the candidate")
    OUT = "out", _("From us")


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")


class SyncState(models.TextChoices):
    WAITING = "waiting", _("Waiting for Chatwoot settings")
    PENDING = "pending", _("Pending")
    POSTING = "posting", _("Being posted")
    SYNCED = "synced", _("Synced")
    FAILED = "failed", _("Failed")


class WhatsAppMessage(models.Model):
    wa_message_id = models.CharField(
        max_length=200, unique=True, help_text=_("WhatsApp's id (wamid...)"), verbose_name=_("WhatsApp message ID")
    )
    contact = models.ForeignKey(WhatsAppContact, on_delete=models.CASCADE, related_name="messages")
    sender_phone = models.CharField(max_length=20, db_index=True, help_text=_("E.164"))
    profile_name = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(help_text=_("WhatsApp's timestamp"))
    message_type = models.CharField(max_length=20, default="text")
    text = models.TextField(blank=True, help_text=_("The text, or a media message's caption"))
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.IN)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED)
    statuses = models.JSONField(default=dict, blank=True, help_text=_("status -> when WhatsApp reported it"))
    raw = models.JSONField(default=dict, blank=True)
    intents = models.JSONField(default=list, blank=True)
    sync_state = models.CharField(max_length=10, choices=SyncState.choices, default=SyncState.PENDING, db_index=True)
    sync_attempts = models.PositiveIntegerField(default=0)
    next_sync_at = models.DateTimeField(null=True, blank=True)
    sync_error = models.TextField(blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    chatwoot_message_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("Chatwoot message ID"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("WhatsApp message")
        verbose_name_plural = _("WhatsApp messages")
        indexes = [models.Index(fields=["sync_state", "next_sync_at"], name="whatsapp_sync_due")]

    def __str__(self) -> str:
        return f"{self.sender_phone}: {self.text[:60]}"
