"""Integrations with outside tools (Slack, Microsoft Teams, Zapier, calendar apps) and the log of
every outgoing call the hub makes for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Brand
from crm_site.fields import EncryptedTextField


class IntegrationKind(models.TextChoices):
    SLACK = "slack", _("Slack (incoming webhook)")
    TEAMS = "teams", _("Microsoft Teams (workflow webhook)")
    ZAPIER = "zapier", _("Zapier (REST hooks)")
    CALENDAR = "calendar", _("Calendar feed (iCalendar)")


class ThirdPartyIntegration(models.Model):
    """One connection: Slack and Teams post the chosen events to a channel; Zapier subscribes its
    Zaps to events (each subscription a webhook); a calendar feed lists a user's tasks and deals'
    next actions at a secret address."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=IntegrationKind.choices)
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, null=True, blank=True, related_name="integrations",
        help_text=_("Only this brand's events and records; empty: every brand the user sees"),
    )  # fmt: skip
    events = models.JSONField(default=list, blank=True, help_text=_("Slack and Teams: the events posted"))
    target_url = EncryptedTextField(
        blank=True,
        help_text=_("Slack or Teams: the channel's webhook address (kept encrypted)"),
        verbose_name=_("Target URL"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("Calendar: whose tasks; Zapier: whose API token subscribed"),
    )  # fmt: skip
    feed_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    last_tested_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_test_ok = models.BooleanField(null=True, editable=False)
    last_synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class IntegrationLog(models.Model):
    """One outgoing call of the hub for an integration (a notification, a test, a sync, a
    subscription change), with its result."""

    integration = models.ForeignKey(ThirdPartyIntegration, on_delete=models.CASCADE, related_name="logs")
    action = models.CharField(max_length=20)  # notify, test, sync, subscribe, unsubscribe
    event_type = models.CharField(max_length=40, blank=True)
    ok = models.BooleanField(default=False)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    detail = models.TextField(blank=True, help_text=_("The first 2 KB of the answer, or the error"))
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.integration} {self.action} {'ok' if self.ok else 'failed'}"
