"""Email campaigns (mycrm-new-features.md, section 1): templates, segments, campaigns with their
A/B variants, one recipient row per contact and campaign, and every click.

A campaign's mail is EmailLog rows the one sender sends (docs/adr/0015): a recipient points at the
email queued for it, and keeps what the contact did with it (crm.signals.email_event).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Brand, Contact, EmailLog
from crm_site.models import Claimable


class EmailTemplate(models.Model):
    """A brand's campaign email: subject, HTML and text bodies with {{ variables }}, checked on save
    (campaigns.templating)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="email_templates")
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    content_html = models.TextField(
        blank=True,
        help_text=_('HTML; variables such as {{ first_name|default:"there" }}'),
        verbose_name=_("Content (HTML)"),
    )
    content_text = models.TextField(blank=True, help_text=_("Plain text; left empty, it is made from the HTML"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand", "name"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="template_unique_name_per_brand")]

    def __str__(self) -> str:
        return self.name


class CampaignSegment(models.Model):
    """Saved filters over a brand's contacts (campaigns.segments lists the keys)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    filters = models.JSONField(default=dict, blank=True, help_text=_("One object; campaigns.segments.FILTERS"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand", "name"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="segment_unique_name_per_brand")]

    def __str__(self) -> str:
        return self.name


class CampaignStatus(models.TextChoices):
    """draft -> scheduled -> sending -> sent; paused and back; cancelled from any but sent."""

    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    PAUSED = "paused", _("Paused")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class WinnerMetric(models.TextChoices):
    OPEN_RATE = "open_rate", _("Human open rate")
    CLICK_RATE = "click_rate", _("Human click rate")


class Campaign(Claimable):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=200)
    campaign_type = models.CharField(max_length=20, choices=[("email", _("Email"))], default="email")
    template = models.ForeignKey(
        EmailTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns",
        help_text=_("Where the subject and bodies came from; they are copied, so editing it later changes nothing"),
    )  # fmt: skip
    segment = models.ForeignKey(
        CampaignSegment, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns"
    )
    subject = models.CharField(max_length=200, blank=True)
    content_html = models.TextField(blank=True, verbose_name=_("Content (HTML)"))
    content_text = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A/B: with 2 to 5 variants, `ab_test_percentage` of the recipients get them, split evenly; after
    # `ab_wait_hours` the variant with the best human rate (`ab_winner_metric`) goes to the rest.
    ab_test_percentage = models.PositiveSmallIntegerField(
        _("A/B test share (%)"),
        default=20, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the segment the variants are tested on (A/B campaigns)"),
    )  # fmt: skip
    ab_wait_hours = models.PositiveSmallIntegerField(
        _("A/B wait (hours)"), default=4, validators=[MaxValueValidator(24 * 14)],
        help_text=_("After the last test email, before the winner is chosen"),
    )  # fmt: skip
    ab_winner_metric = models.CharField(
        _("A/B winner by"), max_length=20, choices=WinnerMetric.choices, default=WinnerMetric.OPEN_RATE
    )
    ab_winner = models.ForeignKey(
        "CampaignVariant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("A/B winner"),
    )
    ab_decided_at = models.DateTimeField(_("A/B decided at"), null=True, blank=True)
    ab_decision = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Each variant's figures when the winner was chosen"),
        verbose_name=_("A/B decision"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="campaign_status_scheduled")]

    def __str__(self) -> str:
        return self.name


class CampaignVariant(models.Model):
    """One version of an A/B campaign; an empty field uses the campaign's own."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(max_length=1, help_text=_("A, B, C, D or E"))
    subject = models.CharField(max_length=200, blank=True)
    content_html = models.TextField(blank=True, verbose_name=_("Content (HTML)"))
    content_text = models.TextField(blank=True)

    class Meta:
        ordering = ["campaign", "label"]
        constraints = [models.UniqueConstraint(fields=["campaign", "label"], name="variant_unique_label")]

    def __str__(self) -> str:
        return f"{self.campaign} / {self.label}"


class RecipientState(models.TextChoices):
    """pending -> queued -> sent | failed; skipped (suppressed); cancelled with the campaign."""

    PENDING = "pending", _("Waiting")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class CampaignRecipient(models.Model):
    # Looked up through recipient_unique_contact, whose first column it is: no index of its own.
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients", db_index=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="campaign_recipients")
    variant = models.ForeignKey(
        CampaignVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="recipients"
    )
    in_test = models.BooleanField(default=False, help_text=_("In the A/B test share"))
    state = models.CharField(max_length=20, choices=RecipientState.choices, default=RecipientState.PENDING)
    skip_reason = models.CharField(max_length=200, blank=True)
    email = models.OneToOneField(
        EmailLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaign_recipient"
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True, help_text=_("First open by a person"))
    machine_opened_at = models.DateTimeField(null=True, blank=True, help_text=_("First open by a proxy or scanner"))
    open_count = models.PositiveIntegerField(default=0)
    clicked_at = models.DateTimeField(null=True, blank=True, help_text=_("First click by a person"))
    click_count = models.PositiveIntegerField(default=0)
    bounced_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "contact"], name="recipient_unique_contact")]
        indexes = [models.Index(fields=["campaign", "state"], name="recipient_campaign_state")]

    def __str__(self) -> str:
        return f"{self.campaign} -> {self.contact}"


class CampaignClick(models.Model):
    """Every click through the redirect, people's and machines'."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="clicks", db_index=False)
    recipient = models.ForeignKey(CampaignRecipient, on_delete=models.CASCADE, related_name="clicks")
    url = models.URLField(max_length=2000)
    clicked_at = models.DateTimeField()
    user_agent = models.CharField(max_length=500, blank=True)
    is_machine = models.BooleanField(default=False, help_text=_("A link scanner or bot: left out of human rates"))

    class Meta:
        ordering = ["-clicked_at"]
        indexes = [models.Index(fields=["campaign", "clicked_at"], name="click_campaign_time")]

    def __str__(self) -> str:
        return self.url
