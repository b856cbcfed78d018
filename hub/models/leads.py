"""Leads from the brands' websites: a chat's lead and a contact form's inquiry, each kept as it
arrived, with the contact (and, for an inquiry, the deal) it became."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Brand, Contact, Deal


class WebsiteLead(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    company = models.CharField(max_length=200, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    origin = models.CharField(max_length=200, blank=True, help_text=_("The website that posted it"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.name or self.email} ({self.brand})"


class ChatLead(WebsiteLead):
    """A lead a website chat collected, with the conversation."""

    transcript = models.TextField(blank=True)


class ContactInquiry(WebsiteLead):
    """A contact form sent from a brand's website; it opens a deal in the brand's sales pipeline."""

    phone = models.CharField(max_length=20, blank=True, help_text=_("E.164"))
    message = models.TextField(blank=True)
    service = models.CharField(max_length=120, blank=True)
    deal = models.ForeignKey(Deal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta(WebsiteLead.Meta):
        verbose_name_plural = _("contact inquiries")
