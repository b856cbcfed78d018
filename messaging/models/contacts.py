"""WhatsAppContact: one per phone number. It is the conversation with that person: its labels and
attributes, the recruiting candidate it belongs to, and the Chatwoot contact and conversation
it is mirrored into (remembered here under the phone's unique constraint, so concurrent
messages from one phone make one Chatwoot contact and one conversation)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm_site.models import Claimable


class WhatsAppContact(Claimable):  # claimed while a worker syncs its messages
    phone = models.CharField(max_length=20, unique=True, help_text=_("E.164, e.g. +61412345678"))
    profile_name = models.CharField(max_length=255, blank=True, help_text=_("The name in their WhatsApp profile"))
    candidate = models.ForeignKey(
        "recruiting.Candidate", null=True, blank=True, on_delete=models.SET_NULL, related_name="whatsapp_contacts"
    )
    labels = models.JSONField(default=list, blank=True, help_text=_("The conversation's labels, as in Chatwoot"))
    attributes = models.JSONField(default=dict, blank=True, help_text=_("Custom attributes sent to Chatwoot"))
    language = models.CharField(max_length=8, blank=True)
    tag_source = models.CharField(max_length=5, blank=True, help_text=_("ai or rules"))
    chatwoot_contact_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("Chatwoot contact ID"))
    chatwoot_conversation_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text=_("Chatwoot's display id of the conversation in the WhatsApp inbox"),
        verbose_name=_("Chatwoot conversation ID"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("WhatsApp conversation")

    def __str__(self) -> str:
        return f"{self.profile_name} ({self.phone})" if self.profile_name else self.phone

    @property
    def display_name(self) -> str:
        """What Chatwoot shows: the profile name, else "WhatsApp +61412345678"."""
        return self.profile_name or f"WhatsApp {self.phone}"
