"""EmailLog: one outgoing email, from queued to sent (or not), with what happened after."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand
from crm.models.contacts import Contact
from crm.models.deals import Deal
from crm.models.sequences import SequenceStep


def new_send_key() -> str:
    return secrets.token_hex(16)


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: unguessable, safe in a URL


class EmailStatus(models.TextChoices):
    """pending -> sending -> sent | failed | needs_reconcile; cancelled when it must not go out."""

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NEEDS_RECONCILE = "needs_reconcile", _("Needs reconcile")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_STATUSES = ["pending", "sending", "sent", "needs_reconcile"]  # an email that went or may go out


class EmailKind(models.TextChoices):
    """What wrote the email (docs/adr/0015): one sender, one set of caps for both."""

    AUTOPILOT = "autopilot", _("Autopilot")
    CAMPAIGN = "campaign", _("Campaign")


# The queue's order: one-to-one mail before campaign mail, then the order queued.
PRIORITY = {EmailKind.AUTOPILOT: 0, EmailKind.CAMPAIGN: 1}


class EmailLog(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Every status change rewrites each index of the row, so the table keeps only the indexes its
    # queries use: brand's and deal's own are covered by email_brand_queue and email_deal_created.
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="emails", db_index=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    deal = models.ForeignKey(
        Deal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
        db_index=False,
        help_text=_("Empty for campaign mail"),
    )
    kind = models.CharField(
        max_length=20, choices=EmailKind.choices, default=EmailKind.AUTOPILOT, db_default=EmailKind.AUTOPILOT
    )
    priority = models.PositiveSmallIntegerField(default=0, db_default=0, help_text=_("0 goes before 1 (campaign mail)"))
    sequence_step = models.ForeignKey(
        SequenceStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text=_("HTML"))
    text_body = models.TextField(
        blank=True, default="", db_default="", help_text=_("Plain text written for it; empty: made from the HTML")
    )
    status = models.CharField(max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    send_key = models.CharField(
        max_length=64,
        unique=True,
        default=new_send_key,
        editable=False,
        help_text=_("Written into the message so a send can be found in the Sent folder"),
    )
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    provider = models.CharField(max_length=20, blank=True, help_text=_("zoho or outbox"))
    provider_message_id = models.CharField(max_length=200, blank=True, verbose_name=_("Provider message ID"))
    provider_thread_id = models.CharField(max_length=200, blank=True, verbose_name=_("Provider thread ID"))
    rfc_message_id = models.CharField(
        max_length=300,
        blank=True,
        db_index=True,
        help_text=_("Message-ID header; replies quote it in In-Reply-To"),
        verbose_name=_("Message-ID"),
    )
    scheduled_for = models.DateTimeField(null=True, blank=True, help_text=_("Not before; empty: as soon as allowed"))
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    open_count = models.PositiveIntegerField(default=0)
    likely_machine_open = models.BooleanField(
        default=False, help_text=_("First open looked automated (image proxy or scanner)")
    )
    clicked = models.BooleanField(default=False)
    clicked_at = models.DateTimeField(null=True, blank=True)
    replied = models.BooleanField(default=False)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_content = models.TextField(blank=True)
    ai_generated = models.BooleanField(default=False, verbose_name=_("Written by AI"))
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email")
        verbose_name_plural = _("email log")
        indexes = [
            models.Index(fields=["brand", "status", "priority", "created_at"], name="email_brand_queue"),
            models.Index(fields=["brand", "claimed_at"], name="email_brand_claimed"),
            models.Index(fields=["deal", "-created_at"], name="email_deal_created"),
            models.Index(fields=["sent_at"], name="email_sent_at"),
        ]
        constraints = [
            # A sequence step is queued once per deal while it is in flight or went out; a failed
            # or cancelled one may be queued again.
            models.UniqueConstraint(
                fields=["deal", "sequence_step"],
                condition=models.Q(sequence_step__isnull=False, status__in=LIVE_STATUSES),
                name="email_once_per_deal_step",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.to_email}"

    def save(self, *args: object, **kwargs: object) -> None:
        """An autopilot email's brand and contact are its deal's."""
        if self.deal_id is not None and (self.brand_id is None or self.contact_id is None):
            deal = self.deal
            self.brand_id = self.brand_id or deal.pipeline.brand_id
            self.contact_id = self.contact_id or deal.contact_id
        self.priority = PRIORITY.get(EmailKind(self.kind), 0)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
