"""Backlink opportunities: pages where a link to our content could be placed, the deal that
pursues each, and whether the link, once placed, is still on the page."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand
from crm.models.contacts import Contact
from crm.models.deals import Deal
from crm_site.models import Claimable


class BacklinkStatus(models.TextChoices):
    NEW = "new", _("New")
    RESEARCHING = "researching", _("Researching")
    OUTREACHING = "outreaching", _("Outreaching")
    PLACED = "placed", _("Placed")
    VERIFIED = "verified", _("Verified")  # the link was found on the page at the last check
    LOST = "lost", _("Lost")  # the page no longer carries the link: the deal is flagged
    REJECTED = "rejected", _("Rejected")


# Statuses whose page should carry our link, and is checked.
LINKED_STATUSES = (BacklinkStatus.PLACED, BacklinkStatus.VERIFIED, BacklinkStatus.LOST)


class LinkState(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    PRESENT = "present", _("Link present")
    MISSING = "missing", _("Link missing")
    UNREACHABLE = "unreachable", _("Page unreachable")


class BacklinkOpportunity(Claimable):  # claimed while its link is checked
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="backlink_opportunities")
    target_url = models.URLField(max_length=500, verbose_name=_("Target URL"))
    target_domain = models.CharField(max_length=253, db_index=True)
    domain_authority = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    relevance_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)], help_text=_("0-100")
    )
    our_content_url = models.URLField(
        max_length=500, blank=True, help_text=_("Our page to promote"), verbose_name=_("Our content URL")
    )
    anchor_text_suggestion = models.CharField(max_length=200, blank=True)
    outreach_angle = models.TextField(blank=True, help_text=_("The pitch angle"))
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="backlink_opportunities"
    )
    deal = models.ForeignKey(
        Deal, null=True, blank=True, on_delete=models.SET_NULL, related_name="backlink_opportunities",
        help_text=_("The deal that pursues this link"),
    )  # fmt: skip
    status = models.CharField(max_length=20, choices=BacklinkStatus.choices, default=BacklinkStatus.NEW)

    # Link verification: the target page fetched and searched for a link to our_content_url.
    link_state = models.CharField(max_length=12, choices=LinkState.choices, default=LinkState.UNCHECKED)
    link_rel = models.CharField(max_length=100, blank=True, help_text=_("rel of the link found, e.g. nofollow"))
    link_anchor_text = models.CharField(max_length=300, blank=True)
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_first_seen_at = models.DateTimeField(null=True, blank=True)
    link_check_error = models.CharField(max_length=500, blank=True)
    link_check_failures = models.PositiveSmallIntegerField(default=0)
    link_check_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

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
