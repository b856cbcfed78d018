"""What comes and goes through a brand's mailbox besides EmailLog.

OutboxMessage: the local stand-in for Zoho Mail when a brand has no
credentials: sent messages land in its "sent" folder, and staff can put a
simulated reply, out-of-office or bounce in its "inbox" from the admin.
InboundEmail: each message read from a brand's inbox, once, with what the
autopilot made of it. MailboxState: when the inbox was last read, and the
last error.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand
from crm.models.deals import Deal
from crm.models.emails import EmailLog
from crm_site.models import Claimable


class OutboxFolder(models.TextChoices):
    SENT = "sent", _("Sent")
    INBOX = "inbox", _("Inbox")


class OutboxMessage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="outbox_messages")
    folder = models.CharField(max_length=10, choices=OutboxFolder.choices)
    from_address = models.CharField(max_length=320)
    to_address = models.CharField(max_length=320)
    subject = models.CharField(max_length=300)
    html = models.TextField(blank=True, verbose_name=_("HTML"))
    text = models.TextField(blank=True)
    rfc_message_id = models.CharField(max_length=300, unique=True, verbose_name=_("Message-ID"))
    in_reply_to = models.CharField(max_length=300, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbox message")

    def __str__(self) -> str:
        return f"{self.get_folder_display()}: {self.subject}"


class InboundKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    AUTO_REPLY = "auto_reply", _("Auto-reply / out of office")
    BOUNCE = "bounce", _("Bounce")
    UNMATCHED = "unmatched", _("Not a reply to us")


class InboundEmail(Claimable):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="inbound_emails")
    provider = models.CharField(max_length=20)
    provider_message_id = models.CharField(max_length=200, verbose_name=_("Provider message ID"))
    folder_id = models.CharField(max_length=100, blank=True, verbose_name=_("Folder ID"))
    rfc_message_id = models.CharField(max_length=300, blank=True, verbose_name=_("Message-ID"))
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(blank=True)
    thread_id = models.CharField(max_length=200, blank=True, verbose_name=_("Thread ID"))
    from_address = models.CharField(max_length=320)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=InboundKind.choices, blank=True)
    email = models.ForeignKey(EmailLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound")
    deal = models.ForeignKey(Deal, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_emails")
    outcome = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("inbound email")
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "provider", "provider_message_id"], name="inbound_once_per_provider_message"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"


class MailboxState(models.Model):
    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="mailbox_state", primary_key=True)
    inbox_checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.brand} mailbox"
