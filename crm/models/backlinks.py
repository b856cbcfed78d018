"""Backlink opportunities: pages where a link to our content could be placed."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand
from crm.models.contacts import Contact


class BacklinkStatus(models.TextChoices):
    NEW = "new", _("New")
    RESEARCHING = "researching", _("Researching")
    OUTREACHING = "outreaching", _("Outreaching")
    PLACED = "placed", _("Placed")
    REJECTED = "rejected", _("Rejected")


class BacklinkOpportunity(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="backlink_opportunities")
    target_url = models.URLField(max_length=500)
    target_domain = models.CharField(max_length=253, db_index=True)
    domain_authority = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    relevance_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)], help_text=_("0-100")
    )
    our_content_url = models.URLField(max_length=500, blank=True, help_text=_("Our page to promote"))
    anchor_text_suggestion = models.CharField(max_length=200, blank=True)
    outreach_angle = models.TextField(blank=True, help_text=_("The pitch angle"))
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="backlink_opportunities"
    )
    status = models.CharField(max_length=20, choices=BacklinkStatus.choices, default=BacklinkStatus.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("backlink opportunities")
        constraints = [
            models.UniqueConstraint(fields=["brand", "target_url"], name="backlink_unique_url_per_brand"),
        ]

    def __str__(self) -> str:
        return self.target_url
